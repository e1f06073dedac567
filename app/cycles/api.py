"""JSON API for themes, cycles, their steps and the monitoring picture."""

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response

from app.api_collections import CollectionQuery, page_model, page_of, query_dependency
from app.api_conventions import ApiRoute
from app.api_names import api_input, api_output, dutch
from app.auth import CurrentMember, CurrentOrganisation, require_cycle_runner
from app.cycles import service as cycles_service
from app.cycles.models import CycleStep, CycleStepBase, CycleStepPublic, CycleStepUpdate
from app.cycles.resources import cycles, monitoring_items, themes
from app.db import SessionDep
from app.ids import MAX_ID
from app.resources import (
    NOT_MODIFIED,
    IfMatch,
    IfNoneMatch,
    add_api_routes,
    check_if_match,
    commit_or_conflict,
    etag,
    merge_patch,
    not_modified,
)
from app.text import clean

router = APIRouter(route_class=ApiRoute)
CycleId = Annotated[int, Path(alias=dutch("cycle_id"), ge=1, le=MAX_ID)]
StepId = Annotated[int, Path(alias=dutch("step_id"), ge=1, le=MAX_ID)]
if TYPE_CHECKING:  # to the checker these are the models they subclass
    Step = CycleStepPublic
    StepChange = CycleStepUpdate
else:
    Step = api_output(CycleStepPublic, "Stap")
    StepChange = api_input(CycleStepUpdate, "StapWijziging")

for resource in (themes, cycles, monitoring_items):
    add_api_routes(router, resource)

CycleOut = api_output(cycles.public, cycles.api_name)
AllCycles = Annotated[CollectionQuery, Depends(query_dependency(cycles.public, None))]
# The cycle is in the path already: its steps are not filtered on `cyclusId` again.
StepsQuery = Annotated[CollectionQuery, Depends(query_dependency(CycleStepPublic, "cycle_id"))]


@router.get(
    "/cycli",
    response_model=page_model(CycleOut, cycles.api_name),
    tags=["cycli"],
    name="api:cycle:all",
    operation_id="alleCycliOpvragen",
    summary="De cycli van alle thema's opvragen",
    description="Een pagina tegelijk; filter op `themaId` en `status`.",
)
def list_all_cycles(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, query: AllCycles
) -> dict[str, Any]:
    rows = cycles_service.organisation_cycles(session, organisation)
    return page_of(request, session, organisation, str(cycles.model.__tablename__), rows, query)


@router.get(
    "/cycli/{cyclusId}/stappen",
    response_model=page_model(Step, "Stap"),
    tags=["stappen"],
    name="api:step:list",
    operation_id="stappenOpvragen",
    summary="De zeven stappen van een cyclus opvragen",
    description="Stap 0 (voorbereiding) en de zes stappen van het Kwaliteitskompas, met hun "
    "status; een pagina tegelijk, zoals elke verzameling.",
)
def list_steps(
    request: Request,
    session: SessionDep,
    organisation: CurrentOrganisation,
    cycle_id: CycleId,
    query: StepsQuery,
) -> dict[str, Any]:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    rows = cycles_service.list_steps(session, cycle)
    return page_of(request, session, organisation, str(CycleStep.__tablename__), rows, query)


@router.get(
    "/stappen/{stapId}",
    response_model=Step,
    tags=["stappen"],
    name="api:step:read",
    operation_id="stapLezen",
    responses=NOT_MODIFIED,
    summary="Eén stap lezen",
)
def read_step(
    session: SessionDep,
    organisation: CurrentOrganisation,
    step_id: StepId,
    response: Response,
    if_none_match: IfNoneMatch = None,
) -> Any:
    cycle_step = cycles_service.get_step(session, organisation, step_id)
    if unchanged := not_modified(cycle_step, if_none_match):
        return unchanged
    response.headers["ETag"] = etag(cycle_step)
    return cycle_step


@router.patch(
    "/stappen/{stapId}",
    response_model=Step,
    tags=["stappen"],
    name="api:step:update",
    operation_id="stapWijzigen",
    summary="De status of aantekeningen van een stap wijzigen",
    description="Alleen als de opgeslagen versie nog die in `If-Match` is.",
)
def update_step(
    session: SessionDep,
    member: CurrentMember,
    step_id: StepId,
    data: StepChange,
    response: Response,
    if_match: IfMatch,
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
