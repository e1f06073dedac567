"""Reflections, improvement actions and decisions."""

import pytest
from pydantic import ValidationError

from app.errors import InvalidInput
from app.improvement import service as improvement_service
from app.improvement.models import (
    ActivityDecisionCreate,
    Decision,
    ImprovementActionCreate,
    ReflectionCreate,
)
from tests import factories


def test_a_reflection_must_say_something():
    with pytest.raises(ValidationError, match="Vul in wat goed gaat"):
        ReflectionCreate(reflected_on="2021-11-01")


def test_actions_belong_to_their_reflection(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    reflection = factories.make_reflection(session, cycle)
    improvement_service.create_action(
        session, reflection, ImprovementActionCreate(description="Route naar school", owner="CJG")
    )
    session.expire_all()
    [listed] = improvement_service.list_reflections(session, cycle)
    assert [a.description for a in listed.actions] == ["Route naar school"]


def test_one_decision_per_activity(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    activity = factories.make_activity(session, cycle)
    improvement_service.create_decision(
        session, activity, ActivityDecisionCreate(decision=Decision.STRENGTHEN)
    )
    with pytest.raises(InvalidInput, match="al een besluit"):
        improvement_service.create_decision(
            session, activity, ActivityDecisionCreate(decision=Decision.STOP)
        )
    assert improvement_service.decisions_by_activity(session, cycle)[activity.id].decision is (
        Decision.STRENGTHEN
    )
