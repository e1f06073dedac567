"""Which activities to keep, reduce or stop under a budget cut: a mixed-integer program.

Plain data in, plain data out (no database), so that it can be tested against brute force and
benchmarked on its own. Solved with HiGHS through `scipy.optimize.milp`, which proves the
choice optimal (relative gap 0); the costs to keep through HiGHS's own package (`highspy`),
which keeps a model between solves and takes a starting choice.

The program
-----------
Activity a costs c_a per year and contributes to result r with strength s_ar (beperkt 1,
duidelijk 2, sterk 3). Result r has priority weight w_r (see `priority_weight`). The value of
an activity is v_a = sum_r w_r * s_ar.

Two binary variables per activity: k_a (keep it whole) and d_a (reduce it to its minimum level
m_a, a percentage; only when it has one). k_a + d_a <= 1; neither means stop. Its level is
l_a = k_a + (m_a / 100) * d_a, and its cost and its contribution scale with that level.

    maximise    sum_a v_a * (100 * k_a + m_a * d_a)        priority-weighted contribution (%)
    subject to  sum_a c_a * l_a <= B                       the budget after the cut
                k_a + d_a = 1                              legal duties, activities that stay
                sum_{a of p} c_a * l_a >= (1 - L) * C_p    every partner p loses at most L
                sum_{a : s_ar > 0} (k_a + d_a) >= 1        every result r in the top K
                k_a, d_a fixed                             choices made by hand

The coefficients of the objective are whole numbers, which lets HiGHS close the gap exactly.
When no choice satisfies every limit, `solve` says which limit makes it impossible and by how
much, by solving the cheapest choice under each limit on its own.

Time
----
All of it, the program and its explanation, shares one bound (`seconds`, a few seconds): each
solve gets what is left. Unbounded, 1,000 activities whose cut the partner limit makes
impossible took two minutes to explain (two of the cheapest-choice solves ran into their 60 s).
When the bound stops a solve, the answer says so (`bounded`): the best choice found so far,
not proven best; or, for an explanation, the lower bound HiGHS had proven ("at least") and
limits left undecided; or `Unsolved`, neither a choice nor a proof that none exists.

The cost to keep
----------------
What keeping a reduced or stopped activity whole would cost is the program solved again with
that activity fixed at `keep`: exact, proven at gap 0 like the choice itself. The LP's duals
alone are not exact here: keeping is a whole step of a binary, beyond the range in which a
dual price holds, and the others are then chosen again in whole steps too. A plain re-solve
took 0.3-0.6 s at 1,000 activities, about 20 s for the 63 of a scenario; `keep_costs` gives
all of them in about a second (`_Forcing`), still exact: it only skips work that cannot change
the answer. Measured, and not taken: highspy's model kept between plain re-solves (no faster);
the forced LP re-solved per activity (its bound is within a few units of the base duals'); a
start alone, without the fixing (0.2 s each: HiGHS still closes the gap over 2,000 binaries).
The one change that counted most: HiGHS on one thread (its workers on a busy 2-core machine
made each small solve 0.2 s instead of a few ms).
"""

import hashlib
import json
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

import highspy
import highspy._core
import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

TOLERANCE = 1e-6  # euros; HiGHS works in floating point
SECONDS = 4.0  # the bound on one scenario's solve and explanation together
SHORTEST = 0.02  # seconds: with less left, a solve is not started
VERSION = 2  # of the program and its answers: stored answers of another version are not used


class Level(StrEnum):
    KEEP = "keep"
    REDUCE = "reduce"
    STOP = "stop"


@dataclass(frozen=True)
class Item:
    """One activity, as the optimiser sees it."""

    id: int
    cost: float
    contributions: Mapping[int, int] = field(default_factory=dict)  # result id -> strength
    partner: int | None = None
    minimum: int | None = None  # the level (%) it can be reduced to; None: keep or stop
    must_stay: bool = False  # a legal duty, or chosen to stay: never stopped
    fixed: Level | None = None  # chosen by hand; wins over must_stay

    def levels(self) -> list[Level]:
        if self.fixed is not None:
            return [self.fixed]
        options = [Level.KEEP] + ([Level.REDUCE] if self.minimum else [])
        return options if self.must_stay else [*options, Level.STOP]

    def fraction(self, level: Level) -> float:
        if level is Level.KEEP:
            return 1.0
        if level is Level.REDUCE:
            return (self.minimum or 0) / 100
        return 0.0


@dataclass(frozen=True)
class Problem:
    items: Sequence[Item]
    weights: Mapping[int, int]  # result id -> priority weight
    budget: float  # what may be spent after the cut
    max_partner_loss: float | None = None  # a fraction: 0.1 means at most 10% less
    covered: Sequence[int] = ()  # results that must keep at least one activity

    @property
    def total(self) -> float:
        return sum(item.cost for item in self.items)

    def value(self, item: Item) -> int:
        return sum(self.weights.get(r, 0) * s for r, s in item.contributions.items())

    def score(self, levels: Mapping[int, Level]) -> float:
        """The objective of a choice: priority-weighted contribution, whole = 1 per unit."""
        return sum(self.value(i) * i.fraction(levels[i.id]) for i in self.items)


