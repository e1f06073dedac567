"""What each cycle has produced per step, and where the chain from ambition to activity breaks.

Counts come from one grouped query per kind of record, whatever the number of cycles, so the
overview costs the same for one theme or forty.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session

from app.activities import service as activities_service
from app.ambitions import service as ambitions_service
from app.cycles import service as cycles_service
from app.cycles.models import Cycle, StepStatus
from app.cycles.steps import STEPS, StepDefinition
from app.improvement import service as improvement_service
from app.results import service as results_service

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


def progress(session: Session, cycles: Iterable[Cycle]) -> dict[int, CycleProgress]:
    """Progress per cycle id; the cycles' steps must be loaded. Every package that owns a
    step counts its own records, one grouped query per kind, for all cycles at once."""
    cycles = list(cycles)
    ids = [c.id for c in cycles if c.id is not None]
    if not ids:
        return {}
    counts: dict[str, Counter[int]] = {}
    for owner in (
        cycles_service,
        ambitions_service,
        results_service,
        activities_service,
        improvement_service,
    ):
        counts.update(owner.progress_counts(session, ids))
    terms, monitoring, ambitions = counts["term"], counts["monitoring"], counts["ambition"]
    results, activities, quality = counts["result"], counts["activity"], counts["quality"]
    population_indicators = counts["population_indicator"]
    service_indicators, measurements = counts["service_indicator"], counts["measurement"]
    reflections, decisions = counts["reflection"], counts["decision"]
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
            activities_without_result=counts["without_result"][cycle.id],
            results_without_activity=counts["without_activity"][cycle.id],
            results_without_indicator=counts["without_indicator"][cycle.id],
            activities_counting_output_only=counts["output_only"][cycle.id],
            substantive_results=counts["substantive"][cycle.id],
            process_results=counts["process"][cycle.id],
            # a closed cycle's dates lie behind it by nature; only running cycles are flagged
            indicators_past_target=0 if cycle.is_closed else counts["past_target"][cycle.id],
            stale_indicators=0 if cycle.is_closed else counts["stale"][cycle.id],
        )
    return overview
