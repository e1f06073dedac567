"""The council report as plain data: one content model, rendered as HTML, PDF, Word and Excel.

The structure follows the questions a council knows (BBV's three W's and three H's): what we
wanted to achieve, what we did, what it cost; per result its curve, status and story; how the
priorities were set; the verbetercyclus; stories; the BBV annex; and how fresh every figure is.
`service.build_report` fills it with a constant number of queries; the renderers only read it.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.activities import spending
from app.formatting import format_date
from app.results.status import IndicatorStatus
from app.results.trend_chart import TrendChart


@dataclass(frozen=True)
class Freshness:
    """How current a figure is: its last update against how often it should be measured."""

    last_update: date | None
    expected: str | None  # "jaarlijks", "per kwartaal"; None when no frequency is set
    stale: bool
    phrase: str  # "laatst bijgewerkt 14 maanden geleden"


@dataclass(frozen=True)
class Figure:
    """One indicator as the report shows it."""

    id: int
    name: str
    definition: str | None
    unit: str | None
    direction: str
    question: str | None  # the RBA question of a service indicator
    source: str | None
    baseline: Decimal | None
    baseline_date: date | None
    target: Decimal | None
    target_date: date | None
    latest: Decimal | None
    latest_date: date | None
    status: IndicatorStatus
    story: str | None  # the story behind the latest figure
    measurements: list[tuple[date, Decimal]]
    chart: TrendChart
    freshness: Freshness
    bbv_number: int | None = None  # the statutory beleidsindicator it is, when it is one


@dataclass(frozen=True)
class Told:
    """Vertellen: a story without a number."""

    told_on: date
    source: str
    text: str
    about: str  # the result or activity it is told about


@dataclass(frozen=True)
class Money:
    year: int
    planned: Decimal | None
    actual: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        return spending.difference(self.planned, self.actual)


@dataclass(frozen=True)
class Decided:
    label: str  # "Voortzetten", "Herformuleren"
    rationale: str | None
    by: str | None
    on: date | None
    new_text: str | None = None


@dataclass(frozen=True)
class ActivityPart:
    id: int
    name: str
    partner: str
    co_performers: list[str]
    status: str
    evidence: str
    contribution: str  # to the result it is listed under
    annual_budget: Decimal | None
    money: list[Money]  # planned and actual per year; empty when nothing is recorded
    how_much: list[Figure]
    how_well: list[Figure]
    better_off: list[Figure]
    other: list[Figure]  # service indicators without an RBA question
    decision: Decided | None


@dataclass(frozen=True)
class ResultPart:
    id: int
    code: str
    rank: int
    text: str
    kind: str
    target_group: str | None
    status: IndicatorStatus
    figures: list[Figure]
    activities: list[ActivityPart]
    stories: list[Told]
    decision: Decided | None


@dataclass(frozen=True)
class CostLine:
    activity: str
    partner: str
    results: str  # the codes of the results it serves
    annual_budget: Decimal | None
    money: list[Money]

    @property
    def planned(self) -> Decimal | None:
        return spending.totals(self.money).planned

    @property
    def actual(self) -> Decimal | None:
        return spending.totals(self.money).actual

    @property
    def difference(self) -> Decimal | None:
        return spending.totals(self.money).difference


@dataclass(frozen=True)
class Costs:
    lines: list[CostLine]
    annual_budget: Decimal
    planned: Decimal | None
    actual: Decimal | None
    by_partner: list[tuple[str, Decimal, Decimal | None]]  # name, annual budget, actual

    @property
    def difference(self) -> Decimal | None:
        return spending.totals(m for line in self.lines for m in line.money).difference


@dataclass(frozen=True)
class Action:
    description: str
    owner: str | None
    due: date | None
    done: bool


@dataclass(frozen=True)
class ReflectionPart:
    on: date
    about: str | None
    went_well: str | None
    could_improve: str | None
    actions: list[Action]


@dataclass(frozen=True)
class ActivityDecisionRow:
    activity: str
    decided: Decided


@dataclass(frozen=True)
class Improvement:
    reflections: list[ReflectionPart]
    activity_decisions: list[ActivityDecisionRow]
    result_decisions: list[tuple[str, Decided]]  # result code and text, decision

    @property
    def empty(self) -> bool:
        return not (self.reflections or self.activity_decisions or self.result_decisions)


@dataclass(frozen=True)
class BudgetDecision:
    """An adopted budget scenario that concerns the cycle."""

    name: str
    adopted_on: date | None
    adopted_by: str | None
    rationale: str | None
    total_before: float
    total_after: float
    kept: list[str]
    reduced: list[str]
    stopped: list[str]
    uncovered: list[str]  # results left without an activity


@dataclass(frozen=True)
class SessionEvidence:
    """What a live session contributed to the priorities: one round whose outcome was adopted
    (see `service.session_evidence`)."""

    title: str  # "Werksessie, ronde 2: Welke resultaten gaan voor?"
    held_on: date | None
    summary: str
    lines: list[str] = field(default_factory=list)

    @property
    def heading(self) -> str:
        """The title with its date in brackets: a title may end in a question mark."""
        return f"{self.title} ({format_date(self.held_on)})" if self.held_on else self.title


@dataclass(frozen=True)
class Priorities:
    sessions: list[SessionEvidence]
    budget_decisions: list[BudgetDecision]
    origins: list[tuple[str, str]]  # result code, where its wording came from

    @property
    def empty(self) -> bool:
        return not (self.sessions or self.budget_decisions or self.origins)


@dataclass(frozen=True)
class ThemeReport:
    theme: str
    cycle_id: int
    period: str
    closed: bool
    ambition: str | None
    ambition_status: str | None
    ambition_adopted: str | None  # "Vastgesteld door de gemeenteraad op 12 maart 2020"
    results: list[ResultPart]
    unlinked_activities: list[ActivityPart]
    costs: Costs
    priorities: Priorities
    improvement: Improvement
    stories: list[Told]
    bbv: list[Figure]

    @property
    def figures(self) -> list[Figure]:
        """Every figure of the theme, each once."""
        seen: dict[int, Figure] = {}
        for result in self.results:
            for f in result.figures:
                seen.setdefault(f.id, f)
            for activity in result.activities:
                for f in _activity_figures(activity):
                    seen.setdefault(f.id, f)
        for activity in self.unlinked_activities:
            for f in _activity_figures(activity):
                seen.setdefault(f.id, f)
        return list(seen.values())

    @property
    def activity_count(self) -> int:
        return len(self.costs.lines)

    @property
    def summary_results(self) -> list[ResultPart]:
        """The results the A4 summary lists: those of highest priority that fit on the page."""
        return self.results[:SUMMARY_RESULTS]

    @property
    def summary_compact(self) -> bool:
        """Whether the summary's rows are cut off sooner, to fit more of them."""
        return len(self.summary_results) > SUMMARY_ROOMY


