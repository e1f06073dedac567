"""JSON API for the ambition of a cycle, its earlier drafts, and the begrippen."""

from dataclasses import replace
from datetime import UTC, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response

from app.ambitions import service as ambitions_service
from app.ambitions.models import (
    Ambition,
    AmbitionDraft,
    AmbitionDraftPublic,
    AmbitionPublic,
    AmbitionWrite,
)
from app.ambitions.resources import table_members, terms
from app.api_collections import CollectionQuery, page_model, page_of, query_dependency
from app.api_conventions import ApiRoute
from app.api_names import api_input, api_output, dutch
from app.auth import CurrentMember, CurrentOrganisation, require_cycle_runner
from app.cycles import service as cycles_service
from app.db import SessionDep
from app.errors import NotFound, PreconditionFailed
from app.ids import MAX_ID
from app.resources import (
    NOT_MODIFIED,
    IfMatch,
    IfNoneMatch,
    add_api_routes,
    check_if_match,
    commit_or_conflict,
    etag,
    not_modified,
)
from app.text import clean

router = APIRouter(route_class=ApiRoute)
add_api_routes(router, terms)
add_api_routes(router, table_members)

TAGS: list[str | Enum] = ["ambitie"]
CycleId = Annotated[int, Path(alias=dutch("cycle_id"), ge=1, le=MAX_ID)]
# What AmbitionBase._status_says_who checks, said in the document: vastgesteld names who
# adopted it; geformuleerd names the session; only vastgesteld has an adopter and a date.
# (if/then/else rather than anyOf: generated clients keep the body a plain model.)
STATUS_RULES = {
    "if": {"required": ["status"], "properties": {"status": {"const": "vastgesteld"}}},
    "then": {
        "required": ["vastgesteldDoor"],
        "properties": {"vastgesteldDoor": {"type": "string"}},
    },
    "else": {
        "properties": {"vastgesteldDoor": {"type": "null"}, "vastgesteldOp": {"type": "null"}},
        "if": {"required": ["status"], "properties": {"status": {"const": "geformuleerd"}}},
        "then": {
            "required": ["herkomst"],
            "properties": {"herkomst": {"type": "string", "minLength": 1}},
        },
    },
}
if TYPE_CHECKING:  # to the checker these are the models they subclass
    AmbitionOut = AmbitionPublic
    AmbitionIn = AmbitionWrite
    AmbitionVersion = AmbitionDraftPublic
else:
    AmbitionOut = api_output(AmbitionPublic, "Ambitie")
    AmbitionIn = api_input(AmbitionWrite, "AmbitieInvoer", STATUS_RULES)
    AmbitionVersion = api_output(AmbitionDraftPublic, "Ambitieversie")
VersionsQuery = Annotated[CollectionQuery, Depends(query_dependency(AmbitionDraftPublic, None))]


def _ambition(session, organisation, cycle_id: int) -> Ambition:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    ambition = ambitions_service.get_ambition(session, cycle)
    if ambition is None:
        raise NotFound("Deze cyclus heeft nog geen ambitie.")
    return ambition


@router.get(
    "/cycli/{cyclusId}/ambitie",
    response_model=AmbitionOut,
    tags=TAGS,
    name="api:ambition:read",
    operation_id="ambitieLezen",
    responses=NOT_MODIFIED,
    summary="De gedeelde ambitie van een cyclus lezen",
)
def read_ambition(
    session: SessionDep,
    organisation: CurrentOrganisation,
    cycle_id: CycleId,
    response: Response,
    if_none_match: IfNoneMatch = None,
) -> Any:
    ambition = _ambition(session, organisation, cycle_id)
    if unchanged := not_modified(ambition, if_none_match):
        return unchanged
    response.headers["ETag"] = etag(ambition)
    return ambition


@router.put(
    "/cycli/{cyclusId}/ambitie",
    response_model=AmbitionOut,
    tags=TAGS,
    name="api:ambition:save",
    operation_id="ambitieVastleggen",
    summary="De ambitie vastleggen of herformuleren",
    description="Maakt de ambitie, of herformuleert hem; de vorige formulering blijft bewaard "
    "als versie. Alleen als de opgeslagen ambitie nog die in `If-Match` is; `If-Match: *` "
    "voor een nieuwe.",
)
def save_ambition(
    session: SessionDep,
    member: CurrentMember,
    cycle_id: CycleId,
    data: AmbitionIn,
    response: Response,
    if_match: IfMatch,
) -> Ambition:
    require_cycle_runner(member)
    organisation = member.organisation
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    stored = ambitions_service.get_ambition(session, cycle)
    if stored is not None:
        check_if_match(stored, if_match)
    elif if_match.strip() != "*":
        raise PreconditionFailed("Deze cyclus heeft (nog) geen ambitie meer; lees hem opnieuw.")
    ambition = ambitions_service.save_ambition(session, cycle, clean(data))
    commit_or_conflict(session)
    response.headers["ETag"] = etag(ambition)
    return ambition


@router.delete(
    "/cycli/{cyclusId}/ambitie",
    status_code=204,
    tags=TAGS,
    name="api:ambition:delete",
    operation_id="ambitieVerwijderen",
    summary="De ambitie verwijderen",
)
def delete_ambition(
    session: SessionDep, member: CurrentMember, cycle_id: CycleId, if_match: IfMatch
) -> Response:
    require_cycle_runner(member)
    organisation = member.organisation
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    check_if_match(_ambition(session, organisation, cycle_id), if_match)
    ambitions_service.delete_ambition(session, cycle)
    commit_or_conflict(session)
    return Response(status_code=204)


@router.get(
    "/cycli/{cyclusId}/ambitie/versies",
    response_model=page_model(AmbitionVersion, "Ambitieversie"),
    tags=TAGS,
    name="api:ambition:drafts",
    operation_id="ambitieversiesOpvragen",
    summary="Eerdere formuleringen van de ambitie",
    description="Nieuwste eerst, een pagina tegelijk. Een versie verandert niet meer: "
    "`gewijzigdSinds` geeft de versies die op of na dat tijdstip zijn bewaard.",
)
def list_drafts(
    request: Request,
    session: SessionDep,
    organisation: CurrentOrganisation,
    cycle_id: CycleId,
    query: VersionsQuery,
) -> dict[str, Any]:
    drafts = _ambition(session, organisation, cycle_id).drafts
    # An earlier draft is kept as it was and is not in the audit log (recorder.NOT_AUDITED):
    # it was made when it was saved, and never changed after.
    if query.changed_since is not None:
        since = query.changed_since
        drafts = [d for d in drafts if _utc(d.saved_at) >= since]
        query = replace(query, changed_since=None)
    table = str(AmbitionDraft.__tablename__)
    return page_of(request, session, organisation, table, drafts, query)


def _utc(moment: datetime) -> datetime:
    """A stored moment (naive from the database, in UTC) as an aware one."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
