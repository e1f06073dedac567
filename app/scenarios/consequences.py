"""What a cut does: the activities, results and partners before and after a scenario.

`build` turns the loaded scope into the optimiser's plain data, solves it (or has it solved:
the service keeps answers), and describes the outcome in figures (and, when no choice fits, in
Dutch words). An `Outcome` is plain data too: adopting a scenario stores it as JSON, and the
adopted version is shown from that JSON.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel

from app.activities.models import Activity, Contribution
from app.cycles.models import Cycle
from app.formatting import format_euro, format_number
from app.results.models import Result
from app.scenarios.models import CutKind, Pin, Scenario
from app.scenarios.optimiser import (
    Answer,
    Infeasible,
    Item,
    Level,
    Limit,
    Problem,
    Reason,
    Solution,
    Unsolved,
    Why,
    priority_weight,
    reasons,
    solve,
)
from app.tables import row_id

STRENGTH = {Contribution.SMALL: 1, Contribution.MEDIUM: 2, Contribution.LARGE: 3}
LEVEL_LABELS = {Level.KEEP: "Behouden", Level.REDUCE: "Verminderd", Level.STOP: "Gestopt"}
# The level a choice by hand fixes (none for STAY, nor for no choice).
PINNED: dict[Pin | None, Level] = {
    Pin.KEEP: Level.KEEP,
    Pin.REDUCE: Level.REDUCE,
    Pin.STOP: Level.STOP,
}
NO_PARTNER = "Geen uitvoerder"


@dataclass
class Scope:
    """Everything a scenario reasons about, loaded: cycles, their activities and results."""

    cycles: Sequence[Cycle]
    activities: Sequence[Activity]  # with partner and links
    results: Sequence[Result]

    def theme_of(self, cycle_id: int) -> str:
        return next(c.theme.name for c in self.cycles if c.id == cycle_id)


class ActivityRow(BaseModel):
    id: int
    cycle_id: int
    name: str
    theme: str
    partner: str
    legal_duty: bool
    minimum_level: int | None
    pin: Pin | None
    level: Level | None  # None when no choice fits the limits
    before: float
    after: float
    why: list[str] = []  # why it has its level, in words (empty when no choice fits)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level] if self.level else "–"


class ResultRow(BaseModel):
    id: int
    theme: str
    rank: int
    code: str | None = None
    text: str
    euros_before: float
    euros_after: float
    contribution_before: float
    contribution_after: float

    @property
    def label(self) -> str:
        """How the step pages name it: its code (J2), else its rank."""
        return self.code or str(self.rank)

    @property
    def loses_coverage(self) -> bool:
        return self.contribution_before > 0 and self.contribution_after == 0

    @property
    def never_covered(self) -> bool:
        return self.contribution_before == 0


class PartnerRow(BaseModel):
    name: str
    before: float
    after: float

    @property
    def loss_percent(self) -> float:
        return 100 * (self.before - self.after) / self.before if self.before else 0.0


class Outcome(BaseModel):
    feasible: bool
    optimal: bool
    total_before: float
    cut: float
    budget: float  # what may be spent after the cut
    total_after: float
    value_before: float  # the optimiser's objective with everything kept
    value_after: float
    activities: list[ActivityRow]
    results: list[ResultRow]
    partners: list[PartnerRow]
    reasons: list[str]  # why no choice fits, in words
    largest_possible_cut: float | None
    # The optimiser's time bound (seconds), and whether it stopped the search: a choice not
    # proven best, amounts that are lower bounds (`largest_cut_exact`), or no answer at all
    # (`solved` False: neither a choice that fits nor a proof that none does).
    seconds: float | None = None
    bounded: bool = False
    solved: bool = True
    largest_cut_exact: bool = True
    # When the organisation's data (budgets, links, priorities) changed under an open scenario
    # and its figures were computed again.
    data_changed_at: datetime | None = None

    @property
    def saved(self) -> float:
        return self.total_before - self.total_after

    @property
    def value_kept_percent(self) -> float:
        return 100 * self.value_after / self.value_before if self.value_before else 100.0

    def with_level(self, level: Level) -> list[ActivityRow]:
        return [row for row in self.activities if row.level == level]

    @property
    def uncovered(self) -> list[ResultRow]:
        return [row for row in self.results if row.loses_coverage]

    def of_partner(self, partner: str) -> "Outcome":
        """What one partner may read of an adopted outcome: their own activities and their
        own line, with the totals over those; not the results, which other partners'
        activities serve too, nor the contribution the optimiser weighed (nor therefore
        the reasons, which weigh each activity against all the others)."""
        rows = [
            row.model_copy(update={"why": []}) for row in self.activities if row.partner == partner
        ]
        before, after = sum(row.before for row in rows), sum(row.after for row in rows)
        return self.model_copy(
            update={
                "activities": rows,
                "partners": [row for row in self.partners if row.name == partner],
                "results": [],
                "reasons": [],
                "total_before": before,
                "total_after": after,
                "cut": before - after,
                "budget": after,
                "value_before": 0.0,
                "value_after": 0.0,
                "largest_possible_cut": None,
            }
        )

    def of_cycle(self, cycle_id: int) -> "CycleShare":
        """The part of the outcome that falls on one cycle (one theme's): a scenario for the
        whole organisation is read on a cycle's page by that cycle's own figures."""
        rows = [row for row in self.activities if row.cycle_id == cycle_id]
        return CycleShare(
            before=sum(row.before for row in rows),
            after=sum(row.after for row in rows),
            counts={level: sum(row.level == level for row in rows) for level in Level},
        )


@dataclass(frozen=True)
class CycleShare:
    before: float
    after: float
    counts: dict[Level, int]

    @property
    def saved(self) -> float:
        return self.before - self.after


def _euros(value: Decimal | None) -> float:
    return float(value or 0)


def cut_amount(scenario: Scenario, total: float) -> float:
    if scenario.cut_kind is CutKind.PERCENT:
        return total * float(scenario.cut_value) / 100
    return float(scenario.cut_value)


def problem_of(
    scenario: Scenario,
    scope: Scope,
    pins: Mapping[int, Pin],
    weights: Mapping[int, int] | None = None,
) -> Problem:
    """The optimiser's plain data for this scenario; `weights` per result id, else each
    result's priority rank (`priority_weight`)."""
    largest = max(
        (sum(1 for r in scope.results if r.cycle_id == c.id) for c in scope.cycles), default=1
    )
    top = scenario.covered_top_results
    items = [
        Item(
            id=row_id(a),
            cost=_euros(a.annual_budget),
            contributions={link.result_id: STRENGTH[link.contribution] for link in a.links},
            partner=a.partner_id,
            minimum=a.minimum_level,
            must_stay=a.legal_duty or pins.get(row_id(a)) is Pin.STAY,
            fixed=PINNED.get(pins.get(row_id(a))),
        )
        for a in scope.activities
    ]
    total = sum(item.cost for item in items)
    loss = scenario.max_partner_loss
    return Problem(
        items=items,
        weights=(
            {row_id(r): weights.get(row_id(r), 0) for r in scope.results}
            if weights is not None
            else {row_id(r): priority_weight(r.rank, largest) for r in scope.results}
        ),
        budget=total - cut_amount(scenario, total),
        max_partner_loss=float(loss) / 100 if loss is not None else None,
        covered=[row_id(r) for r in scope.results if top and r.rank <= top],
    )


def build(
    scenario: Scenario,
    scope: Scope,
    pins: Mapping[int, Pin],
    solver: Callable[[Problem], Answer] = solve,
    weights: Mapping[int, int] | None = None,
) -> Outcome:
    problem = problem_of(scenario, scope, pins, weights)
    found = solver(problem)
    everything = {item.id: Level.KEEP for item in problem.items}
    levels: Mapping[int, Level | None] = (
        found.levels if isinstance(found, Solution) else dict.fromkeys(everything)
    )
    fraction = {item.id: item.fraction(levels[item.id] or Level.KEEP) for item in problem.items}
    activities = [
        ActivityRow(
            id=row_id(a),
            cycle_id=a.cycle_id,
            name=a.name,
            theme=scope.theme_of(a.cycle_id),
            partner=a.partner.name if a.partner else NO_PARTNER,
            legal_duty=a.legal_duty,
            minimum_level=a.minimum_level,
            pin=pins.get(row_id(a)),
            level=levels[row_id(a)],
            before=_euros(a.annual_budget),
            after=_euros(a.annual_budget) * fraction[row_id(a)],
        )
        for a in scope.activities
    ]
    if isinstance(found, Solution):
        why = reasons(problem, found.levels)
        items = {item.id: item for item in problem.items}
        labels = {row_id(r): _result_label(r, scope) for r in scope.results}
        for row in activities:
            row.why = _whyin_words(row, items[row.id], why[row.id], scenario, labels, len(items))
    total_before = problem.total
    total_after = sum(row.after for row in activities)
    infeasible = found if isinstance(found, Infeasible) else None
    return Outcome(
        feasible=isinstance(found, Solution),
        optimal=isinstance(found, Solution) and found.optimal,
        total_before=total_before,
        cut=total_before - problem.budget,
        budget=problem.budget,
        total_after=total_after,
        value_before=problem.score(everything),
        value_after=(
            problem.score(found.levels)
            if isinstance(found, Solution)
            else problem.score(everything)
        ),
        activities=activities,
        results=_results(scope, fraction),
        partners=_partners(activities),
        reasons=(
            [in_words(reason, scenario, scope, problem, pins) for reason in infeasible.reasons]
            if infeasible is not None
            else []
        ),
        largest_possible_cut=(
            total_before - infeasible.minimum_cost
            if infeasible is not None and infeasible.minimum_cost is not None
            else None
        ),
        seconds=found.seconds,
        bounded=found.bounded,
        solved=not isinstance(found, Unsolved),
        largest_cut_exact=infeasible is None or infeasible.minimum_exact,
    )


def _results(scope: Scope, fraction: Mapping[int, float]) -> list[ResultRow]:
    """Per result: the euros of the activities serving it (each activity's budget shared over
    its results by the strength of its contribution) and the summed strength, scaled by level."""
    euros_before: dict[int, float] = {}
    euros_after: dict[int, float] = {}
    strength_before: dict[int, float] = {}
    strength_after: dict[int, float] = {}
    for a in scope.activities:
        strengths = {link.result_id: STRENGTH[link.contribution] for link in a.links}
        whole = sum(strengths.values())
        for result_id, strength in strengths.items():
            share = _euros(a.annual_budget) * strength / whole
            level = fraction[row_id(a)]
            euros_before[result_id] = euros_before.get(result_id, 0) + share
            euros_after[result_id] = euros_after.get(result_id, 0) + share * level
            strength_before[result_id] = strength_before.get(result_id, 0) + strength
            strength_after[result_id] = strength_after.get(result_id, 0) + strength * level
    return [
        ResultRow(
            id=row_id(r),
            theme=scope.theme_of(r.cycle_id),
            rank=r.rank,
            code=r.code,
            text=r.text,
            euros_before=euros_before.get(row_id(r), 0.0),
            euros_after=euros_after.get(row_id(r), 0.0),
            contribution_before=strength_before.get(row_id(r), 0.0),
            contribution_after=round(strength_after.get(row_id(r), 0.0), 6),
        )
        for r in scope.results
    ]


def _partners(activities: Sequence[ActivityRow]) -> list[PartnerRow]:
    rows: dict[str, PartnerRow] = {}
    for a in activities:
        row = rows.setdefault(a.partner, PartnerRow(name=a.partner, before=0, after=0))
        row.before += a.before
        row.after += a.after
    return sorted(rows.values(), key=lambda row: (row.name == NO_PARTNER, row.name))


def in_words(
    reason: Reason, scenario: Scenario, scope: Scope, problem: Problem, pins: Mapping[int, Pin]
) -> str:
    """Why no choice fits, naming the hand choices that count in it."""
    said = _limit_in_words(reason, scenario, scope, problem, pins)
    if pins and reason.limit in (Limit.PARTNER, Limit.COVERAGE, Limit.COMBINED):
        said += f" Daarin tellen de keuzes met de hand mee: {_named(scope, pins)}."
    return said


def _limit_in_words(
    reason: Reason, scenario: Scenario, scope: Scope, problem: Problem, pins: Mapping[int, Pin]
) -> str:
    # Not exact: the time bound stopped the proof at a lower bound.
    amount = ("minstens " if not reason.exact else "") + format_euro(round(reason.amount))
    budget = format_euro(round(problem.budget))
    limit = reason.limit
    if limit is Limit.BUDGET:
        return (
            f"De bezuiniging is {amount} groter dan het hele budget van de activiteiten in dit "
            f"scenario ({format_euro(round(problem.total))})."
        )
    if limit is Limit.FIXED:
        return (
            f"De keuzes die met de hand zijn gemaakt ({_named(scope, pins)}) kosten samen al "
            f"{amount} meer dan het budget na de bezuiniging ({budget})."
        )
    if limit is Limit.MUST_STAY:
        chosen = _named(scope, pins, {Pin.STAY, Pin.KEEP, Pin.REDUCE})
        return (
            "De wettelijke taken en de activiteiten die moeten blijven"
            + (f" (met de hand: {chosen})" if chosen else "")
            + f" kosten, ook op hun minimumniveau, {amount} meer dan het budget na de "
            f"bezuiniging ({budget})."
        )
    if limit is Limit.PARTNER:
        return (
            f"De grens ‘een partner verliest hoogstens "
            f"{format_number(scenario.max_partner_loss)}%’ vraagt {amount} meer dan het budget "
            f"na de bezuiniging ({budget})."
        )
    if limit is Limit.COVERAGE:
        return (
            f"De grens ‘elk resultaat in de top {scenario.covered_top_results} houdt minstens "
            f"één activiteit’ vraagt {amount} meer dan het budget na de bezuiniging ({budget})."
        )
    if limit is Limit.COMBINED:
        return (
            "Elke grens past op zich binnen het budget, maar samen vragen ze "
            f"{amount} meer dan het budget na de bezuiniging ({budget})."
        )
    if limit is Limit.PARTNER_FIXED:
        partner = next(
            (
                a.partner.name
                for a in scope.activities
                if a.partner_id == reason.subject and a.partner
            ),
            NO_PARTNER,
        )
        own = {
            row_id(a): pins[row_id(a)]
            for a in scope.activities
            if a.partner_id == reason.subject and pins.get(row_id(a)) in (Pin.STOP, Pin.REDUCE)
        }
        return (
            f"Door de keuzes met de hand ({_named(scope, own)}) verliest {partner} meer dan "
            f"{format_number(scenario.max_partner_loss)}% van het budget: er ontbreekt {amount}."
        )
    result = next(r for r in scope.results if r.id == reason.subject)
    stopped = {
        row_id(a): Pin.STOP
        for a in scope.activities
        if pins.get(row_id(a)) is Pin.STOP and any(link.result_id == result.id for link in a.links)
    }
    return (
        f"Resultaat {_result_label(result, scope)} (‘{result.text}’) hoort bij de top "
        f"{scenario.covered_top_results}, maar geen activiteit die kan blijven draagt eraan bij"
        + (f": met de hand gestopt zijn {_named(scope, stopped)}." if stopped else ".")
    )


def _named(scope: Scope, pins: Mapping[int, Pin], kinds: set[Pin] | None = None) -> str:
    """The activities chosen by hand, with the choice: ‘Bingomiddag: stoppen’."""
    return "; ".join(
        f"{a.name}: {pins[row_id(a)].label.lower()}"
        for a in scope.activities
        if row_id(a) in pins and (kinds is None or pins[row_id(a)] in kinds)
    )


def _result_label(result: Result, scope: Scope) -> str:
    """A result by its code (J2), as the step pages name it; without one, theme and rank."""
    return result.code or f"{scope.theme_of(result.cycle_id)} {result.rank}"


def _whyin_words(
    row: ActivityRow,
    item: Item,
    why: Why,
    scenario: Scenario,
    labels: Mapping[int, str],
    count: int,
) -> list[str]:
    """Why an activity is kept, reduced or stopped, in sentences a college reads."""
    said = []
    if row.pin is not None:
        said.append(f"Met de hand gekozen: {row.pin.label.lower()}.")
    if row.legal_duty and row.level is not Level.STOP:
        said.append("Een wettelijke taak: die kan niet stoppen.")
    if row.level is Level.REDUCE and row.pin is None:
        said.append(
            f"Verminderd tot het minimumniveau van {row.minimum_level}%: minder kan alleen "
            "door te stoppen."
        )
    if why.partner_floor:
        said.append(
            f"De grens voor {row.partner} houdt dit vast: minder zou {row.partner} meer dan "
            f"{format_number(scenario.max_partner_loss)}% van het budget laten verliezen."
        )
    for result_id in why.only_for:
        said.append(
            f"De laatste activiteit voor resultaat {labels[result_id]}, dat bij de top "
            f"{scenario.covered_top_results} hoort die een activiteit houdt."
        )
    if item.contributions and why.per_euro:
        said.append(
            f"Draagt {format_number(round(why.per_euro, 2))} per € 1.000 bij aan de resultaten, "
            f"gewogen naar prioriteit: plaats {why.place} van {count}."
        )
    else:
        said.append("Draagt niet bij aan een resultaat met een prioriteit.")
    limited = row.pin is not None or row.legal_duty or why.partner_floor or why.only_for
    if row.level is Level.KEEP and why.passed_over and limited:
        said.append(
            "Het blijft hierdoor, hoewel "
            + (
                "1 activiteit die minder krijgt per euro meer bijdraagt."
                if why.passed_over == 1
                else f"{why.passed_over} activiteiten die minder krijgen per euro meer bijdragen."
            )
        )
    elif row.level is not Level.KEEP and row.pin is None and not limited:
        said.append(
            "Alle activiteiten die blijven dragen per euro meer bij."
            if not why.passed_over
            else "1 activiteit die blijft draagt per euro minder bij: die houdt een grens vast, "
            "of ze past beter in wat er na de bezuiniging over is."
            if why.passed_over == 1
            else f"{why.passed_over} activiteiten die blijven dragen per euro minder bij: die "
            "houdt een grens vast, of ze passen beter in wat er na de bezuiniging over is."
        )
    return said
