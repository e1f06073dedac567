"""`python -m bench.optimizer`: the scenario optimiser on generated instances, against a greedy
heuristic (value per euro). Writes bench/results/optimizer.json, a list of runs (`--tiny`: one
small instance, in seconds).

Explanations: `explain_s` is the time to give every activity of the scenario its reason (the
binding limits and its contribution per euro against the others: `reasons_s`, which the
scenario page waits for) and its cost to keep, exact: the best choice with the activity kept by
hand, proven, for every reduced or stopped one (a kept one costs nothing to keep), all of them
through `keep_costs` (`keep_costs`: its seconds and how many it solved). The page does not wait
for those: it asks them one activity at a time, when the reader does; `keep_cost_s` gives the
median and the slowest of `SAMPLE` such single calls. Above `ALL_KEEP_COSTS` activities
(5,000: a plain solve takes a minute there) `keep_costs` solves `SAMPLE` of them and
`explain_s` is the reasons plus its time per activity times the lowered activities
(`explain_extrapolated`).

Each instance is one cycle: every activity serves one to three results with strength 1 to 3,
costs between 5,000 and 500,000 euros, one in ten is a legal duty and four in ten can be
reduced to 50, 60 or 75%; the cut is 8% and the top five results keep at least one activity.
"""

import json
import random
import time
from pathlib import Path

from app.scenarios.optimiser import (
    Item,
    Level,
    Problem,
    Solution,
    keep_cost,
    keep_costs,
    priority_weight,
    reasons,
    solve,
)
from bench import machine, options

SIZES = [(100, 20), (1000, 100), (5000, 300)]
SEEDS = [1, 2, 3]
TINY_SIZES, TINY_SEEDS = [(30, 10)], [1]
CUT = 0.08
TOP = 5
TARGET = (1000, 100, 1.0)  # activities, results, seconds to proven optimum
ALL_KEEP_COSTS = 1000  # activities: up to this size every cost to keep is solved
SAMPLE = 5  # single calls timed, as the page makes them; above it, all that is solved
EXPLAIN_TARGET = 5.0  # seconds at the target size, every activity's reason
OUTPUT = Path(__file__).resolve().parent / "results" / "optimizer.json"


