"""The facilitator's pages: sessions of a cycle, the control screen, the projector, moderating
proposals, the live streams, and the round's outcome (adoption, paper, verslag are in their own
modules)."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Query, Request
from sqlmodel import Session
from starlette.responses import Response

from app.auth import CurrentMember, CurrentOrganisation, require_cycle_runner
from app.cycles import service as cycles_service
from app.cycles.models import Cycle
from app.db import SessionDep
from app.downloads import attachment
from app.errors import InvalidInput, NotFound
from app.exports import export_page
from app.forms import GENERAL, FormDep, FormState
from app.ids import RecordId, parse_id
from app.qr import qr_svg
from app.resources import add_form_routes, commit_or_conflict
from app.routing import SectionRouter
from app.secret_hashing import show_code
from app.sessions import adoption, joining, paper, record, record_files, running, scoring, voting
from app.sessions import live as live_updates
from app.sessions.models import LiveSession, Round, RoundItem, RoundStatus, Target
from app.sessions.resources import live_sessions, rounds, session_url
from app.sessions.werkvormen import criteria
from app.tables import row_id
from app.templating import render, render_invalid_form, see_other, templates

router = SectionRouter()
for resource in (live_sessions, rounds):
    add_form_routes(router, resource)


def cycle_context(cycle: Cycle, step: int | None = None) -> dict:
    """Around every facilitator page: the cycle (for breadcrumbs and the step navigation)."""
    return {"cycle": cycle, "step_number": step, "nav": "themes"}


def join_url(request: Request, live: LiveSession) -> str:
    return str(request.base_url).rstrip("/") + f"/doe-mee/{live.join_code}"


JOIN_QR_TITLE = "QR-code om mee te doen"


@router.get("/cycli/{cycle_id:int}/sessies", name="sessions:list")
def session_list(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, cycle_id: RecordId
) -> Response:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    return render(
        request,
        "sessions/list.html",
        {
            **cycle_context(cycle),
            "sessions": running.list_sessions(session, cycle),
            "resource": live_sessions,
            "form": live_sessions.blank_form(cycle.id),
        },
    )


def results_context(session: SessionDep, live: LiveSession, round_: Round | None) -> dict:
    """The round on screen, its outcome, and who is here (counted once: the outcome holds
    the attendance)."""
    if round_ is None:
        return {"round": None, "outcome": None, "attendance": scoring.attendance(session, live)}
    outcome = scoring.outcome(session, round_)
    return {
        "round": round_,
        "outcome": outcome,
        "attendance": outcome.present,
        "perspectives": scoring.PERSPECTIVES,
        "criteria": criteria.criteria_of(round_),
        "meanings": scoring.meanings(outcome) if round_.kind.value == "term" else None,
    }


def _control_context(
    request: Request, session: SessionDep, member: CurrentMember, live: LiveSession
) -> dict:
    cycle = running.cycle_of(session, member.organisation, live)
    current = running.current_round(live)
    results = results_context(session, live, current)
    shows_code = member.runs_cycles  # see the README's live sessions: who sees the code
    return {
        **cycle_context(cycle),
        "live": live,
        "current": current,
        "items": results["outcome"].items if current else [],
        "shows_code": shows_code,
        "join_url": join_url(request, live) if shows_code else None,
        "code": show_code(live.join_code) if shows_code else None,
        "resource": rounds,
        "form": rounds.blank_form(live.id),
        "source_options": [
            (str(r.id), f"{r.position}. {r.title}") for r in live.rounds if r.collects_text
        ],
        **results,
    }


@router.get("/sessies/{session_id:int}", name="session:page")
def control_screen(
    request: Request, session: SessionDep, member: CurrentMember, session_id: RecordId
) -> Response:
    """The regie: rounds in order with start, pause and close; the current round's proposals
    to moderate; who is here; the live results."""
    live = running.get_session(session, member.organisation, session_id)
    return render(
        request, "sessions/control.html", _control_context(request, session, member, live)
    )


def _control_refused(
    request: Request, session: SessionDep, member: CurrentMember, live_id: int, **extra: object
) -> Response:
    """The control screen again with a refused choice of proposals (422, nothing changed)."""
    live = running.get_session(session, member.organisation, live_id)
    context = {**_control_context(request, session, member, live), **extra}
    return render(request, "sessions/control.html", context, status_code=422)


# The projector's views: the round with its overall results, or its results per perspective
# (a view of its own, so each fits one screen).
PROJECTOR_VIEWS = ("uitslag", "perspectieven")


def _projector_view(request: Request) -> str:
    view = request.query_params.get("weergave", "")
    return view if view in PROJECTOR_VIEWS else PROJECTOR_VIEWS[0]


@router.get("/sessies/{session_id:int}/scherm", name="session:projector")
def projector(
    request: Request, session: SessionDep, member: CurrentMember, session_id: RecordId
) -> Response:
    """The beamer's page: the whole screen for the session, without the app around it."""
    live = running.get_session(session, member.organisation, session_id)
    base_url = str(request.base_url).rstrip("/")
    view = _projector_view(request)
    context = _projector_context(session, live, base_url, member.runs_cycles, view)
    return render(request, "sessions/projector.html", {**context, "views": PROJECTOR_VIEWS})


