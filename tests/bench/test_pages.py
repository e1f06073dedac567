"""`python -m bench --tiny` runs: the pages in a database with a second tenant and the measured
cycle twice over, and their weight in Chromium."""

import json

import pytest

from app.demo.kampen import THEMES
from bench import __main__ as pages_benchmark
from bench.generate import MEASURED_THEME
from bench.pages import PAGES

pytestmark = pytest.mark.browser  # the page weight is measured in Chromium


def test_the_tiny_run_measures_every_page(tmp_path):
    output = tmp_path / "pages.json"
    pages_benchmark.main(["--tiny", "--output", str(output)])
    document = json.loads(output.read_text())
    [size] = document["sizes"].values()
    measured = next(theme for theme in THEMES if theme.name == MEASURED_THEME)
    assert size["data"]["results"] == 2 * len(measured.results)
    assert size["data"]["organisations"] == 4  # Kampen and Huizen, twice
    for page in PAGES:
        timing = size["pages"][page]
        assert timing["requests"] == 2, page
        assert timing["queries"] > 0, page
        assert timing["queries_stable"], page
    weight = document["page_weight"]
    assert weight["cold_cache"]["bytes"] > 0
    assert len(weight["warm_cache"]["pages"]) == len(PAGES) - 1