@dataclass(frozen=True)
class Solution:
    levels: dict[int, Level]
    objective: float
    cost: float
    optimal: bool  # proven optimal; False when the time limit cut the search short
    seconds: float = SECONDS  # the bound it was solved within

    @property
    def bounded(self) -> bool:
        return not self.optimal


class Limit(StrEnum):
    BUDGET = "budget"  # the cut is larger than everything in scope costs
    FIXED = "fixed"  # the choices made by hand already cost more than the budget
    MUST_STAY = "must_stay"  # legal duties and activities that must stay
    PARTNER = "partner"  # the most a partner may lose
    COVERAGE = "coverage"  # the top results that keep an activity
    COMBINED = "combined"  # no limit alone, but together
    PARTNER_FIXED = "partner_fixed"  # a hand choice takes more from a partner than allowed
    NO_CONTRIBUTOR = "no_contributor"  # a top result without any activity that can stay


@dataclass(frozen=True)
class Reason:
    limit: Limit
    amount: float  # euros over the budget; for PARTNER_FIXED the partner's shortfall in euros
    subject: int | None = None  # the partner or result concerned
    exact: bool = True  # False: at least `amount` (the time bound stopped the proof there)


@dataclass(frozen=True)
class Infeasible:
    reasons: list[Reason]
    # The cheapest choice that meets every limit but the budget (when not `minimum_exact`:
    # the cheapest one found in time, so the true minimum is at most this).
    minimum_cost: float | None
    minimum_exact: bool = True
    bounded: bool = False  # the time bound left limits undecided or amounts as lower bounds
    seconds: float = SECONDS


@dataclass(frozen=True)
class Unsolved:
    """Within the time bound, neither a choice that fits nor a proof that none does."""

    seconds: float = SECONDS

    bounded = True


Answer = Solution | Infeasible | Unsolved


