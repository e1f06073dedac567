"""JSON API for activities, their links to results, input kwaliteit and indicators."""

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Path, Response

from app.activities import service as activities_service
from app.activities.models import Activity, ActivityEvidence, ActivityPublic
from app.activities.resources import (
    activities,
    activity_indicators,
    activity_stories,
    co_performers,
    links,
    measurements,
    quality_conditions,
    spending,
    working_elements,
)
from app.api_conventions import ApiRoute
from app.api_names import api_input, api_output, dutch
from app.auth import CurrentMember, require_partner_work
from app.db import SessionDep
from app.ids import MAX_ID
from app.resources import IfMatch, add_api_routes, check_if_match, commit_or_conflict, etag

router = APIRouter(route_class=ApiRoute)
for resource in (
    activities,
    links,
    working_elements,
    quality_conditions,
    activity_indicators,
    measurements,
    co_performers,
    activity_stories,
    spending,
):
    add_api_routes(router, resource)

ActivityId = Annotated[int, Path(alias=dutch("activity_id"), ge=1, le=MAX_ID)]
ActivityOut = api_output(ActivityPublic, "Activiteit")
if TYPE_CHECKING:  # to the checker the body is the model it subclasses
    Evidence = ActivityEvidence
else:
    Evidence = api_input(ActivityEvidence, "Bewijskracht")


@router.put(
    "/activiteiten/{activiteitId}/bewijskracht",
    response_model=ActivityOut,
    tags=["activiteiten"],
    name="api:activity:evidence",
    operation_id="bewijskrachtVastleggen",
    summary="De bewijskracht van een activiteit vastleggen",
    description="Waar de activiteit staat op de ladder van erkende interventies (input "
    "kwaliteit, stap 4).",
)
def set_evidence_level(
    session: SessionDep,
    member: CurrentMember,
    activity_id: ActivityId,
    data: Evidence,
    response: Response,
    if_match: IfMatch,
) -> Activity:
    activity = activities_service.get_activity(session, member.organisation, activity_id)
    require_partner_work(member, activity.partner_id)
    check_if_match(activity, if_match)
    activities_service.set_evidence_level(session, activity, data.evidence_level)
    commit_or_conflict(session)
    response.headers["ETag"] = etag(activity)
    return activity
