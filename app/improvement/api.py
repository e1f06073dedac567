"""JSON API for reflections, improvement actions, decisions, and starting the next cycle."""

from fastapi import APIRouter

from app.cycles import service as cycles_service
from app.cycles.models import Cycle, CyclePublic
from app.db import SessionDep
from app.ids import RecordId
from app.improvement import rollover
from app.improvement.resources import actions, decisions, reflections, result_decisions
from app.organisations.deps import CurrentMember
from app.organisations.permissions import require_cycle_runner
from app.resources import add_api_routes

router = APIRouter()
for resource in (reflections, actions, decisions, result_decisions):
    add_api_routes(router, resource)


@router.post(
    "/cycles/{cycle_id}/next-cycle",
    response_model=CyclePublic,
    status_code=201,
    tags=["cycles"],
    name="api:cycle:next",
)
def start_next_cycle(session: SessionDep, member: CurrentMember, cycle_id: RecordId) -> Cycle:
    """Close this cycle and start the next one, carrying ambition, the table, results,
    activities, links, indicators and open improvement actions forward (activities decided
    "stop" and results decided "drop" stay behind). Indicators start from the proposed
    nulmeting (the latest meting) and a streefdatum at the end of the new cycle; the web page
    lets a facilitator change these per indicator first."""
    require_cycle_runner(member)
    organisation = member.organisation
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    new_cycle = rollover.start_next_cycle(session, cycle)
    session.commit()
    return new_cycle
