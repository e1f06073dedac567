"""`python -m bench --tiny` runs: the pages in a database with a second tenant and the measured
cycle twice over, and their weight in Chromium."""

import json
import subprocess
import sys

import pytest

from app.config import ROOT
from app.demo.kampen import THEMES
from bench.generate import MEASURED_THEME
from bench.pages import PAGES

pytestmark = pytest.mark.browser  # the page weight is measured in Chromium


def test_the_tiny_run_measures_every_page(tmp_path):
    output = tmp_path / "pages.json"
    # As `make bench` runs it, in a process of its own: Playwright's sync API refuses a test
    # worker whose thread already runs an event loop.
    subprocess.run(
        [sys.executable, "-m", "bench", "--tiny", "--output", str(output)],
        cwd=ROOT,
        check=True,
        timeout=600,
    )
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
