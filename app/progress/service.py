"""What each cycle has produced per step, and where the chain from ambition to activity breaks.

Counts come from one grouped query per kind of record, whatever the number of cycles, so the
overview costs the same for one theme or forty.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.activities.models import Activity, ActivityResultLink, QualityCondition, WorkingElement
from app.ambitions.models import Ambition, Term
from app.cycles.models import Cycle, MonitoringItem, StepStatus
from app.cycles.steps import STEPS, StepDefinition
from app.improvement.models import ActivityDecision, Reflection
from app.results.freshness import is_stale
from app.results.models import Indicator, Measurement, RbaQuestion, Result, ResultType
from app.tables import utc_now

_NOUNS = {
    "term": ("begrip", "begrippen"),
    "monitoring": ("cijfer of signaal", "cijfers en signalen"),
    "ambition": ("ambitie", "ambities"),
    "result": ("resultaat", "resultaten"),
    "indicator": ("indicator", "indicatoren"),
    "activity": ("activiteit", "activiteiten"),
    "quality": ("kwaliteitsonderdeel", "kwaliteitsonderdelen"),
    "measurement": ("meting", "metingen"),
    "reflection": ("reflectie", "reflecties"),
    "decision": ("besluit", "besluiten"),
}


def _phrase(kind: str, count: int) -> str:
    singular, plural = _NOUNS[kind]
    return f"{count} {singular if count == 1 else plural}"


@dataclass
class StepSummary:
    definition: StepDefinition
    status: StepStatus
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def empty(self) -> bool:
        return self.total == 0

    @property
    def flagged(self) -> bool:
        """A step of the method left empty (step 0 is preparation)."""
        return self.empty and not self.definition.preparation

    @property
    def summary(self) -> str:
        parts = [_phrase(kind, n) for kind, n in self.counts.items() if n]
        return ", ".join(parts) if parts else "nog niets vastgelegd"


@dataclass
class CycleProgress:
    cycle: Cycle
    steps: list[StepSummary]
    activities_without_result: int = 0
    results_without_activity: int = 0
    # What a facilitator acts on, next to "doel of middel?"
    results_without_indicator: int = 0
    activities_counting_output_only: int = 0  # no "is iemand er beter van geworden?" indicator
    substantive_results: int = 0
    process_results: int = 0  # procesresultaten and randvoorwaardelijke resultaten
    indicators_past_target: int = 0
    stale_indicators: int = 0  # latest meting older than the indicator's expected frequency

    @property
    def mostly_process(self) -> bool:
        """More process and randvoorwaardelijke results than substantive ones: the trap the
        method warns about, plans that stop at how we work together."""
        return self.process_results > self.substantive_results

    @property
    def has_flags(self) -> bool:
        return bool(
            self.empty_steps
            or self.activities_without_result
            or self.results_without_activity
            or self.results_without_indicator
            or self.activities_counting_output_only
            or self.mostly_process
            or self.indicators_past_target
            or self.stale_indicators
        )

    @property
    def empty_steps(self) -> list[StepSummary]:
        return [s for s in self.steps if s.flagged]

    @property
    def method_steps(self) -> list[StepSummary]:
        """Steps 1 to 6: the method counts six steps; step 0 is the preparation before them."""
        return [s for s in self.steps if not s.definition.preparation]

    @property
    def done_steps(self) -> int:
        return sum(1 for s in self.method_steps if s.status is StepStatus.DONE)


def _count(session: Session, stmt: Any) -> Counter[int]:
    return Counter({cycle_id: n for cycle_id, n in session.exec(stmt).all()})


def _by_cycle(model: Any, cycle_ids: Sequence[int]) -> Any:
    return (
        select(model.cycle_id, func.count())
        .where(col(model.cycle_id).in_(cycle_ids))
        .group_by(model.cycle_id)
    )


def _via_activity(model: Any, cycle_ids: Sequence[int]) -> Any:
    return (
        select(Activity.cycle_id, func.count())
        .select_from(model)
        .join(Activity, col(Activity.id) == model.activity_id)
        .where(col(Activity.cycle_id).in_(cycle_ids))
        .group_by(Activity.cycle_id)
    )


def _stale(session: Session, cycle_ids: Sequence[int]) -> Counter[int]:
    """Per cycle, the indicators whose latest meting is older than expected (one query)."""
    latest = session.exec(
        select(Indicator.cycle_id, Indicator.expected_frequency, func.max(Measurement.measured_on))
        .join(Measurement, col(Measurement.indicator_id) == Indicator.id)
        .where(col(Indicator.cycle_id).in_(cycle_ids))
        .group_by(Indicator.id, Indicator.cycle_id, Indicator.expected_frequency)
    ).all()
    today = utc_now().date()
    return Counter(cycle_id for cycle_id, frequency, on in latest if is_stale(on, frequency, today))


def progress(session: Session, cycles: Iterable[Cycle]) -> dict[int, CycleProgress]:
    """Progress per cycle id; the cycles' steps must be loaded."""
    cycles = list(cycles)
    ids = [c.id for c in cycles if c.id is not None]
    if not ids:
        return {}
    terms = _count(session, _by_cycle(Term, ids))
    monitoring = _count(session, _by_cycle(MonitoringItem, ids))
    ambitions = _count(session, _by_cycle(Ambition, ids))
    results = _count(session, _by_cycle(Result, ids))
    population_indicators = _count(
        session, _by_cycle(Indicator, ids).where(col(Indicator.result_id).is_not(None))
    )
    service_indicators = _count(
        session, _by_cycle(Indicator, ids).where(col(Indicator.activity_id).is_not(None))
    )
    activities = _count(session, _by_cycle(Activity, ids))
    quality = _count(session, _via_activity(WorkingElement, ids)) + _count(
        session, _via_activity(QualityCondition, ids)
    )
    measurements = _count(
        session,
        select(Indicator.cycle_id, func.count())
        .select_from(Measurement)
        .join(Indicator, col(Indicator.id) == Measurement.indicator_id)
        .where(col(Indicator.cycle_id).in_(ids))
        .group_by(Indicator.cycle_id),
    )
    reflections = _count(session, _by_cycle(Reflection, ids))
    decisions = _count(session, _by_cycle(ActivityDecision, ids))
    unlinked_activities = _count(
        session,
        _by_cycle(Activity, ids).where(
            ~select(ActivityResultLink.id)
            .where(ActivityResultLink.activity_id == Activity.id)
            .exists()
        ),
    )
    unlinked_results = _count(
        session,
        _by_cycle(Result, ids).where(
            ~select(ActivityResultLink.id).where(ActivityResultLink.result_id == Result.id).exists()
        ),
    )
    results_without_indicator = _count(
        session,
        _by_cycle(Result, ids).where(
            ~select(Indicator.id).where(Indicator.result_id == Result.id).exists()
        ),
    )
    output_only = _count(
        session,
        _by_cycle(Activity, ids).where(
            ~select(Indicator.id)
            .where(
                Indicator.activity_id == Activity.id,
                Indicator.rba_question == RbaQuestion.BETTER_OFF,
            )
            .exists()
        ),
    )
    substantive = _count(
        session, _by_cycle(Result, ids).where(Result.result_type == ResultType.SUBSTANTIVE)
    )
    process = _count(
        session, _by_cycle(Result, ids).where(Result.result_type != ResultType.SUBSTANTIVE)
    )
    past_target = _count(
        session,
        _by_cycle(Indicator, ids).where(col(Indicator.target_date) < utc_now().date()),
    )
    stale = _stale(session, ids)
    per_step = {
        0: lambda i: {"term": terms[i]},
        1: lambda i: {"monitoring": monitoring[i], "ambition": ambitions[i]},
        2: lambda i: {"result": results[i], "indicator": population_indicators[i]},
        3: lambda i: {"activity": activities[i]},
        4: lambda i: {"quality": quality[i]},
        5: lambda i: {"indicator": service_indicators[i], "measurement": measurements[i]},
        6: lambda i: {"reflection": reflections[i], "decision": decisions[i]},
    }
    overview: dict[int, CycleProgress] = {}
    for cycle in cycles:
        statuses = {s.number: s.status for s in cycle.steps}
        assert cycle.id is not None
        overview[cycle.id] = CycleProgress(
            cycle=cycle,
            steps=[
                StepSummary(
                    definition=d,
                    status=statuses.get(d.number, StepStatus.NOT_STARTED),
                    counts=per_step[d.number](cycle.id),
                )
                for d in STEPS
            ],
            activities_without_result=unlinked_activities[cycle.id],
            results_without_activity=unlinked_results[cycle.id],
            results_without_indicator=results_without_indicator[cycle.id],
            activities_counting_output_only=output_only[cycle.id],
            substantive_results=substantive[cycle.id],
            process_results=process[cycle.id],
            # a closed cycle's dates lie behind it by nature; only running cycles are flagged
            indicators_past_target=0 if cycle.is_closed else past_target[cycle.id],
            stale_indicators=0 if cycle.is_closed else stale[cycle.id],
        )
    return overview
