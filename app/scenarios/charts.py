"""The before-and-after chart per result, drawn on the server as SVG geometry."""

from collections.abc import Sequence
from dataclasses import dataclass

from app.formatting import format_number
from app.scenarios.consequences import ResultRow

WIDTH = 640
LABEL = 150  # room for the result's name on the left
ROW = 46
BAR = 15


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    value: str


@dataclass(frozen=True)
class ChartRow:
    label: str
    y: float
    before: Bar
    after: Bar
    lost: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    rows: list[ChartRow]


def result_chart(results: Sequence[ResultRow]) -> Chart:
    """Two bars per result, before (outlined) and after (solid), on one scale."""
    largest = max((r.contribution_before for r in results), default=0) or 1
    room = WIDTH - LABEL - 70  # leave room for the figure after the bar

    def bar(y: float, value: float) -> Bar:
        return Bar(y=y, width=room * value / largest, value=format_number(round(value, 1)))

    several_themes = len({r.theme for r in results}) > 1
    rows = [
        ChartRow(
            label=r.code or (f"{r.theme} {r.rank}" if several_themes else f"Resultaat {r.rank}"),
            y=n * ROW,
            before=bar(n * ROW + 6, r.contribution_before),
            after=bar(n * ROW + 6 + BAR + 2, r.contribution_after),
            lost=r.loses_coverage,
        )
        for n, r in enumerate(results)
    ]
    return Chart(width=WIDTH, height=max(len(rows), 1) * ROW + 4, label_width=LABEL, rows=rows)
