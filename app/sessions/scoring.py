"""How a round's votes become its results: counts, ranking and distribution, overall and per
perspective (so that no group quietly dominates).

Rules per werkvorm:

- stippen plakken: an item's score is its number of dots;
- rangschikken (Borda count): with n choices, a participant's first place earns n points, the
  second n - 1, ..., the last 1; choices left out earn nothing. An item's score is the sum;
  ties are broken by the number of first places;
- scoren op criteria: per criterion the mean of the 1-5 scores; an item's score is the
  weighted mean of those means (weights as set on the round), so 1.0 to 5.0;
- inbreng and begrip: proposals are counted, not ranked (begrip groups them per perspective).
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace

from sqlalchemy import bindparam, case
from sqlalchemy.orm import Bundle
from sqlmodel import Session, col, func, select

from app.choices import Perspective
from app.sessions import running
from app.sessions.models import (
    Criterion,
    LiveSession,
    Participant,
    Round,
    RoundItem,
    RoundKind,
    Vote,
    parse_criteria,
)

PERSPECTIVES = list(Perspective)


def criteria_of(round_: Round) -> list[Criterion]:
    if round_.kind is not RoundKind.SCORING or not round_.criteria:
        return []
    return parse_criteria(round_.criteria)


@dataclass
class Row:
    item: RoundItem
    score: float = 0.0
    votes: int = 0  # dots, ballots that ranked it, or scores given
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
    # Perspectives with too few participants to show apart (`shielded`): their votes count
    # in the total, their own ranking and words are not shown as theirs.
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


def attendance(session: Session, live: LiveSession) -> dict[Perspective, int]:
    """The session's participants per perspective. With a round on screen, its outcome's
    `present` holds the same count."""
    return _present(session, live.id)  # type: ignore[arg-type]


# The live screens' counts, built once: the projector counts up to five times a second, and
# building a statement costs more than running it.
_PRESENT = (
    select(Participant.perspective, func.count())
    .where(Participant.session_id == bindparam("session_id"))
    .group_by(Participant.perspective)
)


def _present(session: Session, session_id: int) -> dict[Perspective, int]:
    counts = dict(session.exec(_PRESENT, params={"session_id": session_id}).all())
    return {p: counts.get(p, 0) for p in PERSPECTIVES}


_PAPER = case((col(Vote.paper), 1), else_=0)
_DOTS = (
    select(Vote.item_id, Participant.perspective, func.count(), func.sum(_PAPER))
    .join(Participant, col(Participant.id) == Vote.participant_id)
    .where(Vote.round_id == bindparam("round_id"))
    .group_by(Vote.item_id, Participant.perspective)
)
_DOT_VOTERS = (
    select(Participant.perspective, func.count(func.distinct(Vote.participant_id)))
    .join(Participant, col(Participant.id) == Vote.participant_id)
    .join(RoundItem, col(RoundItem.id) == Vote.item_id)
    .where(
        Vote.round_id == bindparam("round_id"),
        col(RoundItem.hidden).is_(False),
        col(RoundItem.merged_into_id).is_(None),
    )
    .group_by(Participant.perspective)
)
_COUNTED = Bundle(
    "vote",
    col(Vote.item_id),
    col(Vote.participant_id),
    col(Vote.value),
    col(Vote.criterion),
    col(Vote.paper),
)


def outcome(session: Session, round_: Round) -> Outcome:
    """The round's outcome as anyone may see it: per perspective only for groups of at least
    the session's `min_group_size` (the projector, control screen, verslag and API alike)."""
    minimum = session.exec(
        select(LiveSession.min_group_size).where(LiveSession.id == round_.session_id)
    ).one()
    return shielded(_outcome(session, round_), minimum)


def shielded(outcome: Outcome, minimum: int) -> Outcome:
    """Per-perspective figures only for perspectives with at least `minimum` participants in
    the round; a smaller group's figures are left out (they still count in the total)."""
    small = frozenset(p for p, n in outcome.voters.items() if 0 < n < minimum)
    if not small:
        return replace(outcome, minimum_group=minimum)
    rows = [
        replace(
            row, per_perspective={p: v for p, v in row.per_perspective.items() if p not in small}
        )
        for row in outcome.rows
    ]
    return replace(outcome, rows=rows, hidden=small, minimum_group=minimum)


def _outcome(session: Session, round_: Round) -> Outcome:
    items = running.items_of(session, round_)
    present = _present(session, round_.session_id)
    if round_.kind in (RoundKind.INPUT, RoundKind.TERM):
        return _proposals(round_, items, present)
    rows = {i.id: Row(item=i) for i in items if not i.hidden and i.merged_into_id is None}
    if round_.kind is RoundKind.DOTS:
        total, voters = _count_dots(session, round_, rows)
    else:
        total, voters = _count_ballots(session, round_, rows)
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


