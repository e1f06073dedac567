"""`python -m bench.council_report --tiny` runs: the generated organisation's report in every
format."""

import json

from bench import council_report


def test_the_tiny_run_exports_every_format(tmp_path):
    output = tmp_path / "report.json"
    council_report.main(["--tiny", "--output", str(output)])
    document = json.loads(output.read_text())
    assert document["sizes"]["1x"]["themes"] == 4
    for fmt in council_report.FORMATS:
        figures = document["1x"][fmt]
        assert figures["bytes"] > 0, fmt
        assert figures["queries"] > 0, fmt
