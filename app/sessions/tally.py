"""What a round's votes add up to, whatever its werkvorm: a row per choice with its score, per
perspective too, and the outcome of the round. Each werkvorm counts into these
(werkvormen/<kind>.py); scoring.py gives the outcome as anyone may see it."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Bundle
from sqlmodel import Session, col, select

from app.choices import Perspective
from app.sessions.models import Participant, Round, RoundItem, Vote
from app.tables import row_id

PERSPECTIVES = list(Perspective)


@dataclass
class Row:
    item: RoundItem
    score: float = 0.0
    votes: int = 0  # dots, ballots that ranked it, scores given or ballots with points on it
    per_perspective: dict[Perspective, float] = field(default_factory=dict)
    firsts: int = 0
    paper: int = 0
    criteria: list[float] = field(default_factory=list)  # scoring: mean per criterion
    members: list[RoundItem] = field(default_factory=list)  # merged duplicates
    rank: int = 0
    share: float = 0.0  # of the best score, for the bar's length (0-1)


@dataclass
class Outcome:
    round: Round
    rows: list[Row]
    items: list[RoundItem]  # every item of the round in order, hidden and merged ones too
    voters: dict[Perspective, int]  # participants who voted (or proposed), per perspective
    present: dict[Perspective, int]  # participants of the session, per perspective
    total_votes: int
    ranked: bool
    # Perspectives with too few participants to show apart (`scoring.shielded`): their votes
    # count in the total, their own ranking and words are not shown as theirs.
    hidden: frozenset[Perspective] = frozenset()
    minimum_group: int = 1  # the session's min_group_size

    @property
    def shown_perspectives(self) -> list[Perspective]:
        return [p for p in PERSPECTIVES if self.voters.get(p) and p not in self.hidden]

    @property
    def voter_count(self) -> int:
        return sum(self.voters.values())

    def perspective_rows(self, perspective: Perspective) -> list[tuple[Row, float]]:
        """The items in the order this perspective alone would give them."""
        rows = [(row, row.per_perspective.get(perspective, 0.0)) for row in self.rows]
        return sorted(rows, key=lambda pair: -pair[1])


def choice_rows(items: list[RoundItem]) -> dict[int, Row]:
    """A row per choice: items neither hidden nor merged into another."""
    return {row_id(i): Row(item=i) for i in items if not i.hidden and i.merged_into_id is None}


def ranked(
    round_: Round,
    items: list[RoundItem],
    present: dict[Perspective, int],
    rows: dict[int, Row],
    total: int,
    voters: dict[Perspective, int],
) -> Outcome:
    """Counted rows in order: highest score first, ties broken by first places, then by code;
    rows with equal score and first places share a rank."""
    ordered = sorted(rows.values(), key=lambda r: (-r.score, -r.firsts, r.item.number))
    best = max((r.score for r in ordered), default=0) or 1
    previous: tuple | None = None
    for position, row in enumerate(ordered, start=1):
        key = (row.score, row.firsts)
        row.rank = ordered[position - 2].rank if key == previous else position
        previous = key
        row.share = row.score / best if best else 0
    return Outcome(
        round=round_,
        rows=ordered,
        items=items,
        voters={p: voters.get(p, 0) for p in PERSPECTIVES},
        present=present,
        total_votes=total,
        ranked=True,
    )


_COUNTED: Bundle[Any] = Bundle(
    "vote",
    col(Vote.item_id),
    col(Vote.participant_id),
    col(Vote.value),
    col(Vote.criterion),
    col(Vote.paper),
)


def ballots(session: Session, round_: Round) -> Sequence[Any]:
    """The round's votes with their voter's perspective, for werkvormen whose points depend on
    a ballot's other votes. Only the columns counted, as plain rows: thousands of votes as ORM
    objects took some 150 ms per count on a 2-core machine."""
    return session.exec(
        select(_COUNTED, Participant.perspective)
        .join(Participant, col(Participant.id) == Vote.participant_id)
        .where(Vote.round_id == round_.id)
    ).all()
