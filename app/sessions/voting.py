"""Proposals and votes of participants (on a phone or on a paper ballot typed in).

Every vote is checked and written in one transaction that first locks the participant's row
(SQLite: the request already holds the write lock, BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR
UPDATE). Two votes of one participant therefore never count their allowance at the same time,
so many phones voting at once can never exceed it; votes of different participants do not wait
for each other on PostgreSQL.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import exc as sa_exc
from sqlmodel import Session, col, delete, func, select

from app.choices import Perspective
from app.errors import AppError, InvalidInput, NotFound
from app.sessions.models import (
    Participant,
    Round,
    RoundItem,
    RoundKind,
    RoundStatus,
    Vote,
)
from app.sessions.running import clean_text, items_of, next_number
from app.tables import row_id

KEY_MAX = 80


class Refused(AppError):
    """A vote or proposal that is not taken: nothing changed. 409: the state of the round
    (closed, allowance used up); 422 (InvalidInput) is for input that can never be right."""

    status_code = 409
    title = "Niet opgeslagen"


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


class RoundFacts(Protocol):
    """What deciding on a vote needs of its round: a Round, or a row of the quick path."""

    id: int | None
    session_id: int
    status: RoundStatus
    kind: RoundKind
    dots: int
    several_per_item: bool


def round_refusal(round_: RoundFacts | None, session_id: int) -> AppError | None:
    """Why nothing is taken in this round now, or None: it is an open round of the session."""
    if round_ is None or round_.session_id != session_id:
        return NotFound("Deze ronde hoort niet bij jouw sessie.")
    if round_.status == RoundStatus.PAUSED:
        return Refused("De ronde staat even stil. Wacht tot de procesbegeleider haar hervat.")
    if round_.status != RoundStatus.OPEN:
        return Refused("Deze ronde is niet (meer) open. Er is niets opgeslagen.")
    return None


def dot_refusal(
    round_: RoundFacts | None, session_id: int, choice_of: int | None, used: int, on_item: bool
) -> AppError | None:
    """The rule for a dot, the one both paths use: why it is not taken (the error to answer
    with), or None: it counts. `choice_of` is the round of the item voted on if that item is a
    choice (neither hidden nor merged), `used` the participant's dots in the round, `on_item`
    whether one of them is on this item. The full path (cast_dot) raises what it returns; the
    quick path (quick_vote.write) takes a dot only when it returns None."""
    if (refusal := round_refusal(round_, session_id)) is not None:
        return refusal
    assert round_ is not None
    if round_.kind != RoundKind.DOTS:
        return InvalidInput({"item": "In deze ronde plak je geen stippen."})
    if choice_of is None or choice_of != round_.id:
        return InvalidInput({"item": "Dit is geen keuze in deze ronde. Er is niets opgeslagen."})
    if used >= round_.dots:
        return Refused(f"Je hebt al je {round_.dots} stippen geplakt. Er is niets meer opgeslagen.")
    if on_item and not round_.several_per_item:
        return Refused(
            "Je hebt al een stip op deze keuze; in deze ronde krijgt elke keuze hoogstens "
            "één stip van jou."
        )
    return None


def open_round(session: Session, participant: Participant, round_id: int) -> Round:
    round_ = session.get(Round, round_id)
    if (refusal := round_refusal(round_, participant.session_id)) is not None:
        raise refusal
    assert round_ is not None
    return round_


def _used_in(session: Session, participant: Participant, round_id: int) -> int:
    return session.exec(
        select(func.count()).where(Vote.participant_id == participant.id, Vote.round_id == round_id)
    ).one()


def _earlier(session: Session, participant: Participant, key: str) -> Vote | None:
    return session.exec(
        select(Vote).where(Vote.participant_id == participant.id, Vote.key == key)
    ).first()


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
        its_round = session.get_one(Round, earlier.round_id)
        return Receipt(
            key,
            earlier.round_id,
            earlier.item_id,
            _used_in(session, participant, earlier.round_id),
            its_round.dots,
            repeated=True,
        )
    round_ = session.get(Round, round_id)
    item = session.get(RoundItem, item_id)
    choice_of = item.round_id if item and not item.hidden and not item.merged_into_id else None
    used = _used_in(session, participant, round_id)
    on_item = session.exec(
        select(Vote.id).where(Vote.participant_id == participant.id, Vote.item_id == item_id)
    ).first()
    refusal = dot_refusal(round_, participant.session_id, choice_of, used, on_item is not None)
    if refusal is not None:
        raise refusal
    assert round_ is not None and item is not None
    _insert_votes(
        session,
        [
            Vote(
                round_id=row_id(round_),
                item_id=row_id(item),
                participant_id=row_id(participant),
                key=key,
                paper=paper,
            )
        ],
    )
    return Receipt(key, row_id(round_), item.id, used + 1, round_.dots)


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
    round_ = open_round(session, participant, round_id)
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
    return _used_in(session, participant, row_id(round_))


def _choices(session: Session, round_: Round) -> dict[int, RoundItem]:
    return {
        row_id(i): i for i in items_of(session, round_) if not i.hidden and i.merged_into_id is None
    }


@dataclass(frozen=True)
class Mark:
    """One line of a whole ballot: a choice, and its place or its score on a criterion."""

    item_id: int
    value: int
    criterion: int | None = None


def submit_whole(
    session: Session,
    participant: Participant,
    round_id: int,
    key: str,
    *,
    kind: RoundKind,
    wrong_kind: dict[str, str],
    first: int,
    marks: Callable[[Round, dict[int, RoundItem]], list[Mark]],
    paper: bool,
) -> Receipt:
    """A ranking or a set of scores is sent whole and replaces the participant's earlier one.
    Its votes are keyed `{key}:{n}` from `first` on, so a resend is known by its first key and
    gets the same receipt. `marks` checks the ballot against the round's choices."""
    key = check_key(key)
    participant = _lock(session, participant)
    if (earlier := _earlier(session, participant, f"{key}:{first}")) is not None:
        return Receipt(key, earlier.round_id, None, 1, 1, repeated=True)
    round_ = open_round(session, participant, round_id)
    if round_.kind is not kind:
        raise InvalidInput(wrong_kind)
    _replace_votes(
        session,
        participant,
        round_,
        [
            Vote(
                round_id=row_id(round_),
                item_id=mark.item_id,
                participant_id=row_id(participant),
                key=f"{key}:{n}",
                value=mark.value,
                criterion=mark.criterion,
                paper=paper,
            )
            for n, mark in enumerate(marks(round_, _choices(session, round_)), start=first)
        ],
    )
    return Receipt(key, row_id(round_), None, 1, 1)


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
    round_ = open_round(session, participant, round_id)
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
        round_id=row_id(round_),
        number=next_number(session, row_id(round_)),
        text=clean_text(text_),
        participant_id=participant.id,
        perspective=participant.perspective,
        key=key,
        pending=round_.approve_first,
    )
    session.add(item)
    session.flush()
    return Receipt(key, row_id(round_), item.id, 0, 0)


def own_votes(session: Session, participant: Participant, round_: Round) -> list[Vote]:
    return list(
        session.exec(
            select(Vote)
            .where(Vote.participant_id == participant.id, Vote.round_id == round_.id)
            .order_by(col(Vote.id))
        ).all()
    )


def own_proposals(session: Session, participant: Participant, round_: Round) -> list[RoundItem]:
    return list(
        session.exec(
            select(RoundItem)
            .where(RoundItem.participant_id == participant.id, RoundItem.round_id == round_.id)
            .order_by(col(RoundItem.number))
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


def paper_ballots(session: Session, round_: Round) -> int:
    """How many paper ballots were typed in for this round."""
    return session.exec(
        select(func.count(func.distinct(Vote.participant_id))).where(
            Vote.round_id == round_.id, col(Vote.paper).is_(True)
        )
    ).one()
