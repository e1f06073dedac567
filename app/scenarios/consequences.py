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
    priority_weight,
    solve,
)

STRENGTH = {Contribution.SMALL: 1, Contribution.MEDIUM: 2, Contribution.LARGE: 3}
LEVEL_LABELS = {Level.KEEP: "Behouden", Level.REDUCE: "Verminderd", Level.STOP: "Gestopt"}
PINNED = {Pin.KEEP: Level.KEEP, Pin.REDUCE: Level.REDUCE, Pin.STOP: Level.STOP}
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

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level] if self.level else "–"


class ResultRow(BaseModel):
    id: int
    theme: str
    rank: int
    text: str
    euros_before: float
    euros_after: float
    contribution_before: float
    contribution_after: float

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
        activities serve too, nor the contribution the optimiser weighed."""
        rows = [row for row in self.activities if row.partner == partner]
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


def problem_of(scenario: Scenario, scope: Scope, pins: Mapping[int, Pin]) -> Problem:
    """The optimiser's plain data for this scenario."""
    largest = max(
        (sum(1 for r in scope.results if r.cycle_id == c.id) for c in scope.cycles), default=1
    )
    top = scenario.covered_top_results
    items = [
        Item(
            id=a.id,  # type: ignore[arg-type]
            cost=_euros(a.annual_budget),
            contributions={link.result_id: STRENGTH[link.contribution] for link in a.links},
            partner=a.partner_id,
            minimum=a.minimum_level,
            must_stay=a.legal_duty or pins.get(a.id) is Pin.STAY,  # type: ignore[arg-type]
            fixed=PINNED.get(pins.get(a.id)),  # type: ignore[arg-type]
        )
        for a in scope.activities
    ]
    total = sum(item.cost for item in items)
    loss = scenario.max_partner_loss
    return Problem(
        items=items,
        weights={r.id: priority_weight(r.rank, largest) for r in scope.results},  # type: ignore[misc]
        budget=total - cut_amount(scenario, total),
        max_partner_loss=float(loss) / 100 if loss is not None else None,
        covered=[r.id for r in scope.results if top and r.rank <= top],  # type: ignore[misc]
    )


def build(
    scenario: Scenario,
    scope: Scope,
    pins: Mapping[int, Pin],
    solver: Callable[[Problem], Answer] = solve,
) -> Outcome:
    problem = problem_of(scenario, scope, pins)
    found = solver(problem)
    everything = {item.id: Level.KEEP for item in problem.items}
    levels: Mapping[int, Level | None] = (
        found.levels if isinstance(found, Solution) else dict.fromkeys(everything)
    )
    fraction = {item.id: item.fraction(levels[item.id] or Level.KEEP) for item in problem.items}
    activities = [
        ActivityRow(
            id=a.id,  # type: ignore[arg-type]
            cycle_id=a.cycle_id,
            name=a.name,
            theme=scope.theme_of(a.cycle_id),
            partner=a.partner.name if a.partner else NO_PARTNER,
            legal_duty=a.legal_duty,
            minimum_level=a.minimum_level,
            pin=pins.get(a.id),  # type: ignore[arg-type]
            level=levels[a.id],  # type: ignore[index]
            before=_euros(a.annual_budget),
            after=_euros(a.annual_budget) * fraction[a.id],  # type: ignore[index]
        )
        for a in scope.activities
    ]
    total_before = problem.total
    total_after = sum(row.after for row in activities)
    infeasible = isinstance(found, Infeasible)
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
            [_in_words(reason, scenario, scope, problem) for reason in found.reasons]
            if infeasible
            else []
        ),
        largest_possible_cut=(
            total_before - found.minimum_cost
            if infeasible and found.minimum_cost is not None
            else None
        ),
        seconds=found.seconds,
        bounded=found.bounded,
        solved=not isinstance(found, Unsolved),
        largest_cut_exact=not infeasible or found.minimum_exact,
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
            level = fraction[a.id]  # type: ignore[index]
            euros_before[result_id] = euros_before.get(result_id, 0) + share
            euros_after[result_id] = euros_after.get(result_id, 0) + share * level
            strength_before[result_id] = strength_before.get(result_id, 0) + strength
            strength_after[result_id] = strength_after.get(result_id, 0) + strength * level
    return [
        ResultRow(
            id=r.id,  # type: ignore[arg-type]
            theme=scope.theme_of(r.cycle_id),
            rank=r.rank,
            text=r.text,
            euros_before=euros_before.get(r.id, 0.0),  # type: ignore[arg-type]
            euros_after=euros_after.get(r.id, 0.0),  # type: ignore[arg-type]
            contribution_before=strength_before.get(r.id, 0.0),  # type: ignore[arg-type]
            contribution_after=round(strength_after.get(r.id, 0.0), 6),  # type: ignore[arg-type]
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


def _in_words(reason: Reason, scenario: Scenario, scope: Scope, problem: Problem) -> str:
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
            f"De keuzes die met de hand zijn gemaakt kosten samen al {amount} meer dan het "
            f"budget na de bezuiniging ({budget})."
        )
    if limit is Limit.MUST_STAY:
        return (
            "De wettelijke taken en de activiteiten die moeten blijven kosten, ook op hun "
            f"minimumniveau, {amount} meer dan het budget na de bezuiniging ({budget})."
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
        return (
            f"Door de keuzes met de hand verliest {partner} meer dan "
            f"{format_number(scenario.max_partner_loss)}% van het budget: er ontbreekt {amount}."
        )
    result = next(r for r in scope.results if r.id == reason.subject)
    return (
        f"Resultaat {result.rank} van {scope.theme_of(result.cycle_id)} (‘{result.text}’) hoort "
        f"bij de top {scenario.covered_top_results}, maar geen activiteit die kan blijven draagt "
        "eraan bij."
    )
