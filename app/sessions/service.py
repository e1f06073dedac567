"""Live sessions: preparing rounds, running them, joining by code, proposals and votes.

Every vote is checked and written in one transaction that first locks the participant's row
(SQLite: the request already holds the write lock, BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR
UPDATE). Two votes of one participant therefore never count their allowance at the same time,
so many phones voting at once can never exceed it; votes of different participants do not wait
for each other on PostgreSQL.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import bindparam, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import joinedload, selectinload
from sqlmodel import Session, col, delete, func, select

from app import throttle
from app.choices import Perspective
from app.cycles import service as cycles_service
from app.cycles.models import Cycle
from app.errors import AppError, Conflict, InvalidInput, NotFound
from app.organisations.models import Organisation
from app.results import service as results_service
from app.secret_hashing import digest, new_secret, normalise_code, readable_code
from app.sessions.models import (
    Adoption,
    JoinAttempt,
    LiveSession,
    LiveSessionCreate,
    Participant,
    Round,
    RoundCreate,
    RoundItem,
    RoundKind,
    RoundStatus,
    SessionStatus,
    Vote,
    parse_criteria,
)
from app.sessions.notify import changed
from app.tables import utc_now
from app.text import clean_value

# Join codes: readable (app/secret_hashing.py), typed in groups of five (HK7P3-MXR4Q).
CODE_LENGTH = 10  # 25^10, about 1e14 codes
CODE_VALID_AFTER_SESSION = timedelta(days=2)
WRONG_CODES_PER_ADDRESS = 20
THROTTLE_WINDOW = timedelta(minutes=15)
KEY_MAX = 80


class TooManyCodes(AppError):
    status_code = 429
    title = "Even geduld"


class Refused(AppError):
    """A vote or proposal that is not taken: nothing changed. 409: the state of the round
    (closed, allowance used up); 422 (InvalidInput) is for input that can never be right."""

    status_code = 409
    title = "Niet opgeslagen"


# Join codes


def new_join_code() -> str:
    return readable_code(CODE_LENGTH)


def _expiry(held_on: date) -> datetime:
    end = datetime.combine(held_on, time(23, 59), tzinfo=UTC)
    try:
        return end + CODE_VALID_AFTER_SESSION
    except OverflowError:  # a date stored before dates had a range (9999-12-31)
        return datetime.max.replace(tzinfo=UTC)


# Sessions


def list_sessions(session: Session, cycle: Cycle) -> Sequence[LiveSession]:
    """The cycle's sessions with their rounds (to show what still waits to be adopted)."""
    return session.exec(
        select(LiveSession)
        .where(LiveSession.cycle_id == cycle.id)
        .options(selectinload(LiveSession.rounds))  # type: ignore[arg-type]
        .order_by(col(LiveSession.held_on).desc(), col(LiveSession.id).desc())
    ).all()


# Built once: the control screen asks it every second (building a statement costs more than
# running it).
_SESSION = (
    cycles_service.in_organisation(
        select(LiveSession), LiveSession.cycle_id, cycles_service.ORGANISATION_ID
    )
    .where(LiveSession.id == bindparam("session_id"))
    .options(joinedload(LiveSession.rounds))  # type: ignore[arg-type]
)


def get_session(session: Session, organisation: Organisation, session_id: int) -> LiveSession:
    found = (
        session.exec(
            _SESSION, params={"session_id": session_id, "organisation_id": organisation.id}
        )
        .unique()
        .one_or_none()
    )
    if found is None:
        raise NotFound("Deze sessie bestaat niet (meer).")
    return found


def create_session(session: Session, cycle: Cycle, data: LiveSessionCreate) -> LiveSession:
    cycles_service.ensure_open(session, cycle.id)  # type: ignore[arg-type]
    live = LiveSession.model_validate(
        data,
        update={
            "cycle_id": cycle.id,
            "join_code": new_join_code(),
            "code_expires_at": _expiry(data.held_on),
        },
    )
    session.add(live)
    session.flush()
    return live


def update_session(session: Session, live: LiveSession, data: LiveSessionCreate) -> LiveSession:
    cycles_service.ensure_open(session, live.cycle_id)
    live.sqlmodel_update(data.model_dump())
    if not live.is_closed:
        live.code_expires_at = _expiry(live.held_on)
    session.flush()
    changed(session, live.id)  # type: ignore[arg-type]
    return live


def delete_session(session: Session, live: LiveSession) -> None:
    cycles_service.ensure_open(session, live.cycle_id)
    adopted = session.exec(
        select(Adoption.id)
        .join(Round, col(Round.id) == Adoption.round_id)
        .where(Round.session_id == live.id)
        .limit(1)
    ).first()
    if adopted is not None:
        raise Conflict(
            "Uit deze sessie is al iets overgenomen in de cyclus; het verslag blijft daarom "
            "bewaard. Sluit de sessie in plaats van haar te verwijderen."
        )
    session.delete(live)
    session.flush()


