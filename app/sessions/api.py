"""JSON API for live sessions: the session and round records, a round's results and adopting
them. Participants vote through their own pages (a cookie per session), not through the API."""

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, Field

from app.api_collections import CollectionQuery, page_model, page_of, query_dependency
from app.api_conventions import ApiRoute
from app.api_names import api_input, api_output, dutch
from app.auth import CurrentMember, require_cycle_runner
from app.choices import Perspective
from app.db import SessionDep
from app.ids import ID_PATTERN, MAX_ID, RefId
from app.resources import IfMatch, add_api_routes, check_if_match, commit_or_conflict, etag
from app.sessions import adoption, running, scoring
from app.sessions.models import RoundItem, RoundKind, RoundPublic, RoundStatus, Target
from app.sessions.resources import live_sessions, rounds

router = APIRouter(route_class=ApiRoute)
add_api_routes(router, live_sessions)
add_api_routes(router, rounds)
TAGS: list[str | Enum] = ["sessies"]


class RoundResultRow(BaseModel):
    choice: int
    code: str
    text: str
    place: int | None
    score: float
    votes: int
    paper: int
    per_perspective: dict[Perspective, float]


class RoundResults(BaseModel):
    round: int
    kind: RoundKind
    status: RoundStatus
    voters: dict[Perspective, int]
    present: dict[Perspective, int]
    small_groups: list[Perspective] = Field(
        default_factory=list,
        description="Perspectieven met minder deelnemers dan de sessie apart toont: hun "
        "stemmen tellen mee in het totaal, niet in `perPerspectief`.",
    )
    rows: list[RoundResultRow]


class AdoptionRequest(BaseModel):
    choices: list[RefId] | None = Field(
        default=None, description="Leeg: de winnaar (ambitie) of alles."
    )
    placement: adoption.Placement = Field(
        default=adoption.Placement.INSERT,
        description="Resultaten: invoegen tussen de bestaande, of de volgorde vervangen.",
    )
    from_place: int | None = Field(
        default=None, ge=1, le=9999, description="Invoegen vanaf deze plaats; leeg: erna."
    )
    rationales: dict[RefId, str] = Field(
        default_factory=dict,
        description="Per keuze waarom het resultaat deze prioriteit krijgt.",
        max_length=200,
        json_schema_extra={"propertyNames": {"pattern": ID_PATTERN}},
    )


class Adopted(BaseModel):
    target: Target
    label: str
    evidence: dict[str, Any]


class StatusChange(BaseModel):
    status: Literal["open", "gepauzeerd", "gesloten"]


class NewChoice(BaseModel):
    text: str = Field(min_length=1, max_length=1000)


class Choice(BaseModel):
    id: int
    code: str
    text: str
    hidden: bool
    pending: bool  # waits for the facilitator's approval (a round that approves first)
    merged_into_id: int | None


RoundId = Annotated[int, Path(alias=dutch("round_id"), ge=1, le=MAX_ID)]
Results = api_output(RoundResults, "Uitslag")
RoundOut = api_output(RoundPublic, "Ronde")
if TYPE_CHECKING:  # to the checker these are the models they subclass
    AdoptionIn = AdoptionRequest
    AdoptedOut = Adopted
    StatusIn = StatusChange
    ChoiceIn = NewChoice
    ChoiceOut = Choice
else:
    AdoptionIn = api_input(AdoptionRequest, "Overname")
    AdoptedOut = api_output(Adopted, "Overgenomen")
    StatusIn = api_input(StatusChange, "Rondestatus")
    ChoiceIn = api_input(NewChoice, "NieuweKeuze")
    ChoiceOut = api_output(Choice, "Keuze")
ChoicesQuery = Annotated[CollectionQuery, Depends(query_dependency(Choice, None))]


@router.get(
    "/rondes/{rondeId}/uitslag",
    response_model=Results,
    tags=TAGS,
    name="api:round:results",
    operation_id="uitslagLezen",
    summary="De uitslag van een ronde",
    description="Per keuze de plaats, score en stemmen, ook per perspectief (regels per "
    "werkvorm in app/sessions/werkvormen/: stippen geteld, Borda voor rangschikken, gewogen "
    "gemiddelden, de som van verdeelde punten).",
)
def results(session: SessionDep, member: CurrentMember, round_id: RoundId) -> RoundResults:
    round_ = running.get_round(session, member.organisation, round_id)
    outcome = scoring.outcome(session, round_)
    return RoundResults(
        round=round_.id,
        kind=round_.kind,
        status=round_.status,
        voters=outcome.voters,
        present=outcome.present,
        small_groups=sorted(outcome.hidden),
        rows=[
            RoundResultRow(
                choice=row.item.id,
                code=row.item.code,
                text=row.item.text,
                place=row.rank if outcome.ranked else None,
                score=row.score,
                votes=row.votes,
                paper=row.paper,
                per_perspective=row.per_perspective,
            )
            for row in outcome.rows
        ],
    )


