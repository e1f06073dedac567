"""The flags a facilitator acts on: each one raised by exactly the gap it names."""

from datetime import date, timedelta
from decimal import Decimal

from app.ambitions import service as ambitions_service
from app.ambitions.models import TableMemberCreate
from app.choices import Perspective
from app.cycles import service as cycles_service
from app.progress import service as progress_service
from app.results import service as results_service
from app.results.models import IndicatorCreate, RbaQuestion, ResultCreate, ResultType
from app.tables import utc_now
from tests import factories


def _progress(session, cycle):
    return progress_service.progress(session, [cycle])[cycle.id]


def test_a_result_without_indicator_is_flagged(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    measured = factories.make_result(session, cycle)
    factories.make_indicator(session, result=measured)
    assert _progress(session, cycle).results_without_indicator == 0
    factories.make_result(session, cycle)
    assert _progress(session, cycle).results_without_indicator == 1


def test_an_activity_that_only_counts_output_is_flagged(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    activity = factories.make_activity(session, cycle)
    output = IndicatorCreate(name="Aantal matches", rba_question=RbaQuestion.HOW_MUCH)
    results_service.create_indicator(session, output, cycle_id=cycle.id, activity_id=activity.id)
    assert _progress(session, cycle).activities_counting_output_only == 1
    factories.make_indicator(session, activity=activity)  # "is iemand er beter van geworden?"
    assert _progress(session, cycle).activities_counting_output_only == 0


def test_more_process_than_substantive_results_is_flagged(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    factories.make_result(session, cycle)  # substantive
    for result_type in (ResultType.PROCESS, ResultType.PRECONDITION):
        assert not _progress(session, cycle).mostly_process
        results_service.create_result(
            session, cycle, ResultCreate(text="Samenwerken", result_type=result_type)
        )
    assert _progress(session, cycle).mostly_process


def test_an_indicator_past_its_streefdatum_is_flagged_while_the_cycle_runs(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    result = factories.make_result(session, cycle)
    results_service.create_result_indicator(
        session,
        result,
        IndicatorCreate(
            name="Verlopen",
            baseline_value=Decimal(1),
            baseline_date=date(2019, 1, 1),
            target_value=Decimal(2),
            target_date=date(2022, 12, 31),
        ),
    )
    results_service.create_result_indicator(
        session,
        result,
        IndicatorCreate(name="Lopend", target_date=utc_now().date() + timedelta(days=365)),
    )
    assert _progress(session, cycle).indicators_past_target == 1
    indicator = results_service.list_results(session, cycle)[0].indicators[0]
    assert indicator.target_passed

    cycles_service.start_next_cycle(session, cycle)  # closed: its dates lie behind it
    assert _progress(session, cycle).indicators_past_target == 0


def test_perspectives_at_the_table_are_counted_per_cycle(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    for name, perspective in (
        ("Wethouder", Perspective.MUNICIPALITY),
        ("De Kern", Perspective.PROVIDER),
        ("Welzijn Kampen", Perspective.PROVIDER),
    ):
        ambitions_service.create_table_member(
            session, cycle, TableMemberCreate(name=name, perspective=perspective)
        )
    counts = ambitions_service.perspectives_at_table(session, [cycle.id])[cycle.id]
    assert counts == {Perspective.MUNICIPALITY: 1, Perspective.PROVIDER: 2}


def test_an_indicator_with_an_old_latest_meting_is_flagged(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    result = factories.make_result(session, cycle)
    old, recent = (factories.make_indicator(session, result=result) for _ in range(2))
    today = utc_now().date()
    factories.make_measurement(session, old, today - timedelta(days=800))
    factories.make_measurement(session, old, today - timedelta(days=400))  # latest: 13 months
    factories.make_measurement(session, recent, today - timedelta(days=30))
    assert _progress(session, cycle).stale_indicators == 1
    assert _progress(session, cycle).has_flags
