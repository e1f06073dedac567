"""`python -m bench.optimizer --tiny` runs: the optimiser and the greedy heuristic on one small
instance."""

import json

from bench import optimizer


def test_the_tiny_run_proves_its_choice_at_least_as_good_as_greedy(tmp_path):
    output = tmp_path / "optimizer.json"
    optimizer.main(["--tiny", "--output", str(output)])
    [run] = json.loads(output.read_text())
    assert (run["activities"], run["results"]) == optimizer.TINY_SIZES[0]
    assert run["optimal"] is True
    assert run["objective"] >= run["greedy_objective"] > 0
    # every reduced or stopped activity's cost to keep is solved and counted in explain_s
    assert run["keep_costs"]["solved"] == run["lowered"] > 0
    assert run["explain_s"] >= run["reasons_s"] + run["keep_costs"]["seconds"] - 0.002
    assert 0 < run["keep_cost_s"]["solved"] <= optimizer.SAMPLE
