"""Starting the next cycle carries the right things forward and freezes the previous one."""

from datetime import date

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
from app.ambitions.models import AmbitionStatus, AmbitionWrite
from app.cycles import service as cycles_service
from app.errors import CycleClosed
from app.improvement import rollover
from app.improvement import service as improvement_service
from app.improvement.models import ActivityDecision, ActivityDecisionCreate, Decision
from app.results import service as results_service
from tests import factories


@pytest.fixture
def finished_cycle(session, organisation):
    """A cycle with content in every step and decisions for three of its four activities."""
    cycle = factories.make_cycle(session, organisation)
    ambitions_service.save_ambition(
        session, cycle, AmbitionWrite(text="Iedereen doet mee.", status=AmbitionStatus.AGREED)
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
    response = client.post(f"/api/v1/cycles/{cycle.id}/next-cycle")
    assert response.status_code == 409
    assert "2101–2104" in response.json()["detail"]
    assert client.get(f"/api/v1/themes/{cycle.theme_id}/cycles").status_code == 200
    read = client.get(f"/api/v1/cycles/{cycle.id}")
    assert read.status_code == 200 and read.json()["status"] == "active"
