"""The curve of one indicator, drawn on the server as SVG geometry: measurements, nulmeting,
streefwaarde with its streefdatum, and a dotted forecast "if nothing changes".

The forecast rule, as the chart's description tells it: the straight line that fits the last
measurements best (least squares over at most `FORECAST_POINTS` of them, at least two), carried
on to the streefdatum, or one year past the last measurement when the streefdatum has passed or
is not set. It is what the curve does when nobody turns it, not a prediction.

Colours are presentation attributes rather than classes, so the same markup draws the same
picture on a page, in WeasyPrint's PDF and when printed.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from math import ceil, floor, log10

from app.bounds import shifted
from app.formatting import format_date, format_number, format_quantity
from app.results.models import Direction, Indicator, Measurement

WIDTH = 640
HEIGHT = 260
LEFT = 64  # room for the values on the left
RIGHT = 24
TOP = 26
BOTTOM = 34  # room for the years
LABEL_HEIGHT = 12  # the font size of the labels, in drawing units
FORECAST_POINTS = 4
FORECAST_RULE = (
    "Als er niets verandert: de rechte lijn die het best past bij de laatste "
    f"{FORECAST_POINTS} metingen (of minder, minstens 2), doorgetrokken tot de streefdatum."
)

COLOURS = {
    "measured": "#154273",
    "target": "#1a6b32",
    "forecast": "#8a4b00",
    "baseline": "#4b5563",
    "grid": "#d0d5dd",
    "text": "#1f2933",
}


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Tick:
    at: float  # x or y in the drawing
    label: str


@dataclass(frozen=True)
class FigureRow:
    """One row of the chart's figures as a table: what, when, how much."""

    label: str
    on: str
    value: str
    number: Decimal


@dataclass(frozen=True)
class TrendChart:
    key: str  # unique within a page: ids of <title> and <desc>
    unit: str  # above the axis of values
    width: int
    height: int
    left: int
    right_edge: int
    top: int
    bottom_edge: int
    title: str
    description: str
    points: list[Point]
    path: str  # the measured line as SVG points
    dots: str  # one dot per measurement, as the zero-length segments of one round-capped path
    y_grid: str  # the horizontal grid lines as one SVG path
    x_marks: str  # the year marks below the axis as one SVG path
    baseline: Point | None
    baseline_line: float | None  # y of the nulmeting drawn across when it has no date
    target_y: float | None
    target_x: float | None
    target_label: str | None
    forecast: tuple[Point, Point] | None
    forecast_label: str | None
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    rows: list[FigureRow]
    colours: dict[str, str]

    def short_rows(self, measurements: int) -> list[FigureRow]:
        """The figures with only the last `measurements` metingen (for paper, where the
        curve shows the rest)."""
        metingen = [r for r in self.rows if r.label == "Meting"]
        keep = {id(r) for r in metingen[-measurements:]}
        return [r for r in self.rows if r.label != "Meting" or id(r) in keep]

    @property
    def baseline_label_y(self) -> float | None:
        """The baseline of the nulmeting's label: under its marker, unless that would run into
        the years under the axis (a nulmeting is often the lowest value of a series)."""
        if self.baseline is None:
            return None
        below = self.baseline.y + 16
        return below if below < self.bottom_edge else self.baseline.y - 9

    @property
    def forecast_label_y(self) -> float | None:
        """The baseline of the forecast's label, on the side of the line's end that the line
        does not cross: above a rising line, below a falling one, unless the edge of the
        drawing leaves no room there."""
        if self.forecast is None:
            return None
        start, end = self.forecast
        above, below = end.y - 8, end.y + 18
        if end.y < start.y:  # rising: y grows downwards
            return above if above - LABEL_HEIGHT >= self.top else below
        return below if below <= self.bottom_edge - 4 else above

    @property
    def empty(self) -> bool:
        return not self.points and self.baseline is None and self.target_y is None


@dataclass(frozen=True)
class Forecast:
    on: date
    value: Decimal
    based_on: int  # how many measurements the line goes through
    start: Decimal  # the line's value at the last measurement, where the dots begin


