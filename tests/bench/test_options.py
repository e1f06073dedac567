"""Where a benchmark's figures go: a tiny run never replaces the real ones."""

from pathlib import Path

from bench import options

REAL = Path(options.__file__).resolve().parent / "results" / "pages.json"


def test_a_full_run_writes_the_real_figures():
    chosen = options.parser("", REAL).parse_args([])
    assert options.output(chosen) == REAL


def test_a_tiny_run_writes_beside_them():
    chosen = options.parser("", REAL).parse_args(["--tiny"])
    assert options.output(chosen) == REAL.parent / "tiny" / "pages.json"


def test_output_goes_where_it_is_told(tmp_path):
    chosen = options.parser("", REAL).parse_args(["--tiny", "--output", str(tmp_path / "x.json")])
    assert options.output(chosen) == tmp_path / "x.json"
