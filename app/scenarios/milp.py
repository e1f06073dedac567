"""The optimiser's program as HiGHS sees it (through scipy.optimize.milp): two binary
variables per activity, keep (k) and reduce (d), and one row per limit. See optimiser.py for
the program itself."""

from collections.abc import Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from app.scenarios.optimiser import TOLERANCE, Level, Problem, by_partner


class Program:
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
            for group in by_partner(items).values()
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

    def run(
        self,
        *,
        maximise: bool,
        budget: bool,
        stay: bool = True,
        partner: bool = True,
        coverage: bool = True,
        time_limit: float = 60.0,
    ) -> tuple[dict[int, Level], bool] | None:
        n, rows, lower, upper = self.n, [], [], []
        if n == 0:  # nothing to choose; HiGHS needs at least one variable
            fits = (not budget or self.problem.budget >= -TOLERANCE) and not (
                coverage and self.problem.covered
            )
            return ({}, True) if fits else None

        def add(columns: Sequence[int], coefficients: Sequence[float], lo: float, hi: float):
            rows.append((columns, coefficients))
            lower.append(lo)
            upper.append(hi)

        for k, item in enumerate(self.problem.items):  # keep or reduce, not both
            if item.minimum and item.fixed is None:  # the others are settled by their bounds
                add([k, n + k], [1, 1], 1 if stay and item.must_stay else 0, 1)
        if budget:
            add(range(2 * n), self.cost_row, -np.inf, self.problem.budget)
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
        objective = -self.value_row if maximise else self.cost_row
        result = milp(
            objective,
            constraints=LinearConstraint(matrix, lower, upper),
            integrality=np.ones(2 * n),
            bounds=self._bounds(stay),
            options={"mip_rel_gap": 0.0, "time_limit": time_limit},
        )
        if result.x is None:
            return None  # infeasible (status 2), or no choice found within the time limit
        x = np.round(result.x)
        levels = {
            item.id: Level.KEEP if x[k] else Level.REDUCE if x[n + k] else Level.STOP
            for k, item in enumerate(self.problem.items)
        }
        return levels, result.status == 0
