"""Starting the next cycle carries the right things forward and freezes the previous one."""

from datetime import date
from decimal import Decimal

import pytest

from app.activities import service as activities_service
from app.activities.models import (
    Activity,
    ActivityStatus,
    QualityCategory,
    QualityConditionCreate,
    WorkingElementCreate,
)
from app.ambitions import service as ambitions_service
from app.ambitions.models import Adopter, AmbitionStatus, AmbitionWrite
from app.cycles import service as cycles_service
from app.errors import CycleClosed
from app.improvement import rollover
from app.improvement import service as improvement_service
from app.improvement.models import (
    ActivityDecision,
    ActivityDecisionCreate,
    Decision,
    ImprovementActionCreate,
    ResultDecisionCreate,
    ResultDecisionKind,
)
from app.results import service as results_service
from app.results.models import IndicatorTargets
from tests import factories


@pytest.fixture
def finished_cycle(session, organisation):
    """A cycle with content in every step and decisions for three of its four activities."""
    cycle = factories.make_cycle(session, organisation)
    ambitions_service.save_ambition(
        session,
        cycle,
        AmbitionWrite(
            text="Iedereen doet mee.", status=AmbitionStatus.AGREED, adopted_by=Adopter.COUNCIL
        ),
    )
    factories.make_term(session, cycle, "Preventie")
    first, second = (
        factories.make_result(session, cycle, "R1"),
        factories.make_result(session, cycle, "R2"),
    )
    indicator = factories.make_indicator(session, result=first)
    factories.make_measurement(session, indicator, date(2020, 1, 1))
    keep, grow, stop, _undecided = (
        factories.make_activity(session, cycle, name=n)
        for n in ("Houden", "Groeien", "Stoppen", "Zonder besluit")
    )
    factories.make_link(session, keep, first)
    factories.make_link(session, keep, second)
    factories.make_link(session, stop, second)
    activities_service.create_working_element(
        session, keep, WorkingElementCreate(description="Vast contactpersoon")
    )
    activities_service.create_quality_condition(
        session, keep, QualityConditionCreate(category=QualityCategory.TRAINING, description="x")
    )
    factories.make_indicator(session, activity=keep)
    factories.make_indicator(session, activity=stop)
    for activity, decision in (
        (keep, Decision.CONTINUE),
        (grow, Decision.STRENGTHEN),
        (stop, Decision.STOP),
    ):
        improvement_service.create_decision(
            session, activity, ActivityDecisionCreate(decision=decision)
        )
    factories.make_reflection(session, cycle)
    return cycle


def test_the_next_cycle_carries_everything_forward(session, organisation, finished_cycle):
    new = rollover.start_next_cycle(session, finished_cycle)
    session.expire_all()

    ambition = ambitions_service.get_ambition(session, new)
    assert ambition.text == "Iedereen doet mee."
    assert ambition.status is AmbitionStatus.DRAFT  # to be confirmed again
    assert [t.term for t in ambitions_service.list_terms(session, new)] == ["Preventie"]

    results = results_service.list_results(session, new)
    assert [(r.rank, r.text) for r in results] == [(1, "R1"), (2, "R2")]
    assert [i.name for i in results[0].indicators] == [
        i.name for i in results_service.list_results(session, finished_cycle)[0].indicators
    ]
    assert results[0].indicators[0].measurements == []  # measurements stay behind

    activities = {a.name: a for a in activities_service.list_activities(session, new)}
    assert set(activities) == {"Houden", "Groeien", "Zonder besluit"}
    assert activities["Houden"].status is ActivityStatus.CONTINUE
    assert activities["Groeien"].status is ActivityStatus.STRENGTHEN
    assert activities["Zonder besluit"].status is ActivityStatus.CONTINUE
    kept = activities["Houden"]
    assert sorted(link.result.text for link in kept.links) == ["R1", "R2"]
    assert {link.result.cycle_id for link in kept.links} == {new.id}
    assert [e.description for e in kept.working_elements] == ["Vast contactpersoon"]
    assert len(kept.quality_conditions) == 1 and len(kept.indicators) == 1
    assert improvement_service.list_reflections(session, new) == []


