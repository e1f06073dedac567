"""JSON API for themes, cycles, their steps and the monitoring picture."""

from collections.abc import Sequence

from fastapi import APIRouter, Response

from app.cycles import service as cycles_service
from app.cycles.models import CycleStep, CycleStepBase, CycleStepPublic, CycleStepUpdate
from app.cycles.resources import cycles, monitoring_items, themes
from app.db import SessionDep
from app.ids import RecordId
from app.organisations.deps import CurrentMember, CurrentOrganisation
from app.organisations.permissions import require_cycle_runner
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

for resource in (themes, cycles, monitoring_items):
    add_api_routes(router, resource)


@router.get(
    "/cycles/{cycle_id}/steps",
    response_model=list[CycleStepPublic],
    tags=["steps"],
    name="api:step:list",
)
def list_steps(
    session: SessionDep, organisation: CurrentOrganisation, cycle_id: RecordId
) -> Sequence[CycleStep]:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    return cycles_service.list_steps(session, cycle)


@router.get(
    "/steps/{step_id}", response_model=CycleStepPublic, tags=["steps"], name="api:step:read"
)
def read_step(
    session: SessionDep, organisation: CurrentOrganisation, step_id: RecordId, response: Response
) -> CycleStep:
    cycle_step = cycles_service.get_step(session, organisation, step_id)
    response.headers["ETag"] = etag(cycle_step)
    return cycle_step


@router.patch(
    "/steps/{step_id}", response_model=CycleStepPublic, tags=["steps"], name="api:step:update"
)
def update_step(
    session: SessionDep,
    member: CurrentMember,
    step_id: RecordId,
    data: CycleStepUpdate,
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