class Deadline:
    """The time left of one bound, shared by the solves of one answer."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self.end = clock() + seconds

    def left(self) -> float:
        return max(0.0, self.end - self.clock())


def priority_weight(rank: int, largest: int) -> int:
    """Rank 1 weighs `largest` (the most results in any cycle in scope), the next one less."""
    return max(largest - rank + 1, 1)


def solve(problem: Problem, *, seconds: float = SECONDS) -> Answer:
    """The best choice within every limit, or why there is none, within `seconds` in all."""
    deadline = Deadline(seconds)
    model = _Program(problem)
    run = model.run(maximise=True, budget=True, time_limit=deadline.left())
    if run.levels is not None:
        return Solution(
            levels=run.levels,
            objective=problem.score(run.levels),
            cost=model.cost_of(run.levels),
            optimal=run.status is Status.OPTIMAL,
            seconds=seconds,
        )
    found = explain(problem, deadline=deadline, model=model)
    if run.status is Status.UNKNOWN and not found.reasons:
        return Unsolved(seconds)  # nothing proves that no choice fits, nor found one
    return found


def explain(
    problem: Problem, *, deadline: Deadline | None = None, model: "_Program | None" = None
) -> Infeasible:
    """Which limit makes the cut impossible, and by how many euros (or which result/partner).

    Each limit is weighed by the cheapest choice under it alone, the slow partner limit and
    the cheapest choice under all limits last: when the bound stops a solve, the lower bound
    HiGHS proved still shows a limit that cannot fit ("at least"), and the cheapest choice it
    found still shows a cut that can be made."""
    deadline = deadline or Deadline(SECONDS)
    if problem.budget < -TOLERANCE:
        return Infeasible([Reason(Limit.BUDGET, -problem.budget)], 0.0, seconds=deadline.seconds)
    reasons = _structural(problem)
    if reasons:
        return Infeasible(reasons, None, seconds=deadline.seconds)
    model = model or _Program(problem)
    budget = problem.budget
    bounded = False

    def cheapest(**limits: bool) -> tuple[float | None, float | None]:
        """What the cheapest choice under these limits costs: proven at least, found at most."""
        nonlocal bounded
        run = model.run(maximise=False, budget=False, time_limit=deadline.left(), **limits)
        found = model.cost_of(run.levels) if run.levels is not None else None
        if run.status is Status.OPTIMAL:
            return found, found
        bounded = True
        return run.bound, found

    over: list[Reason] = []
    for limit, limits in (
        (Limit.FIXED, {"stay": False, "partner": False, "coverage": False}),
        (Limit.MUST_STAY, {"partner": False, "coverage": False}),
        (Limit.COVERAGE, {"stay": False, "partner": False}),
        (Limit.PARTNER, {"stay": False, "coverage": False}),
    ):
        least, most = cheapest(**limits)
        if least is not None and least > budget + TOLERANCE:
            exact = most is not None and most - least <= TOLERANCE
            over.append(Reason(limit, least - budget, exact=exact))
        if over and over[0].limit is Limit.FIXED:
            break  # the hand choices alone: that is the reason
    least, most = cheapest()
    minimum_exact = least is not None and most is not None and most - least <= TOLERANCE
    if over and over[0].limit is Limit.FIXED:
        reasons = over[:1]
    elif over:
        reasons = sorted(over, key=lambda r: ORDER.index(r.limit))
    elif least is not None and least > budget + TOLERANCE:
        reasons = [Reason(Limit.COMBINED, least - budget, exact=minimum_exact)]
    else:
        reasons = []  # the bound stopped the solves before any limit showed
    return Infeasible(
        reasons, most, minimum_exact=minimum_exact, bounded=bounded, seconds=deadline.seconds
    )


ORDER = [Limit.FIXED, Limit.MUST_STAY, Limit.PARTNER, Limit.COVERAGE]


def _structural(problem: Problem) -> list[Reason]:
    """Limits that no budget can satisfy: hand choices against partners and top results."""
    reasons = []
    for result_id in problem.covered:
        if not any(
            item.contributions.get(result_id) and item.levels() != [Level.STOP]
            for item in problem.items
        ):
            reasons.append(Reason(Limit.NO_CONTRIBUTOR, 0.0, result_id))
    if problem.max_partner_loss is not None:
        for partner, items in _by_partner(problem.items).items():
            total = sum(i.cost for i in items)
            most = sum(i.cost * max(i.fraction(lv) for lv in i.levels()) for i in items)
            need = (1 - problem.max_partner_loss) * total
            if most < need - TOLERANCE:
                reasons.append(Reason(Limit.PARTNER_FIXED, need - most, partner))
    return reasons


def _by_partner(items: Sequence[Item]) -> dict[int, list[Item]]:
    grouped: dict[int, list[Item]] = {}
    for item in items:
        if item.partner is not None:
            grouped.setdefault(item.partner, []).append(item)
    return grouped


class Status(StrEnum):
    OPTIMAL = "optimal"  # proven
    STOPPED = "stopped"  # the time limit stopped the search; the best choice found so far
    INFEASIBLE = "infeasible"  # proven: no choice meets these limits
    UNKNOWN = "unknown"  # the time limit came before any choice or proof


@dataclass(frozen=True)
class _Run:
    status: Status
    levels: dict[int, Level] | None = None
    bound: float | None = None  # what HiGHS proved of the objective (minimising: at least)


class _Program:
    """The program's matrices, built once; `run` picks which limits apply."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        items = problem.items
        n = len(items)
        self.n = n
        self.cost = np.array([i.cost for i in items], dtype=float)
        self.reduced = np.array([i.cost * (i.minimum or 0) / 100 for i in items], dtype=float)
        self.cost_row = np.concatenate([self.cost, self.reduced])
        values = np.array([problem.value(i) for i in items], dtype=float)
        minimum = np.array([i.minimum or 0 for i in items], dtype=float)
        self.value_row = np.concatenate([100 * values, minimum * values])
        index = {item.id: k for k, item in enumerate(items)}
        self.partners = [
            ([index[i.id] for i in group], sum(i.cost for i in group))
            for group in _by_partner(items).values()
        ]
        contributors: dict[int, list[int]] = {r: [] for r in problem.covered}
        for k, item in enumerate(items):
            for r, strength in item.contributions.items():
                if strength and r in contributors:
                    contributors[r].append(k)
        self.contributors = list(contributors.values())

    def _bounds(self, stay: bool) -> Bounds:
        lower, upper = np.zeros(2 * self.n), np.ones(2 * self.n)
        for k, item in enumerate(self.problem.items):
            if not item.minimum:
                upper[self.n + k] = 0
                if stay and item.must_stay:
                    lower[k] = 1
            if item.fixed is not None:
                keep, reduce = item.fixed is Level.KEEP, item.fixed is Level.REDUCE
                lower[k] = upper[k] = float(keep)
                lower[self.n + k] = upper[self.n + k] = float(reduce)
        return Bounds(lower, upper)

    def rows(
        self, *, budget: bool, stay: bool, partner: bool, coverage: bool
    ) -> tuple[csr_array, np.ndarray, np.ndarray]:
        """The constraint matrix of these limits, with each row's lower and upper bound."""
        n = self.n
        rows: list[tuple[Sequence[int], Sequence[float]]] = []
        lower: list[float] = []
        upper: list[float] = []

        def add(columns: Sequence[int], coefficients: Sequence[float], lo: float, hi: float):
            rows.append((columns, coefficients))
            lower.append(lo)
            upper.append(hi)

        for k, item in enumerate(self.problem.items):  # keep or reduce, not both
            if item.minimum and item.fixed is None:  # the others are settled by their bounds
                add([k, n + k], [1, 1], 1 if stay and item.must_stay else 0, 1)
        if budget:
            add(range(2 * n), list(self.cost_row), -np.inf, self.problem.budget)
        if partner and self.problem.max_partner_loss is not None:
            share = 1 - self.problem.max_partner_loss
            for members, total in self.partners:
                columns = [*members, *(n + k for k in members)]
                add(columns, [*self.cost[members], *self.reduced[members]], share * total, np.inf)
        if coverage:
            for members in self.contributors:
                add([*members, *(n + k for k in members)], [1] * (2 * len(members)), 1, np.inf)
        data = [c for _, coefficients in rows for c in coefficients]
        columns = [j for cols, _ in rows for j in cols]
        pointers = np.cumsum([0] + [len(c) for _, c in rows])
        matrix = csr_array((data, columns, pointers), shape=(len(rows), 2 * n))
        return matrix, np.array(lower, dtype=float), np.array(upper, dtype=float)

    def run(
        self,
        *,
        maximise: bool,
        budget: bool,
        stay: bool = True,
        partner: bool = True,
        coverage: bool = True,
        time_limit: float = SECONDS,
    ) -> _Run:
        n = self.n
        if n == 0:  # nothing to choose; HiGHS needs at least one variable
            fits = (not budget or self.problem.budget >= -TOLERANCE) and not (
                coverage and self.problem.covered
            )
            return _Run(Status.OPTIMAL, {}, 0.0) if fits else _Run(Status.INFEASIBLE)
        if time_limit < SHORTEST:
            return _Run(Status.UNKNOWN)
        matrix, lower, upper = self.rows(
            budget=budget, stay=stay, partner=partner, coverage=coverage
        )
        objective = -self.value_row if maximise else self.cost_row
        result = milp(
            objective,
            constraints=LinearConstraint(matrix, lower, upper),
            integrality=np.ones(2 * n),
            bounds=self._bounds(stay),
            options={"mip_rel_gap": 0.0, "time_limit": time_limit},
        )
        bound = getattr(result, "mip_dual_bound", None)
        bound = float(bound) if bound is not None and np.isfinite(bound) else None
        if result.x is None:
            # 2: infeasible; otherwise (1, the time limit) no choice found in time.
            return _Run(Status.INFEASIBLE if result.status == 2 else Status.UNKNOWN, None, bound)
        return _Run(
            Status.OPTIMAL if result.status == 0 else Status.STOPPED,
            self.levels_of(result.x),
            bound,
        )

    def levels_of(self, x: np.ndarray) -> dict[int, Level]:
        x = np.round(x)
        n = self.n
        return {
            item.id: Level.KEEP if x[k] else Level.REDUCE if x[n + k] else Level.STOP
            for k, item in enumerate(self.problem.items)
        }

    def cost_of(self, levels: Mapping[int, Level]) -> float:
        return sum(i.cost * i.fraction(levels[i.id]) for i in self.problem.items)