def test_the_previous_cycle_is_kept_and_read_only(session, organisation, finished_cycle):
    rollover.start_next_cycle(session, finished_cycle)
    old = cycles_service.get_cycle(session, organisation, finished_cycle.id)
    assert old.is_closed
    assert len(activities_service.list_activities(session, old)) == 4
    with pytest.raises(CycleClosed):
        factories.make_result(session, old)
    with pytest.raises(CycleClosed):
        rollover.start_next_cycle(session, old)


@pytest.mark.parametrize(
    ("status", "decision", "expected"),
    [
        (ActivityStatus.NEW, None, ActivityStatus.CONTINUE),
        (ActivityStatus.PHASE_OUT, None, ActivityStatus.PHASE_OUT),
        (ActivityStatus.STOP, None, None),
        (ActivityStatus.STOP, Decision.CONTINUE, ActivityStatus.CONTINUE),
        (ActivityStatus.CONTINUE, Decision.STOP, None),
        (ActivityStatus.NEW, Decision.PHASE_OUT, ActivityStatus.PHASE_OUT),
    ],
)
def test_next_status(status, decision, expected):
    activity = Activity(name="x", status=status, cycle_id=1)
    made = ActivityDecision(decision=decision, activity_id=1, cycle_id=1) if decision else None
    assert rollover.next_status(activity, made) is expected


def test_a_next_cycle_beyond_2100_is_refused_before_anything_is_saved(
    client, session, organisation
):
    cycle = factories.make_cycle(session, organisation)
    cycle.start_year, cycle.end_year = 2097, 2100
    session.add(cycle)
    session.flush()
    response = client.post(f"/api/v2/cycli/{cycle.id}/volgende-cyclus", headers={"If-Match": "*"})
    assert response.status_code == 409
    assert "2101–2104" in response.json()["detail"]
    assert client.get(f"/api/v2/themas/{cycle.theme_id}/cycli").status_code == 200
    read = client.get(f"/api/v2/cycli/{cycle.id}")
    assert read.status_code == 200 and read.json()["status"] == "lopend"


def _population_indicator(session, cycle):
    return results_service.list_results(session, cycle)[0].indicators[0]


@pytest.mark.usefixtures("handed_over_on_time")
def test_the_hand_over_proposes_the_latest_meting_and_the_new_cycle_end(
    session, organisation, finished_cycle
):
    plan = rollover.plan_handover(session, finished_cycle)
    assert (plan.period.start_year, plan.period.end_year) == (2023, 2026)
    proposals = {row.indicator.id: row.proposal for row in plan.indicators}
    indicator = _population_indicator(session, finished_cycle)
    assert proposals[indicator.id] == IndicatorTargets(
        baseline_value=Decimal(45),
        baseline_date=date(2020, 1, 1),
        target_value=Decimal(60),
        target_date=date(2026, 12, 31),
    )
    # indicators of the activity that stops stay behind; the one without a meting keeps its
    # nulmeting
    assert len(plan.indicators) == 2
    service = next(r for r in plan.indicators if r.indicator.activity_id is not None)
    assert service.proposal.baseline_value == Decimal(40)
    assert service.proposal.baseline_date == date(2019, 1, 1)


