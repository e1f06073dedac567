"""JSON API for the ambition of a cycle, its earlier drafts, and the begrippen."""

from collections.abc import Sequence

from fastapi import APIRouter, Response

from app.ambitions import service as ambitions_service
from app.ambitions.models import Ambition, AmbitionDraftPublic, AmbitionPublic, AmbitionWrite
from app.ambitions.resources import table_members, terms
from app.cycles import service as cycles_service
from app.db import SessionDep
from app.errors import Conflict, NotFound
from app.ids import RecordId
from app.organisations.deps import CurrentMember, CurrentOrganisation
from app.organisations.permissions import require_cycle_runner
from app.resources import IfMatch, add_api_routes, check_if_match, commit_or_conflict, etag
from app.text import clean

router = APIRouter()
add_api_routes(router, terms)
add_api_routes(router, table_members)

TAGS = ["ambition"]


def _ambition(session, organisation, cycle_id: RecordId) -> Ambition:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    ambition = ambitions_service.get_ambition(session, cycle)
    if ambition is None:
        raise NotFound("Deze cyclus heeft nog geen ambitie.")
    return ambition


@router.get(
    "/cycles/{cycle_id}/ambition",
    response_model=AmbitionPublic,
    tags=TAGS,
    name="api:ambition:read",
)
def read_ambition(
    session: SessionDep, organisation: CurrentOrganisation, cycle_id: RecordId, response: Response
) -> Ambition:
    ambition = _ambition(session, organisation, cycle_id)
    response.headers["ETag"] = etag(ambition)
    return ambition


@router.put(
    "/cycles/{cycle_id}/ambition",
    response_model=AmbitionPublic,
    tags=TAGS,
    name="api:ambition:save",
)
def save_ambition(
    session: SessionDep,
    member: CurrentMember,
    cycle_id: RecordId,
    data: AmbitionWrite,
    response: Response,
    if_match: IfMatch = None,
) -> Ambition:
    """Create the ambition, or reword it; the previous wording is kept as a draft. With
    If-Match, only when the stored ambition is still the version read."""
    require_cycle_runner(member)
    organisation = member.organisation
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    stored = ambitions_service.get_ambition(session, cycle)
    if stored is not None:
        check_if_match(stored, if_match)
    elif if_match is not None and if_match.strip() != "*":
        raise Conflict("Deze cyclus heeft (nog) geen ambitie meer; lees hem opnieuw.")
    ambition = ambitions_service.save_ambition(session, cycle, clean(data))
    commit_or_conflict(session)
    response.headers["ETag"] = etag(ambition)
    return ambition


@router.delete(
    "/cycles/{cycle_id}/ambition", status_code=204, tags=TAGS, name="api:ambition:delete"
)
def delete_ambition(
    session: SessionDep, member: CurrentMember, cycle_id: RecordId, if_match: IfMatch = None
) -> Response:
    require_cycle_runner(member)
    organisation = member.organisation
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    check_if_match(_ambition(session, organisation, cycle_id), if_match)
    ambitions_service.delete_ambition(session, cycle)
    commit_or_conflict(session)
    return Response(status_code=204)


@router.get(
    "/cycles/{cycle_id}/ambition/drafts",
    response_model=list[AmbitionDraftPublic],
    tags=TAGS,
    name="api:ambition:drafts",
)
def list_drafts(
    session: SessionDep, organisation: CurrentOrganisation, cycle_id: RecordId
) -> Sequence:
    return _ambition(session, organisation, cycle_id).drafts
