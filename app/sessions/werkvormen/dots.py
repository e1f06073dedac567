"""Stippen plakken: each participant sticks a number of dots on the choices (one per choice
unless the round allows more); a choice's score is its number of dots. A dot is one request
(voting.cast_dot; the room's usual dots through quick_vote.py), by the rule voting.dot_refusal."""

from sqlalchemy import bindparam, case
from sqlmodel import Session, col, func, select

from app.choices import Perspective
from app.errors import InvalidInput
from app.sessions import tally, voting
from app.sessions.models import Participant, Round, RoundItem, RoundKind, Vote
from app.sessions.werkvormen.base import Paper, Werkvorm
from app.sessions.werkvormen.reading import whole_numbers
from app.tables import row_id

# Counted by the database, per item and perspective, in statements built once: the projector
# counts up to five times a second while thousands of dots come in.
_PAPER = case((col(Vote.paper), 1), else_=0)
_DOTS = (
    select(Vote.item_id, col(Participant.perspective), func.count(), func.sum(_PAPER))
    .join(Participant, col(Participant.id) == Vote.participant_id)
    .where(Vote.round_id == bindparam("round_id"))
    .group_by(col(Vote.item_id), col(Participant.perspective))
)
_VOTERS = (
    select(col(Participant.perspective), func.count(func.distinct(Vote.participant_id)))
    .join(Participant, col(Participant.id) == Vote.participant_id)
    .join(RoundItem, col(RoundItem.id) == Vote.item_id)
    .where(
        Vote.round_id == bindparam("round_id"),
        col(RoundItem.hidden).is_(False),
        col(RoundItem.merged_into_id).is_(None),
    )
    .group_by(Participant.perspective)
)


def count(
    session: Session, round_: Round, items: list[RoundItem], present: dict[Perspective, int]
) -> tally.Outcome:
    rows = tally.choice_rows(items)
    total = 0
    for item_id, perspective, dots, paper in session.exec(_DOTS, params={"round_id": round_.id}):
        total += dots
        if (row := rows.get(item_id)) is None:  # hidden, or merged into another
            continue
        row.score += dots
        row.votes += dots
        row.paper += paper
        row.per_perspective[perspective] = row.per_perspective.get(perspective, 0) + dots
    voters = dict(session.exec(_VOTERS, params={"round_id": round_.id}).all())
    return tally.ranked(round_, items, present, rows, total, voters)


def read_tally(form: dict[str, str], round_: Round) -> dict[int, int]:
    """`stippen-{item}`: the dots a paper ballot put on each choice."""
    values = whole_numbers(
        form, "stippen-", round_.dots, f"Vul een aantal stippen in van 0 tot en met {round_.dots}."
    )
    if not values:
        raise InvalidInput({"__all__": "Vul op het papieren stembiljet minstens één stip in."})
    return values


def enter(
    session: Session, ballot: Participant, round_: Round, dots: dict[int, int]
) -> voting.Receipt:
    """A paper ballot's dots, one by one under the rules of a phone's."""
    round_id = row_id(round_)
    receipts = [
        voting.cast_dot(session, ballot, round_id, item_id, f"papier-{item_id}-{n}", paper=True)
        for item_id, number in dots.items()
        for n in range(number)
    ]
    return receipts[-1]


WERKVORM = Werkvorm(
    kind=RoundKind.DOTS,
    allowance=lambda round_, _items: round_.dots,
    count=count,
    score_label="Stippen",
    rule=None,
    name="dots",
    paper=Paper(field="stippen-", read=read_tally, enter=enter),
)