def test_a_target_already_reached_is_proposed_as_holding_that_level(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    indicator = factories.make_indicator(session, result=factories.make_result(session, cycle))
    factories.make_measurement(session, indicator, date(2022, 6, 1), value="64")
    session.expire_all()
    indicator = results_service.get_indicator(session, organisation, indicator.id)
    proposal = results_service.propose_targets(indicator, 2026)
    assert proposal.baseline_value == proposal.target_value == Decimal(64)


@pytest.mark.usefixtures("handed_over_on_time")
def test_confirmed_targets_continue_the_curve_across_the_boundary(
    session, organisation, finished_cycle
):
    old = _population_indicator(session, finished_cycle)
    chosen = IndicatorTargets(
        baseline_value=Decimal(45),
        baseline_date=date(2022, 12, 1),
        target_value=Decimal(70),
        target_date=date(2026, 6, 30),
    )
    new_cycle = rollover.start_next_cycle(session, finished_cycle, {old.id: chosen})
    session.expire_all()
    new = _population_indicator(session, new_cycle)
    assert new.predecessor_id == old.id
    assert (new.baseline_value, new.baseline_date) == (Decimal(45), date(2022, 12, 1))
    assert (new.target_value, new.target_date) == (Decimal(70), date(2026, 6, 30))
    factories.make_measurement(session, new, date(2024, 1, 1), value="52")
    session.expire_all()
    new = results_service.get_indicator(session, organisation, new.id)

    series = results_service.indicator_series(session, new)

    assert [(p.period, p.current) for p in series] == [("2019–2022", False), ("2023–2026", True)]
    assert [[m.value for m in p.indicator.measurements] for p in series] == [
        [Decimal(45)],
        [Decimal(52)],
    ]


@pytest.mark.usefixtures("handed_over_on_time")
def test_indicators_without_confirmation_take_the_proposal(session, organisation, finished_cycle):
    new_cycle = rollover.start_next_cycle(session, finished_cycle)
    new = _population_indicator(session, new_cycle)
    assert (new.baseline_value, new.baseline_date) == (Decimal(45), date(2020, 1, 1))
    assert new.target_date == date(2026, 12, 31)


def test_open_actions_move_along_and_finished_ones_stay(session, organisation, finished_cycle):
    reflection = improvement_service.list_reflections(session, finished_cycle)[0]
    done, open_ = (
        improvement_service.create_action(
            session, reflection, ImprovementActionCreate(description=text, done=finished)
        )
        for text, finished in (("Afgerond", True), ("Nog te doen", False))
    )
    new_cycle = rollover.start_next_cycle(session, finished_cycle)
    session.expire_all()

    (carried,) = improvement_service.list_reflections(session, new_cycle)
    assert "2019–2022" in carried.could_improve
    assert [(a.description, a.carried_over_from_id) for a in carried.actions] == [
        ("Nog te doen", open_.id)
    ]
    assert improvement_service.carried_forward(session, finished_cycle) == {open_.id}
    assert len(improvement_service.list_reflections(session, finished_cycle)[0].actions) == 2
    assert done.id not in improvement_service.carried_forward(session, finished_cycle)


def test_decisions_on_results_reword_or_drop_them_in_the_next_cycle(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    kept, reworded, dropped = (
        factories.make_result(session, cycle, text) for text in ("Houden", "Oud", "Weg")
    )
    factories.make_indicator(session, result=dropped)
    activity = factories.make_activity(session, cycle)
    factories.make_link(session, activity, dropped)
    factories.make_link(session, activity, kept)
    improvement_service.create_result_decision(
        session,
        reworded,
        ResultDecisionCreate(
            decision=ResultDecisionKind.REWORD,
            new_text="Nieuw",
            decided_by="college",
            decided_on=date(2022, 11, 12),
        ),
    )
    improvement_service.create_result_decision(
        session, dropped, ResultDecisionCreate(decision=ResultDecisionKind.DROP)
    )
    assert len(rollover.plan_handover(session, cycle).indicators) == 0

    new_cycle = rollover.start_next_cycle(session, cycle)
    session.expire_all()

    carried = results_service.list_results(session, new_cycle)
    assert [(r.rank, r.code, r.text) for r in carried] == [
        (1, kept.code, "Houden"),
        (2, reworded.code, "Nieuw"),
    ]
    (copy,) = activities_service.list_activities(session, new_cycle)
    assert [link.result.text for link in copy.links] == ["Houden"]


def test_a_reworded_result_needs_its_new_wording():
    with pytest.raises(ValueError, match="nieuwe formulering"):
        ResultDecisionCreate(decision=ResultDecisionKind.REWORD)
