"""JSON API for live sessions: the session and round records, a round's results and adopting
them. Participants vote through their own pages (a cookie per session), not through the API."""

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from app.choices import Perspective
from app.db import SessionDep
from app.ids import RecordId, RefId
from app.organisations.deps import CurrentMember
from app.organisations.permissions import require_cycle_runner
from app.resources import add_api_routes, commit_or_conflict
from app.sessions import adoption, scoring
from app.sessions import service as sessions_service
from app.sessions.models import RoundItem, RoundPublic
from app.sessions.resources import live_sessions, rounds

router = APIRouter()
add_api_routes(router, live_sessions)
add_api_routes(router, rounds)
TAGS = ["sessies"]


class Uitslagregel(BaseModel):
    keuze: int
    code: str
    tekst: str
    plaats: int | None
    score: float
    stemmen: int
    papier: int
    per_perspectief: dict[Perspective, float]


class Uitslag(BaseModel):
    ronde: int
    werkvorm: str
    status: str
    deelnemers: dict[Perspective, int]
    aanwezig: dict[Perspective, int]
    regels: list[Uitslagregel]


@router.get(
    "/rondes/{round_id}/uitslag", response_model=Uitslag, tags=TAGS, name="api:round:results"
)
def results(session: SessionDep, member: CurrentMember, round_id: RecordId) -> Uitslag:
    """The round's results now: per choice its place, score and votes, also per perspective
    (rules in app/sessions/scoring.py: dots counted, Borda for rankings, weighted means)."""
    round_ = sessions_service.get_round(session, member.organisation, round_id)
    outcome = scoring.outcome(session, round_)
    return Uitslag(
        ronde=round_.id,  # type: ignore[arg-type]
        werkvorm=round_.kind.value,
        status=round_.status.value,
        deelnemers=outcome.voters,
        aanwezig=outcome.present,
        regels=[
            Uitslagregel(
                keuze=row.item.id,  # type: ignore[arg-type]
                code=row.item.code,
                tekst=row.item.text,
                plaats=row.rank if outcome.ranked else None,
                score=row.score,
                stemmen=row.votes,
                papier=row.paper,
                per_perspectief=row.per_perspective,
            )
            for row in outcome.rows
        ],
    )


class Overname(BaseModel):
    keuzes: list[RefId] | None = None  # leeg: de winnaar (ambitie) of alles


class Overgenomen(BaseModel):
    doel: str
    label: str
    bewijs: dict


@router.post(
    "/rondes/{round_id}/overnames",
    response_model=list[Overgenomen],
    status_code=201,
    tags=TAGS,
    name="api:round:adopt",
)
def adopt(
    session: SessionDep, member: CurrentMember, round_id: RecordId, data: Overname
) -> list[Overgenomen]:
    """Adopt a closed round's outcome into the cycle, keeping its evidence."""
    require_cycle_runner(member)
    round_ = sessions_service.get_round(session, member.organisation, round_id)
    adopted = adoption.adopt(session, round_, member.organisation, member.user.name, data.keuzes)
    commit_or_conflict(session)
    return [Overgenomen(doel=a.target.value, label=a.label, bewijs=a.evidence) for a in adopted]


class Stand(BaseModel):
    status: Literal["open", "paused", "closed"]


@router.put(
    "/rondes/{round_id}/status", response_model=RoundPublic, tags=TAGS, name="api:round:status"
)
def set_status(session: SessionDep, member: CurrentMember, round_id: RecordId, data: Stand) -> Any:
    """Start (open), pause or close a round; starting one pauses the round that was open."""
    require_cycle_runner(member)
    round_ = sessions_service.get_round(session, member.organisation, round_id)
    do = {
        "open": sessions_service.start_round,
        "paused": sessions_service.pause_round,
        "closed": sessions_service.close_round,
    }[data.status]
    do(session, round_)
    commit_or_conflict(session)
    return round_


class NieuweKeuze(BaseModel):
    tekst: str = Field(min_length=1, max_length=1000)


class Keuze(BaseModel):
    id: int
    code: str
    tekst: str
    verborgen: bool
    samengevoegd_met: int | None


@router.post(
    "/rondes/{round_id}/keuzes",
    response_model=Keuze,
    status_code=201,
    tags=TAGS,
    name="api:round:add-item",
)
def add_item(
    session: SessionDep, member: CurrentMember, round_id: RecordId, data: NieuweKeuze
) -> Keuze:
    """Add a choice to vote on (or a proposal) to a round that is not closed."""
    require_cycle_runner(member)
    round_ = sessions_service.get_round(session, member.organisation, round_id)
    item = sessions_service.add_item(session, round_, data.tekst)
    commit_or_conflict(session)
    return _keuze(item)


@router.get(
    "/rondes/{round_id}/keuzes", response_model=list[Keuze], tags=TAGS, name="api:round:items"
)
def list_items(session: SessionDep, member: CurrentMember, round_id: RecordId) -> list[Keuze]:
    round_ = sessions_service.get_round(session, member.organisation, round_id)
    return [_keuze(item) for item in sessions_service.items_of(session, round_)]


def _keuze(item: RoundItem) -> Keuze:
    return Keuze(
        id=item.id,  # type: ignore[arg-type]
        code=item.code,
        tekst=item.text,
        verborgen=item.hidden,
        samengevoegd_met=item.merged_into_id,
    )
