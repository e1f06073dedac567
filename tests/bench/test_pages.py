"""`python -m bench --tiny` runs: the pages at demo size and in a database with a second tenant
and the measured cycle twice over, and their weight in Chromium."""

import json

import pytest

from bench import __main__ as pages_benchmark
from bench.pages import PAGES

pytestmark = pytest.mark.browser  # the page weight is measured in Chromium


def test_the_tiny_run_measures_every_page_at_both_sizes(tmp_path):
    output = tmp_path / "pages.json"
    pages_benchmark.main(["--tiny", "--output", str(output)])
    document = json.loads(output.read_text())
    (_, small), (_, large) = document["sizes"].items()
    assert large["data"]["organisations"] == 2 * small["data"]["organisations"]
    assert large["data"]["results"] == 2 * small["data"]["results"]
    for page in PAGES:
        # The same queries whatever else the database holds.
        assert small["pages"][page]["queries"] == large["pages"][page]["queries"] > 0, page
    weight = document["page_weight"]
    assert weight["cold_cache"]["bytes"] > 0
    assert len(weight["warm_cache"]["pages"]) == len(PAGES) - 1
