"""JSON API for themes, cycles, their steps and the monitoring picture."""

from collections.abc import Sequence

from fastapi import APIRouter, Response

from app.api_names import api_input, api_output
from app.auth import CurrentMember, CurrentOrganisation, require_cycle_runner
from app.cycles import service as cycles_service
from app.cycles.models import CycleStep, CycleStepBase, CycleStepPublic, CycleStepUpdate
from app.cycles.resources import cycles, monitoring_items, themes
from app.db import SessionDep
from app.ids import api_id
from app.resources import (
    IfMatch,
    add_api_routes,
    check_if_match,
    commit_or_conflict,
    etag,
    merge_patch,
)
from app.text import clean

router = APIRouter()
CycleId = api_id("cycle")
StepId = api_id("step")
Step = api_output(CycleStepPublic, "Stap")
StepChange = api_input(CycleStepUpdate, "StapWijziging")

for resource in (themes, cycles, monitoring_items):
    add_api_routes(router, resource)


@router.get(
    "/cycli/{cyclusId}/stappen",
    response_model=list[Step],
    tags=["stappen"],
    name="api:step:list",
    summary="De zeven stappen van een cyclus opvragen",
    description="Stap 0 (voorbereiding) en de zes stappen van het Kwaliteitskompas, met hun "
    "status.",
)
def list_steps(
    session: SessionDep, organisation: CurrentOrganisation, cycle_id: CycleId
) -> Sequence[CycleStep]:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    return cycles_service.list_steps(session, cycle)


@router.get(
    "/stappen/{stapId}",
    response_model=Step,
    tags=["stappen"],
    name="api:step:read",
    summary="Eén stap lezen",
)
def read_step(
    session: SessionDep, organisation: CurrentOrganisation, step_id: StepId, response: Response
) -> CycleStep:
    cycle_step = cycles_service.get_step(session, organisation, step_id)
    response.headers["ETag"] = etag(cycle_step)
    return cycle_step


@router.patch(
    "/stappen/{stapId}",
    response_model=Step,
    tags=["stappen"],
    name="api:step:update",
    summary="De status of aantekeningen van een stap wijzigen",
    description="Met `If-Match` alleen als de opgeslagen versie nog die is die je las.",
)
def update_step(
    session: SessionDep,
    member: CurrentMember,
    step_id: StepId,
    data: StepChange,  # type: ignore[valid-type]
    response: Response,
    if_match: IfMatch = None,
) -> CycleStep:
    require_cycle_runner(member)
    organisation = member.organisation
    cycle_step = cycles_service.get_step(session, organisation, step_id)
    check_if_match(cycle_step, if_match)
    current = CycleStepBase.model_validate(cycle_step).model_dump()
    cycles_service.update_step(
        session, cycle_step, clean(merge_patch(CycleStepBase, current, data))
    )
    commit_or_conflict(session)
    response.headers["ETag"] = etag(cycle_step)
    return cycle_step
