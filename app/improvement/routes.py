"""Step 6: reflections, improvement actions, decisions per activity, and the next cycle."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.activities import service as activities_service
from app.cycles import service as cycles_service
from app.cycles.routes import step_context
from app.cycles.steps import cycle_url
from app.db import SessionDep
from app.ids import RecordId
from app.improvement import rollover
from app.improvement import service as improvement_service
from app.improvement.resources import actions, decisions, reflections
from app.organisations.deps import CurrentMember, CurrentOrganisation
from app.organisations.permissions import require_cycle_runner
from app.resources import add_form_routes
from app.templating import render, see_other

router = APIRouter()
for resource in (reflections, actions, decisions):
    add_form_routes(router, resource)


@router.get("/cycli/{cycle_id:int}/stappen/6", name="step:6")
def step_6(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, cycle_id: RecordId
) -> Response:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    activity_list = activities_service.list_activities(session, cycle)
    decided = improvement_service.decisions_by_activity(session, cycle)
    return render(
        request,
        "improvement/step_6.html",
        {
            **step_context(cycle, 6),
            "reflections": improvement_service.list_reflections(session, cycle),
            "activities": activity_list,
            "decided": decided,
            "next_statuses": rollover.next_statuses(activity_list, decided),
            "resource": reflections,
            "form": reflections.blank_form(cycle.id),
            "actions": actions,
            "decisions": decisions,
        },
    )


@router.get("/cycli/{cycle_id:int}/volgende-cyclus", name="cycle:next-confirm")
def confirm_next_cycle(
    request: Request, session: SessionDep, member: CurrentMember, cycle_id: RecordId
) -> Response:
    require_cycle_runner(member)
    organisation = member.organisation
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    activity_list = activities_service.list_activities(session, cycle)
    decided = improvement_service.decisions_by_activity(session, cycle)
    return render(
        request,
        "improvement/next_cycle.html",
        {
            "cycle": cycle,
            "activities": activity_list,
            "next_statuses": rollover.next_statuses(activity_list, decided),
            "nav": "themes",
        },
    )


@router.post("/cycli/{cycle_id:int}/volgende-cyclus", name="cycle:next")
def start_next_cycle(session: SessionDep, member: CurrentMember, cycle_id: RecordId) -> Response:
    require_cycle_runner(member)
    organisation = member.organisation
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    new_cycle = rollover.start_next_cycle(session, cycle)
    session.commit()
    return see_other(cycle_url(new_cycle.id))