# Why each activity has its level: the limits that hold it there, checked against the chosen
# levels alone (no solve: every activity of a 1,000-activity scenario in milliseconds).


@dataclass(frozen=True)
class Why:
    """What holds one activity at its level in a chosen solution."""

    per_euro: float  # its priority-weighted contribution per 1,000 euros
    place: int  # 1: the most per euro of the activities in scope
    partner_floor: bool  # lowering it would take its partner below the most it may lose
    only_for: tuple[int, ...]  # covered results it is the last activity for
    # Kept: how many activities that are reduced or stopped give more per euro (a limit, not
    # its contribution, keeps it). Reduced or stopped: how many kept ones give less.
    passed_over: int


def reasons(problem: Problem, levels: Mapping[int, Level]) -> dict[int, Why]:
    """Per activity, the limits that bind at the chosen `levels` (a `Solution`'s)."""
    per_euro = {i.id: 1000 * problem.value(i) / i.cost if i.cost else 0.0 for i in problem.items}
    ascending = sorted(per_euro.values())
    # place 1 gives the most; activities that give the same share a place
    place = {i: len(ascending) - bisect_right(ascending, v) + 1 for i, v in per_euro.items()}
    spent: dict[int, float] = {}
    for item in problem.items:
        if item.partner is not None:
            spent[item.partner] = spent.get(item.partner, 0.0) + item.cost * item.fraction(
                levels[item.id]
            )
    floors = (
        {
            p: (1 - problem.max_partner_loss) * sum(i.cost for i in group)
            for p, group in _by_partner(problem.items).items()
        }
        if problem.max_partner_loss is not None
        else {}
    )
    serving: dict[int, list[int]] = {r: [] for r in problem.covered}
    for item in problem.items:
        for r, strength in item.contributions.items():
            if strength and r in serving and levels[item.id] is not Level.STOP:
                serving[r].append(item.id)
    kept = sorted(per_euro[i.id] for i in problem.items if levels[i.id] is not Level.STOP)
    lowered = sorted(per_euro[i.id] for i in problem.items if levels[i.id] is not Level.KEEP)
    found = {}
    for item in problem.items:
        level = levels[item.id]
        lower = [lv for lv in item.levels() if item.fraction(lv) < item.fraction(level)]
        step = item.cost * (
            item.fraction(level)
            - max((item.fraction(lv) for lv in lower), default=item.fraction(level))
        )
        floor = floors.get(item.partner) if item.partner is not None else None
        mine = per_euro[item.id]
        found[item.id] = Why(
            per_euro=mine,
            place=place[item.id],
            partner_floor=bool(lower)
            and floor is not None
            and spent[item.partner] - step < floor - TOLERANCE,  # type: ignore[index]
            only_for=tuple(r for r, ids in serving.items() if ids == [item.id]),
            passed_over=(
                len(lowered) - bisect_right(lowered, mine)
                if level is Level.KEEP
                else bisect_left(kept, mine)
            ),
        )
    return found


