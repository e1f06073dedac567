"""JSON API for live sessions: the session and round records, a round's results and adopting
them. Participants vote through their own pages (a cookie per session), not through the API."""

from fastapi import APIRouter
from pydantic import BaseModel

from app.choices import Perspective
from app.db import SessionDep
from app.ids import RecordId, RefId
from app.organisations.deps import CurrentMember
from app.organisations.permissions import require_cycle_runner
from app.resources import add_api_routes, commit_or_conflict
from app.sessions import adoption, scoring
from app.sessions import service as sessions_service
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
    adopted = adoption.adopt(session, round_, member, data.keuzes)
    commit_or_conflict(session)
    return [Overgenomen(doel=a.target.value, label=a.label, bewijs=a.evidence) for a in adopted]
