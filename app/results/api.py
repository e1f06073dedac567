"""JSON API for results (with their priority), indicators of results, and measurements."""

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Path, Response
from sqlmodel import Field, SQLModel

from app.api_conventions import ApiRoute
from app.api_names import api_input, api_output, dutch
from app.auth import CurrentMember, require_cycle_runner
from app.db import SessionDep
from app.ids import MAX_ID
from app.resources import IfMatch, add_api_routes, check_if_match, commit_or_conflict, etag
from app.results import service as results_service
from app.results.models import Result, ResultPublic
from app.results.resources import indicators, result_stories, results

router = APIRouter(route_class=ApiRoute)
ResultId = Annotated[int, Path(alias=dutch("result_id"), ge=1, le=MAX_ID)]
for resource in (results, indicators, result_stories):
    add_api_routes(router, resource)


class RankChange(SQLModel):
    rank: int = Field(ge=1, description="1 is de hoogste prioriteit.")


ResultOut = api_output(ResultPublic, "Resultaat")
if TYPE_CHECKING:  # to the checker the body is the model it subclasses
    NewRank = RankChange
else:
    NewRank = api_input(RankChange, "Prioriteitswijziging")


@router.post(
    "/resultaten/{resultaatId}/prioriteit",
    response_model=ResultOut,
    tags=["resultaten"],
    name="api:result:move",
    operation_id="prioriteitWijzigen",
    summary="Een resultaat een andere prioriteit geven",
    description="De andere resultaten van de cyclus schuiven op, zodat de prioriteiten 1 tot "
    "en met n blijven.",
)
def move_result(
    session: SessionDep,
    member: CurrentMember,
    result_id: ResultId,
    data: NewRank,
    response: Response,
    if_match: IfMatch,
) -> Result:
    require_cycle_runner(member)
    organisation = member.organisation
    result = results_service.get_result(session, organisation, result_id)
    check_if_match(result, if_match)
    results_service.move_result(session, result, data.rank)
    commit_or_conflict(session)
    response.headers["ETag"] = etag(result)
    return result
