"""JSON API for the ambition of a cycle, its earlier drafts, and the begrippen."""

from collections.abc import Sequence

from fastapi import APIRouter, Response

from app.ambitions import service as ambitions_service
from app.ambitions.models import Ambition, AmbitionDraftPublic, AmbitionPublic, AmbitionWrite
from app.ambitions.resources import table_members, terms
from app.cycles import service as cycles_service
from app.db import SessionDep
from app.errors import NotFound
from app.organisations.deps import CurrentMember, CurrentOrganisation
from app.organisations.permissions import require_cycle_runner
from app.resources import add_api_routes

router = APIRouter()
add_api_routes(router, terms)
add_api_routes(router, table_members)

TAGS = ["ambition"]


def _ambition(session, organisation, cycle_id: int) -> Ambition:
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
    session: SessionDep, organisation: CurrentOrganisation, cycle_id: int
) -> Ambition:
    return _ambition(session, organisation, cycle_id)


@router.put(
    "/cycles/{cycle_id}/ambition",
    response_model=AmbitionPublic,
    tags=TAGS,
    name="api:ambition:save",
)
def save_ambition(
    session: SessionDep, member: CurrentMember, cycle_id: int, data: AmbitionWrite
) -> Ambition:
    """Create the ambition, or reword it; the previous wording is kept as a draft."""
    require_cycle_runner(member)
    organisation = member.organisation
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    ambition = ambitions_service.save_ambition(session, cycle, data)
    session.commit()
    return ambition


@router.delete(
    "/cycles/{cycle_id}/ambition", status_code=204, tags=TAGS, name="api:ambition:delete"
)
def delete_ambition(session: SessionDep, member: CurrentMember, cycle_id: int) -> Response:
    require_cycle_runner(member)
    organisation = member.organisation
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    ambitions_service.delete_ambition(session, cycle)
    session.commit()
    return Response(status_code=204)


@router.get(
    "/cycles/{cycle_id}/ambition/drafts",
    response_model=list[AmbitionDraftPublic],
    tags=TAGS,
    name="api:ambition:drafts",
)
def list_drafts(session: SessionDep, organisation: CurrentOrganisation, cycle_id: int) -> Sequence:
    return _ambition(session, organisation, cycle_id).drafts