def _count_dots(
    session: Session, round_: Round, rows: dict[int, Row]
) -> tuple[int, dict[Perspective, int]]:
    """Dots counted by the database, per item and perspective: the projector counts up to five
    times a second while thousands of dots come in."""
    total = 0
    for item_id, perspective, dots, paper in session.exec(_DOTS, params={"round_id": round_.id}):
        total += dots
        if (row := rows.get(item_id)) is None:  # hidden, or merged into another
            continue
        row.score += dots
        row.votes += dots
        row.paper += paper
        row.per_perspective[perspective] = row.per_perspective.get(perspective, 0) + dots
    voters = session.exec(_DOT_VOTERS, params={"round_id": round_.id}).all()
    return total, dict(voters)


def _count_ballots(
    session: Session, round_: Round, rows: dict[int, Row]
) -> tuple[int, dict[Perspective, int]]:
    """Rankings and scores, counted here: each ballot's points depend on its other votes."""
    # Only the columns counted, as plain rows: thousands of votes as ORM objects took some
    # 150 ms per count on a 2-core machine.
    votes = session.exec(
        select(_COUNTED, Participant.perspective)
        .join(Participant, col(Participant.id) == Vote.participant_id)
        .where(Vote.round_id == round_.id)
    ).all()
    voters: dict[Perspective, set[int]] = defaultdict(set)
    if round_.kind is RoundKind.RANKING:
        n = len(rows)
        for vote, perspective in votes:
            if (row := rows.get(vote.item_id)) is None:
                continue
            points = max(n - vote.value + 1, 0)
            row.score += points
            row.votes += 1
            row.firsts += vote.value == 1
            row.paper += vote.paper
            row.per_perspective[perspective] = row.per_perspective.get(perspective, 0) + points
            voters[perspective].add(vote.participant_id)
    else:
        _scores(round_, rows, votes, voters)
    return len(votes), {perspective: len(ids) for perspective, ids in voters.items()}


def _scores(round_: Round, rows: dict, votes: list, voters: dict) -> None:
    criteria = criteria_of(round_)
    sums: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_perspective: dict[tuple[int, Perspective, int], list[int]] = defaultdict(list)
    for vote, perspective in votes:
        if vote.item_id not in rows or vote.criterion is None:
            continue
        sums[(vote.item_id, vote.criterion)].append(vote.value)
        by_perspective[(vote.item_id, perspective, vote.criterion)].append(vote.value)
        rows[vote.item_id].votes += 1
        rows[vote.item_id].paper += vote.paper
        voters[perspective].add(vote.participant_id)

    def weighted(means: list[float | None]) -> float:
        given = [(m, c.weight) for m, c in zip(means, criteria, strict=True) if m is not None]
        total = sum(w for _, w in given)
        return round(sum(m * w for m, w in given) / total, 2) if total else 0.0

    for item_id, row in rows.items():
        means = [
            (sum(v) / len(v)) if (v := sums.get((item_id, n))) else None
            for n in range(len(criteria))
        ]
        row.criteria = [round(m, 2) if m is not None else 0.0 for m in means]
        row.score = weighted(means)
        for perspective in PERSPECTIVES:
            per = [
                (sum(v) / len(v)) if (v := by_perspective.get((item_id, perspective, n))) else None
                for n in range(len(criteria))
            ]
            if any(m is not None for m in per):
                row.per_perspective[perspective] = weighted(per)


def _proposals(round_: Round, items: list[RoundItem], present: dict[Perspective, int]) -> Outcome:
    visible = [i for i in items if not i.hidden]
    clusters: dict[int, Row] = {}
    for item in visible:
        if item.merged_into_id is None:
            clusters[item.id] = Row(item=item, score=1, votes=1)  # type: ignore[index]
    for item in visible:
        if item.merged_into_id is not None and (row := clusters.get(item.merged_into_id)):
            row.members.append(item)
            row.score += 1
            row.votes += 1
    voters: dict[Perspective, set[int]] = defaultdict(set)
    for item in visible:
        if item.perspective is not None:
            voters[item.perspective].add(item.participant_id or -item.id)  # type: ignore[operator]
            target = clusters.get(item.merged_into_id or item.id)  # type: ignore[arg-type]
            if target is not None:
                target.per_perspective[item.perspective] = (
                    target.per_perspective.get(item.perspective, 0) + 1
                )
    rows = list(clusters.values())
    for position, row in enumerate(rows, start=1):
        row.rank = position
        row.share = 1.0
    return Outcome(
        round=round_,
        rows=rows,
        items=items,
        voters={p: len(voters.get(p, ())) for p in PERSPECTIVES},
        present=present,
        total_votes=len(visible),
        ranked=False,
    )


def meanings(outcome: Outcome) -> list[tuple[str, list[str]]]:
    """Begrip: what the term means, in the words of each perspective; the words of groups too
    small to show apart together, under no perspective's name."""
    found: dict[Perspective, list[str]] = {p: [] for p in PERSPECTIVES}
    folded: list[str] = []
    for row in outcome.rows:
        for item in [row.item, *row.members]:
            perspective = item.perspective or Perspective.OTHER
            (folded if perspective in outcome.hidden else found[perspective]).append(item.text)
    groups = [(p.label, texts) for p, texts in found.items() if texts]
    return groups + ([("Kleinere groepen samen", folded)] if folded else [])