@dataclass(frozen=True)
class KeepCost:
    """What keeping one activity whole would cost, from a solve with it kept by hand."""

    euros: float  # the extra budget to keep it with everything else as chosen
    answer: Answer  # the best choice with it kept, within the same budget and limits
    loss: float | None  # the objective lost against `base`; None when it cannot be kept


def keep_cost(
    problem: Problem, item_id: int, base: Solution, *, seconds: float = SECONDS
) -> KeepCost:
    """The cost to keep one activity (the page asks one at a time): see `keep_costs`."""
    return keep_costs(problem, base, [item_id], seconds=seconds)[item_id]


def keep_costs(
    problem: Problem,
    base: Solution,
    item_ids: Sequence[int] | None = None,
    *,
    seconds: float = SECONDS,
) -> dict[int, KeepCost]:
    """Per activity (by default every reduced or stopped one), the best choice with it kept
    whole, proven optimal: the program solved again with the activity fixed at `keep`, all of
    them within one bound. How, and why not the LP's duals alone: see `_Forcing`."""
    deadline = Deadline(seconds)
    if item_ids is None:
        item_ids = [i.id for i in problem.items if base.levels[i.id] is not Level.KEEP]
    forcing = _Forcing(_Program(problem), base, deadline) if item_ids else None
    index = {item.id: k for k, item in enumerate(problem.items)}
    found = {}
    for item_id in item_ids:
        k = index[item_id]
        item = problem.items[k]
        answer: Answer | None = forcing.solve(k, deadline) if forcing else None
        if answer is None:  # no choice with it kept was found: the plain solve explains why
            forced = replace(
                problem,
                items=[
                    replace(i, fixed=Level.KEEP) if i.id == item_id else i for i in problem.items
                ],
            )
            # within what is left of the bound, told as the bound it was given
            answer = replace(solve(forced, seconds=deadline.left()), seconds=deadline.seconds)
        found[item_id] = KeepCost(
            euros=item.cost * (1 - item.fraction(base.levels[item_id])),
            answer=answer,
            loss=base.objective - answer.objective if isinstance(answer, Solution) else None,
        )
    return found