def forecast(measurements: Sequence[Measurement], target_date: date | None) -> Forecast | None:
    """The least-squares line through the last measurements, carried on to the horizon."""
    recent = list(measurements)[-FORECAST_POINTS:]
    if len(recent) < 2:
        return None
    last = recent[-1].measured_on
    horizon = target_date if target_date and target_date > last else shifted(last, 365)
    xs = [float((m.measured_on - last).days) for m in recent]
    ys = [float(m.value) for m in recent]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = (
        0.0
        if spread == 0
        else sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    )
    value = mean_y + slope * ((horizon - last).days - mean_x)
    start = mean_y - slope * mean_x
    return Forecast(on=horizon, value=_round(value), based_on=len(recent), start=_round(start))


def _round(value: float) -> Decimal:
    return Decimal(str(round(value, 1 if abs(value) >= 10 else 2)))


def _axis_label(value: Decimal, unit: str | None) -> str:
    """A value on the axis: the number, with % when the unit is a percentage (the full unit
    stands once above the axis)."""
    return format_number(value) + ("%" if (unit or "").startswith("%") else "")


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks
    magnitude = 10 ** floor(log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def trend_chart(
    indicator: Indicator,
    measurements: Sequence[Measurement] | None = None,
    *,
    key: str | None = None,
) -> TrendChart:
    """The chart of `indicator`; `measurements` defaults to its own (loaded), and may hold the
    whole series across cycles, oldest first."""
    measured = list(indicator.measurements if measurements is None else measurements)
    unit = indicator.unit
    ahead = forecast(measured, indicator.target_date)
    dates = [m.measured_on for m in measured]
    dates += [d for d in (indicator.baseline_date, indicator.target_date) if d]
    if ahead:
        dates.append(ahead.on)
    values = [float(m.value) for m in measured]
    values += [
        float(v) for v in (indicator.baseline_value, indicator.target_value) if v is not None
    ]
    if ahead:
        values += [float(ahead.value), float(ahead.start)]

    first = min(dates, default=date.today())
    last = max(dates, default=first)
    if (last - first).days < 60:
        first, last = shifted(first, -183), shifted(last, 183)
    low, high = min(values, default=0.0), max(values, default=1.0)
    if high == low:
        low, high = low - (abs(low) * 0.1 or 1), high + (abs(high) * 0.1 or 1)
    step = _nice_step(high - low)
    low, high = floor(low / step) * step, ceil(high / step) * step
    if low < 0 <= min(values, default=0.0):
        low = 0.0

    right_edge, bottom_edge = WIDTH - RIGHT, HEIGHT - BOTTOM
    span_days = (last - first).days

    def x(on: date) -> float:
        return round(LEFT + (right_edge - LEFT) * (on - first).days / span_days, 1)

    def y(value: float | Decimal) -> float:
        return round(bottom_edge - (bottom_edge - TOP) * (float(value) - low) / (high - low), 1)

    points = [Point(x(m.measured_on), y(m.value)) for m in measured]
    y_ticks = []
    tick = low
    while tick <= high + step / 1000:
        y_ticks.append(Tick(y(tick), _axis_label(_round(tick), unit)))
        tick += step
    years = list(range(first.year + (first.month > 1 or first.day > 1), last.year + 1))
    every = max(1, ceil(len(years) / 8))
    x_ticks = [Tick(x(date(year, 1, 1)), str(year)) for year in years[::every]]

    baseline = baseline_line = None
    if indicator.baseline_value is not None:
        if indicator.baseline_date:
            baseline = Point(x(indicator.baseline_date), y(indicator.baseline_value))
        else:
            baseline_line = y(indicator.baseline_value)
    target_y = target_x = target_label = None
    if indicator.target_value is not None:
        target_y = y(indicator.target_value)
        target_label = f"streefwaarde {format_quantity(indicator.target_value, unit)}"
    if indicator.target_date:
        target_x = x(indicator.target_date)
    fore = fore_label = None
    if ahead:
        fore = (Point(points[-1].x, y(ahead.start)), Point(x(ahead.on), y(ahead.value)))
        fore_label = f"als er niets verandert: {format_quantity(ahead.value, unit)}"

    rows = _rows(indicator, measured, ahead)
    return TrendChart(
        key=key or f"trend-{indicator.id}",
        unit=(unit or "").strip(),
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right_edge=right_edge,
        top=TOP,
        bottom_edge=bottom_edge,
        title=f"Verloop van {indicator.name}",
        description=describe(indicator, measured, ahead),
        points=points,
        path=" ".join(f"{p.x},{p.y}" for p in points),
        # One element each instead of one per dot or line: the same picture, and far fewer
        # nodes for WeasyPrint to style and draw on every page of the report.
        dots="".join(f"M{p.x},{p.y}h0" for p in points),
        y_grid="".join(f"M{LEFT},{t.at}H{right_edge}" for t in y_ticks),
        x_marks="".join(f"M{t.at},{bottom_edge}v5" for t in x_ticks),
        baseline=baseline,
        baseline_line=baseline_line,
        target_y=target_y,
        target_x=target_x,
        target_label=target_label,
        forecast=fore,
        forecast_label=fore_label,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        rows=rows,
        colours=COLOURS,
    )


def _rows(
    indicator: Indicator, measured: Sequence[Measurement], ahead: Forecast | None
) -> list[FigureRow]:
    unit = indicator.unit
    rows = []
    if indicator.baseline_value is not None:
        rows.append(
            FigureRow(
                "Nulmeting",
                format_date(indicator.baseline_date) if indicator.baseline_date else "",
                format_quantity(indicator.baseline_value, unit),
                indicator.baseline_value,
            )
        )
    rows += [
        FigureRow("Meting", format_date(m.measured_on), format_quantity(m.value, unit), m.value)
        for m in measured
    ]
    if indicator.target_value is not None:
        rows.append(
            FigureRow(
                "Streefwaarde",
                format_date(indicator.target_date) if indicator.target_date else "",
                format_quantity(indicator.target_value, unit),
                indicator.target_value,
            )
        )
    if ahead:
        rows.append(
            FigureRow(
                "Als er niets verandert",
                format_date(ahead.on),
                format_quantity(ahead.value, unit),
                ahead.value,
            )
        )
    return rows


def describe(indicator: Indicator, measured: Sequence[Measurement], ahead: Forecast | None) -> str:
    """The chart in words, for the <desc> and for anyone who cannot see it."""
    unit = indicator.unit
    parts = [f"{indicator.direction.label}."]
    if indicator.baseline_value is not None:
        when = f" ({format_date(indicator.baseline_date)})" if indicator.baseline_date else ""
        parts.append(f"Nulmeting {format_quantity(indicator.baseline_value, unit)}{when}.")
    if indicator.target_value is not None:
        when = f" op {format_date(indicator.target_date)}" if indicator.target_date else ""
        parts.append(f"Streefwaarde {format_quantity(indicator.target_value, unit)}{when}.")
    if measured:
        latest = measured[-1]
        parts.append(
            f"{len(measured)} meting{'en' if len(measured) != 1 else ''} van "
            f"{format_date(measured[0].measured_on)} tot {format_date(latest.measured_on)}; "
            f"de laatste is {format_quantity(latest.value, unit)}."
        )
    else:
        parts.append("Nog geen metingen.")
    if ahead:
        better = (ahead.value > measured[-1].value) == (indicator.direction is Direction.HIGHER)
        trend = "beter" if better and ahead.value != measured[-1].value else "niet beter"
        parts.append(
            f"Als er niets verandert (rechte lijn door de laatste {ahead.based_on} metingen) "
            f"is de waarde op {format_date(ahead.on)} ongeveer "
            f"{format_quantity(ahead.value, unit)}: {trend} dan nu."
        )
    parts.append(f"Status: {indicator.status.label.lower()}.")
    return " ".join(parts)
