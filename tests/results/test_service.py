"""Results and their priority, indicators and measurements."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from app.errors import InvalidInput, NotFound
from app.results import service as results_service
from app.results.models import (
    Direction,
    IndicatorCreate,
    MeasurementCreate,
    RbaQuestion,
    ResultCreate,
)
from app.results.status import IndicatorStatus
from tests import factories


def ranks(session, cycle):
    return [(r.rank, r.text) for r in results_service.list_results(session, cycle)]


class TestPriority:
    def test_new_results_go_to_the_bottom(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        for text in ("A", "B", "C"):
            factories.make_result(session, cycle, text)
        assert ranks(session, cycle) == [(1, "A"), (2, "B"), (3, "C")]

    def test_moving_shifts_the_others(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        *_, c = (factories.make_result(session, cycle, t) for t in "ABC")
        results_service.move_result(session, c, 1)
        assert ranks(session, cycle) == [(1, "C"), (2, "A"), (3, "B")]

    def test_moving_beyond_the_ends_stops_at_the_ends(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        a, b = (factories.make_result(session, cycle, t) for t in "AB")
        results_service.move_result(session, a, 99)
        results_service.move_result(session, b, -3)
        assert ranks(session, cycle) == [(1, "B"), (2, "A")]

    def test_deleting_closes_the_gap(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        _, b, _ = (factories.make_result(session, cycle, t) for t in "ABC")
        results_service.delete_result(session, b)
        assert ranks(session, cycle) == [(1, "A"), (2, "C")]

    @settings(
        max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        operations=st.lists(
            st.tuples(
                st.sampled_from(["add", "move", "delete"]), st.integers(0, 9), st.integers(-2, 12)
            ),
            max_size=12,
        )
    )
    def test_ranks_stay_one_to_n_whatever_happens(self, session, organisation, operations):
        cycle = factories.make_cycle(session, organisation)
        for operation, pick, rank in operations:
            current = list(results_service.list_results(session, cycle))
            if operation == "add" or not current:
                factories.make_result(session, cycle)
            elif operation == "move":
                results_service.move_result(session, current[pick % len(current)], rank)
            else:
                results_service.delete_result(session, current[pick % len(current)])
        listed = results_service.list_results(session, cycle)
        assert [r.rank for r in listed] == list(range(1, len(listed) + 1))


class TestIndicators:
    def test_target_date_must_come_after_the_baseline(self):
        with pytest.raises(ValidationError, match="streefdatum moet na de datum"):
            IndicatorCreate(name="x", baseline_date=date(2022, 1, 1), target_date=date(2021, 1, 1))

    def test_target_must_lie_in_the_better_direction(self):
        with pytest.raises(ValidationError, match="hoger is beter"):
            IndicatorCreate(name="x", baseline_value=Decimal(50), target_value=Decimal(40))
        assert IndicatorCreate(
            name="x", direction=Direction.LOWER, baseline_value=50, target_value=40
        )

    def test_population_indicators_answer_no_rba_question(self, session, organisation):
        result = factories.make_result(session, factories.make_cycle(session, organisation))
        with pytest.raises(InvalidInput) as caught:
            results_service.create_result_indicator(
                session, result, IndicatorCreate(name="x", rba_question=RbaQuestion.HOW_MUCH)
            )
        assert "rba_question" in caught.value.errors

    def test_activity_indicators_must_answer_an_rba_question(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        activity = factories.make_activity(session, cycle)
        with pytest.raises(InvalidInput, match="hoeveel, hoe goed"):
            results_service.create_indicator(
                session, IndicatorCreate(name="x"), cycle_id=cycle.id, activity_id=activity.id
            )

    def test_status_follows_the_latest_measurement(self, session, organisation):
        result = factories.make_result(session, factories.make_cycle(session, organisation))
        indicator = factories.make_indicator(session, result=result)
        factories.make_measurement(session, indicator, date(2021, 1, 1), "30")
        factories.make_measurement(session, indicator, date(2020, 1, 1), "55")
        session.expire_all()
        indicator = results_service.get_indicator(session, organisation, indicator.id)
        assert indicator.latest.value == Decimal(30)
        assert indicator.status is IndicatorStatus.OFF_TRACK

    def test_an_indicator_of_another_organisation_is_not_found(self, session, organisation):
        other = factories.make_organisation(session)
        result = factories.make_result(session, factories.make_cycle(session, other))
        indicator = factories.make_indicator(session, result=result)
        with pytest.raises(NotFound):
            results_service.get_indicator(session, organisation, indicator.id)


class TestMeasurements:
    def test_one_measurement_per_date(self, session, organisation):
        result = factories.make_result(session, factories.make_cycle(session, organisation))
        indicator = factories.make_indicator(session, result=result)
        factories.make_measurement(session, indicator, date(2021, 1, 1))
        with pytest.raises(InvalidInput) as caught:
            results_service.create_measurement(
                session, indicator, MeasurementCreate(measured_on=date(2021, 1, 1), value=5)
            )
        assert caught.value.errors == {
            "measured_on": "Er is al een meting op deze datum. Pas die meting aan."
        }


class TestCodes:
    def test_results_are_numbered_with_the_theme_initial(self, session, organisation):
        theme = factories.make_theme(session, organisation, "Werk")
        cycle = factories.make_cycle(session, organisation, theme=theme)
        first, second = factories.make_result(session, cycle), factories.make_result(session, cycle)
        assert (first.code, second.code) == ("W1", "W2")
        results_service.move_result(session, second, 1)
        assert (first.code, second.code) == ("W1", "W2")  # a code stays, whatever the priority

    def test_a_code_is_unique_in_the_cycle_and_kept_when_left_empty(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        result = factories.make_result(session, cycle)
        other = factories.make_result(session, cycle)
        with pytest.raises(InvalidInput) as refused:
            results_service.update_result(
                session, other, ResultCreate(text=other.text, code=result.code.lower())
            )
        assert "code" in refused.value.errors
        results_service.update_result(session, other, ResultCreate(text="Anders"))
        assert other.code is not None and other.code != result.code