def _projector_context(
    session: SessionDep, live: LiveSession, base_url: str, shows_code: bool, view: str
) -> dict:
    """The projector's content; the join code and its QR code only on a facilitator's
    screen (a lezer or partner follows the results without them)."""
    current = running.current_round(live)
    url = f"{base_url}/doe-mee/{live.join_code}"
    return {
        "live": live,
        "view": view,
        "shows_code": shows_code,
        "join_url": url if shows_code else None,
        "qr": qr_svg(url, JOIN_QR_TITLE, 5) if shows_code else None,
        "code": show_code(live.join_code) if shows_code else None,
        **results_context(session, live, current),
    }


def projector_fragment(
    session: SessionDep, live_id: int, base_url: str, shows_code: bool, view: str
) -> str:
    live = running.load_live(session, live_id)
    context = _projector_context(session, live, base_url, shows_code, view)
    return templates.get_template("sessions/_projector_body.html").render(context)


def control_fragment(
    session: SessionDep, live_id: int, runs_cycles: bool, csrf_token: str | None
) -> str:
    """The control screen's live summary and, while a round collects proposals, its
    moderation list (out of band into #moderatie), so new proposals appear without a reload."""
    live = running.load_live(session, live_id)
    current = running.current_round(live)
    context = {
        "live": live,
        "control": True,
        **results_context(session, live, current),
    }
    html = templates.get_template("sessions/_live_summary.html").render(context)
    if current is not None and current.collects_text:
        cycle = session.get_one(Cycle, live.cycle_id)
        moderation = templates.get_template("sessions/_moderation.html").render(
            {
                **context,
                "items": context["outcome"].items,
                "runs": runs_cycles and not live.is_closed and not cycle.is_closed,
                "csrf_token": csrf_token,
            }
        )
        html += f'<div id="moderatie" hx-swap-oob="true">{moderation}</div>'
    return html


@router.get("/sessies/{session_id:int}/live", name="session:live")
def projector_stream(
    request: Request, session: SessionDep, member: CurrentMember, session_id: RecordId
) -> Response:
    """Server-sent events: `uitslag` (the projector's body) or, with ?voor=regie, `regie`
    (the control screen's live summary), whenever the session changes. A few per account
    and kind of screen."""
    live = running.get_session(session, member.organisation, session_id)
    base_url = str(request.base_url).rstrip("/")
    kind = "regie" if request.query_params.get("voor") == "regie" else "uitslag"
    most = live_updates.STREAMS_PER_SCREEN
    place = live_updates.streams.take(("scherm", member.user.id, kind), most)
    if place is None:
        return live_updates.too_many(request, most)
    if kind == "regie":
        csrf = getattr(request.state, "csrf_token", None)
        render = live_updates.in_thread(control_fragment, live.id, member.runs_cycles, csrf)
    else:
        render = live_updates.in_thread(
            projector_fragment, live.id, base_url, member.runs_cycles, _projector_view(request)
        )
    return live_updates.stream(request, session, row_id(live), render, kind, place)