def renew_code(session: Session, live: LiveSession) -> LiveSession:
    """A new code, valid until two days after the session: nobody new joins with the old one,
    and who joined keeps their place and their votes (`joined_with`)."""
    live.join_code = new_join_code()
    live.code_expires_at = max(_expiry(live.held_on), utc_now() + CODE_VALID_AFTER_SESSION)
    session.add(live)
    session.flush()
    return live


def close_session(session: Session, live: LiveSession) -> LiveSession:
    for round_ in live.rounds:
        if round_.status in (RoundStatus.OPEN, RoundStatus.PAUSED):
            round_.status, round_.closed_at = RoundStatus.CLOSED, utc_now()
            session.add(round_)
    live.status, live.closed_at = SessionStatus.CLOSED, utc_now()
    session.add(live)
    session.flush()
    changed(session, live.id)  # type: ignore[arg-type]
    return live


def cycle_of(session: Session, organisation: Organisation, live: LiveSession) -> Cycle:
    """The session's cycle, with its theme and steps."""
    return cycles_service.get_cycle(session, organisation, live.cycle_id)


# Rounds


def get_round(session: Session, organisation: Organisation, round_id: int) -> Round:
    found = session.exec(
        cycles_service.in_organisation(
            select(Round).join(LiveSession, col(LiveSession.id) == Round.session_id),
            LiveSession.cycle_id,
            organisation,
        ).where(Round.id == round_id)
    ).first()
    if found is None:
        raise NotFound("Deze ronde bestaat niet (meer).")
    return found


def load_live(session: Session, live_id: int) -> LiveSession:
    """A session with its rounds, by id (for code that already checked who may see it)."""
    return session.exec(
        select(LiveSession)
        .where(LiveSession.id == live_id)
        .options(selectinload(LiveSession.rounds))  # type: ignore[arg-type]
    ).one()


def session_of_round(session: Session, round_: Round) -> LiveSession:
    return load_live(session, round_.session_id)


def list_rounds(session: Session, live: LiveSession) -> Sequence[Round]:
    return session.exec(
        select(Round).where(Round.session_id == live.id).order_by(Round.position, Round.id)
    ).all()


def _check_source(session: Session, live_id: int, data: RoundCreate, round_id: int | None) -> None:
    if data.source_round_id is None:
        return
    source = session.get(Round, data.source_round_id)
    if source is None or source.session_id != live_id or source.id == round_id:
        raise InvalidInput({"source_round_id": "Kies een andere ronde van deze sessie."})


def _not_closed(session: Session, live: LiveSession) -> None:
    cycles_service.ensure_open(session, live.cycle_id)
    if live.is_closed:
        raise Conflict("Deze sessie is afgelopen; haar rondes veranderen niet meer.")


def create_round(session: Session, live: LiveSession, data: RoundCreate) -> Round:
    _not_closed(session, live)
    _check_source(session, live.id, data, None)  # type: ignore[arg-type]
    last = session.exec(select(func.max(Round.position)).where(Round.session_id == live.id)).one()
    round_ = Round.model_validate(data, update={"session_id": live.id, "position": (last or 0) + 1})
    session.add(round_)
    session.flush()
    changed(session, live.id)  # type: ignore[arg-type]
    return round_


def update_round(session: Session, round_: Round, data: RoundCreate) -> Round:
    live = session_of_round(session, round_)
    _not_closed(session, live)
    _check_source(session, live.id, data, round_.id)  # type: ignore[arg-type]
    if round_.status is not RoundStatus.PREPARED and data.kind is not round_.kind:
        raise InvalidInput({"kind": "Deze ronde is al gestart; haar werkvorm verandert niet meer."})
    round_.sqlmodel_update(data.model_dump())
    session.flush()
    changed(session, live.id)  # type: ignore[arg-type]
    return round_


def delete_round(session: Session, round_: Round) -> None:
    live = session_of_round(session, round_)
    _not_closed(session, live)
    if session.exec(select(Vote.id).where(Vote.round_id == round_.id).limit(1)).first():
        raise Conflict(
            "In deze ronde is al gestemd. Sluit de ronde; dan blijft ze in het verslag staan."
        )
    session.delete(round_)
    session.flush()
    for position, other in enumerate(list_rounds(session, live), start=1):
        other.position = position
    session.flush()
    changed(session, live.id)  # type: ignore[arg-type]


def move_round(session: Session, round_: Round, up: bool) -> Round:
    live = session_of_round(session, round_)
    _not_closed(session, live)
    ordered = list(list_rounds(session, live))
    index = next(i for i, r in enumerate(ordered) if r.id == round_.id)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, r in enumerate(ordered, start=1):
        r.position = position
    session.flush()
    changed(session, live.id)  # type: ignore[arg-type]
    return round_


