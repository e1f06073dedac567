"""JSON API for activities, their links to results, input kwaliteit and indicators."""

from fastapi import APIRouter

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
from app.db import SessionDep
from app.ids import RecordId
from app.organisations.deps import CurrentMember
from app.organisations.permissions import require_partner_work
from app.resources import add_api_routes

router = APIRouter()
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


@router.put(
    "/activities/{activity_id}/evidence-level",
    response_model=ActivityPublic,
    tags=["activities"],
    name="api:activity:evidence",
)
def set_evidence_level(
    session: SessionDep,
    member: CurrentMember,
    activity_id: RecordId,
    data: ActivityEvidence,
) -> Activity:
    """Where the activity stands on the ladder of recognised interventions (input kwaliteit)."""
    activity = activities_service.get_activity(session, member.organisation, activity_id)
    require_partner_work(member, activity.partner_id)
    organisation = member.organisation
    activity = activities_service.get_activity(session, organisation, activity_id)
    activities_service.set_evidence_level(session, activity, data.evidence_level)
    session.commit()
    return activity
