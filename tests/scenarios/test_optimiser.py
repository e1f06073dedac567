"""The optimiser against brute force on small random instances, and its explanations."""

import itertools
import random
import subprocess
import sys
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scenarios.optimiser import (
    Infeasible,
    Item,
    Level,
    Limit,
    Problem,
    Reason,
    Solution,
    keep_cost,
    keep_costs,
    reasons,
    solve,
)


def feasible(problem: Problem, levels: dict[int, Level]) -> bool:
    """Every limit, checked directly on a choice."""
    items = problem.items
    spent = sum(i.cost * i.fraction(levels[i.id]) for i in items)
    if spent > problem.budget + 1e-6:
        return False
    for item in items:
        if levels[item.id] not in item.levels():
            return False
    if problem.max_partner_loss is not None:
        partners = {i.partner for i in items if i.partner is not None}
        for partner in partners:
            own = [i for i in items if i.partner == partner]
            before = sum(i.cost for i in own)
            after = sum(i.cost * i.fraction(levels[i.id]) for i in own)
            if after < (1 - problem.max_partner_loss) * before - 1e-6:
                return False
    for result in problem.covered:
        if not any(i.contributions.get(result) and levels[i.id] is not Level.STOP for i in items):
            return False
    return True


def brute_force(problem: Problem) -> float | None:
    """The best objective over every choice of every activity; None if nothing fits."""
    best = None
    options = [list(Level) for _ in problem.items]
    for combination in itertools.product(*options):
        levels = {i.id: level for i, level in zip(problem.items, combination, strict=True)}
        if level_is_possible(problem, levels) and feasible(problem, levels):
            score = problem.score(levels)
            best = score if best is None else max(best, score)
    return best


def level_is_possible(problem: Problem, levels: dict[int, Level]) -> bool:
    return all(levels[i.id] is not Level.REDUCE or i.minimum for i in problem.items)


@st.composite
def problems(draw) -> Problem:
    results = draw(st.integers(1, 4))
    count = draw(st.integers(1, 6))
    items = []
    for n in range(count):
        contributions = draw(
            st.dictionaries(st.integers(0, results - 1), st.integers(1, 3), max_size=results)
        )
        fixed = draw(st.sampled_from([None, None, None, None, Level.KEEP, Level.STOP]))
        minimum = draw(st.sampled_from([None, None, 25, 50, 80]))
        if draw(st.booleans()) and minimum and fixed is None:
            fixed = Level.REDUCE if draw(st.booleans()) else None
        items.append(
            Item(
                id=n + 1,
                cost=float(draw(st.integers(0, 200)) * 1000),
                contributions=contributions,
                partner=draw(st.sampled_from([None, 1, 2])),
                minimum=minimum,
                must_stay=draw(st.booleans()) and draw(st.booleans()),
                fixed=fixed,
            )
        )
    total = sum(i.cost for i in items)
    cut = draw(st.sampled_from([0.0, 0.05, 0.1, 0.3, 0.6]))
    return Problem(
        items=items,
        weights={r: results - r for r in range(results)},
        budget=total * (1 - cut),
        max_partner_loss=draw(st.sampled_from([None, 0.1, 0.25, 0.5])),
        covered=list(range(draw(st.integers(0, results)))),
    )


@settings(max_examples=150, deadline=None)
@given(problems())
def test_the_optimiser_finds_what_brute_force_finds(problem):
    found = solve(problem)
    best = brute_force(problem)
    if best is None:
        assert isinstance(found, Infeasible)
        assert found.reasons
        return
    assert isinstance(found, Solution)
    assert found.optimal
    assert feasible(problem, found.levels)  # every limit respected
    assert abs(found.objective - best) < 1e-6


def item(id, cost, **kwargs) -> Item:
    return Item(id=id, cost=float(cost), **kwargs)


def test_reduce_before_stop_when_a_minimum_level_is_allowed():
    problem = Problem(
        items=[item(1, 100, contributions={1: 3}, minimum=50), item(2, 100, contributions={1: 1})],
        weights={1: 1},
        budget=150,
    )
    found = solve(problem)
    assert found.levels == {1: Level.KEEP, 2: Level.STOP}
    assert found.cost == 100
    assert found.objective == 3


def test_legal_duties_are_never_stopped():
    problem = Problem(
        items=[
            item(1, 100, contributions={1: 1}, must_stay=True),
            item(2, 100, contributions={1: 3}),
        ],
        weights={1: 1},
        budget=100,
    )
    assert solve(problem).levels == {1: Level.KEEP, 2: Level.STOP}