def _copy_items(session: Session, round_: Round) -> None:
    """A voting round without items of its own takes the visible proposals of its source
    round; a cluster of merged duplicates becomes one choice."""
    if round_.source_round_id is None or items_of(session, round_):
        return
    source = session.get_one(Round, round_.source_round_id)
    for number, item in enumerate(
        [i for i in items_of(session, source) if not i.hidden and i.merged_into_id is None],
        start=1,
    ):
        session.add(
            RoundItem(
                round_id=round_.id,  # type: ignore[arg-type]
                number=number,
                text=item.text,
                perspective=item.perspective,
                result_id=item.result_id,
            )
        )
    session.flush()


def start_round(session: Session, round_: Round) -> Round:
    """Open a round; another round that was open is paused (one round at a time)."""
    live = session_of_round(session, round_)
    _not_closed(session, live)
    if round_.status is RoundStatus.CLOSED:
        raise Conflict("Deze ronde is gesloten. Maak een nieuwe ronde om opnieuw te stemmen.")
    _copy_items(session, round_)
    if round_.kind not in (RoundKind.INPUT, RoundKind.TERM) and not items_of(session, round_):
        raise Conflict(
            "Deze ronde heeft nog niets om over te stemmen. Voeg keuzes toe of kies een "
            "inbrengronde waaruit ze komen."
        )
    for other in live.rounds:
        if other.id != round_.id and other.status is RoundStatus.OPEN:
            other.status = RoundStatus.PAUSED
            session.add(other)
    round_.status = RoundStatus.OPEN
    round_.started_at = round_.started_at or utc_now()
    live.status = SessionStatus.RUNNING
    session.add_all([round_, live])
    session.flush()
    changed(session, live.id)  # type: ignore[arg-type]
    return round_


def pause_round(session: Session, round_: Round) -> Round:
    if round_.status is not RoundStatus.OPEN:
        raise Conflict("Alleen een open ronde kan worden gepauzeerd.")
    round_.status = RoundStatus.PAUSED
    session.add(round_)
    session.flush()
    changed(session, round_.session_id)
    return round_


def close_round(session: Session, round_: Round) -> Round:
    if round_.status is RoundStatus.CLOSED:
        return round_
    round_.status, round_.closed_at = RoundStatus.CLOSED, utc_now()
    session.add(round_)
    session.flush()
    changed(session, round_.session_id)
    return round_


def set_results_hidden(session: Session, round_: Round, hidden: bool) -> Round:
    round_.results_hidden = hidden
    session.add(round_)
    session.flush()
    changed(session, round_.session_id)
    return round_


def current_round(live: LiveSession) -> Round | None:
    """What the projector and the phones show: the open or paused round, otherwise the round
    closed last (so its results stay up), otherwise none. `live.rounds` must be loaded."""
    running = [r for r in live.rounds if r.status in (RoundStatus.OPEN, RoundStatus.PAUSED)]
    if running:
        return max(running, key=lambda r: r.started_at or utc_now())
    closed = [r for r in live.rounds if r.status is RoundStatus.CLOSED and r.closed_at]
    return max(closed, key=lambda r: r.closed_at) if closed else None  # type: ignore[arg-type,return-value]


def round_state(live: LiveSession) -> str:
    """What a phone needs to know to refresh its page: which round, in which state."""
    round_ = current_round(live)
    if round_ is None:
        return f"geen:{live.status.value}"
    return f"{round_.id}:{round_.status.value}:{live.status.value}"


# Items


# Built once: every count of a round on the live screens starts from its items.
_ITEMS = (
    select(RoundItem).where(RoundItem.round_id == bindparam("round_id")).order_by(RoundItem.number)
)


def items_of(session: Session, round_: Round) -> list[RoundItem]:
    """The round's items in order, hidden and merged ones included."""
    return list(session.exec(_ITEMS, params={"round_id": round_.id}).all())


def get_item(session: Session, organisation: Organisation, item_id: int) -> RoundItem:
    found = session.exec(
        cycles_service.in_organisation(
            select(RoundItem)
            .join(Round, col(Round.id) == RoundItem.round_id)
            .join(LiveSession, col(LiveSession.id) == Round.session_id),
            LiveSession.cycle_id,
            organisation,
        ).where(RoundItem.id == item_id)
    ).first()
    if found is None:
        raise NotFound("Dit voorstel bestaat niet (meer).")
    return found


def item_by_number(session: Session, round_id: int, number: int) -> RoundItem | None:
    """A round's item by its number (its code on the page and on paper)."""
    return session.exec(
        select(RoundItem).where(RoundItem.round_id == round_id, RoundItem.number == number)
    ).first()