def _activity_figures(activity: ActivityPart) -> list[Figure]:
    return activity.how_much + activity.how_well + activity.better_off + activity.other


# The A4 summary shows a row of up to five lines per result; with more than SUMMARY_ROOMY
# results up to three, and with every text at its longest SUMMARY_RESULTS of them fit.
SUMMARY_RESULTS = 10
SUMMARY_ROOMY = 6

CONCEPT = "Concept"
DEFINITIVE = "Definitief"  # a published version (app/publications)
WHOLE_ORGANISATION = "Hele organisatie"


@dataclass(frozen=True)
class Cover:
    """What a clerk files a report by: on its cover, in the Word file's properties and the
    workbook's first sheet, and (scope and date) in the file's name."""

    theme: str | None  # None: the whole organisation
    period: str | None  # the cycle's years, "2023–2026"
    made_on: date
    # "stand van 7 december 2026 om 14:02": the last change to what it reports; a published
    # version puts its number first: "2, stand van ..."
    version: str
    # Every export is a concept; a published version is definitief (app/publications).
    status: str = CONCEPT

    @property
    def scope(self) -> str:
        if self.theme is None:
            return WHOLE_ORGANISATION
        return f"Thema {self.theme}, cyclus {self.period}"


@dataclass(frozen=True)
class Report:
    organisation: str
    title: str
    cover: Cover
    themes: list[ThemeReport]

    @property
    def scope(self) -> str:  # "Thema Werk, cyclus 2023–2026" or "Hele organisatie"
        return self.cover.scope

    def file_name(self, kind: str | None = None) -> str:
        """`Voortgangsrapportage Kampen Jong 2023-2026 2026-12-07`: scope and date, so that
        the next export does not overwrite this one. `kind` names another document made of
        it ("Samenvatting")."""
        place = self.organisation.removeprefix("Gemeente ").strip() or self.organisation
        parts = [kind or self.title, place]
        if self.cover.theme is not None:
            parts += [self.cover.theme, (self.cover.period or "").replace("–", "-")]
        return " ".join([*parts, self.cover.made_on.isoformat()])

    @property
    def stale_figures(self) -> int:
        return sum(1 for t in self.themes for f in t.figures if f.freshness.stale)

    @property
    def figure_count(self) -> int:
        return sum(len(t.figures) for t in self.themes)


STATUS_RULE = (
    "De status van een indicator vergelijkt de laatste meting met de lijn van nulmeting naar "
    "streefwaarde: op koers bij hoogstens 10 procentpunt achterstand, aandacht bij hoogstens 25 "
    "procentpunt, anders niet op koers. Een resultaat krijgt de minst gunstige status van zijn "
    "indicatoren."
)