@router.post(
    "/rondes/{rondeId}/overnames",
    response_model=list[AdoptedOut],
    status_code=201,
    tags=TAGS,
    name="api:round:adopt",
    operation_id="uitslagOvernemen",
    summary="De uitkomst van een gesloten ronde overnemen in de cyclus",
    description="Elk overgenomen onderdeel houdt zijn bewijs: de ronde, de deelnemers per "
    "perspectief, de verdeling van de stemmen en de datum.",
)
def adopt(
    session: SessionDep,
    member: CurrentMember,
    round_id: RoundId,
    data: AdoptionIn,
    if_match: IfMatch,
) -> list[Adopted]:
    require_cycle_runner(member)
    round_ = running.get_round(session, member.organisation, round_id)
    check_if_match(round_, if_match)
    plan = adoption.Plan(data.placement, data.from_place, data.rationales)
    adopted = adoption.adopt(
        session, round_, member.organisation, member.user.name, data.choices, plan
    )
    commit_or_conflict(session)
    return [Adopted(target=a.target, label=a.label, evidence=a.evidence) for a in adopted]


@router.put(
    "/rondes/{rondeId}/status",
    response_model=RoundOut,
    tags=TAGS,
    name="api:round:status",
    operation_id="rondestatusWijzigen",
    summary="Een ronde starten, pauzeren of sluiten",
    description="Een ronde starten pauzeert de ronde die open stond.",
)
def set_status(
    session: SessionDep,
    member: CurrentMember,
    round_id: RoundId,
    data: StatusIn,
    response: Response,
    if_match: IfMatch,
) -> Any:
    require_cycle_runner(member)
    round_ = running.get_round(session, member.organisation, round_id)
    check_if_match(round_, if_match)
    do = {
        "open": running.start_round,
        "gepauzeerd": running.pause_round,
        "gesloten": running.close_round,
    }[data.status]
    do(session, round_)
    commit_or_conflict(session)
    response.headers["ETag"] = etag(round_)
    return round_


@router.post(
    "/rondes/{rondeId}/keuzes",
    response_model=ChoiceOut,
    status_code=201,
    tags=TAGS,
    name="api:round:add-item",
    operation_id="keuzeToevoegen",
    summary="Een keuze (of voorstel) toevoegen aan een ronde die niet gesloten is",
)
def add_item(
    session: SessionDep,
    member: CurrentMember,
    round_id: RoundId,
    data: ChoiceIn,
    if_match: IfMatch,
) -> Choice:
    require_cycle_runner(member)
    round_ = running.get_round(session, member.organisation, round_id)
    check_if_match(round_, if_match)
    item = running.add_item(session, round_, data.text)
    commit_or_conflict(session)
    return _choice(item)


@router.get(
    "/rondes/{rondeId}/keuzes",
    response_model=page_model(ChoiceOut, "Keuze"),
    tags=TAGS,
    name="api:round:items",
    operation_id="keuzesOpvragen",
    summary="De keuzes van een ronde",
    description="In de volgorde van de ronde, verborgen en samengevoegde inbegrepen; een "
    "pagina tegelijk, zoals elke verzameling (een inbrengronde kan duizenden voorstellen "
    "hebben).",
)
def list_items(
    request: Request,
    session: SessionDep,
    member: CurrentMember,
    round_id: RoundId,
    query: ChoicesQuery,
) -> dict[str, Any]:
    organisation = member.organisation
    round_ = running.get_round(session, organisation, round_id)
    choices = [_choice(item) for item in running.items_of(session, round_)]
    table = str(RoundItem.__tablename__)
    return page_of(request, session, organisation, table, choices, query)


def _choice(item: RoundItem) -> Choice:
    return Choice(
        id=item.id,
        code=item.code,
        text=item.text,
        hidden=item.hidden,
        pending=item.pending,
        merged_into_id=item.merged_into_id,
    )