def _next_number(session: Session, round_id: int) -> int:
    last = session.exec(select(func.max(RoundItem.number)).where(RoundItem.round_id == round_id))
    return (last.one() or 0) + 1


def _clean_text(value: str, field: str = "text") -> str:
    """A proposal or choice as the projector shows it: through the one text cleaner (no NUL,
    escape or direction override from a phone), then on one line."""
    try:
        value = " ".join((clean_value(value, multiline=True) or "").split())
    except ValueError as exc:
        raise InvalidInput({field: str(exc)}) from None
    if not value:
        raise InvalidInput({field: "Schrijf eerst iets op."})
    if len(value) > 1000:
        raise InvalidInput({field: "Houd het korter: hoogstens 1000 tekens."})
    return value


def add_item(session: Session, round_: Round, text_: str) -> RoundItem:
    """A choice added by the facilitator (before or during the round)."""
    live = session_of_round(session, round_)
    _not_closed(session, live)
    if round_.status is RoundStatus.CLOSED:
        raise Conflict("Deze ronde is gesloten.")
    item = RoundItem(
        round_id=round_.id,  # type: ignore[arg-type]
        number=_next_number(session, round_.id),  # type: ignore[arg-type]
        text=_clean_text(text_),
    )
    session.add(item)
    session.flush()
    changed(session, live.id)  # type: ignore[arg-type]
    return item


def items_from_results(session: Session, round_: Round) -> list[RoundItem]:
    """The cycle's results as the choices of a priority round (adopting reorders them)."""
    live = session_of_round(session, round_)
    _not_closed(session, live)
    taken = {i.result_id for i in items_of(session, round_)}
    cycle = session.get_one(Cycle, live.cycle_id)
    added = []
    for result in results_service.list_results(session, cycle):
        if result.id in taken:
            continue
        item = RoundItem(
            round_id=round_.id,  # type: ignore[arg-type]
            number=_next_number(session, round_.id),  # type: ignore[arg-type]
            text=f"{result.code}. {result.text}" if result.code else result.text,
            result_id=result.id,
        )
        session.add(item)
        session.flush()
        added.append(item)
    changed(session, live.id)  # type: ignore[arg-type]
    return added


def edit_item(session: Session, item: RoundItem, text_: str) -> RoundItem:
    item.text = _clean_text(text_)
    session.add(item)
    session.flush()
    _item_changed(session, item)
    return item


def set_item_hidden(session: Session, item: RoundItem, hidden: bool) -> RoundItem:
    item.hidden = hidden
    session.add(item)
    session.flush()
    _item_changed(session, item)
    return item


def merge_item(session: Session, item: RoundItem, into: RoundItem) -> RoundItem:
    """Merge a duplicate into another proposal of the same round (a cluster); merging into a
    proposal that was itself merged joins that one's cluster."""
    if into.round_id != item.round_id or into.id == item.id:
        raise InvalidInput({"into": "Kies een ander voorstel uit dezelfde ronde."})
    while into.merged_into_id is not None:
        into = session.get_one(RoundItem, into.merged_into_id)
    if into.id == item.id:
        raise InvalidInput({"into": "Dit voorstel hoort al bij dat cluster."})
    for member in session.exec(select(RoundItem).where(RoundItem.merged_into_id == item.id)):
        member.merged_into_id = into.id
        session.add(member)
    item.merged_into_id = into.id
    session.add(item)
    session.flush()
    _item_changed(session, item)
    return item


def unmerge_item(session: Session, item: RoundItem) -> RoundItem:
    item.merged_into_id = None
    session.add(item)
    session.flush()
    _item_changed(session, item)
    return item


def _item_changed(session: Session, item: RoundItem) -> None:
    round_ = session.get_one(Round, item.round_id)
    changed(session, round_.session_id)


# Joining


class WrongCode(NotFound):
    def __init__(self) -> None:
        super().__init__(
            "Deze code kennen we niet. Controleer de code op het scherm (tien tekens, "
            "bijvoorbeeld HK7P3-MXR4Q) of scan de QR-code."
        )


def _too_many_codes() -> TooManyCodes:
    minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
    return TooManyCodes(
        f"Er zijn vanaf dit netwerk te veel verkeerde codes geprobeerd. Probeer het over "
        f"{minutes} minuten opnieuw, of vraag de procesbegeleider om de QR-code."
    )


def count_wrong_code(session: Session, address: str) -> None:
    """A wrong code typed from `address`, recorded in a write of its own (kept although the
    request fails); TooManyCodes, with nothing recorded, past the address's limit. Exact under
    parallel guesses (see app/throttle.py)."""
    address = address[:64]
    throttle.reserve(
        session,
        JoinAttempt,
        {"address": address},
        [throttle.Limit(WRONG_CODES_PER_ADDRESS, [JoinAttempt.address == address])],
        THROTTLE_WINDOW,
        _too_many_codes,
    )