class _Forcing:
    """The program with one activity kept by hand, solved for one activity after another.

    A plain re-solve per activity takes 0.3-0.6 s at 1,000 activities, most of it HiGHS
    finding a good choice and closing the last part of the gap over 2,000 binaries. Here:

    1. Once: the LP relaxation of the base program and its row duals y. For *any* y, Lagrange
       gives an upper bound U on every choice: the rows at the side y prices plus, per variable,
       the better of its two bounds at its reduced cost rc = value - y A. Forcing an activity
       only changes two variables' bounds, so U and the rc are recomputed in microseconds, no
       LP per activity (the base duals give U within a few units of the forced LP's).
    2. Per activity: a choice with it kept (L), made without a solver (`_Choice`) from the
       base choice and from the earlier answers whose activity added the most similar cost
       (the others move alike): lower the least valuable per euro until the budget holds,
       fill the room left, swap pairs while one gains. Most often it is the optimum already.
    3. The objective is whole, so if U - L < 1 no choice beats L: proven without a search.
    4. Otherwise a choice at least as good as L moves no variable whose |rc| exceeds U - L
       from its best bound (that move alone would cost more than the gap): those are fixed
       there (reduced-cost fixing, exact for any y), which leaves 10-90 of the 2,000 columns
       after HiGHS's presolve, and HiGHS solves the rest from L at gap 0, on one thread and
       without its own primal heuristics (L is near already).

    Exact like the plain re-solve: the same program, HiGHS's proof at a relative gap of 0, and
    the only reductions are ones no better choice can violate. The duals alone would not be:
    keeping an activity is a whole step of a binary, beyond the range in which a dual price
    holds, and the other activities are then chosen again in whole steps too.
    """

    def __init__(self, program: _Program, base: Solution, deadline: Deadline) -> None:
        self.program = program
        n = program.n
        self.value = program.value_row
        matrix, lower, upper = program.rows(budget=True, stay=True, partner=True, coverage=True)
        bounds = program._bounds(True)
        self.lower, self.upper = np.asarray(bounds.lb, float), np.asarray(bounds.ub, float)
        self.integral = bool(np.all(self.value == np.round(self.value)))
        # The bare solver, not the `highspy.Highs` wrapper: the wrapper switches its callbacks
        # on before any option is set, which prints HiGHS's banner on stdout, where the logs
        # are one JSON object per line.
        self.highs = highspy._core._Highs()
        for option, value in OPTIONS.items():
            self.highs.setOptionValue(option, value)
        model = highspy.HighsLp()
        model.num_col_, model.num_row_ = 2 * n, matrix.shape[0]
        model.col_cost_ = -self.value
        model.col_lower_, model.col_upper_ = self.lower, self.upper
        model.row_lower_ = np.where(np.isfinite(lower), lower, -highspy.kHighsInf)
        model.row_upper_ = np.where(np.isfinite(upper), upper, highspy.kHighsInf)
        columns = matrix.tocsc()
        model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        model.a_matrix_.start_ = columns.indptr
        model.a_matrix_.index_ = columns.indices
        model.a_matrix_.value_ = columns.data
        self.highs.passModel(model)
        self.highs.setOptionValue("time_limit", max(deadline.left(), SHORTEST))
        self.highs.run()  # the LP relaxation first: its duals (none in time: a weaker bound)
        relaxed = self.highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
        y = -np.array(self.highs.getSolution().row_dual) if relaxed else np.zeros(len(lower))
        # a price only on a side the row has (a maximisation: y > 0 prices the upper bound)
        y[(y > 0) & ~np.isfinite(upper)] = 0
        y[(y < 0) & ~np.isfinite(lower)] = 0
        sides = np.where(y > 0, np.where(np.isfinite(upper), upper, 0), lower)
        self.rows = float(np.sum(y * np.where(np.isfinite(sides), sides, 0)))
        self.reduced = self.value - matrix.T @ y
        # the rows: one per activity that may be reduced and is not chosen by hand, the budget
        budget_row = sum(1 for i in program.problem.items if i.minimum and i.fixed is None)
        self.price = float(y[budget_row]) if relaxed else 0.0  # of a euro, for `_Choice`
        self.highs.changeColsIntegrality(
            2 * n, np.arange(2 * n), np.full(2 * n, highspy.HighsVarType.kInteger, dtype=np.uint8)
        )
        self.choice = _Choice(program, base, self.price)
        self.found: list[tuple[float, np.ndarray]] = []  # (cost added, levels) of each solve

    def solve(self, k: int, deadline: Deadline) -> Solution | None:
        """The best choice with activity k kept; None when no choice with it kept was found."""
        n = self.program.n
        lower, upper = self.lower.copy(), self.upper.copy()
        lower[k] = upper[k] = 1
        lower[n + k] = upper[n + k] = 0
        # The base choice, and the choices found with the activities whose keeping adds the
        # most similar cost: the others usually move alike.
        adds = self.choice.cost[k, 2] - self.choice.cost[k, self.choice.base[k]]
        near = sorted(self.found, key=lambda f: abs(f[0] - adds))[:NEAR]
        start = self.choice.kept(k, [self.choice.base, *(levels for _, levels in near)])
        if start is None:
            return None
        best_bound = np.where(self.reduced > 0, upper, lower)
        terms = self.reduced * best_bound
        bound = self.rows + float(np.sum(terms))
        slack = 1e-9 * (abs(self.rows) + float(np.sum(np.abs(terms)))) + 1e-6  # rounding
        found = float(self.value @ start)
        if bound - found < (1 if self.integral else 0) - slack:  # no whole step above L fits
            self.found.append((adds, self.choice.level_of(start)))
            return self._solution(start, optimal=True, deadline=deadline)
        if deadline.left() < SHORTEST:
            return self._solution(start, optimal=False, deadline=deadline)
        fixed = np.abs(self.reduced) * (upper - lower) > bound - found + slack
        lower = np.where(fixed, best_bound, lower)
        upper = np.where(fixed, best_bound, upper)
        highs = self.highs
        highs.changeColsBounds(2 * n, np.arange(2 * n), lower, upper)
        highs.setOptionValue("time_limit", deadline.left())
        incumbent = highspy.HighsSolution()
        incumbent.col_value = start
        incumbent.value_valid = True
        highs.setSolution(incumbent)
        highs.run()
        status = highs.getModelStatus()
        optimal = status == highspy.HighsModelStatus.kOptimal
        if not optimal and status != highspy.HighsModelStatus.kTimeLimit:
            return None  # not expected (L fits): the plain solve decides
        x = np.array(highs.getSolution().col_value)
        if len(x) != 2 * n or self.value @ np.round(x) < found:
            x = start  # the time limit came before HiGHS improved on L
        if optimal:
            self.found.append((adds, self.choice.level_of(x)))
        return self._solution(x, optimal=optimal, deadline=deadline)

    def _solution(self, x: np.ndarray, *, optimal: bool, deadline: Deadline) -> Solution:
        level = self.choice.level_of(x)
        rows = np.arange(self.program.n)
        return Solution(
            levels={
                i.id: LEVELS[lv] for i, lv in zip(self.program.problem.items, level, strict=True)
            },
            objective=float(self.choice.value[rows, level].sum()) / 100,  # `Problem.score`
            cost=float(self.choice.cost[rows, level].sum()),
            optimal=optimal,
            seconds=deadline.seconds,
        )


