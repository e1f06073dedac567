"""The curve of an indicator as SVG: what it draws, what it says, and the forecast rule."""

import re
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from app.results.models import Direction, Indicator, Measurement
from app.results.trend_chart import forecast, trend_chart
from app.templating import templates
from tests import factories


def indicator(values, **fields) -> Indicator:
    defaults = {
        "id": 7,
        "cycle_id": 1,
        "result_id": 1,
        "name": "Uitstroom naar werk",
        "unit": "%",
        "baseline_value": Decimal(40),
        "baseline_date": date(2018, 1, 1),
        "target_value": Decimal(60),
        "target_date": date(2025, 12, 31),
    }
    found = Indicator(**{**defaults, **fields})
    found.measurements = [
        Measurement(indicator_id=7, measured_on=date(2019 + n, 1, 1), value=Decimal(v))
        for n, v in enumerate(values)
    ]
    return found


def svg(chart) -> str:
    return templates.env.get_template("results/_trend_chart.html").render(chart=chart)


def test_the_forecast_is_the_straight_line_through_the_last_measurements():
    # 42, 44, 46, 48 on 1 January 2019..2022: two points a year, carried on to 31 December 2025.
    ahead = forecast(indicator(["42", "44", "46", "48"]).measurements, date(2025, 12, 31))
    assert ahead is not None and ahead.based_on == 4
    assert Decimal("55.5") < ahead.value < Decimal("56.5")
    assert ahead.start == Decimal("48.0")


def test_only_the_last_four_measurements_count_and_two_are_needed():
    old_dip = ["10", "50", "51", "52", "53"]
    ahead = forecast(indicator(old_dip).measurements, date(2024, 1, 1))
    assert ahead is not None and ahead.value == Decimal("54.0")  # the dip at 10 is ignored
    assert forecast(indicator(["50"]).measurements, date(2024, 1, 1)) is None


def test_a_passed_target_date_forecasts_one_year_past_the_last_measurement():
    ahead = forecast(indicator(["42", "44"]).measurements, date(2019, 6, 1))
    # 365 days after 1 January 2020, a leap year.
    assert ahead is not None and ahead.on == date(2020, 12, 31)


def test_the_svg_has_a_title_a_description_and_the_figures_as_a_table():
    chart = trend_chart(indicator(["42", "44", "46", "48"]))
    page = svg(chart)
    assert 'role="img"' in page and 'aria-labelledby="trend-7-title trend-7-desc"' in page
    assert '<title id="trend-7-title">Verloop van Uitstroom naar werk</title>' in page
    assert "Nulmeting 40% (1 januari 2018). Streefwaarde 60% op 31 december 2025." in page
    assert "4 metingen van 1 januari 2019 tot 1 januari 2022; de laatste is 48%." in page
    assert "Als er niets verandert (rechte lijn door de laatste 4 metingen)" in page
    # One dot per measurement: a zero-length, round-capped segment of one path.
    assert page.count('class="kompas-chart__dots"') == 1 and chart.dots.count("h0") == 4
    assert 'stroke-dasharray="1 5"' in page  # the dotted forecast
    assert "streefwaarde 60%" in page and "streefdatum" in page and "nulmeting" in page
    assert [r.label for r in chart.rows] == ["Nulmeting"] + ["Meting"] * 4 + [
        "Streefwaarde",
        "Als er niets verandert",
    ]
    assert (
        'scope="col">Waarde</th>' in page
        and '<td class="utrecht-table__cell utrecht-table__cell--numeric">48%</td>' in page
    )
    assert "<script" not in page


def test_a_falling_curve_where_lower_is_better_is_called_better():
    chart = trend_chart(
        indicator(
            ["20", "18", "16"],
            direction=Direction.LOWER,
            baseline_value=Decimal(20),
            target_value=Decimal(10),
        )
    )
    assert "beter dan nu" in chart.description and "niet beter" not in chart.description


def test_an_indicator_without_anything_is_empty():
    chart = trend_chart(
        indicator([], baseline_value=None, target_value=None, baseline_date=None, target_date=None)
    )
    assert chart.empty and "Nog geen metingen." in chart.description


@given(
    st.lists(
        st.decimals(min_value=-1_000_000, max_value=1_000_000, places=2, allow_nan=False),
        min_size=0,
        max_size=12,
    )
)
def test_every_point_lies_inside_the_drawing(values):
    chart = trend_chart(indicator([str(v) for v in values], baseline_value=None, target_value=None))
    for p in chart.points + ([chart.forecast[1]] if chart.forecast else []):
        assert chart.left <= p.x <= chart.right_edge
        assert chart.top - 0.5 <= p.y <= chart.bottom_edge + 0.5


def test_the_indicator_page_draws_the_curve(session, organisation, client):
    cycle = factories.make_cycle(session, organisation)
    found = factories.make_indicator(session, result=factories.make_result(session, cycle))
    for year, value in ((2020, "44"), (2021, "47")):
        factories.make_measurement(session, found, date(year, 1, 1), value)
    page = client.get(f"/indicatoren/{found.id}").text
    assert "De curve" in page
    assert f'<title id="trend-{found.id}-title">Verloop van {found.name}</title>' in page
    # One dot per measurement, counted in the dots' own path: "h0" can also turn up in the
    # page's random form token.
    dots = re.findall(r'class="kompas-chart__dots" d="([^"]*)"', page)
    assert len(dots) == 1 and dots[0].count("h0") == 2


def _nulmeting_y(page: str) -> float:
    label = re.search(r'<text x="[^"]+" y="([^"]+)"[^>]*>nulmeting</text>', page)
    assert label is not None
    return float(label.group(1))


def test_the_nulmeting_label_stays_clear_of_the_years_under_the_axis():
    # The nulmeting is the lowest value, so its marker sits on the axis: the label goes above.
    lowest = trend_chart(indicator(["42", "44"], baseline_value=Decimal(40)))
    assert lowest.baseline is not None and lowest.baseline.y == lowest.bottom_edge
    assert _nulmeting_y(svg(lowest)) < lowest.bottom_edge
    # Higher up there is room under the marker.
    higher = trend_chart(indicator(["30", "32"], baseline_value=Decimal(50)))
    assert higher.baseline is not None
    assert _nulmeting_y(svg(higher)) == higher.baseline.y + 16


def _forecast_label_y(page: str) -> float:
    label = re.search(r'<text x="[^"]+" y="([^"]+)"[^>]*>als er niets verandert', page)
    assert label is not None
    return float(label.group(1))


def test_the_forecast_label_sits_on_the_side_its_line_does_not_cross():
    # Rising (y grows downwards): the dotted line comes from below, so the label goes above.
    rising = trend_chart(indicator(["42", "44", "46", "48"]))
    assert rising.forecast is not None
    start, end = rising.forecast
    assert end.y < start.y
    assert _forecast_label_y(svg(rising)) + 3 < end.y  # the letters' bottom above the end
    # Falling: the line comes from above, so the label goes below.
    falling = trend_chart(
        indicator(["58", "56", "54", "52"], baseline_value=Decimal(60), target_value=Decimal(40))
    )
    assert falling.forecast is not None
    start, end = falling.forecast
    assert end.y > start.y
    assert _forecast_label_y(svg(falling)) - 12 > end.y  # the letters' top below the end