def find_by_code(
    session: Session, typed: str, address: str | None = None, *, rounds: bool = True
) -> LiveSession:
    """The session behind a code, for joining. A right code is never refused, however many
    wrong ones came from its network address (a room full of phones shares one), so what
    stops guessing is the code itself: ten characters of 25 (about 10**14 codes) that expire.
    Wrong codes from `address` count against it (`count_wrong_code`); past its limit they are
    answered with TooManyCodes instead of WrongCode."""
    code = normalise_code(typed)
    query = select(LiveSession).where(LiveSession.join_code == code)
    if rounds:
        query = query.options(selectinload(LiveSession.rounds))  # type: ignore[arg-type]
    live = session.exec(query).first() if len(code) == CODE_LENGTH else None
    if live is None:
        if address is not None:
            count_wrong_code(session, address)
        raise WrongCode()
    check_open(live)
    return live


def check_open(live: LiveSession) -> None:
    """Refuse a session that ended or whose code expired (Conflict, in Dutch)."""
    if live.is_closed:
        raise Conflict("Deze sessie is afgelopen. Bedankt voor het meedoen!")
    if live.code_expires_at < utc_now():
        raise Conflict(
            "Deze code is verlopen. Vraag de procesbegeleider om de nieuwe code van de sessie."
        )


def joined_with(
    session: Session, token: str, *, rounds: bool = True
) -> tuple[LiveSession, Participant] | None:
    """The session a participant's cookie belongs to, and the participant, whatever code the
    session has now: a new code lets nobody new in with the old one, and ends nobody's place."""
    participant = session.exec(
        select(Participant).where(Participant.token_hash == digest(f"participant:{token}"))
    ).first()
    if participant is None:
        return None
    query = select(LiveSession).where(LiveSession.id == participant.session_id)
    if rounds:
        query = query.options(selectinload(LiveSession.rounds))  # type: ignore[arg-type]
    return session.exec(query).one(), participant


def join(
    session: Session, live: LiveSession, perspective: Perspective, display_name: str | None
) -> tuple[str, Participant]:
    """A new participant; returns the cookie token (only its keyed hash is stored). A name
    with control characters is refused (InvalidInput on `display_name`)."""
    try:
        name = clean_value(display_name or "", multiline=False)
    except ValueError as exc:
        raise InvalidInput({"display_name": str(exc)}) from None
    name = " ".join((name or "").split())[:60] or None
    token = new_secret()
    participant = Participant(
        session_id=live.id,  # type: ignore[arg-type]
        token_hash=digest(f"participant:{token}"),
        display_name=name,
        perspective=perspective,
    )
    session.add(participant)
    session.flush()
    changed(session, live.id)  # type: ignore[arg-type]
    return token, participant


def participant_of(session: Session, live: LiveSession, token: str | None) -> Participant | None:
    """The participant behind a cookie, only if they joined this very session."""
    if not token:
        return None
    return session.exec(
        select(Participant).where(
            Participant.token_hash == digest(f"participant:{token}"),
            Participant.session_id == live.id,
        )
    ).first()


def participant_csrf(token: str) -> str:
    """The token the participant's forms carry, derived from their cookie by the server's key."""
    return digest(f"participant-form:{token}")


# Proposals and votes


@dataclass(frozen=True)
class Receipt:
    """The confirmation a phone gets; a resend with the same key gets the same one."""

    key: str
    round_id: int
    item_id: int | None
    used: int  # dots (or ballots) of this participant in the round
    allowance: int
    repeated: bool = False


def check_key(key: str | None) -> str:
    key = (key or "").strip()
    if not (8 <= len(key) <= KEY_MAX) or not all(ch.isalnum() or ch in "-_:" for ch in key):
        raise InvalidInput(
            {"sleutel": "Deze stem mist haar kenmerk. Laad de pagina opnieuw en stem nog eens."}
        )
    return key


def _lock(session: Session, participant: Participant) -> Participant:
    """Lock the participant's row for the rest of the transaction (PostgreSQL); on SQLite the
    transaction already holds the database's write lock (BEGIN IMMEDIATE)."""
    return session.exec(
        select(Participant).where(Participant.id == participant.id).with_for_update()
    ).one()


def _open_round(session: Session, participant: Participant, round_id: int) -> Round:
    round_ = session.get(Round, round_id)
    if round_ is None or round_.session_id != participant.session_id:
        raise NotFound("Deze ronde hoort niet bij jouw sessie.")
    if round_.status is RoundStatus.PAUSED:
        raise Refused("De ronde staat even stil. Wacht tot de procesbegeleider haar hervat.")
    if round_.status is not RoundStatus.OPEN:
        raise Refused("Deze ronde is niet (meer) open. Er is niets opgeslagen.")
    return round_


