"""Inbreng and begrip: participants send proposals (or what a term means to them); they are
counted, not ranked. Duplicates merged by the facilitator count with their cluster; hidden
proposals and those still waiting for approval (a round that approves first) do not count;
begrip groups the words per perspective (scoring.meanings)."""

from collections import defaultdict

from sqlmodel import Session

from app.choices import Perspective
from app.sessions import tally, voting
from app.sessions.models import Round, RoundItem, RoundKind
from app.sessions.werkvormen.base import Phone, Werkvorm


def count(
    _session: Session, round_: Round, items: list[RoundItem], present: dict[Perspective, int]
) -> tally.Outcome:
    visible = [i for i in items if not i.hidden and not i.pending]
    clusters: dict[int, tally.Row] = {}
    for item in visible:
        if item.merged_into_id is None:
            clusters[item.id] = tally.Row(item=item, score=1, votes=1)  # type: ignore[index]
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
    return tally.Outcome(
        round=round_,
        rows=rows,
        items=items,
        voters={p: len(voters.get(p, ())) for p in tally.PERSPECTIVES},
        present=present,
        total_votes=len(visible),
        ranked=False,
    )


PHONE = Phone(
    path="inbreng",
    saved="Je inbreng is opgeslagen.",
    read=lambda form: form.get("tekst", ""),
    submit=voting.submit_proposal,
)
INPUT = Werkvorm(
    kind=RoundKind.INPUT,
    allowance=lambda round_, _items: round_.proposals_per_participant,
    count=count,
    score_label="Voorstellen",
    rule=None,
    name="proposals",
    phone=PHONE,
)
TERM = Werkvorm(
    kind=RoundKind.TERM,
    allowance=lambda round_, _items: round_.proposals_per_participant,
    count=count,
    score_label="Betekenissen",
    rule=None,
    name="proposals",
    phone=PHONE,
)
