"""Live sessions and their rounds: preparing, ordering, starting and closing them, the items
(proposals and choices) the facilitator adds, edits, hides and clusters, and the session's
live revision that the screens follow."""

from collections.abc import Sequence

from sqlalchemy import bindparam
from sqlalchemy.orm import joinedload, selectinload
from sqlmodel import Session, col, func, select

from app import tenancy
from app.cycles import service as cycles_service
from app.cycles.models import Cycle
from app.errors import Conflict, InvalidInput
from app.organisations.models import Organisation
from app.results import service as results_service
from app.sessions import timer
from app.sessions.joining import code_expiry, new_join_code
from app.sessions.models import (
    Adoption,
    LiveSession,
    LiveSessionCreate,
    Round,
    RoundCreate,
    RoundItem,
    RoundKind,
    RoundStatus,
    SessionStatus,
    Vote,
)
from app.tables import related, row_id, utc_now
from app.text import clean_value

# Sessions


def list_sessions(session: Session, cycle: Cycle) -> Sequence[LiveSession]:
    """The cycle's sessions with their rounds (to show what still waits to be adopted)."""
    return session.exec(
        select(LiveSession)
        .where(LiveSession.cycle_id == cycle.id)
        .options(selectinload(related(LiveSession.rounds)))
        .order_by(col(LiveSession.held_on).desc(), col(LiveSession.id).desc())
    ).all()


# Built once: the control screen asks it every second (building a statement costs more than
# running it).
def get_session(session: Session, organisation: Organisation, session_id: int) -> LiveSession:
    return tenancy.owned(
        session,
        LiveSession,
        organisation.id,
        session_id,
        "Deze sessie bestaat niet (meer).",
        joinedload(related(LiveSession.rounds)),
    )


def create_session(session: Session, cycle: Cycle, data: LiveSessionCreate) -> LiveSession:
    cycles_service.ensure_open(session, row_id(cycle))
    live = LiveSession.model_validate(
        data,
        update={
            "cycle_id": cycle.id,
            "join_code": new_join_code(),
            "code_expires_at": code_expiry(data.held_on),
        },
    )
    session.add(live)
    session.flush()
    return live


def update_session(session: Session, live: LiveSession, data: LiveSessionCreate) -> LiveSession:
    cycles_service.ensure_open(session, live.cycle_id)
    live.sqlmodel_update(data.model_dump())
    if not live.is_closed:
        live.code_expires_at = code_expiry(live.held_on)
    session.flush()
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


def close_session(session: Session, live: LiveSession) -> LiveSession:
    for round_ in live.rounds:
        if round_.status in (RoundStatus.OPEN, RoundStatus.PAUSED):
            round_.status, round_.closed_at = RoundStatus.CLOSED, utc_now()
            session.add(round_)
    live.status, live.closed_at = SessionStatus.CLOSED, utc_now()
    session.add(live)
    session.flush()
    return live


def cycle_of(session: Session, organisation: Organisation, live: LiveSession) -> Cycle:
    """The session's cycle, with its theme and steps."""
    return cycles_service.get_cycle(session, organisation, live.cycle_id)


# Rounds


def get_round(session: Session, organisation: Organisation, round_id: int) -> Round:
    return tenancy.owned(
        session, Round, organisation.id, round_id, "Deze ronde bestaat niet (meer)."
    )


def load_live(session: Session, live_id: int) -> LiveSession:
    """A session with its rounds, by id (for code that already checked who may see it)."""
    return session.exec(
        select(LiveSession)
        .where(LiveSession.id == live_id)
        .options(selectinload(related(LiveSession.rounds)))
    ).one()


def session_of_round(session: Session, round_: Round) -> LiveSession:
    return load_live(session, round_.session_id)


