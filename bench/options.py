"""The options every benchmark takes: `--tiny` and `--output`."""

import argparse
from pathlib import Path


def parser(description: str | None, default_output: Path) -> argparse.ArgumentParser:
    """The benchmark's command line with `--tiny` and `--output`; its figures go to
    `default_output` unless told otherwise."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--tiny",
        action="store_true",
        help="the smallest size, in seconds: proves the benchmark still runs (the test suite "
        "runs it so); its figures mean nothing",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help=f"where the figures go (default {_relative(default_output)}; with --tiny "
        f"{_relative(_tiny(default_output))}, so a tiny run never replaces real figures)",
    )
    parser.set_defaults(default_output=default_output)
    return parser


def output(chosen: argparse.Namespace) -> Path:
    if chosen.output is not None:
        return chosen.output
    return _tiny(chosen.default_output) if chosen.tiny else chosen.default_output


def _tiny(path: Path) -> Path:
    return path.parent / "tiny" / path.name


def _relative(path: Path) -> Path:
    return path.relative_to(Path(__file__).resolve().parent.parent)
