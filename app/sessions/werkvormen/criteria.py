"""Scoren op criteria: each participant gives each choice a score of 1-5 per criterion. Per
criterion the mean of the scores counts; a choice's score is the weighted mean of those means
(weights as set on the round), so 1.0 to 5.0. A set of scores is sent whole and replaces the
participant's earlier one."""

from collections import defaultdict

from sqlmodel import Session

from app.choices import Perspective
from app.errors import InvalidInput
from app.sessions import tally, voting
from app.sessions.models import (
    Criterion,
    Participant,
    Round,
    RoundItem,
    RoundKind,
    parse_criteria,
)
from app.sessions.werkvormen.base import Phone, Werkvorm


def criteria_of(round_: Round) -> list[Criterion]:
    if round_.kind is not RoundKind.SCORING or not round_.criteria:
        return []
    return parse_criteria(round_.criteria)


def submit_scores(
    session: Session,
    participant: Participant,
    round_id: int,
    scores: dict[tuple[int, int], int],
    key: str,
    *,
    paper: bool = False,
) -> voting.Receipt:
    """Scores 1-5 per (choice, criterion); a new set replaces the participant's earlier one."""

    def checked(round_: Round, choices: dict[int, RoundItem]) -> list[voting.Mark]:
        criteria = parse_criteria(round_.criteria or "")
        for (item_id, criterion), value in scores.items():
            if item_id not in choices or not 0 <= criterion < len(criteria):
                raise InvalidInput({"scores": "Een score hoort niet bij een keuze van deze ronde."})
            if not 1 <= value <= 5:
                raise InvalidInput({"scores": "Geef elke score van 1 tot en met 5."})
        if not scores:
            raise InvalidInput({"scores": "Geef minstens één score."})
        return [
            voting.Mark(item_id, value, criterion)
            for (item_id, criterion), value in sorted(scores.items())
        ]

    return voting.submit_whole(
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


def _number(value: str) -> int:
    value = value.strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise InvalidInput({"scores": "Deze keuze bestaat niet (meer). Laad de pagina opnieuw."})
    return int(value)


def read_phone(form: dict[str, str]) -> dict[tuple[int, int], int]:
    """`score-{item}-{criterion}` = 1..5."""
    scores = {}
    for name, value in form.items():
        if name.startswith("score-") and value.strip():
            item, _, criterion = name.removeprefix("score-").partition("-")
            scores[(_number(item), _number(criterion))] = _number(value)
    return scores


def count(
    session: Session, round_: Round, items: list[RoundItem], present: dict[Perspective, int]
) -> tally.Outcome:
    rows = tally.choice_rows(items)
    votes = tally.ballots(session, round_)
    criteria = criteria_of(round_)
    voters: dict[Perspective, set[int]] = defaultdict(set)
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
        for perspective in tally.PERSPECTIVES:
            per = [
                (sum(v) / len(v)) if (v := by_perspective.get((item_id, perspective, n))) else None
                for n in range(len(criteria))
            ]
            if any(m is not None for m in per):
                row.per_perspective[perspective] = weighted(per)
    return tally.ranked(
        round_, items, present, rows, len(votes), {p: len(ids) for p, ids in voters.items()}
    )


WERKVORM = Werkvorm(
    kind=RoundKind.SCORING,
    allowance=lambda round_, items: items * len(criteria_of(round_)),
    count=count,
    score_label="Gewogen score (1–5)",
    rule="Telling: per criterium het gemiddelde van de scores (1–5); de score van een keuze is "
    "het gewogen gemiddelde daarvan.",
    name="criteria",
    phone=Phone(
        path="scores",
        saved="Je scores zijn opgeslagen.",
        read=read_phone,
        submit=lambda session, participant, round_id, scores, key: submit_scores(
            session, participant, round_id, scores, key
        ),
    ),
)
