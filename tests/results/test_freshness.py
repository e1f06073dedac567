"""Whether an indicator's figures are current, and how the pages say how old they are."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.results.freshness import add_months, freshness, is_stale, updated_ago
from app.results.models import Frequency, Indicator, Measurement
from app.tables import utc_now
from tests import factories

TODAY = date(2023, 11, 30)


class TestIsStale:
    def test_a_yearly_figure_is_current_for_a_year(self):
        assert not is_stale(date(2022, 11, 30), Frequency.YEARLY, TODAY)
        assert is_stale(date(2022, 11, 29), Frequency.YEARLY, TODAY)

    def test_each_frequency_has_its_own_period(self):
        latest = date(2023, 7, 1)  # five months before today
        assert is_stale(latest, Frequency.MONTHLY, TODAY)
        assert is_stale(latest, Frequency.QUARTERLY, TODAY)
        assert not is_stale(latest, Frequency.HALF_YEARLY, TODAY)
        assert not is_stale(latest, Frequency.YEARLY, TODAY)
        assert not is_stale(date(2022, 1, 1), Frequency.BIENNIAL, TODAY)

    def test_without_a_measurement_nothing_is_stale_yet(self):
        assert not is_stale(None, Frequency.MONTHLY, TODAY)

    def test_month_ends_carry_over_to_shorter_months(self):
        assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
        assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
        assert add_months(date(2022, 11, 15), 3) == date(2023, 2, 15)

    @given(st.dates(min_value=date(2000, 1, 1), max_value=date(2025, 12, 31)))
    def test_a_longer_frequency_is_never_staler(self, latest):
        frequencies = [
            Frequency.MONTHLY,
            Frequency.QUARTERLY,
            Frequency.HALF_YEARLY,
            Frequency.YEARLY,
            Frequency.BIENNIAL,
        ]
        flags = [is_stale(latest, f, TODAY) for f in frequencies]
        assert flags == sorted(flags, reverse=True)


class TestWording:
    def test_months_up_to_two_years(self):
        assert updated_ago(date(2022, 9, 30), TODAY) == "laatst bijgewerkt 14 maanden geleden"
        assert updated_ago(date(2023, 9, 30), TODAY) == "laatst bijgewerkt 2 maanden geleden"

    def test_years_after_that(self):
        assert updated_ago(date(2020, 11, 1), TODAY) == "laatst bijgewerkt 3 jaar geleden"

    def test_days_and_weeks(self):
        assert updated_ago(TODAY, TODAY) == "laatst bijgewerkt vandaag"
        assert updated_ago(date(2023, 11, 29), TODAY) == "laatst bijgewerkt gisteren"
        assert updated_ago(date(2023, 11, 20), TODAY) == "laatst bijgewerkt 10 dagen geleden"
        assert updated_ago(date(2023, 11, 9), TODAY) == "laatst bijgewerkt 3 weken geleden"


class TestFreshness:
    def _indicator(self, *dates: date, frequency=Frequency.YEARLY) -> Indicator:
        indicator = Indicator(name="Netto arbeidsparticipatie", cycle_id=1, result_id=1)
        indicator.expected_frequency = frequency
        indicator.measurements = [Measurement(measured_on=d, value=1) for d in dates]
        return indicator

    def test_the_latest_measurement_counts(self):
        found = freshness(self._indicator(date(2024, 1, 1), date(2022, 9, 30)), TODAY)
        assert found.stale
        assert found.latest == date(2022, 9, 30)
        assert found.label == "laatst bijgewerkt 14 maanden geleden"

    def test_a_recent_figure_is_not_flagged(self):
        found = freshness(self._indicator(date(2023, 6, 30)), TODAY)
        assert not found.stale

    def test_no_measurement_yet(self):
        found = freshness(self._indicator(), TODAY)
        assert not found.stale
        assert found.label == "nog geen meting"


class TestOnThePages:
    def test_a_stale_figure_is_flagged_and_a_fresh_one_is_not(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        result = factories.make_result(session, cycle)
        stale = factories.make_indicator(session, result=result)
        fresh = factories.make_indicator(session, result=result)
        today = utc_now().date()
        factories.make_measurement(session, stale, today - timedelta(days=430))
        factories.make_measurement(session, fresh, today - timedelta(days=40))
        step = client.get(f"/cycli/{cycle.id}/stappen/2").text
        assert step.count("Verouderd: laatst bijgewerkt 14 maanden geleden") == 1
        assert "laatst bijgewerkt 1 maand geleden" in step or "6 weken" in step
        page = client.get(f"/indicatoren/{stale.id}").text
        assert "Verouderd: laatst bijgewerkt 14 maanden geleden" in page
        assert "Verouderd" not in client.get(f"/indicatoren/{fresh.id}").text
