"""The residents' voice as weights: a result's weight taken from an adopted session round.

A round whose outcome was adopted as the cycle's results (`Target.RESULTS`) kept, per result,
the tally's score and its distribution over the perspectives (`sessions.adoption.evidence`,
from `sessions.scoring.Outcome`: frozen at adoption, as the decision's evidence). What a score
counts depends on the werkvorm; `KINDS` names it, and a werkvorm whose score weighs results is
added there with one line (as 100 punten verdelen is).

- overall: a result weighs its share of all the round's score;
- perspectives weighed equally: each perspective's scores are made shares of that perspective's
  total first, so a perspective that brought more people does not weigh more. Perspectives too
  small to be shown apart (`scoring.shielded`) are not in the distribution and do not weigh.

Weights are whole numbers (per `SCALE`), as the optimiser's objective wants. Results the round
did not take over weigh nothing: the room did not choose them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app.scenarios.models import WeightMode
from app.sessions.models import Adoption, LiveSession, Round, RoundKind, Target
from app.tables import row_id

KINDS: Mapping[RoundKind, str] = {
    RoundKind.DOTS: "stippen",
    RoundKind.RANKING: "punten bij het rangschikken",
    RoundKind.SCORING: "gemiddelde score op de criteria",
    RoundKind.POINTS: "verdeelde punten",
}
SCALE = 1000


@dataclass(frozen=True)
class WeightRound:
    id: int
    cycle_id: int
    label: str  # "Werksessie (03-10-2019), ronde 2: Welke resultaten gaan voor?"


def rounds(session: Session, cycle_ids: Sequence[int]) -> list[WeightRound]:
    """Adopted rounds that took over results of these cycles with a werkvorm that scores."""
    found = session.exec(
        select(Round, LiveSession)
        .join(LiveSession, col(LiveSession.id) == Round.session_id)
        .where(
            col(LiveSession.cycle_id).in_(cycle_ids),
            col(Round.adopted_at).is_not(None),
            Round.target == Target.RESULTS,
            col(Round.kind).in_(list(KINDS)),
        )
        .order_by(col(LiveSession.held_on).desc(), col(Round.position))
    ).all()
    return [
        WeightRound(
            id=row_id(round_),
            cycle_id=live.cycle_id,
            label=f"{live.title} ({live.held_on.strftime('%d-%m-%Y')}), ronde "
            f"{round_.position}: {round_.title} ({KINDS[round_.kind]})",
        )
        for round_, live in found
    ]


def weights(session: Session, round_id: int, mode: WeightMode) -> dict[int, int]:
    """Per result id the round gave a weight to, its weight (see the module)."""
    evidence = {
        a.result_id: a.evidence
        for a in session.exec(
            select(Adoption).where(
                Adoption.round_id == round_id, col(Adoption.result_id).is_not(None)
            )
        ).all()
    }
    return of_evidence(evidence, mode)  # type: ignore[arg-type]


def of_evidence(evidence: Mapping[int, Mapping[str, Any]], mode: WeightMode) -> dict[int, int]:
    if mode is WeightMode.OVERALL:
        raw = {r: float(e.get("score") or 0) for r, e in evidence.items()}
    else:
        totals: dict[str, float] = {}
        for e in evidence.values():
            for p, v in (e.get("verdeling") or {}).items():
                totals[p] = totals.get(p, 0.0) + float(v or 0)
        raw = {
            r: sum(
                float(v or 0) / totals[p]
                for p, v in (e.get("verdeling") or {}).items()
                if totals[p]
            )
            for r, e in evidence.items()
        }
    whole = sum(raw.values())
    return {r: round(SCALE * v / whole) if whole else 0 for r, v in raw.items()}