@router.get("/sessies/{session_id:int}/deelnemen", name="session:join-sheet")
def join_sheet(
    request: Request, session: SessionDep, member: CurrentMember, session_id: RecordId
) -> Response:
    """A printable sheet with the code and the QR code, to put on the tables (for those who
    run the session: the code lets anyone vote)."""
    require_cycle_runner(member)
    live = running.get_session(session, member.organisation, session_id)
    url = join_url(request, live)
    return render(
        request,
        "sessions/join_sheet.html",
        {
            **cycle_context(running.cycle_of(session, member.organisation, live), live.step),
            "live": live,
            "join_url": url,
            "qr": qr_svg(url, JOIN_QR_TITLE, 10),
            "code": show_code(live.join_code),
        },
    )


# Running the session


def _live_for_write(session: SessionDep, member: CurrentMember, session_id: int) -> LiveSession:
    require_cycle_runner(member)
    return running.get_session(session, member.organisation, session_id)


@router.post("/sessies/{session_id:int}/nieuwe-code", name="session:renew-code")
def renew_code(session: SessionDep, member: CurrentMember, session_id: RecordId) -> Response:
    live = _live_for_write(session, member, session_id)
    joining.renew_code(session, live)
    commit_or_conflict(session)
    return see_other(session_url(live.id, "meedoen"))


@router.post("/sessies/{session_id:int}/afsluiten", name="session:close")
def close_session(session: SessionDep, member: CurrentMember, session_id: RecordId) -> Response:
    live = _live_for_write(session, member, session_id)
    running.close_session(session, live)
    commit_or_conflict(session)
    return see_other(session_url(live.id))


ROUND_ACTIONS = {
    "starten": running.start_round,
    "pauzeren": running.pause_round,
    "sluiten": running.close_round,
    "tonen": lambda session, round_: running.set_results_hidden(session, round_, False),
    "verbergen": lambda session, round_: running.set_results_hidden(session, round_, True),
    "omhoog": lambda session, round_: running.move_round(session, round_, up=True),
    "omlaag": lambda session, round_: running.move_round(session, round_, up=False),
}


def _round_action(name: str, do: Callable[[Session, Round], Round]) -> Callable[..., Response]:
    def act(session: SessionDep, member: CurrentMember, round_id: RecordId) -> Response:
        require_cycle_runner(member)
        round_ = running.get_round(session, member.organisation, round_id)
        do(session, round_)
        commit_or_conflict(session)
        return see_other(session_url(round_.session_id, f"ronde-{round_.id}"))

    act.__doc__ = f"Round action: {name}."
    return act


# Start, pause, close, show or hide the results, move up or down in the order.
for _name, _do in ROUND_ACTIONS.items():
    router.add_api_route(
        f"/rondes/{{round_id:int}}/{_name}",
        _round_action(_name, _do),
        methods=["POST"],
        name=f"round:{_name}",
    )


@router.post("/rondes/{round_id:int}/keuzes", name="round:add-item")
def add_item(
    session: SessionDep, member: CurrentMember, round_id: RecordId, form: FormDep
) -> Response:
    require_cycle_runner(member)
    round_ = running.get_round(session, member.organisation, round_id)
    if form.get("uit") == "resultaten":
        running.items_from_results(session, round_)
    else:
        running.add_item(session, round_, form.get("tekst", ""))
    commit_or_conflict(session)
    return see_other(f"/rondes/{round_.id}#keuzes")


ITEM_ACTIONS = ("goedkeuren", "verbergen", "tonen", "bewerken", "samenvoegen", "losmaken")