def _used(session: Session, participant: Participant, round_: Round) -> int:
    return session.exec(
        select(func.count()).where(
            Vote.participant_id == participant.id, Vote.round_id == round_.id
        )
    ).one()


def _earlier(session: Session, participant: Participant, key: str) -> Vote | None:
    return session.exec(
        select(Vote).where(Vote.participant_id == participant.id, Vote.key == key)
    ).first()


def allowance(round_: Round, items: int) -> int:
    if round_.kind is RoundKind.DOTS:
        return round_.dots
    if round_.kind is RoundKind.RANKING:
        return items
    return items * len(parse_criteria(round_.criteria or "")) if round_.criteria else 0


def cast_dot(
    session: Session,
    participant: Participant,
    round_id: int,
    item_id: int,
    key: str,
    *,
    paper: bool = False,
) -> Receipt:
    """One dot on one item. Refused, with nothing changed, when the round is not open, the
    item is not one of its choices, or the participant's dots are used up."""
    key = check_key(key)
    participant = _lock(session, participant)
    earlier = _earlier(session, participant, key)
    if earlier is not None:
        round_ = session.get_one(Round, earlier.round_id)
        return Receipt(
            key,
            round_.id,
            earlier.item_id,
            _used(session, participant, round_),  # type: ignore[arg-type]
            round_.dots,
            repeated=True,
        )
    round_ = _open_round(session, participant, round_id)
    if round_.kind is not RoundKind.DOTS:
        raise InvalidInput({"item": "In deze ronde plak je geen stippen."})
    item = session.get(RoundItem, item_id)
    if item is None or item.round_id != round_.id or item.hidden or item.merged_into_id:
        raise InvalidInput({"item": "Dit is geen keuze in deze ronde. Er is niets opgeslagen."})
    used = _used(session, participant, round_)
    if used >= round_.dots:
        raise Refused(f"Je hebt al je {round_.dots} stippen geplakt. Er is niets meer opgeslagen.")
    if not round_.several_per_item:
        on_item = session.exec(
            select(Vote.id).where(Vote.participant_id == participant.id, Vote.item_id == item.id)
        ).first()
        if on_item is not None:
            raise Refused(
                "Je hebt al een stip op deze keuze; in deze ronde krijgt elke keuze hoogstens "
                "één stip van jou."
            )
    _insert_votes(
        session,
        [
            Vote(
                round_id=round_.id,  # type: ignore[arg-type]
                item_id=item.id,  # type: ignore[arg-type]
                participant_id=participant.id,  # type: ignore[arg-type]
                key=key,
                paper=paper,
            )
        ],
    )
    changed(session, participant.session_id)
    return Receipt(key, round_.id, item.id, used + 1, round_.dots)  # type: ignore[arg-type]


def _replace_votes(
    session: Session, participant: Participant, round_: Round, votes: list[Vote]
) -> None:
    """A ranking or a set of scores is sent whole: it replaces what the participant sent
    before in this round."""
    session.exec(
        delete(Vote).where(
            col(Vote.participant_id) == participant.id, col(Vote.round_id) == round_.id
        )
    )
    _insert_votes(session, votes)


def _insert_votes(session: Session, votes: list[Vote]) -> None:
    try:
        with session.begin_nested():
            session.add_all(votes)
            session.flush()
    except sa_exc.IntegrityError:
        # Only a resend racing its own original can get here (the participant's row is
        # locked, so that original has committed): answer as for any other resend.
        raise Refused("Deze stem was al ontvangen.") from None


def remove_dot(session: Session, participant: Participant, round_id: int, item_id: int) -> int:
    """Take back one of one's own dots from an item of the round named, while that round is
    open. A dot in any other round (one closed since, whose result stands) is never touched."""
    participant = _lock(session, participant)
    round_ = _open_round(session, participant, round_id)
    if round_.kind is not RoundKind.DOTS:
        raise Refused("In deze ronde plak je geen stippen. Er is niets veranderd.")
    vote = session.exec(
        select(Vote)
        .where(
            Vote.participant_id == participant.id,
            Vote.round_id == round_.id,
            Vote.item_id == item_id,
        )
        .order_by(col(Vote.id).desc())
    ).first()
    if vote is None:
        raise Refused("In deze ronde staat op deze keuze geen stip van jou. Er is niets veranderd.")
    session.delete(vote)
    session.flush()
    changed(session, participant.session_id)
    return _used(session, participant, round_)


def _choices(session: Session, round_: Round) -> dict[int, RoundItem]:
    return {
        i.id: i  # type: ignore[misc]
        for i in items_of(session, round_)
        if not i.hidden and i.merged_into_id is None
    }


