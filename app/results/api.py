"""JSON API for results (with their priority), indicators of results, and measurements."""

from fastapi import APIRouter
from sqlmodel import Field, SQLModel

from app.db import SessionDep
from app.ids import RecordId
from app.organisations.deps import CurrentMember
from app.organisations.permissions import require_cycle_runner
from app.resources import add_api_routes
from app.results import service as results_service
from app.results.models import Result, ResultPublic
from app.results.resources import indicators, result_stories, results

router = APIRouter()
for resource in (results, indicators, result_stories):
    add_api_routes(router, resource)


class RankChange(SQLModel):
    rank: int = Field(ge=1, description="1 is the highest priority.")


@router.post(
    "/results/{result_id}/rank",
    response_model=ResultPublic,
    tags=["results"],
    name="api:result:move",
)
def move_result(
    session: SessionDep, member: CurrentMember, result_id: RecordId, data: RankChange
) -> Result:
    """Give a result another priority; the other results shift so ranks stay 1..n."""
    require_cycle_runner(member)
    organisation = member.organisation
    result = results_service.get_result(session, organisation, result_id)
    results_service.move_result(session, result, data.rank)
    session.commit()
    return result