@router.post("/voorstellen/{item_id:int}/{action}", name="item:action")
def item_action(
    session: SessionDep, member: CurrentMember, item_id: RecordId, action: str, form: FormDep
) -> Response:
    """Moderating proposals: approve, hide or show, edit, merge a duplicate into a cluster,
    unmerge."""
    require_cycle_runner(member)
    item = running.get_item(session, member.organisation, item_id)
    if action == "goedkeuren":
        running.approve_item(session, item)
    elif action == "verbergen":
        running.set_item_hidden(session, item, True)
    elif action == "tonen":
        running.set_item_hidden(session, item, False)
    elif action == "bewerken":
        running.edit_item(session, item, form.get("tekst", ""))
    elif action == "samenvoegen":
        # The other proposal by its number in the round, as the page shows it.
        typed = form.get("met", "").strip().rstrip(".")
        number = parse_id(typed)
        into = running.item_by_number(session, item.round_id, number) if number else None
        if not typed:
            raise InvalidInput({"met": "Typ het nummer van het voorstel om mee samen te voegen."})
        if into is None:
            raise InvalidInput({"met": f"Er is geen voorstel {typed[:12]} in deze ronde."})
        running.merge_item(session, item, into)
    elif action == "losmaken":
        running.unmerge_item(session, item)
    else:
        raise InvalidInput({"actie": "Deze handeling bestaat niet."})
    commit_or_conflict(session)
    back = form.get("_terug") == "ronde"
    return see_other(
        f"/rondes/{item.round_id}#voorstel-{item.id}"
        if back
        else _control_of(session, item.round_id, row_id(item))
    )


def _control_of(session: SessionDep, round_id: int, item_id: int) -> str:
    round_ = session.get_one(Round, round_id)
    return session_url(round_.session_id, f"voorstel-{item_id}")


def _chosen(form: dict[str, str]) -> list[int]:
    """The proposals ticked in a form (`voorstel-{id}`)."""
    return [
        item_id
        for name in form
        if name.startswith("voorstel-")
        and (item_id := parse_id(name.removeprefix("voorstel-"))) is not None
    ]


def _back_url(round_: Round, back: str | None) -> str:
    if back == "ronde":
        return f"/rondes/{round_.id}#keuzes"
    return session_url(round_.session_id, "voorstellen")


@router.post("/rondes/{round_id:int}/voorstellen", name="round:moderate")
def moderate(
    request: Request, session: SessionDep, member: CurrentMember, round_id: RecordId, form: FormDep
) -> Response:
    """Several proposals at once (`voorstel-{id}` ticked): `actie` goedkeuren or verbergen
    does it; samenvoegen asks what the cluster keeps (the next form, nothing changed yet)."""
    require_cycle_runner(member)
    round_ = running.get_round(session, member.organisation, round_id)
    chosen = _chosen(form)
    action = form.get("actie", "")
    back = form.get("_terug")
    try:
        if action == "samenvoegen":
            items = running.chosen_items(session, round_, chosen)
            if len(items) < 2:
                raise InvalidInput(
                    {"voorstel": "Kies minstens twee voorstellen om samen te voegen."}
                )
            return _cluster_page(request, session, member, round_, items, back)
        if action not in running.MODERATION:
            raise InvalidInput({"actie": "Kies wat er met de gekozen voorstellen moet gebeuren."})
        running.moderate_items(session, round_, chosen, action)
    except InvalidInput as exc:  # refused before anything changed
        if back == "ronde":
            return _round_page(
                request,
                session,
                member,
                round_id,
                status_code=422,
                moderation_error=exc.message,
                chosen_ids=chosen,
            )
        return _control_refused(
            request,
            session,
            member,
            round_.session_id,
            moderation_error=exc.message,
            chosen_ids=chosen,
        )
    commit_or_conflict(session)
    return see_other(_back_url(round_, back))