@dataclass(frozen=True)
class _Mark:
    """One line of a whole ballot: a choice, and its place or its score on a criterion."""

    item_id: int
    value: int
    criterion: int | None = None


def _submit_whole(
    session: Session,
    participant: Participant,
    round_id: int,
    key: str,
    *,
    kind: RoundKind,
    wrong_kind: dict[str, str],
    first: int,
    marks: Callable[[Round, dict[int, RoundItem]], list[_Mark]],
    paper: bool,
) -> Receipt:
    """A ranking or a set of scores is sent whole and replaces the participant's earlier one.
    Its votes are keyed `{key}:{n}` from `first` on, so a resend is known by its first key and
    gets the same receipt. `marks` checks the ballot against the round's choices."""
    key = check_key(key)
    participant = _lock(session, participant)
    if (earlier := _earlier(session, participant, f"{key}:{first}")) is not None:
        return Receipt(key, earlier.round_id, None, 1, 1, repeated=True)
    round_ = _open_round(session, participant, round_id)
    if round_.kind is not kind:
        raise InvalidInput(wrong_kind)
    _replace_votes(
        session,
        participant,
        round_,
        [
            Vote(
                round_id=round_.id,  # type: ignore[arg-type]
                item_id=mark.item_id,
                participant_id=participant.id,  # type: ignore[arg-type]
                key=f"{key}:{n}",
                value=mark.value,
                criterion=mark.criterion,
                paper=paper,
            )
            for n, mark in enumerate(marks(round_, _choices(session, round_)), start=first)
        ],
    )
    changed(session, participant.session_id)
    return Receipt(key, round_.id, None, 1, 1)  # type: ignore[arg-type]


def submit_ranking(
    session: Session,
    participant: Participant,
    round_id: int,
    order: list[int],
    key: str,
    *,
    paper: bool = False,
) -> Receipt:
    """A participant's order of the choices (first is best); a new order replaces theirs."""

    def places(round_: Round, choices: dict[int, RoundItem]) -> list[_Mark]:
        if len(set(order)) != len(order) or not order or any(i not in choices for i in order):
            raise InvalidInput(
                {
                    "volgorde": "Zet elke keuze hoogstens één keer in de volgorde, alleen "
                    "keuzes uit deze ronde."
                }
            )
        return [_Mark(item_id, place) for place, item_id in enumerate(order, start=1)]

    return _submit_whole(
        session,
        participant,
        round_id,
        key,
        kind=RoundKind.RANKING,
        wrong_kind={"volgorde": "In deze ronde rangschik je niet."},
        first=1,
        marks=places,
        paper=paper,
    )


def submit_scores(
    session: Session,
    participant: Participant,
    round_id: int,
    scores: dict[tuple[int, int], int],
    key: str,
    *,
    paper: bool = False,
) -> Receipt:
    """Scores 1-5 per (choice, criterion); a new set replaces the participant's earlier one."""

    def checked(round_: Round, choices: dict[int, RoundItem]) -> list[_Mark]:
        criteria = parse_criteria(round_.criteria or "")
        for (item_id, criterion), value in scores.items():
            if item_id not in choices or not 0 <= criterion < len(criteria):
                raise InvalidInput({"scores": "Een score hoort niet bij een keuze van deze ronde."})
            if not 1 <= value <= 5:
                raise InvalidInput({"scores": "Geef elke score van 1 tot en met 5."})
        if not scores:
            raise InvalidInput({"scores": "Geef minstens één score."})
        return [
            _Mark(item_id, value, criterion)
            for (item_id, criterion), value in sorted(scores.items())
        ]

    return _submit_whole(
        session,
        participant,
        round_id,
        key,
        kind=RoundKind.SCORING,
        wrong_kind={"scores": "In deze ronde geef je geen scores."},
        first=0,
        marks=checked,
        paper=paper,
    )


def submit_proposal(
    session: Session, participant: Participant, round_id: int, text_: str, key: str
) -> Receipt:
    """A proposal (inbreng) or what a term means to the participant (begrip)."""
    key = check_key(key)
    participant = _lock(session, participant)
    earlier = session.exec(
        select(RoundItem).where(RoundItem.participant_id == participant.id, RoundItem.key == key)
    ).first()
    if earlier is not None:
        return Receipt(key, earlier.round_id, earlier.id, 0, 0, repeated=True)
    round_ = _open_round(session, participant, round_id)
    if not round_.collects_text:
        raise InvalidInput({"text": "In deze ronde stuur je geen tekst in."})
    sent = session.exec(
        select(func.count()).where(
            RoundItem.participant_id == participant.id, RoundItem.round_id == round_.id
        )
    ).one()
    if sent >= round_.proposals_per_participant:
        raise Refused(
            f"Je hebt al {sent} {'voorstel' if sent == 1 else 'voorstellen'} ingestuurd; meer "
            "kan in deze ronde niet."
        )
    item = RoundItem(
        round_id=round_.id,  # type: ignore[arg-type]
        number=_next_number(session, round_.id),  # type: ignore[arg-type]
        text=_clean_text(text_),
        participant_id=participant.id,
        perspective=participant.perspective,
        key=key,
    )
    session.add(item)
    session.flush()
    changed(session, participant.session_id)
    return Receipt(key, round_.id, item.id, 0, 0)  # type: ignore[arg-type]


