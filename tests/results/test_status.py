"""The rule that says whether an indicator is op koers, aandacht or niet op koers."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.results.status import IndicatorStatus, indicator_status

START, END = date(2019, 1, 1), date(2023, 1, 1)
HALFWAY = date(2021, 1, 1)


def status(latest, *, baseline=40, target=60, on=HALFWAY, higher=True, dated=True):
    return indicator_status(
        higher_is_better=higher,
        baseline_value=Decimal(baseline),
        target_value=Decimal(target),
        latest_value=None if latest is None else Decimal(str(latest)),
        baseline_date=START if dated else None,
        target_date=END if dated else None,
        latest_date=on,
    )


class TestWithDates:
    def test_no_measurement_no_status(self):
        assert status(None) is IndicatorStatus.UNKNOWN

    def test_on_the_line_from_baseline_to_target_is_on_track(self):
        assert status(50) is IndicatorStatus.ON_TRACK  # halfway in time, halfway in value

    def test_up_to_ten_points_behind_is_still_on_track(self):
        assert status(49) is IndicatorStatus.ON_TRACK  # 45% progress, 50% expected

    def test_up_to_twenty_five_points_behind_needs_attention(self):
        assert status(46) is IndicatorStatus.ATTENTION  # 30% progress, 50% expected

    def test_further_behind_is_off_track(self):
        assert status(44) is IndicatorStatus.OFF_TRACK  # 20% progress, 50% expected

    def test_worse_than_the_baseline_is_never_on_track(self):
        assert status(39, on=date(2019, 2, 1)) is IndicatorStatus.ATTENTION  # just started
        assert status(39) is IndicatorStatus.OFF_TRACK

    def test_target_reached_is_on_track_even_early(self):
        assert status(60, on=date(2019, 6, 1)) is IndicatorStatus.ON_TRACK

    def test_after_the_target_date_anything_short_of_target_falls_behind(self):
        assert status(57, on=date(2024, 1, 1)) is IndicatorStatus.ATTENTION
        assert status(54, on=date(2024, 1, 1)) is IndicatorStatus.OFF_TRACK

    def test_lower_is_better(self):
        assert status(10.5, baseline=12, target=9, higher=False) is IndicatorStatus.ON_TRACK
        assert status(12.5, baseline=12, target=9, higher=False) is IndicatorStatus.OFF_TRACK


class TestWithoutDates:
    def test_only_the_direction_counts(self):
        assert status(60, dated=False) is IndicatorStatus.ON_TRACK
        assert status(41, dated=False) is IndicatorStatus.ATTENTION
        assert status(39, dated=False) is IndicatorStatus.OFF_TRACK


class TestHoldingALevel:
    @pytest.mark.parametrize(
        ("latest", "expected"),
        [
            (70, IndicatorStatus.ON_TRACK),
            (68, IndicatorStatus.ATTENTION),
            (60, IndicatorStatus.OFF_TRACK),
        ],
    )
    def test_at_least_the_target(self, latest, expected):
        assert status(latest, baseline=69, target=69) is expected


ORDER = [IndicatorStatus.OFF_TRACK, IndicatorStatus.ATTENTION, IndicatorStatus.ON_TRACK]
values = st.integers(min_value=-1000, max_value=1000)
days = st.integers(min_value=-400, max_value=2000)


@given(
    baseline=values, change=st.integers(min_value=1, max_value=500), a=values, b=values, day=days
)
def test_a_better_value_never_gets_a_worse_status(baseline, change, a, b, day):
    on = date.fromordinal(START.toordinal() + day)
    worse, better = sorted((a, b))
    kwargs = {"baseline": baseline, "target": baseline + change, "on": on}
    assert ORDER.index(status(better, **kwargs)) >= ORDER.index(status(worse, **kwargs))


@given(baseline=values, change=st.integers(min_value=1, max_value=500), latest=values, day=days)
def test_lower_is_better_mirrors_higher_is_better(baseline, change, latest, day):
    on = date.fromordinal(START.toordinal() + day)
    higher = status(latest, baseline=baseline, target=baseline + change, on=on)
    lower = status(-latest, baseline=-baseline, target=-baseline - change, on=on, higher=False)
    assert higher is lower