def _cluster_page(
    request: Request,
    session: SessionDep,
    member: CurrentMember,
    round_: Round,
    items: list[RoundItem],
    back: str | None,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    live = running.get_session(session, member.organisation, round_.session_id)
    return render(
        request,
        "sessions/cluster.html",
        {
            **cycle_context(running.cycle_of(session, member.organisation, live), live.step),
            "live": live,
            "round": round_,
            "chosen": items,
            "back": back,
            "back_url": _back_url(round_, back),
            "errors": errors or {},
            "typed": typed or {},
        },
        status_code=422 if errors else 200,
    )


@router.post("/rondes/{round_id:int}/samenvoegen", name="round:cluster")
def cluster(
    request: Request, session: SessionDep, member: CurrentMember, round_id: RecordId, form: FormDep
) -> Response:
    """Cluster the chosen proposals into one: `doel` is the proposal that stays, or "nieuw"
    with `tekst` (no target is chosen for the facilitator)."""
    require_cycle_runner(member)
    round_ = running.get_round(session, member.organisation, round_id)
    chosen = _chosen(form)
    back = form.get("_terug")
    target = form.get("doel", "")
    try:
        with session.begin_nested():  # all merged, or none
            running.cluster_items(
                session,
                round_,
                chosen,
                parse_id(target) if target != "nieuw" else None,
                form.get("tekst", "") if target == "nieuw" else None,
            )
    except InvalidInput as exc:
        items = running.chosen_items(session, round_, chosen)
        return _cluster_page(request, session, member, round_, items, back, exc.errors, typed=form)
    commit_or_conflict(session)
    return see_other(_back_url(round_, back))


@router.get("/rondes/{round_id:int}", name="round:page")
def round_page(
    request: Request, session: SessionDep, member: CurrentMember, round_id: RecordId
) -> Response:
    """One round: its choices or proposals, its results and, once closed, adopting them."""
    return _round_page(request, session, member, round_id)


def _round_page(
    request: Request,
    session: SessionDep,
    member: CurrentMember,
    round_id: int,
    *,
    error: str | None = None,
    status_code: int = 200,
    plan: adoption.Plan | None = None,
    chosen: list[int] | None = None,
    typed: dict[str, str] | None = None,
    moderation_error: str | None = None,
    chosen_ids: list[int] | None = None,
) -> Response:
    round_ = running.get_round(session, member.organisation, round_id)
    live = running.get_session(session, member.organisation, round_.session_id)
    results = results_context(session, live, round_)
    outcome = results["outcome"]
    adopting: dict = {}
    if round_.awaits_adoption and outcome is not None and outcome.rows:
        adopting["turnout"] = adoption.turnout_warning(outcome)
        if round_.target is Target.RESULTS:
            rows = [
                r for r in outcome.rows if chosen is None or r.item.id in chosen
            ] or outcome.rows
            adopting["preview"] = adoption.preview(
                session, round_, member.organisation, rows, plan or adoption.Plan()
            )
    return render(
        request,
        "sessions/round.html",
        {
            **cycle_context(running.cycle_of(session, member.organisation, live), live.step),
            "live": live,
            "items": outcome.items,
            "adoptions": adoption.adoptions_of(session, round_),
            "closed": round_.status is RoundStatus.CLOSED,
            "adopt_error": error,
            "summary": adoption.evidence_summary,
            "plan": plan or adoption.Plan(),
            "chosen": chosen,
            "typed": typed or {},
            "moderation_error": moderation_error,
            "chosen_ids": chosen_ids,
            **adopting,
            **results,
        },
        status_code=status_code,
    )


# Adopting, paper and the verslag


@router.post("/rondes/{round_id:int}/overnemen", name="round:adopt")
def adopt(
    request: Request, session: SessionDep, member: CurrentMember, round_id: RecordId, form: FormDep
) -> Response:
    """Adopt the closed round's outcome: the ticked choices (`keuze-{id}`), in result order,
    placed by the plan (adoption.read_plan). With `voorbeeld` the page shows the priority
    order the plan would give, and nothing changes."""
    require_cycle_runner(member)
    round_ = running.get_round(session, member.organisation, round_id)
    chosen = [
        item_id
        for name in form
        if name.startswith("keuze-")
        and (item_id := parse_id(name.removeprefix("keuze-"))) is not None
    ]
    try:
        plan = adoption.read_plan(form)
        if form.get("voorbeeld"):
            return _round_page(
                request, session, member, round_id, plan=plan, chosen=chosen, typed=form
            )
        with session.begin_nested():
            adoption.adopt(session, round_, member.organisation, member.user.name, chosen, plan)
    except InvalidInput as exc:
        return _round_page(
            request,
            session,
            member,
            round_id,
            error=exc.message,
            status_code=422,
            typed=form,
        )
    commit_or_conflict(session)
    return see_other(f"/rondes/{round_.id}#overgenomen")


Copies = Annotated[int, Query(ge=1, le=paper.MAX_COPIES)]


@router.get("/rondes/{round_id:int}/stembiljet", name="round:ballot")
def ballot_export(
    request: Request,
    session: SessionDep,
    member: CurrentMember,
    round_id: RecordId,
    aantal: Copies = 1,
) -> Response:
    """The page that fetches the ballots, and shows their place in line while they wait."""
    round_ = running.get_round(session, member.organisation, round_id)
    live = running.load_live(session, round_.session_id)
    round_url = f"/rondes/{round_.id}"
    return export_page(
        request,
        label="Papieren stembiljet",
        scope=f"{live.title}, ronde {round_.position}: {round_.title}",
        crumbs=[(live.title, session_url(live.id)), (round_.title, round_url)],
        back=("Terug naar de ronde", round_url),
        nav="themes",
    )


@router.get("/rondes/{round_id:int}/stembiljet/bestand", name="round:ballot-file")
def ballot_file(
    session: SessionDep, member: CurrentMember, round_id: RecordId, aantal: Copies = 1
) -> Response:
    """Ballot sheets for people without a phone: `aantal` copies, one per A4 page."""
    round_ = running.get_round(session, member.organisation, round_id)
    live = running.load_live(session, round_.session_id)
    pdf = paper.ballot_pdf(session, live, round_, aantal)
    return Response(
        pdf,
        media_type="application/pdf",
        headers=attachment(f"stembiljet {live.title} ronde {round_.position}.pdf"),
    )


@router.get("/rondes/{round_id:int}/papier", name="round:tally")
def tally_form(
    request: Request, session: SessionDep, member: CurrentMember, round_id: RecordId
) -> Response:
    return _tally_page(request, session, member, round_id, FormState())


def _tally_page(
    request: Request,
    session: SessionDep,
    member: CurrentMember,
    round_id: int,
    state: FormState,
    status_code: int = 200,
) -> Response:
    round_ = running.get_round(session, member.organisation, round_id)
    on_paper = paper.paper_of(round_)
    live = running.load_live(session, round_.session_id)
    items = [
        i for i in running.items_of(session, round_) if not i.hidden and i.merged_into_id is None
    ]
    state.id = "tally"
    state.labels = {
        "perspectief": "Perspectief op het biljet",
        **{f"{on_paper.field}{i.id}": f"{i.code}. {i.text}" for i in items},
    }
    context = {
        **cycle_context(running.cycle_of(session, member.organisation, live), live.step),
        "live": live,
        "round": round_,
        "items": items,
        "form": state,
        "ballots": voting.paper_ballots(session, round_),
    }
    if status_code != 200:
        return render_invalid_form(
            request, "sessions/tally.html", context, form_id="tally", status_code=status_code
        )
    return render(request, "sessions/tally.html", context)


@router.post("/rondes/{round_id:int}/papier", name="round:tally-submit")
def tally_submit(
    request: Request, session: SessionDep, member: CurrentMember, round_id: RecordId, form: FormDep
) -> Response:
    """One paper ballot: its perspective and its dots per choice."""
    require_cycle_runner(member)
    round_ = running.get_round(session, member.organisation, round_id)
    try:
        perspective, dots = paper.parse_tally(form, round_)
        with session.begin_nested():  # a ballot counts whole or not at all
            paper.enter_ballot(session, round_, perspective, dots)
    except (InvalidInput, voting.Refused) as exc:
        errors = exc.errors if isinstance(exc, InvalidInput) else {GENERAL: exc.message}
        state = FormState(values=dict(form), errors=errors)
        return _tally_page(request, session, member, round_id, state, status_code=exc.status_code)
    commit_or_conflict(session)
    return see_other(f"/rondes/{round_.id}/papier?ingevoerd=1#tally")


@router.get("/sessies/{session_id:int}/verslag", name="session:record")
def record_page(
    request: Request, session: SessionDep, member: CurrentMember, session_id: RecordId
) -> Response:
    return _record_page(request, session, member, session_id)


def _record_page(
    request: Request,
    session: SessionDep,
    member: CurrentMember,
    session_id: int,
    form: FormState | None = None,
) -> Response:
    live = running.get_session(session, member.organisation, session_id)
    cycle = running.cycle_of(session, member.organisation, live)
    v = record_files.verslag(session, live, cycle, member.organisation.name)
    form = form or FormState(values={"afspraken": live.agreements or ""})
    form.id = "afspraken"
    form.labels = {"afspraken": "Afspraken en vervolgstappen"}
    context = {
        **cycle_context(cycle, live.step),
        "live": live,
        "v": v,
        "attendance": v.attendance,
        "paper": v.paper,
        "records": v.records,
        "perspectives": scoring.PERSPECTIVES,
        "summary": adoption.evidence_summary,
        "form": form,
    }
    if form.errors:
        return render_invalid_form(
            request, "sessions/record.html", context, form_id="afspraken", status_code=422
        )
    return render(request, "sessions/record.html", context)


@router.post("/sessies/{session_id:int}/afspraken", name="session:agreements")
def save_agreements(
    request: Request,
    session: SessionDep,
    member: CurrentMember,
    session_id: RecordId,
    form: FormDep,
) -> Response:
    """The room's afspraken and next steps, for the verslag (also once the session closed)."""
    require_cycle_runner(member)
    live = running.get_session(session, member.organisation, session_id)
    try:
        record.save_agreements(session, live, form.get("afspraken", ""))
    except InvalidInput as exc:
        state = FormState(values=dict(form), errors=exc.errors)
        return _record_page(request, session, member, session_id, state)
    commit_or_conflict(session)
    return see_other(f"/sessies/{live.id}/verslag#afspraken")


@router.get("/sessies/{session_id:int}/verslag.csv", name="session:record-csv")
def record_csv(session: SessionDep, member: CurrentMember, session_id: RecordId) -> Response:
    live = running.get_session(session, member.organisation, session_id)
    body = "".join(record.csv_rows(session, live))
    return Response(
        body, media_type="text/csv; charset=utf-8", headers=attachment(record.filename(live))
    )


# The verslag as a document: a page that fetches the file and shows its place in line while
# it waits (app/exports.py), like the report's.
RECORD_FILES = {
    "pdf": ("PDF", "application/pdf", record_files.verslag_pdf),
    "docx": (
        "Word-bestand",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        record_files.verslag_docx,
    ),
}


def _record_format(fmt: str) -> tuple:
    if fmt not in RECORD_FILES:
        raise NotFound("Dit formaat van het verslag bestaat niet.")
    return RECORD_FILES[fmt]


@router.get("/sessies/{session_id:int}/verslag/{fmt}", name="session:record-export")
def record_export(
    request: Request, session: SessionDep, member: CurrentMember, session_id: RecordId, fmt: str
) -> Response:
    label = _record_format(fmt)[0]
    live = running.get_session(session, member.organisation, session_id)
    record_url = f"/sessies/{live.id}/verslag"
    return export_page(
        request,
        label=f"Verslag als {label}",
        scope=live.title,
        crumbs=[(live.title, session_url(live.id)), ("Verslag", record_url)],
        back=("Terug naar het verslag", record_url),
        nav="themes",
    )


@router.get("/sessies/{session_id:int}/verslag/{fmt}/bestand", name="session:record-file")
def record_file(
    session: SessionDep, member: CurrentMember, session_id: RecordId, fmt: str
) -> Response:
    _label, media_type, make = _record_format(fmt)
    live = running.get_session(session, member.organisation, session_id)
    cycle = running.cycle_of(session, member.organisation, live)
    v = record_files.verslag(session, live, cycle, member.organisation.name)
    return Response(make(v), media_type=media_type, headers=attachment(record.filename(live, fmt)))
