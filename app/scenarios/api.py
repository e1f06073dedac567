"""JSON API for budget scenarios: the records, their outcome, choices by hand and adoption."""

from fastapi import APIRouter
from pydantic import BaseModel
from sqlmodel import Field

from app.db import SessionDep
from app.ids import RecordId
from app.organisations.deps import CurrentMember
from app.organisations.permissions import require_cycle_runner
from app.resources import add_api_routes, commit_or_conflict
from app.scenarios import service as scenarios_service
from app.scenarios.consequences import Outcome
from app.scenarios.models import Adoption, Pin, Scenario, ScenarioPublic
from app.scenarios.resources import scenarios

router = APIRouter()
add_api_routes(router, scenarios)
TAGS = ["scenarios"]


@router.get(
    "/scenarios/{scenario_id}/outcome",
    response_model=Outcome,
    tags=TAGS,
    name="api:scenario:outcome",
)
def outcome(session: SessionDep, member: CurrentMember, scenario_id: RecordId) -> Outcome:
    """What the cut does: the optimiser's choice per activity, per result and per partner (as
    adopted, once the scenario is the decision)."""
    scenario = scenarios_service.get_scenario(session, member.organisation, scenario_id)
    return scenarios_service.outcome(session, scenario)


class Choices(BaseModel):
    choices: dict[int, Pin | None]  # activity id -> choice by hand; null: the optimiser decides


@router.put(
    "/scenarios/{scenario_id}/choices",
    response_model=Outcome,
    tags=TAGS,
    name="api:scenario:choices",
)
def set_choices(
    session: SessionDep, member: CurrentMember, scenario_id: RecordId, data: Choices
) -> Outcome:
    require_cycle_runner(member)
    scenario = scenarios_service.get_scenario(session, member.organisation, scenario_id)
    scenario = scenarios_service.set_choices(session, scenario, data.choices)
    commit_or_conflict(session)
    return scenarios_service.outcome(session, scenario)


class AdoptionRequest(Adoption):
    # Kept activities that are strengthened (versterken) rather than continued.
    strengthen: list[int] = Field(default_factory=list)


@router.post(
    "/scenarios/{scenario_id}/adoption",
    response_model=ScenarioPublic,
    tags=TAGS,
    name="api:scenario:adopt",
)
def adopt(
    session: SessionDep, member: CurrentMember, scenario_id: RecordId, data: AdoptionRequest
) -> Scenario:
    """Adopt the scenario as the decision: decisions per activity in step 6, and the
    before-and-after kept with the scenario."""
    require_cycle_runner(member)
    scenario = scenarios_service.get_scenario(session, member.organisation, scenario_id)
    scenarios_service.adopt(session, scenario, data.rationale, member, data.strengthen)
    commit_or_conflict(session)
    return scenario