def instance(activities: int, results: int, seed: int) -> Problem:
    rnd = random.Random(seed)
    items = [
        Item(
            id=n,
            cost=float(round(rnd.uniform(5, 500)) * 1000),
            contributions={
                r: rnd.randint(1, 3) for r in rnd.sample(range(results), rnd.randint(1, 3))
            },
            partner=rnd.randrange(max(activities // 20, 2)),
            minimum=rnd.choice([None] * 6 + [50, 60, 75, 75]),
            must_stay=rnd.random() < 0.1,
        )
        for n in range(activities)
    ]
    total = sum(item.cost for item in items)
    return Problem(
        items=items,
        weights={r: priority_weight(r + 1, results) for r in range(results)},
        budget=total * (1 - CUT),
        covered=list(range(TOP)),
    )


def greedy(problem: Problem) -> float | None:
    """Legal duties at their lowest level, the cheapest activity for each uncovered top result,
    then the rest by value per euro (whole if it fits, else reduced). None if over budget."""
    levels = {item.id: Level.STOP for item in problem.items}

    def lowest(item: Item) -> Level:
        return Level.REDUCE if item.minimum else Level.KEEP

    for item in problem.items:
        if item.must_stay:
            levels[item.id] = lowest(item)
    for result in problem.covered:
        serving = [i for i in problem.items if i.contributions.get(result)]
        if serving and all(levels[i.id] is Level.STOP for i in serving):
            cheapest = min(serving, key=lambda i: i.cost * i.fraction(lowest(i)))
            levels[cheapest.id] = lowest(cheapest)
    spent = sum(i.cost * i.fraction(levels[i.id]) for i in problem.items)
    if spent > problem.budget:
        return None
    ranked = sorted(
        problem.items, key=lambda i: problem.value(i) / i.cost if i.cost else float("inf")
    )
    for item in reversed(ranked):
        now = item.cost * item.fraction(levels[item.id])
        for level in (Level.KEEP, Level.REDUCE):
            extra = item.cost * item.fraction(level) - now
            if extra >= 0 and spent + extra <= problem.budget:
                levels[item.id] = level
                spent += extra
                break
    return problem.score(levels)


def run(activities: int, results: int, seed: int) -> dict[str, object]:
    problem = instance(activities, results, seed)
    started = time.perf_counter()
    found = solve(problem, seconds=600)  # the time to a proven optimum, not the app's bound
    solve_time = time.perf_counter() - started
    assert isinstance(found, Solution)
    heuristic = greedy(problem)
    started = time.perf_counter()
    reasons(problem, found.levels)
    reasons_time = time.perf_counter() - started
    lowered = [i.id for i in problem.items if found.levels[i.id] is not Level.KEEP]
    extrapolated = activities > ALL_KEEP_COSTS
    batch = lowered[:SAMPLE] if extrapolated else lowered
    started = time.perf_counter()
    keep_costs(problem, found, batch, seconds=600)
    batch_time = time.perf_counter() - started
    explain_time = reasons_time + (
        batch_time * len(lowered) / len(batch) if extrapolated and batch else batch_time
    )
    keep_times = []
    for item_id in lowered[:SAMPLE]:  # as the page asks them: one activity, one call
        started = time.perf_counter()
        keep_cost(problem, item_id, found, seconds=600)
        keep_times.append(time.perf_counter() - started)
    keep_times.sort()
    return {
        "activities": activities,
        "results": results,
        "solve_time_s": round(solve_time, 3),
        "optimal": found.optimal,
        "explain_s": round(explain_time, 3),
        "reasons_s": round(reasons_time, 3),
        "explain_extrapolated": extrapolated,
        "lowered": len(lowered),
        "keep_costs": {"seconds": round(batch_time, 3), "solved": len(batch)},
        "keep_cost_s": {
            "median": round(keep_times[len(keep_times) // 2], 3) if keep_times else None,
            "max": round(keep_times[-1], 3) if keep_times else None,
            "solved": len(keep_times),
        },
        "objective": round(found.objective, 2),
        "greedy_objective": round(heuristic, 2) if heuristic is not None else None,
        "gap": (
            round((found.objective - heuristic) / found.objective, 6)
            if heuristic is not None and found.objective
            else None
        ),
    }


def main(arguments: list[str] | None = None) -> None:
    chosen = options.parser(__doc__, OUTPUT).parse_args(arguments)
    sizes, seeds = (TINY_SIZES, TINY_SEEDS) if chosen.tiny else (SIZES, SEEDS)
    output = options.output(chosen)
    runs = []
    for activities, results in sizes:
        for seed in seeds:
            runs.append(run(activities, results, seed))
            print(
                "{activities:>5} activities x {results:>3} results: {solve_time_s:7.3f} s, "
                "optimal {optimal}, objective {objective:,.2f}, greedy {greedy_objective:,.2f}, "
                "gap {gap:.4%}; explained {explain_s:.3f} s (reasons {reasons_s:.3f} s, "
                "cost to keep of {keep_costs[solved]} of {lowered} lowered "
                "{keep_costs[seconds]:.3f} s; one by one: median {keep_cost_s[median]} s, "
                "max {keep_cost_s[max]} s)".format(**runs[-1]),
                flush=True,
            )
    info = machine.describe()
    print(machine.summary(info))
    activities, results, seconds = TARGET
    timed = [
        r["solve_time_s"] for r in runs if r["activities"] == activities and r["results"] == results
    ]
    if timed:
        verdict = "met" if max(timed) <= seconds else "missed"
        print(
            f"Target {activities} x {results} proven optimal within {seconds:.0f} s: {verdict} "
            f"(slowest {max(timed):.3f} s)."
        )
        explained = max(
            r["explain_s"]
            for r in runs
            if r["activities"] == activities and r["results"] == results
        )
        verdict = "met" if explained <= EXPLAIN_TARGET else "missed"
        print(
            f"Target {activities} x {results} every activity's reason and cost to keep within "
            f"{EXPLAIN_TARGET:.0f} s: {verdict} (slowest {explained:.3f} s)."
        )
    else:
        print(f"Target {activities} x {results}: not run.")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(runs, indent=2) + "\n")
    print(f"Written to {output}.")


if __name__ == "__main__":
    main()