OPTIONS: dict[str, bool | float] = {
    "output_flag": False,
    "mip_rel_gap": 0.0,
    # One thread: HiGHS's workers waiting on a busy 2-core machine made a solve of a few
    # dozen binaries take 0.2 s instead of 5 ms (all 63 at 1,000 activities: 12 s, not 0.8 s).
    "threads": 1,
    # Few columns are left free: restarting after fixing more of them costs more than it saves.
    "mip_allow_restart": False,
    # The starting choice is near the optimum: HiGHS's own searches for one only cost time.
    "mip_heuristic_effort": 0.0,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_root_reduced_cost": False,
}


LEVELS = (Level.STOP, Level.REDUCE, Level.KEEP)  # `_Choice`'s columns, lowest first
NEAR = 2  # `_Forcing` starts from the base choice and this many earlier ones
PAIRS = 64  # `_Choice` swaps among this many of the most promising raises and lowerings


class _Choice:
    """A good choice with one activity kept, made from the base choice without a solver: the
    starting point (L) of `_Forcing.solve`. Every step keeps every limit but the budget, and
    the budget holds once lowering stops."""

    def __init__(self, program: _Program, base: Solution, price: float) -> None:
        problem, n = program.problem, program.n
        items = problem.items
        self.n, self.price, self.budget = n, price, problem.budget
        fractions = np.array([[i.fraction(level) for level in LEVELS] for i in items])
        self.cost = np.array([i.cost for i in items])[:, None] * fractions
        self.value = np.column_stack([np.zeros(n), program.value_row[n:], program.value_row[:n]])
        self.allowed = np.array([[level in i.levels() for level in LEVELS] for i in items])
        self.base = np.array([LEVELS.index(base.levels[i.id]) for i in items])
        self.partner = np.full(n, -1)
        for p, (members, _) in enumerate(program.partners):
            self.partner[members] = p
        share = problem.max_partner_loss
        self.floor = np.array(
            [(1 - share) * total if share is not None else -np.inf for _, total in program.partners]
        )
        self.covers = np.zeros((n, len(program.contributors)), dtype=bool)
        for r, members in enumerate(program.contributors):
            self.covers[members, r] = True

    def kept(self, k: int, starts: Sequence[np.ndarray]) -> np.ndarray | None:
        """The best of `starts` (levels of earlier choices) with activity k kept and the others
        moved to fit, as the program's variables (keep, then reduce); None when none fits."""
        rows = np.arange(self.n)
        best, most = None, -np.inf
        for start in starts:
            # an earlier choice kept its own activity: back to its level, if the limits allow
            level = np.where(self.allowed[rows, start], start, self.base)
            level[k] = 2
            if not self._holds(level, budget=False):
                continue
            fitted = self._fit(k, level)
            if fitted is None or not self._holds(fitted, budget=True):
                continue
            if (value := float(self.value[rows, fitted].sum())) > most:
                best, most = fitted, value
        if best is None:
            return None
        x = np.zeros(2 * self.n)
        x[: self.n], x[self.n :] = best == 2, best == 1
        return x

    def level_of(self, x: np.ndarray) -> np.ndarray:
        """The program's variables as levels (`LEVELS`' indexes)."""
        return np.where(x[: self.n] > 0.5, 2, np.where(x[self.n :] > 0.5, 1, 0))

    def _holds(self, level: np.ndarray, *, budget: bool) -> bool:
        """Every limit (the budget too, or not), checked on the levels."""
        spent = self.cost[np.arange(self.n), level]
        partnered = self.partner >= 0
        by_partner = np.bincount(
            self.partner[partnered], weights=spent[partnered], minlength=len(self.floor)
        )
        return bool(
            (not budget or spent.sum() <= self.budget + TOLERANCE)
            and (self.covers & (level > 0)[:, None]).any(axis=0).all()
            and np.all(by_partner >= self.floor - TOLERANCE)
        )

    def _fit(self, k: int, level: np.ndarray) -> np.ndarray | None:
        """Lower the others until the budget holds, then improve: k stays kept."""
        allowed = self.allowed.copy()
        allowed[k] = [False, False, True]
        rows = np.arange(self.n)
        while True:  # lower the least valuable per euro saved until the budget holds
            change, gain = self._moves(level)
            over = float(self.cost[rows, level].sum()) - self.budget
            if over <= TOLERANCE:
                break
            lower = allowed & (change < 0) & self._may_lower(level, change)
            if not lower.any():
                return None
            i, to = np.unravel_index(
                np.argmin(np.where(lower, gain / np.where(lower, change, -1), np.inf)), lower.shape
            )
            level[i] = to
        for _ in range(self.n):  # then swap one down for one up while that gains
            self._fill(level, allowed)
            if not self._swap(level, allowed):
                break
        return level

    def _moves(self, level: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per activity and level: what moving it there adds to the cost and to the value."""
        rows = np.arange(self.n)
        return (
            self.cost - self.cost[rows, level][:, None],
            self.value - self.value[rows, level][:, None],
        )

    def _may_lower(self, level: np.ndarray, change: np.ndarray) -> np.ndarray:
        """Which moves down keep every partner at its floor and every top result served."""
        serving = level > 0
        count = (self.covers & serving[:, None]).sum(axis=0)
        last = (self.covers & (count == 1)).any(axis=1) & serving
        ok = np.ones(change.shape, dtype=bool)
        ok[:, 0] = ~last
        partnered = self.partner >= 0
        if partnered.any():
            spent = np.bincount(
                self.partner[partnered],
                weights=self.cost[np.arange(self.n), level][partnered],
                minlength=len(self.floor),
            )
            room = np.full(self.n, np.inf)
            room[partnered] = (spent - self.floor)[self.partner[partnered]]
            ok &= change >= -room[:, None] - TOLERANCE
        return ok

    def _fill(self, level: np.ndarray, allowed: np.ndarray) -> None:
        """Raise the most valuable per euro while the budget has room."""
        rows = np.arange(self.n)
        while True:
            change, gain = self._moves(level)
            room = self.budget - float(self.cost[rows, level].sum())
            up = allowed & (change >= 0) & (change <= room + TOLERANCE) & (gain > 0)
            if not up.any():
                return
            per_euro = np.where(up, gain / np.maximum(change, TOLERANCE), -np.inf)
            i, to = np.unravel_index(np.argmax(per_euro), up.shape)
            level[i] = to

    def _swap(self, level: np.ndarray, allowed: np.ndarray) -> bool:
        """The best pair of one activity up and another down that fits and gains."""
        change, gain = self._moves(level)
        room = self.budget - float(self.cost[np.arange(self.n), level].sum())
        promise = gain - self.price * change  # what the LP's price of a euro says of a move
        up = np.flatnonzero((allowed & (change > 0)).ravel())
        down = np.flatnonzero((allowed & (change < 0) & self._may_lower(level, change)).ravel())
        if not len(up) or not len(down):
            return False
        flat = promise.ravel()
        up = up[np.argsort(-flat[up])[:PAIRS]]
        down = down[np.argsort(-flat[down])[:PAIRS]]
        total = gain.ravel()[up][:, None] + gain.ravel()[down][None, :]
        fits = change.ravel()[up][:, None] + change.ravel()[down][None, :] <= room + TOLERANCE
        apart = (up // 3)[:, None] != (down // 3)[None, :]
        total = np.where(fits & apart, total, -np.inf)
        best = np.unravel_index(np.argmax(total), total.shape)
        if total[best] <= 0:
            return False
        for move in (up[best[0]], down[best[1]]):
            level[move // 3] = move % 3
        return True


# Keeping answers: a fingerprint of what was asked, and the answer as JSON.


def fingerprint(problem: Problem, seconds: float) -> str:
    """Changes with every input of the answer (activities with their costs, contributions,
    partners, minimum levels and hand choices; the priority weights; the budget and the
    limits; the time bound), not with the order the activities come in."""
    items = sorted(
        (
            item.id,
            round(item.cost, 2),
            sorted(item.contributions.items()),
            item.partner,
            item.minimum,
            item.must_stay,
            item.fixed,
        )
        for item in problem.items
    )
    asked = [
        VERSION,
        seconds,
        items,
        sorted(problem.weights.items()),
        round(problem.budget, 2),
        problem.max_partner_loss,
        sorted(problem.covered),
    ]
    return hashlib.sha256(json.dumps(asked, separators=(",", ":")).encode()).hexdigest()


def to_json(answer: Answer) -> dict:
    if isinstance(answer, Solution):
        return {
            "kind": "solution",
            "levels": {str(k): v.value for k, v in answer.levels.items()},
            "objective": answer.objective,
            "cost": answer.cost,
            "optimal": answer.optimal,
            "seconds": answer.seconds,
        }
    if isinstance(answer, Infeasible):
        return {
            "kind": "infeasible",
            "reasons": [
                {"limit": r.limit.value, "amount": r.amount, "subject": r.subject, "exact": r.exact}
                for r in answer.reasons
            ],
            "minimum_cost": answer.minimum_cost,
            "minimum_exact": answer.minimum_exact,
            "bounded": answer.bounded,
            "seconds": answer.seconds,
        }
    return {"kind": "unsolved", "seconds": answer.seconds}


def from_json(data: Mapping) -> Answer:
    if data["kind"] == "solution":
        return Solution(
            levels={int(k): Level(v) for k, v in data["levels"].items()},
            objective=data["objective"],
            cost=data["cost"],
            optimal=data["optimal"],
            seconds=data["seconds"],
        )
    if data["kind"] == "infeasible":
        return Infeasible(
            reasons=[
                Reason(Limit(r["limit"]), r["amount"], r["subject"], r["exact"])
                for r in data["reasons"]
            ],
            minimum_cost=data["minimum_cost"],
            minimum_exact=data["minimum_exact"],
            bounded=data["bounded"],
            seconds=data["seconds"],
        )
    return Unsolved(data["seconds"])
