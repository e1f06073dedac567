"""The phone pages: joining by code (no account), the current round, proposals and votes.

Public routes: a participant is known by a cookie that holds a random token, bound to the one
session it was made for. The code in the address only lets people in: the cookie (path
/doe-mee, so it comes along whatever the code) says which session a phone is in, so a new code
ends nobody's place, and a phone that opens the join page again keeps its place and its votes.
Forms carry a token derived from that cookie; the joining form one bound to a pre-session
cookie, as the sign-in form does.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.responses import Response

from app import metrics
from app.auth import (
    CSRF_MESSAGE,
    PRE_SESSION_COOKIE,
    check_pre_session,
    client_address,
    secure_cookies,
    start_pre_session,
    with_pre_session,
)
from app.choices import Perspective
from app.db import SessionDep, reading
from app.errors import AppError, Conflict, Forbidden, InvalidInput
from app.forms import FormDep, FormState
from app.routing import SectionRouter
from app.secret_hashing import normalise_code
from app.sessions import joining, quick_vote, running, voting, werkvormen
from app.sessions import live as live_updates
from app.sessions.models import LiveSession, Participant
from app.sessions.werkvormen import criteria
from app.sessions.werkvormen.base import Phone
from app.tables import row_id, utc_now
from app.templating import render, see_other, templates

router = SectionRouter()

PARTICIPANT_COOKIE = "kompas_deelnemer"
PARTICIPANT_PATH = "/doe-mee"  # every code's pages: a new code keeps the phone's place
COOKIE_HOURS = 24
# No name is asked: a phone takes part anonymously, by perspective only (the join page says
# what is stored and who sees it).
JOIN_LABELS = {"code": "Code van de sessie", "perspectief": "Je perspectief"}
# A perspective by its value (mypy reads Perspective(value) as Choice.__new__(value, label)).
_PERSPECTIVES = {p.value: p for p in Perspective}
DOT_SAVED = "Je stip is opgeslagen."
DOT_REMOVED = "Je stip is weggehaald."
# The confirmations, by the word the page's address carries after a plain form was sent.
SAVED = {
    "stip": DOT_SAVED,
    "weg": DOT_REMOVED,
    **{path: phone.saved for path, phone in werkvormen.PHONE_PATHS.items()},
}
SAVED_AS = {message: word for word, message in SAVED.items()}
_ROUND_BODY = "sessions/participant/_round_body.html"  # the round, on the page and in events


def _base(code: str) -> str:
    return f"/doe-mee/{code}"


def _find(session: SessionDep, request: Request, code: str) -> LiveSession:
    """The session of a code; a wrong code counts against the address (in a write of its own,
    kept although the request fails)."""
    return joining.find_by_code(session, code, client_address(request))


# Joining


@router.get("/doe-mee", name="participant:code")
def code_form(request: Request) -> Response:
    start_pre_session(request)
    state = FormState(id="code", labels=JOIN_LABELS, autofocus="code")
    return with_pre_session(
        request, render(request, "sessions/participant/code.html", {"form": state})
    )


@router.post("/doe-mee", name="participant:code-submit")
def code_submit(request: Request, session: SessionDep, form: FormDep) -> Response:
    check_pre_session(request, form.get("_csrf"))
    typed = form.get("code", "")
    try:
        live = joining.find_by_code(session, typed, client_address(request))
    except joining.WrongCode as exc:  # counted already
        start_pre_session(request)
        state = FormState(
            id="code", labels=JOIN_LABELS, values={"code": typed}, errors={"code": exc.message}
        )
        return with_pre_session(
            request,
            render(request, "sessions/participant/code.html", {"form": state}, status_code=404),
        )
    return see_other(_base(live.join_code))


def _join_page(
    request: Request, live: LiveSession, state: FormState, status_code: int = 200
) -> Response:
    start_pre_session(request)
    state.id, state.labels = "join", JOIN_LABELS
    return with_pre_session(
        request,
        render(
            request,
            "sessions/participant/join.html",
            {"live": live, "form": state, "code": live.join_code},
            status_code=status_code,
        ),
    )


@router.get("/doe-mee/{code}", name="participant:join")
def join_form(request: Request, session: SessionDep, code: str) -> Response:
    try:
        live = _find(session, request, code)
    except Conflict as exc:  # the session is over: said kindly to whoever scans its code late
        return _ended(request, None, exc.message, exc.status_code)
    if live.join_code != code:  # typed in lower case or with a dash: the canonical address
        return see_other(_base(live.join_code))
    if _participant(session, request, live) is not None:
        return see_other(_base(code) + "/ronde")  # already joined: keep one's place
    return _join_page(request, live, FormState(values={"perspectief": ""}))


@router.post("/doe-mee/{code}", name="participant:join-submit")
def join_submit(request: Request, session: SessionDep, code: str, form: FormDep) -> Response:
    check_pre_session(request, form.get("_csrf"))
    with reading(session):
        live = _find(session, request, code)
        already = _participant(session, request, live)
    if already is not None:  # the form sent twice, or opened again: one place per phone
        return see_other(_base(live.join_code) + "/ronde")
    perspective = _PERSPECTIVES.get(form.get("perspectief", ""))
    if perspective is None:
        state = FormState(values=dict(form), errors={"perspectief": "Kies je perspectief."})
        return _join_page(request, live, state, status_code=422)
    with write_turn(session):
        token, _ = joining.join(session, live, perspective, None)
    response = see_other(_base(live.join_code) + "/ronde")
    response.set_cookie(
        PARTICIPANT_COOKIE,
        token,
        path=PARTICIPANT_PATH,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(request),
        max_age=COOKIE_HOURS * 3600,
    )
    response.delete_cookie(PRE_SESSION_COOKIE)
    return response


# The participant's page


def _participant(session: SessionDep, request: Request, live: LiveSession) -> Participant | None:
    return joining.participant_of(session, live, request.cookies.get(PARTICIPANT_COOKIE))


class NotJoined(AppError):
    status_code = 401
    title = "Doe eerst mee"

    def __init__(self) -> None:
        super().__init__(
            "Je doet nog niet mee aan deze sessie (of je telefoon is je plaats vergeten). "
            "Meld je opnieuw aan met de code."
        )


def _joined(
    session: SessionDep, request: Request, code: str, *, rounds: bool = True
) -> tuple[LiveSession, Participant]:
    """The session and the participant whose cookie came with the request, whatever code the
    address holds (the old one after a new code was made). Without a participant's cookie a
    wrong code counts against the address here as on the join page, so these addresses are no
    way round the throttle to test codes."""
    token = request.cookies.get(PARTICIPANT_COOKIE)
    found = joining.joined_with(session, token, rounds=rounds) if token else None
    if token is None or found is None:
        _find(session, request, code)
        raise NotJoined()
    live, participant = found
    joining.check_open(live)
    request.state.csrf_token = joining.participant_csrf(token)
    return live, participant


def _shared_context(session: SessionDep, live: LiveSession) -> dict[str, Any]:
    """The current round as a participant sees it who has sent nothing in it yet: the same for
    every phone (and every phone's state in a round that has just opened)."""
    round_ = running.current_round(live)
    context: dict[str, Any] = {"live": live, "round": round_}
    if round_ is None:
        return context
    items = [i for i in running.items_of(session, round_) if not i.hidden]
    choices = [i for i in items if i.merged_into_id is None]
    return context | {
        "items": choices,
        "allowance": werkvormen.of(round_.kind).allowance(round_, len(choices)),
        "criteria": criteria.criteria_of(round_),
        "own": [],
        "dots": {},
        "used": 0,
        "marks": {},
    }


def round_context(session: SessionDep, live: LiveSession, participant: Participant) -> dict:
    context = _shared_context(session, live) | {"participant": participant}
    round_ = context["round"]
    if round_ is None:
        return context
    votes = voting.own_votes(session, participant, round_)
    dots: dict[int, int] = {}
    for vote in votes:
        dots[vote.item_id] = dots.get(vote.item_id, 0) + 1
    context.update(
        own=voting.own_proposals(session, participant, round_),
        dots=dots,
        used=len(votes),
        # What the participant sent in this round, to show it and change it: a place, points
        # or a score per choice (and criterion).
        marks={(v.item_id, v.criterion): v.value for v in votes},
        new_key=lambda: str(uuid.uuid4()),
    )
    return context


def shared_round(session: SessionDep, live_id: int) -> str:
    """A phone's live event: the round state on the first line and then, while the session
    runs, the round as every phone that sent nothing in it yet shows it (_round_body.html),
    rendered once for all the phones a process serves instead of fetched by each. Its forms
    carry no token or key: the page's script sends its own."""
    live = running.load_live(session, live_id)
    state = running.round_state(live)
    if live.is_closed or live.code_expires_at < utc_now():  # the phone fetches its thank-you
        return state
    context = _shared_context(session, live) | {
        "code": live.join_code,
        "base": _base(live.join_code),
        "csrf_token": "",
        "new_key": lambda: "",
    }
    return f"{state}\n{templates.get_template(_ROUND_BODY).render(context)}"


def _ended(
    request: Request, live: LiveSession | None, why: str = "", status_code: int = 200
) -> Response:
    """The page of a session that is over (or whose code expired): a thank-you, not an error
    box. Only a participant's own phone learns which session it was (200, so that its page's
    script swaps the end in); a code typed late hears why (409)."""
    response = render(
        request,
        "sessions/participant/ended.html",
        {"live": live, "why": why},
        status_code=status_code,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/doe-mee/{code}/ronde", name="participant:round")
def round_page(request: Request, session: SessionDep, code: str) -> Response:
    try:
        live, participant = _joined(session, request, code)
    except Conflict:  # the session is over: its thank-you, to a phone that took part
        token = request.cookies.get(PARTICIPANT_COOKIE)
        found = joining.joined_with(session, token, rounds=False) if token else None
        if found is None:
            raise
        return _ended(request, found[0])
    if code != live.join_code:  # an old code, or typed differently: the address of today's
        query = f"?{request.url.query}" if request.url.query else ""
        return see_other(f"{_base(live.join_code)}/ronde{query}")
    context = round_context(session, live, participant)
    context["saved"] = SAVED.get(request.query_params.get("opgeslagen", ""))
    context["code"] = live.join_code
    response = render(request, "sessions/participant/round.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response


# Proposals and votes: JSON for the page's script, redirects for plain forms


@contextmanager
def write_turn(session: SessionDep) -> Iterator[None]:
    """The write of a vote (or proposal, or join) and its commit. On SQLite the transaction
    takes the process's write turn at its BEGIN (db._WriteTurn); on PostgreSQL writes of
    different participants run side by side, one participant's waiting on their row lock."""
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _wants_json(request: Request) -> bool:
    return request.headers.get("accept", "").startswith("application/json")


def _csrf_given(request: Request, form: dict[str, str]) -> str | None:
    return request.headers.get("X-CSRF-Token") or form.get("_csrf")


def _check_csrf(request: Request, form: dict[str, str]) -> None:
    if _csrf_given(request, form) != request.state.csrf_token:
        raise Forbidden(CSRF_MESSAGE)


def _int(value: str | None, field: str) -> int:
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise InvalidInput({field: "Deze keuze bestaat niet (meer). Laad de pagina opnieuw."})
    return int(value)


def _answer(request: Request, session: SessionDep, code: str, receipt: Any, saved: str) -> Response:
    """`saved`: the confirmation shown, in Dutch."""
    session.commit()
    metrics.VOTES.labels("accepted").inc()
    if _wants_json(request):
        return JSONResponse(
            {
                "sleutel": receipt.key,
                "ronde": receipt.round_id,
                "keuze": receipt.item_id,
                "gebruikt": receipt.used,
                "toegestaan": receipt.allowance,
                "herhaald": receipt.repeated,
                "melding": saved,
            }
        )
    return see_other(f"{_base(code)}/ronde?opgeslagen={SAVED_AS[saved]}#ronde")


def _refused(request: Request, session: SessionDep, code: str, exc: AppError) -> Response:
    session.rollback()
    metrics.VOTES.labels("refused").inc()
    if _wants_json(request):
        return JSONResponse({"melding": exc.message}, status_code=exc.status_code)
    with reading(session):  # the page again, without taking the write lock to read it
        live, participant = _joined(session, request, code)
        context = round_context(session, live, participant)
    context.update(refused=exc.message, code=live.join_code)
    return render(request, "sessions/participant/round.html", context, status_code=exc.status_code)


@router.post("/doe-mee/{code}/stemmen", name="participant:vote")
async def vote(request: Request, session: SessionDep, code: str, form: FormDep) -> Response:
    """One dot: `ronde`, `keuze`, `sleutel` (made by the page). `weg=1` takes one back.

    The busiest request of a live session, so it runs on the event loop: the usual case is
    written with the room's other dots (quick_vote.py) and waits for that without a thread;
    None from there, a dot taken back or a missing token, and the full path decides."""
    token = request.cookies.get(PARTICIPANT_COOKIE) or ""
    usual = token and not form.get("weg")
    if usual and _csrf_given(request, form) == joining.participant_csrf(token):
        quick = await quick_vote.cast_dot_waiting(
            session, code, token, form.get("ronde"), form.get("keuze"), form.get("sleutel")
        )
        if quick is not None:  # committed: nothing for _answer to send to the database
            return _answer(request, session, normalise_code(code), quick, DOT_SAVED)
    return await run_in_threadpool(_vote, request, session, code, form)


def _vote(request: Request, session: SessionDep, code: str, form: dict[str, str]) -> Response:
    """The full path, in a worker thread: every rule and Dutch message of voting.cast_dot."""
    with reading(session):  # who is voting: read before the write lock is taken
        live, participant = _joined(session, request, code, rounds=False)
    _check_csrf(request, form)
    try:
        round_id, item_id = _int(form.get("ronde"), "ronde"), _int(form.get("keuze"), "keuze")
        if form.get("weg"):
            with write_turn(session):
                used = voting.remove_dot(session, participant, round_id, item_id)
            receipt = voting.Receipt(form.get("sleutel", ""), round_id, item_id, used, 0)
            return _answer(request, session, live.join_code, receipt, DOT_REMOVED)
        with write_turn(session):
            receipt = voting.cast_dot(
                session, participant, round_id, item_id, form.get("sleutel", "")
            )
    except (voting.Refused, InvalidInput) as exc:
        return _refused(request, session, live.join_code, exc)
    return _answer(request, session, live.join_code, receipt, DOT_SAVED)


def _whole(phone: Phone):
    """The route of a ballot sent whole (a ranking, scores, points, a proposal): read by its
    werkvorm, stored under the page's key."""

    def submit(request: Request, session: SessionDep, code: str, form: FormDep) -> Response:
        with reading(session):
            live, participant = _joined(session, request, code, rounds=False)
        _check_csrf(request, form)
        try:
            ballot = phone.read(form)
            with write_turn(session):
                receipt = phone.submit(
                    session,
                    participant,
                    _int(form.get("ronde"), "ronde"),
                    ballot,
                    form.get("sleutel", ""),
                )
        except (voting.Refused, InvalidInput) as exc:
            return _refused(request, session, live.join_code, exc)
        return _answer(request, session, live.join_code, receipt, phone.saved)

    return submit


for _path, _phone in werkvormen.PHONE_PATHS.items():
    router.post(f"/doe-mee/{{code}}/{_path}", name=f"participant:{_path}")(_whole(_phone))


@router.get("/doe-mee/{code}/live", name="participant:live")
def live_stream(request: Request, session: SessionDep, code: str) -> Response:
    """Server-sent events: `ronde` with the current round's state and its shared render
    (shared_round) whenever the state changes, not on every vote. A few per participant."""
    live, participant = _joined(session, request, code, rounds=False)
    most = live_updates.STREAMS_PER_PARTICIPANT
    place = live_updates.streams.take(("deelnemer", participant.id), most)
    if place is None:
        return live_updates.too_many(request, most)

    return live_updates.stream(
        request, session, row_id(live), _shared_round, "ronde", place, rounds_only=True
    )


_shared_round = live_updates.shared(shared_round)
