"""How live sessions and their rounds are found and changed through the web."""

from app.auth import Member
from app.cycles import service as cycles_service
from app.cycles.resources import CYCLE_PARENT
from app.resources import Parent, Resource
from app.sessions import running
from app.sessions.models import (
    LiveSession,
    LiveSessionCreate,
    LiveSessionPublic,
    LiveSessionUpdate,
    Round,
    RoundCreate,
    RoundPublic,
    RoundUpdate,
)
from app.tables import row_id


def shown(member: Member, live: LiveSession) -> LiveSession | LiveSessionPublic:
    """A live session as the API shows it: its join code only to those who run the cycles
    (who holds the code can join and vote; see the README's live sessions)."""
    if member.runs_cycles:
        return live
    record = LiveSessionPublic.model_validate(live, from_attributes=True)
    return record.model_copy(update={"join_code": None, "code_expires_at": None})


def sessions_url(cycle_id: int) -> str:
    return f"/cycli/{cycle_id}/sessies"


def session_url(session_id: int | None, anchor: str | None = None) -> str:
    return f"/sessies/{session_id}" + (f"#{anchor}" if anchor else "")


live_sessions = Resource(
    name="session",
    plural="sessies",
    api_name="Sessie",
    label="sessie",
    path="sessies",
    model=LiveSession,
    parent=CYCLE_PARENT,
    write=LiveSessionCreate,
    patch=LiveSessionUpdate,
    public=LiveSessionPublic,
    get=running.get_session,
    parent_of=lambda session, organisation, live: cycles_service.get_cycle(
        session, organisation, live.cycle_id
    ),
    list=running.list_sessions,
    create=running.create_session,
    update=running.update_session,
    delete=running.delete_session,
    fields_template="sessions/_session_fields.html",
    title=lambda live: live.title,
    return_to=lambda cycle, live: session_url(live.id) if live else sessions_url(row_id(cycle)),
    context=lambda session, organisation, cycle: {"cycle": cycle},
    labels={
        "title": "Titel",
        "step": "Stap van de cyclus",
        "held_on": "Datum",
        "facilitator": "Procesbegeleider",
        "location": "Plaats",
        "min_group_size": "Uitslag per perspectief vanaf",
    },
    delete_warning="De rondes, de inbreng en de stemmen van deze sessie worden ook verwijderd.",
    shown=shown,
)

SESSION_PARENT = Parent(name="session", plural="sessies", path="sessies", get=running.get_session)

rounds = Resource(
    name="round",
    plural="rondes",
    api_name="Ronde",
    label="ronde",
    path="rondes",
    model=Round,
    parent=SESSION_PARENT,
    write=RoundCreate,
    patch=RoundUpdate,
    public=RoundPublic,
    get=running.get_round,
    parent_of=lambda session, organisation, round_: running.get_session(
        session, organisation, round_.session_id
    ),
    list=running.list_rounds,
    create=running.create_round,
    update=running.update_round,
    delete=running.delete_round,
    fields_template="sessions/_round_fields.html",
    title=lambda round_: round_.title,
    return_to=lambda live, round_: session_url(
        live.id, f"ronde-{round_.id}" if round_ else "rounds-section"
    ),
    context=lambda session, organisation, live: {
        "live": live,
        "cycle": running.cycle_of(session, organisation, live),
        "source_options": [
            (str(r.id), f"{r.position}. {r.title}") for r in live.rounds if r.collects_text
        ],
    },
    labels={
        "title": "Titel",
        "kind": "Werkvorm",
        "question": "Vraag aan de deelnemers",
        "target": "Uitkomst overnemen in",
        "dots": "Stippen per deelnemer",
        "several_per_item": "Meer stippen op één keuze toegestaan",
        "proposals_per_participant": "Voorstellen per deelnemer",
        "criteria": "Criteria met gewicht",
        "source_round_id": "Keuzes uit de inbrengronde",
        "results_hidden": "Uitslag verbergen tot ik hem toon",
        "minutes": "Tijd in minuten",
        "closes_itself": "Ronde sluit vanzelf als de tijd om is",
        "approve_first": "Voorstellen eerst goedkeuren",
    },
)
