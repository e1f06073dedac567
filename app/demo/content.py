"""The shape of demo content: plain data, loaded through the same services as the pages use."""

from dataclasses import dataclass, field
from datetime import date

from app.activities.models import (
    ActivityStatus,
    Agreement,
    Contribution,
    EvidenceLevel,
    QualityCategory,
)
from app.ambitions.models import Adopter, AmbitionStatus
from app.choices import Perspective
from app.cycles.models import MonitoringKind, StepStatus
from app.improvement.models import Decision, ResultDecisionKind
from app.organisations.models import PartnerType
from app.results.models import Direction, RbaQuestion, ResultType


@dataclass(frozen=True)
class DemoPartner:
    name: str
    partner_type: PartnerType
    description: str


@dataclass(frozen=True)
class DemoMeasurement:
    on: date
    value: str  # Dutch notation, as typed: "12,5"
    story: str | None = None


@dataclass(frozen=True)
class DemoStory:
    """Vertellen: a story without a number."""

    on: date
    source: str
    text: str


@dataclass(frozen=True)
class DemoTableMember:
    name: str
    organisation: str | None
    perspective: Perspective
    interest: str
    mandate: str


@dataclass(frozen=True)
class DemoResultDecision:
    result: str  # a DemoResult key
    decision: ResultDecisionKind
    rationale: str
    new_text: str | None = None
    decided: tuple[str, date] | None = None  # when not the theme's `decided`


@dataclass(frozen=True)
class DemoNextCycle:
    """The theme handed over to its next cycle, with the measurements made since, per
    indicator name: the curves that continue across the boundary."""

    measurements: dict[str, tuple["DemoMeasurement", ...]]
    reflection: "DemoReflection | None" = None
    current_step: int = 0
    step_status: dict[int, StepStatus] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoIndicator:
    name: str
    unit: str
    direction: Direction
    source: str
    baseline: str | None
    baseline_on: date | None
    target: str | None
    target_on: date | None
    measurements: tuple[DemoMeasurement, ...] = ()
    definition: str | None = None
    rba_question: RbaQuestion | None = None
    instrument: str | None = None


@dataclass(frozen=True)
class DemoResult:
    key: str  # "W1": how activities refer to it
    text: str
    result_type: ResultType
    target_group: str | None
    rationale: str | None
    indicators: tuple[DemoIndicator, ...] = ()
    origin: str | None = None  # the session it came from


@dataclass(frozen=True)
class DemoLink:
    result: str  # a DemoResult key
    contribution: Contribution
    assumption: str


@dataclass(frozen=True)
class DemoActivity:
    name: str
    description: str
    partner: str | None  # a DemoPartner name
    target_group: str | None
    budget: str | None  # euros per year, Dutch notation
    status: ActivityStatus
    evidence: EvidenceLevel
    links: tuple[DemoLink, ...] = ()
    working_elements: tuple[tuple[str, str | None], ...] = ()  # (description, evidence source)
    quality: tuple[tuple[QualityCategory, str], ...] = ()
    indicators: tuple[DemoIndicator, ...] = ()
    decision: tuple[Decision, str | None] | None = None  # (decision, rationale)
    agreement: Agreement | None = None
    co_performers: tuple[tuple[str, str], ...] = ()  # (partner name, role)


@dataclass(frozen=True)
class DemoTerm:
    term: str
    municipality: str | None
    provider: str | None
    resident: str | None
    agreed: str | None


@dataclass(frozen=True)
class DemoAction:
    description: str
    owner: str | None
    due: date | None
    done: bool = False


@dataclass(frozen=True)
class DemoReflection:
    on: date
    went_well: str
    could_improve: str
    actions: tuple[DemoAction, ...] = ()


@dataclass(frozen=True)
class DemoTheme:
    name: str
    description: str
    start_year: int
    end_year: int
    current_step: int
    ambition: str
    ambition_status: AmbitionStatus
    ambition_on: date  # when it was formulated together, or adopted
    ambition_origin: str | None = None  # the session it was formulated in
    ambition_adopted_by: Adopter | None = None
    ambition_drafts: tuple[str, ...] = ()  # earlier wordings, oldest first, in the weeks before
    monitoring: tuple[tuple[MonitoringKind, str, str | None, str | None, str | None], ...] = ()
    terms: tuple[DemoTerm, ...] = ()
    results: tuple[DemoResult, ...] = ()
    activities: tuple[DemoActivity, ...] = ()
    reflections: tuple[DemoReflection, ...] = ()
    step_status: dict[int, StepStatus] = field(default_factory=dict)
    step_notes: dict[int, str] = field(default_factory=dict)
    table: tuple[DemoTableMember, ...] = ()
    result_decisions: tuple[DemoResultDecision, ...] = ()
    decided: tuple[str, date] | None = None  # who took the step 6 decisions, and when
    next_cycle: DemoNextCycle | None = None
    # (a result key or an activity name, the story told about it)
    stories: tuple[tuple[str, DemoStory], ...] = ()