def own_votes(session: Session, participant: Participant, round_: Round) -> list[Vote]:
    return list(
        session.exec(
            select(Vote)
            .where(Vote.participant_id == participant.id, Vote.round_id == round_.id)
            .order_by(Vote.id)
        ).all()
    )


def own_proposals(session: Session, participant: Participant, round_: Round) -> list[RoundItem]:
    return list(
        session.exec(
            select(RoundItem)
            .where(RoundItem.participant_id == participant.id, RoundItem.round_id == round_.id)
            .order_by(RoundItem.number)
        ).all()
    )


# Paper ballots


def paper_participant(session: Session, round_: Round, perspective: Perspective) -> Participant:
    """A paper ballot typed in by the facilitator counts as a participant of its own."""
    ballot = Participant(
        session_id=round_.session_id,
        perspective=perspective,
        paper=True,
        display_name="Papier",
    )
    session.add(ballot)
    session.flush()
    return ballot


def paper_ballot(
    session: Session, round_: Round, perspective: Perspective, dots: dict[int, int]
) -> Participant:
    """One paper ballot of a dot-voting round, under the same rules as a phone (allowance,
    one per item unless allowed)."""
    ballot = paper_participant(session, round_, perspective)
    total = 0
    for item_id, count in dots.items():
        for n in range(count):
            cast_dot(session, ballot, round_.id, item_id, f"papier-{item_id}-{n}", paper=True)  # type: ignore[arg-type]
            total += 1
    if total == 0:
        raise InvalidInput({"__all__": "Vul op het papieren stembiljet minstens één stip in."})
    return ballot


def paper_ranking(
    session: Session, round_: Round, perspective: Perspective, order: list[int]
) -> Participant:
    """One paper ballot of a ranking round."""
    ballot = paper_participant(session, round_, perspective)
    submit_ranking(session, ballot, round_.id, order, "papier-rangorde", paper=True)  # type: ignore[arg-type]
    return ballot


def paper_ballots(session: Session, round_: Round) -> int:
    """How many paper ballots were typed in for this round."""
    return session.exec(
        select(func.count(func.distinct(Vote.participant_id))).where(
            Vote.round_id == round_.id, col(Vote.paper).is_(True)
        )
    ).one()


# Live updates


def stamp(session: Session, session_id: int) -> tuple:
    """Something that changes whenever anything a live screen shows changes: the rounds, the
    proposals, the votes and who joined (cheap: indexed maxima and counts)."""
    return tuple(
        session.execute(
            text(
                "SELECT "
                "(SELECT version FROM live_session WHERE id = :s), "
                "(SELECT count(*) || ':' || coalesce(sum(r.version + r.position), 0) || ':' || "
                " coalesce(sum(CASE WHEN r.status = 'open' THEN r.id ELSE 0 END), 0) || ':' || "
                " coalesce(sum(CASE WHEN r.status = 'closed' THEN r.id ELSE 0 END), 0) || ':' || "
                " coalesce(sum(CASE WHEN r.status = 'paused' THEN r.id ELSE 0 END), 0) || ':' || "
                " coalesce(sum(CASE WHEN r.results_hidden THEN r.id ELSE 0 END), 0) || ':' || "
                " coalesce(sum(CASE WHEN r.adopted_at IS NULL THEN 0 ELSE r.id END), 0) "
                " FROM round r WHERE r.session_id = :s), "
                "(SELECT count(*) FROM session_participant p WHERE p.session_id = :s), "
                "(SELECT coalesce(max(v.id), 0) || ':' || count(*) FROM session_vote v "
                " JOIN round r ON r.id = v.round_id WHERE r.session_id = :s), "
                "(SELECT count(*) || ':' || coalesce(max(i.id), 0) || ':' || "
                " coalesce(sum(CASE WHEN i.hidden THEN i.id ELSE 0 END), 0) || ':' || "
                " coalesce(sum(coalesce(i.merged_into_id, 0) * i.id), 0) || ':' || "
                " coalesce(sum(length(i.text)), 0) "
                " FROM round_item i JOIN round r ON r.id = i.round_id WHERE r.session_id = :s)"
            ),
            {"s": session_id},
        ).one()
    )