def test_must_stay_beyond_the_budget_is_explained_with_the_amount():
    problem = Problem(
        items=[item(1, 300, must_stay=True, minimum=50), item(2, 100, must_stay=True)],
        weights={},
        budget=200,
    )
    found = solve(problem)
    assert found == Infeasible([Reason(Limit.MUST_STAY, 50.0)], 250.0)


def test_partner_limit_beyond_the_budget_is_explained():
    problem = Problem(
        items=[item(1, 100, partner=7), item(2, 100, partner=8)],
        weights={},
        budget=150,
        max_partner_loss=0.1,
    )
    found = solve(problem)
    assert found.reasons == [Reason(Limit.PARTNER, 50.0)]


def test_a_top_result_without_activities_cannot_be_covered():
    problem = Problem(
        items=[item(1, 100, contributions={1: 1})], weights={}, budget=100, covered=[1, 2]
    )
    assert solve(problem).reasons == [Reason(Limit.NO_CONTRIBUTOR, 0.0, 2)]


def test_a_hand_choice_that_takes_too_much_from_a_partner():
    problem = Problem(
        items=[item(1, 100, partner=3, fixed=Level.STOP), item(2, 100, partner=3)],
        weights={},
        budget=200,
        max_partner_loss=0.25,
    )
    assert solve(problem).reasons == [Reason(Limit.PARTNER_FIXED, 50.0, 3)]


def test_limits_that_only_together_are_impossible():
    # Coverage wants activity 1 or 2; the partner limit wants partner 5 (activity 3) kept.
    problem = Problem(
        items=[
            item(1, 100, contributions={1: 1}),
            item(2, 100, contributions={1: 1}),
            item(3, 100, partner=5),
        ],
        weights={1: 1},
        budget=150,
        max_partner_loss=0.0,
        covered=[1],
    )
    assert solve(problem).reasons == [Reason(Limit.COMBINED, 50.0)]


def test_a_cut_larger_than_the_total():
    problem = Problem(items=[item(1, 100)], weights={}, budget=-20)
    assert solve(problem).reasons == [Reason(Limit.BUDGET, 20.0)]


def test_hand_choices_are_kept_and_the_rest_is_optimised_around_them():
    problem = Problem(
        items=[
            item(1, 100, contributions={1: 3}, fixed=Level.STOP),
            item(2, 100, contributions={1: 1}),
            item(3, 100, contributions={1: 2}),
        ],
        weights={1: 1},
        budget=100,
    )
    assert solve(problem).levels == {1: Level.STOP, 2: Level.STOP, 3: Level.KEEP}


def test_nothing_to_choose():
    assert solve(Problem(items=[], weights={}, budget=0)) == Solution({}, 0, 0, True)
    assert solve(Problem(items=[], weights={1: 1}, budget=0, covered=[1])).reasons == [
        Reason(Limit.NO_CONTRIBUTOR, 0.0, 1)
    ]


@settings(max_examples=60, deadline=None)
@given(problems())
def test_the_cost_to_keep_is_what_brute_force_loses_with_the_activity_kept(problem):
    found = solve(problem)
    if not isinstance(found, Solution):
        return
    for lowered in [i for i in problem.items if found.levels[i.id] is not Level.KEEP][:2]:
        cost = keep_cost(problem, lowered.id, found)
        kept = brute_force(
            replace(
                problem,
                items=[replace(i, fixed=Level.KEEP) if i is lowered else i for i in problem.items],
            )
        )
        assert cost.euros == lowered.cost * (1 - lowered.fraction(found.levels[lowered.id]))
        if kept is None:
            assert cost.loss is None and isinstance(cost.answer, Infeasible)
        else:
            assert cost.loss is not None and abs(cost.loss - (found.objective - kept)) < 1e-6


def test_the_reasons_name_the_limit_that_holds_an_activity():
    # Bingo gives least per euro but its partner may lose at most 10%; Club is the last
    # activity for result 1; Walk is stopped although it gives more than Bingo.
    problem = Problem(
        items=[
            item(1, 300, contributions={0: 1}, partner=7),
            item(2, 700, contributions={0: 3}, partner=7),
            item(3, 100, contributions={1: 1}),
            item(4, 500, contributions={0: 2}),
        ],
        weights={0: 2, 1: 1},
        budget=1100,
        max_partner_loss=0.1,
        covered=[0, 1],
    )
    found = solve(problem)
    assert isinstance(found, Solution)
    assert found.levels == {1: Level.KEEP, 2: Level.KEEP, 3: Level.KEEP, 4: Level.STOP}
    why = reasons(problem, found.levels)
    assert why[1].partner_floor and why[2].partner_floor and not why[3].partner_floor
    assert why[3].only_for == (1,) and why[1].only_for == ()
    assert why[1].passed_over == 1  # Walk gives more per euro and stops
    assert why[4].passed_over == 1 and why[4].place == 3  # Bingo gives less and stays
    assert [why[i].place for i in (1, 2, 3)] == [4, 2, 1]