def list_rounds(session: Session, live: LiveSession) -> Sequence[Round]:
    return session.exec(
        select(Round)
        .where(Round.session_id == live.id)
        .order_by(col(Round.position), col(Round.id))
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
    _check_source(session, row_id(live), data, None)
    last = session.exec(select(func.max(Round.position)).where(Round.session_id == live.id)).one()
    round_ = Round.model_validate(data, update={"session_id": live.id, "position": (last or 0) + 1})
    session.add(round_)
    session.flush()
    return round_


def update_round(session: Session, round_: Round, data: RoundCreate) -> Round:
    live = session_of_round(session, round_)
    _not_closed(session, live)
    _check_source(session, row_id(live), data, round_.id)
    if round_.status is not RoundStatus.PREPARED and data.kind is not round_.kind:
        raise InvalidInput({"kind": "Deze ronde is al gestart; haar werkvorm verandert niet meer."})
    round_.sqlmodel_update(data.model_dump())
    if not round_.approve_first:  # no approval asked any more: what waited for it is shown
        for item in items_of(session, round_):
            if item.pending:
                item.pending = False
                session.add(item)
    session.flush()
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
    return round_


def _copy_items(session: Session, round_: Round) -> None:
    """A voting round without items of its own takes the visible proposals of its source
    round; a cluster of merged duplicates becomes one choice."""
    if round_.source_round_id is None or items_of(session, round_):
        return
    source = session.get_one(Round, round_.source_round_id)
    for number, item in enumerate(
        [
            i
            for i in items_of(session, source)
            if not i.hidden and not i.pending and i.merged_into_id is None
        ],
        start=1,
    ):
        session.add(
            RoundItem(
                round_id=row_id(round_),
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
    timer.start(round_, utc_now())
    live.status = SessionStatus.RUNNING
    session.add_all([round_, live])
    session.flush()
    return round_


def pause_round(session: Session, round_: Round) -> Round:
    if round_.status is not RoundStatus.OPEN:
        raise Conflict("Alleen een open ronde kan worden gepauzeerd.")
    round_.status = RoundStatus.PAUSED
    session.add(round_)
    session.flush()
    return round_


def close_round(session: Session, round_: Round) -> Round:
    if round_.status is RoundStatus.CLOSED:
        return round_
    round_.status, round_.closed_at = RoundStatus.CLOSED, utc_now()
    session.add(round_)
    session.flush()
    return round_


def set_results_hidden(session: Session, round_: Round, hidden: bool) -> Round:
    round_.results_hidden = hidden
    session.add(round_)
    session.flush()
    return round_


def current_round(live: LiveSession) -> Round | None:
    """What the projector and the phones show: the open or paused round, otherwise the round
    closed last (so its results stay up), otherwise none. `live.rounds` must be loaded."""
    running = [r for r in live.rounds if r.status in (RoundStatus.OPEN, RoundStatus.PAUSED)]
    if running:
        return max(running, key=lambda r: r.started_at or utc_now())
    closed = [
        (r.closed_at, r) for r in live.rounds if r.status is RoundStatus.CLOSED and r.closed_at
    ]
    return max(closed, key=lambda pair: pair[0])[1] if closed else None


def round_state(live: LiveSession) -> str:
    """What a phone needs to know to refresh its page: which round, in which state."""
    round_ = current_round(live)
    if round_ is None:
        return f"geen:{live.status.value}"
    return f"{round_.id}:{round_.status.value}:{live.status.value}"


# Items


# Built once: every count of a round on the live screens starts from its items.
_ITEMS = (
    select(RoundItem)
    .where(RoundItem.round_id == bindparam("round_id"))
    .order_by(col(RoundItem.number))
)


def items_of(session: Session, round_: Round) -> list[RoundItem]:
    """The round's items in order, hidden and merged ones included."""
    return list(session.exec(_ITEMS, params={"round_id": round_.id}).all())


def get_item(session: Session, organisation: Organisation, item_id: int) -> RoundItem:
    return tenancy.owned(
        session, RoundItem, organisation.id, item_id, "Dit voorstel bestaat niet (meer)."
    )


def item_by_number(session: Session, round_id: int, number: int) -> RoundItem | None:
    """A round's item by its number (its code on the page and on paper)."""
    return session.exec(
        select(RoundItem).where(RoundItem.round_id == round_id, RoundItem.number == number)
    ).first()


def next_number(session: Session, round_id: int) -> int:
    last = session.exec(select(func.max(RoundItem.number)).where(RoundItem.round_id == round_id))
    return (last.one() or 0) + 1


def clean_text(value: str, field: str = "text") -> str:
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
        round_id=row_id(round_),
        number=next_number(session, row_id(round_)),
        text=clean_text(text_),
    )
    session.add(item)
    session.flush()
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
            round_id=row_id(round_),
            number=next_number(session, row_id(round_)),
            text=f"{result.code}. {result.text}" if result.code else result.text,
            result_id=result.id,
        )
        session.add(item)
        session.flush()
        added.append(item)
    return added


def edit_item(session: Session, item: RoundItem, text_: str) -> RoundItem:
    text_ = clean_text(text_)
    if item.participant_id is not None and item.sent_text is None and text_ != item.text:
        item.sent_text = item.text  # the verslag keeps what the participant wrote
    item.text = text_
    session.add(item)
    session.flush()
    return item


def set_item_hidden(session: Session, item: RoundItem, hidden: bool) -> RoundItem:
    """Hide a proposal (or show it again); either is a decision, so it no longer waits for
    approval."""
    item.hidden = hidden
    item.pending = False
    session.add(item)
    session.flush()
    return item


def approve_item(session: Session, item: RoundItem) -> RoundItem:
    item.pending = False
    session.add(item)
    session.flush()
    return item


def chosen_items(session: Session, round_: Round, ids: list[int]) -> list[RoundItem]:
    """The round's items with these ids, in the round's order (ids of other rounds, or of
    nothing, are not among them)."""
    wanted = set(ids)
    return [i for i in items_of(session, round_) if i.id in wanted]


MODERATION = {
    "goedkeuren": approve_item,
    "verbergen": lambda session, item: set_item_hidden(session, item, True),
}


def moderate_items(session: Session, round_: Round, ids: list[int], action: str) -> int:
    """Approve or hide the chosen proposals at once; how many."""
    chosen = chosen_items(session, round_, ids)
    if not chosen:
        raise InvalidInput({"voorstel": "Kies eerst een of meer voorstellen."})
    for item in chosen:
        MODERATION[action](session, item)
    return len(chosen)


def cluster_items(
    session: Session, round_: Round, ids: list[int], target_id: int | None, text_: str | None
) -> RoundItem:
    """Cluster several proposals into one at once: the target (one of them) stays; without a
    target (None) the first of them takes the new text `text_`. The others are merged into
    it, with any duplicates already merged into them."""
    chosen = chosen_items(session, round_, ids)
    if len(chosen) < 2:
        raise InvalidInput({"voorstel": "Kies minstens twee voorstellen om samen te voegen."})
    if target_id is None and text_ is None:
        raise InvalidInput(
            {"doel": "Kies welk voorstel blijft staan, of schrijf een nieuwe tekst."}
        )
    if target_id is not None:
        target = next((i for i in chosen if i.id == target_id), None)
        if target is None:
            raise InvalidInput({"doel": "Kies een van de gekozen voorstellen."})
    else:
        target = chosen[0]
        edit_item(session, target, clean_text(text_ or "", "tekst"))
    if target.merged_into_id is not None:  # it leads the cluster from now on
        unmerge_item(session, target)
    for item in chosen:
        if item.id != target.id:
            merge_item(session, item, target)
    if target.pending:  # the others were approved by merging them
        approve_item(session, target)
    return target


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
    item.pending = False  # merging is a moderation decision: it counts with its cluster
    session.add(item)
    session.flush()
    return item


def unmerge_item(session: Session, item: RoundItem) -> RoundItem:
    item.merged_into_id = None
    session.add(item)
    session.flush()
    return item
