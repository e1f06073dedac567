"""JSON API for reflections, improvement actions, decisions, and starting the next cycle."""

from typing import Annotated

from fastapi import APIRouter, Path

from app.api_conventions import ApiRoute
from app.api_names import api_output, dutch
from app.auth import CurrentMember, require_cycle_runner
from app.cycles import service as cycles_service
from app.cycles.models import Cycle, CyclePublic
from app.db import SessionDep
from app.ids import MAX_ID
from app.improvement import rollover
from app.improvement.resources import actions, decisions, reflections, result_decisions
from app.resources import IfMatch, add_api_routes, check_if_match, commit_or_conflict

router = APIRouter(route_class=ApiRoute)
for resource in (reflections, actions, decisions, result_decisions):
    add_api_routes(router, resource)

CycleId = Annotated[int, Path(alias=dutch("cycle_id"), ge=1, le=MAX_ID)]
CycleOut = api_output(CyclePublic, "Cyclus")


@router.post(
    "/cycli/{cyclusId}/volgende-cyclus",
    response_model=CycleOut,
    status_code=201,
    tags=["cycli"],
    name="api:cycle:next",
    operation_id="volgendeCyclusBeginnen",
    summary="Deze cyclus afsluiten en de volgende beginnen",
    description="Neemt de ambitie, de tafel, de resultaten, activiteiten, koppelingen, "
    "indicatoren en open verbeteracties mee (activiteiten met besluit 'stoppen' en resultaten "
    "met besluit 'laten vallen' blijven achter). Indicatoren beginnen bij de voorgestelde "
    "nulmeting (de laatste meting) en een streefdatum aan het eind van de nieuwe cyclus; op de "
    "webpagina kan een procesbegeleider die eerst per indicator aanpassen. 409 als de nieuwe "
    "cyclus na 2100 zou eindigen.",
)
def start_next_cycle(
    session: SessionDep, member: CurrentMember, cycle_id: CycleId, if_match: IfMatch
) -> Cycle:
    require_cycle_runner(member)
    organisation = member.organisation
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    check_if_match(cycle, if_match)
    new_cycle = rollover.start_next_cycle(session, cycle)
    commit_or_conflict(session)
    return new_cycle