def forced(problem: Problem, item_id: int) -> Problem:
    return replace(
        problem,
        items=[replace(i, fixed=Level.KEEP) if i.id == item_id else i for i in problem.items],
    )


def assert_as_the_plain_re_solve(problem: Problem, found: Solution) -> None:
    """`keep_costs` (its own model, start and fixing) against `solve` with the activity kept."""
    costs = keep_costs(problem, found, seconds=60)
    assert set(costs) == {i.id for i in problem.items if found.levels[i.id] is not Level.KEEP}
    for item_id, cost in costs.items():
        plain = solve(forced(problem, item_id), seconds=60)
        if not isinstance(plain, Solution):
            assert cost.answer == plain and cost.loss is None
            continue
        answer = cost.answer
        assert isinstance(answer, Solution) and answer.optimal and plain.optimal
        assert abs(answer.objective - plain.objective) < 1e-6
        assert abs(cost.loss - (found.objective - plain.objective)) < 1e-6
        assert answer.levels[item_id] is Level.KEEP
        assert feasible(forced(problem, item_id), answer.levels)
        assert (
            abs(answer.cost - sum(i.cost * i.fraction(answer.levels[i.id]) for i in problem.items))
            < 1e-6
        )
        assert abs(answer.objective - problem.score(answer.levels)) < 1e-6


@settings(max_examples=80, deadline=None)
@given(problems())
def test_every_cost_to_keep_at_once_is_the_plain_re_solves(problem):
    found = solve(problem)
    if isinstance(found, Solution):
        assert_as_the_plain_re_solve(problem, found)


def generated(seed: int, activities: int = 120) -> Problem:
    """Large enough that the bound does not settle most of them: partners that may lose at most
    a share, top results, minimum levels, legal duties and hand choices."""
    rnd = random.Random(seed)
    items = []
    for n in range(activities):
        minimum = rnd.choice([None, None, 50, 60, 75])
        fixed = rnd.choice(
            [None] * 12 + [Level.KEEP, Level.STOP] + ([Level.REDUCE] if minimum else [])
        )
        items.append(
            Item(
                id=n + 1,
                cost=float(rnd.randint(5, 500) * 1000 + rnd.choice([0, 0, 250, 0.5])),
                contributions={
                    r: rnd.randint(1, 3) for r in rnd.sample(range(20), rnd.randint(1, 3))
                },
                partner=rnd.randrange(8) if rnd.random() < 0.7 else None,
                minimum=minimum,
                must_stay=rnd.random() < 0.1,
                fixed=fixed,
            )
        )
    total = sum(i.cost for i in items)
    return Problem(
        items=items,
        weights={r: 20 - r for r in range(20)},
        budget=total * (1 - rnd.choice([0.05, 0.1, 0.2])),
        max_partner_loss=rnd.choice([None, 0.15, 0.3]),
        covered=list(range(rnd.randint(0, 6))),
    )


@pytest.mark.parametrize("seed", range(6))
def test_the_costs_to_keep_of_a_larger_scenario_are_the_plain_re_solves(seed):
    problem = generated(seed)
    found = solve(problem, seconds=60)
    assert isinstance(found, Solution) and found.optimal
    assert_as_the_plain_re_solve(problem, found)


def test_one_cost_to_keep_is_the_same_as_among_all():
    problem = generated(1)
    found = solve(problem, seconds=60)
    everything = keep_costs(problem, found, seconds=60)
    for item_id in list(everything)[:3]:
        alone = keep_cost(problem, item_id, found, seconds=60)
        assert alone.euros == everything[item_id].euros
        assert abs(alone.loss - everything[item_id].loss) < 1e-6


def test_costs_to_keep_without_time_are_proven_or_say_they_are_bounded():
    problem = generated(2)
    found = solve(problem, seconds=60)
    exact = keep_costs(problem, found, seconds=60)
    for item_id, cost in keep_costs(problem, found, seconds=0.0).items():
        answer = cost.answer
        if answer.bounded:  # the best choice found, or none: not proven
            continue
        assert isinstance(answer, Solution)
        assert abs(answer.objective - exact[item_id].answer.objective) < 1e-6


def test_the_costs_to_keep_print_nothing_where_the_logs_go():
    """HiGHS prints a banner on stdout once per process unless told not to first; the server's
    stdout carries one JSON object per line. A process of its own: the banner comes once."""
    script = (
        "from bench.optimizer import instance\n"
        "from app.scenarios.optimiser import keep_costs, solve\n"
        "p = instance(30, 10, 1)\n"
        "assert keep_costs(p, solve(p))\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert ran.stdout == ""
