"""JSON API for budget scenarios: the records, their outcome, choices by hand and adoption."""

from enum import Enum
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field

from app.api_conventions import ApiRoute
from app.api_names import api_input, api_output, dutch
from app.auth import CurrentMember, require_cycle_runner
from app.db import SessionDep
from app.ids import ID_PATTERN, MAX_ID, RefId
from app.resources import (
    IfMatch,
    add_api_routes,
    changed,
    check_if_match,
    commit_or_conflict,
    etag,
)
from app.scenarios import service as scenarios_service
from app.scenarios.consequences import Outcome
from app.scenarios.models import Adoption, Pin, Scenario, ScenarioPublic
from app.scenarios.resources import scenarios

router = APIRouter(route_class=ApiRoute)
add_api_routes(router, scenarios)
TAGS: list[str | Enum] = ["scenarios"]
ScenarioId = Annotated[int, Path(alias=dutch("scenario_id"), ge=1, le=MAX_ID)]
ScenarioOut = api_output(ScenarioPublic, "Scenario")
OutcomeOut = api_output(Outcome, "Scenariouitkomst")


@router.get(
    "/scenarios/{scenarioId}/uitkomst",
    response_model=OutcomeOut,
    tags=TAGS,
    name="api:scenario:outcome",
    operation_id="scenariouitkomstLezen",
    summary="Wat de bezuiniging doet",
    description="De keuze van de optimalisatie per activiteit, en wat dat betekent per "
    "resultaat en per partner (zoals vastgesteld, zodra het scenario het besluit is).",
)
def outcome(session: SessionDep, member: CurrentMember, scenario_id: ScenarioId) -> Outcome:
    scenario = scenarios_service.get_visible_scenario(session, member, scenario_id)
    return scenarios_service.as_seen_by(member, scenarios_service.outcome(session, scenario))


class Choices(BaseModel):
    choices: dict[RefId, Pin | None] = Field(
        description="Per activiteit-id een keuze met de hand; null: de optimalisatie beslist.",
        json_schema_extra={"propertyNames": {"pattern": ID_PATTERN}},
    )


if TYPE_CHECKING:  # to the checker the body is the model it subclasses
    ChoicesIn = Choices
else:
    ChoicesIn = api_input(Choices, "Keuzes")


@router.put(
    "/scenarios/{scenarioId}/keuzes",
    response_model=OutcomeOut,
    tags=TAGS,
    name="api:scenario:choices",
    operation_id="keuzesVastleggen",
    summary="Keuzes met de hand per activiteit",
)
def set_choices(
    session: SessionDep,
    member: CurrentMember,
    scenario_id: ScenarioId,
    data: ChoicesIn,
    response: Response,
    if_match: IfMatch,
) -> Outcome:
    require_cycle_runner(member)
    scenario = scenarios_service.get_scenario(session, member.organisation, scenario_id)
    check_if_match(scenario, if_match)
    changed(scenario)  # its outcome is another now
    scenario = scenarios_service.set_choices(session, scenario, data.choices)
    result = scenarios_service.outcome(session, scenario)  # kept with the choices
    commit_or_conflict(session)
    response.headers["ETag"] = etag(scenario)  # the scenario's: to adopt it next
    return result


class AdoptionRequest(Adoption):
    # Kept activities that are strengthened (versterken) rather than continued.
    strengthen: list[RefId] = Field(default_factory=list)


if TYPE_CHECKING:
    AdoptionIn = AdoptionRequest
else:
    AdoptionIn = api_input(AdoptionRequest, "Vaststelling")


@router.post(
    "/scenarios/{scenarioId}/vaststelling",
    response_model=ScenarioOut,
    tags=TAGS,
    name="api:scenario:adopt",
    operation_id="scenarioVaststellen",
    summary="Het scenario vaststellen als besluit",
    description="Legt per activiteit een besluit vast in stap 6 en bewaart de situatie voor "
    "en na bij het scenario.",
)
def adopt(
    session: SessionDep,
    member: CurrentMember,
    scenario_id: ScenarioId,
    data: AdoptionIn,
    if_match: IfMatch,
) -> Scenario:
    require_cycle_runner(member)
    scenario = scenarios_service.get_scenario(session, member.organisation, scenario_id)
    check_if_match(scenario, if_match)
    scenarios_service.adopt(session, scenario, data.rationale, member, data.strengthen)
    commit_or_conflict(session)
    return scenario
