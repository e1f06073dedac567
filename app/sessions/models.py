"""Live sessions (werksessies): rounds prepared in advance, participants who join by code with
their perspective, their proposals and votes, and what a closed round adopted into the cycle."""

from datetime import date, datetime
from typing import Any, Self

import sqlalchemy as sa
from pydantic import BaseModel, model_validator
from pydantic_core import PydanticCustomError
from sqlmodel import Field, Relationship, SQLModel

from app import record_kinds
from app.bounds import EventDate, today
from app.choices import Choice, Perspective, choice_type
from app.ids import MAX_ID, RefId
from app.tables import CHILDREN, RAISE, SHOWN_VERSION, Revised, Versioned, utc_now


class SessionStatus(Choice):
    PREPARED = "prepared", "Voorbereid"
    RUNNING = "running", "Bezig"
    CLOSED = "closed", "Afgelopen"


class RoundKind(Choice):
    """The werkvormen (each one a module in werkvormen/)."""

    INPUT = "input", "Inbreng"
    DOTS = "dots", "Stippen plakken"
    RANKING = "ranking", "Rangschikken"
    SCORING = "scoring", "Scoren op criteria"
    TERM = "term", "Begrip"
    POINTS = "points", "100 punten verdelen"


class RoundStatus(Choice):
    PREPARED = "prepared", "Voorbereid"
    OPEN = "open", "Open"
    PAUSED = "paused", "Gepauzeerd"
    CLOSED = "closed", "Gesloten"


class Target(Choice):
    """Where a round's outcome lands in the cycle when it is adopted."""

    NONE = "none", "Nergens (alleen in het verslag)"
    AMBITION = "ambition", "De ambitie (winnende formulering)"
    RESULTS = "results", "Maatschappelijke resultaten met hun prioriteit"
    ACTIVITIES = "activities", "Activiteiten"
    TERMS = "terms", "Begrippen"


# Sessions

AGREEMENTS_MAX = 10_000


class LiveSessionBase(SQLModel):
    title: str = Field(min_length=1, max_length=200)
    step: int = Field(default=1, ge=0, le=6)
    held_on: EventDate = Field(default_factory=today)
    facilitator: str | None = Field(default=None, max_length=200)
    location: str | None = Field(default=None, max_length=200)
    # Results per perspective only for groups of at least this many participants: a smaller
    # group's ranking is that of one or two people the room can name (scoring.shielded).
    min_group_size: int = Field(default=3, ge=1, le=50)


class LiveSession(LiveSessionBase, Versioned, table=True):
    __tablename__ = "live_session"

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)
    status: SessionStatus = Field(
        default=SessionStatus.PREPARED, sa_type=choice_type(SessionStatus)
    )
    # Typed on phones: 10 characters from an alphabet without look-alikes (31^10, about 8e14
    # codes), so guessing one is hopeless even before the per-address throttle.
    join_code: str = Field(max_length=16, unique=True)
    code_expires_at: datetime
    created_at: datetime = Field(default_factory=utc_now)
    closed_at: datetime | None = None
    # Moved on by every change its screens show (revision.py); never written through the ORM.
    revision: int = 0
    # The room's afspraken and next steps, written by the facilitator for the verslag (also
    # after the session closed: the record is finished afterwards).
    agreements: str | None = Field(default=None, max_length=AGREEMENTS_MAX, sa_type=sa.Text)

    rounds: list["Round"] = Relationship(
        sa_relationship_kwargs={**CHILDREN, "order_by": "Round.position"}
    )

    @property
    def awaiting_adoption(self) -> list["Round"]:
        """Its rounds whose outcome still waits to be taken over (`rounds` must be loaded)."""
        return [r for r in self.rounds if r.awaits_adoption]

    @property
    def is_closed(self) -> bool:
        return self.status is SessionStatus.CLOSED


class LiveSessionCreate(LiveSessionBase):
    pass


class LiveSessionUpdate(SQLModel):
    title: str | None = None
    step: int | None = None
    held_on: date | None = None
    facilitator: str | None = None
    location: str | None = None
    min_group_size: int | None = None


class LiveSessionPublic(LiveSessionBase):
    id: int
    version: int
    cycle_id: int
    status: SessionStatus
    # Only for those who run the cycles; None for others (whoever holds the code can vote).
    join_code: str | None
    code_expires_at: datetime | None


# Rounds


class Criterion(BaseModel):
    name: str = Field(min_length=1, max_length=60)
    weight: int = Field(default=1, ge=1, le=10)
    # What the phones say the criterion means: "impact (wat het inwoners oplevert):2".
    explanation: str | None = Field(default=None, max_length=200)


class RoundBase(SQLModel):
    title: str = Field(min_length=1, max_length=200)
    kind: RoundKind = Field(sa_type=choice_type(RoundKind))
    question: str | None = Field(default=None, max_length=1000, sa_type=sa.Text)
    target: Target = Field(default=Target.NONE, sa_type=choice_type(Target))
    # Dot voting: dots per participant, and whether several may go on one item.
    dots: int = Field(default=5, ge=1, le=50)
    several_per_item: bool = False
    # Inbreng and begrip: how many proposals one participant may send in this round.
    proposals_per_participant: int = Field(default=5, ge=1, le=50)
    # Scoring: "impact:2, urgentie:1, haalbaarheid:1" (name and weight).
    criteria: str | None = Field(default=None, max_length=500)
    # A voting round takes its items from an earlier inbreng round (when it starts).
    source_round_id: int | None = Field(
        default=None, foreign_key="round.id", ondelete="SET NULL", ge=1, le=MAX_ID
    )
    # Results stay off the projector until the facilitator reveals them.
    results_hidden: bool = False
    # A timer: the round's minutes, shown counting down on the projector and the phones; the
    # server closes the round at its end when asked to (timer.py).
    minutes: int | None = Field(default=None, ge=1, le=240)
    closes_itself: bool = False
    # Inbreng and begrip: a proposal reaches the projector only once the facilitator approved
    # it (a room of 30 sending two each is moderated before the screen, not after).
    approve_first: bool = False

    @model_validator(mode="after")
    def _criteria_readable(self) -> Self:
        if self.kind is RoundKind.SCORING or self.criteria:
            parse_criteria(self.criteria or "")
        return self


def parse_criteria(text: str) -> list[Criterion]:
    """ "impact (wat het inwoners oplevert):2, urgentie, haalbaarheid:1" -> criteria with
    weights (1 when left out) and, in brackets, what they mean."""
    criteria: list[Criterion] = []
    for part in text.split(","):
        name, _, weight = part.strip().rpartition(":") if ":" in part else (part, "", "")
        name, _, explanation = name.partition("(")
        explanation = explanation.strip().removesuffix(")").strip()
        if not name.strip():
            continue
        if weight.strip() and not (weight.strip().isdigit() and 1 <= int(weight) <= 10):
            raise PydanticCustomError(
                "kompas",
                "Geef elk criterium een gewicht van 1 tot 10, zoals impact:2.",
                {"field": "criteria"},
            )
        criteria.append(
            Criterion(
                name=name.strip()[:60],
                weight=int(weight or 1),
                explanation=explanation[:200] or None,
            )
        )
    if not criteria:
        raise PydanticCustomError(
            "kompas",
            "Noem minstens één criterium, zoals impact:2, urgentie:1, haalbaarheid:1.",
            {"field": "criteria"},
        )
    if len(criteria) > 6:
        raise PydanticCustomError(
            "kompas", "Gebruik hoogstens zes criteria.", {"field": "criteria"}
        )
    return criteria


class Round(RoundBase, Versioned, Revised, table=True):
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="live_session.id", ondelete="CASCADE", index=True)
    position: int = 1
    status: RoundStatus = Field(default=RoundStatus.PREPARED, sa_type=choice_type(RoundStatus))
    started_at: datetime | None = None
    closed_at: datetime | None = None
    adopted_at: datetime | None = None
    # When its timer runs out (set when it opens, from `minutes`).
    ends_at: datetime | None = None
    # Moving a round in the order, starting or pausing it are not edits of its content.
    __version_ignore__ = frozenset(
        {"position", "status", "started_at", "closed_at", "adopted_at", "ends_at"}
    )

    items: list["RoundItem"] = Relationship(
        sa_relationship_kwargs={**CHILDREN, "order_by": "RoundItem.number"}
    )

    @property
    def collects_text(self) -> bool:
        return self.kind in (RoundKind.INPUT, RoundKind.TERM)

    @property
    def awaits_adoption(self) -> bool:
        """Closed, meant for the cycle, and not yet taken over: also after the session ended."""
        return (
            self.status is RoundStatus.CLOSED
            and self.target is not Target.NONE
            and self.adopted_at is None
        )


class RoundCreate(RoundBase):
    pass


class RoundUpdate(SQLModel):
    title: str | None = None
    kind: RoundKind | None = None
    question: str | None = None
    target: Target | None = None
    dots: int | None = None
    several_per_item: bool | None = None
    proposals_per_participant: int | None = None
    criteria: str | None = None
    source_round_id: RefId | None = None
    results_hidden: bool | None = None
    minutes: int | None = None
    closes_itself: bool | None = None
    approve_first: bool | None = None


class RoundPublic(RoundBase):
    id: int
    version: int = Field(validation_alias=SHOWN_VERSION)  # type: ignore[call-overload]
    session_id: int
    position: int
    status: RoundStatus
    ends_at: datetime | None


# Participants, items and votes


class Participant(SQLModel, table=True):
    """Someone on a phone (or a paper ballot typed in by the facilitator), in one session."""

    __tablename__ = "session_participant"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="live_session.id", ondelete="CASCADE", index=True)
    # Keyed hash of the cookie token; paper ballots have none.
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    display_name: str | None = Field(default=None, max_length=60)
    perspective: Perspective = Field(sa_type=choice_type(Perspective))
    paper: bool = False
    joined_at: datetime = Field(default_factory=utc_now)


class RoundItem(SQLModel, table=True):
    """A proposal (inbreng, begrip) or a choice to vote on; `number` is its code on paper."""

    __tablename__ = "round_item"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "number"),
        sa.UniqueConstraint("participant_id", "key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", ondelete="CASCADE", index=True)
    number: int = Field(ge=1)
    text: str = Field(max_length=1000, sa_type=sa.Text)
    participant_id: int | None = Field(
        default=None, foreign_key="session_participant.id", ondelete="SET NULL", index=True
    )
    perspective: Perspective | None = Field(default=None, sa_type=choice_type(Perspective))
    hidden: bool = False
    # Sent in a round that approves first, and not yet approved: only the moderation list
    # shows it.
    pending: bool = False
    # The text as the participant sent it, kept when the facilitator rewrites it (the verslag
    # shows both); None while unchanged.
    sent_text: str | None = Field(default=None, max_length=1000, sa_type=sa.Text)
    # A duplicate merged into another proposal: it counts with that one's cluster.
    merged_into_id: int | None = Field(
        default=None, foreign_key="round_item.id", ondelete="SET NULL"
    )
    # An existing result of the cycle that this choice stands for (priority rounds).
    result_id: int | None = Field(
        default=None, foreign_key="result.id", ondelete="SET NULL", index=True
    )
    # A proposal sent from a phone carries its page's key, like a vote: a resend counts once.
    key: str | None = Field(default=None, max_length=80)
    created_at: datetime = Field(default_factory=utc_now)

    @property
    def code(self) -> str:
        return str(self.number)


class Vote(SQLModel, table=True):
    """One dot, one place in a ranking or one score on a criterion. `key` is made by the
    participant's page (or the form) so that a resent vote is recognised and counts once."""

    __tablename__ = "session_vote"
    __table_args__ = (sa.UniqueConstraint("participant_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", ondelete="CASCADE", index=True)
    item_id: int = Field(foreign_key="round_item.id", ondelete="CASCADE", index=True)
    participant_id: int = Field(
        foreign_key="session_participant.id", ondelete="CASCADE", index=True
    )
    key: str = Field(max_length=80)
    value: int = 1  # a dot: 1; ranking: the place (1 is first); scoring: 1-5
    criterion: int | None = None  # scoring: which criterion (its position)
    paper: bool = False
    cast_at: datetime = Field(default_factory=utc_now)


class JoinAttempt(SQLModel, table=True):
    """A wrong code typed from a network address, for throttling guesses."""

    __tablename__ = "session_join_attempt"

    id: int | None = Field(default=None, primary_key=True)
    address: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utc_now, index=True)


class Adoption(SQLModel, table=True):
    """What a closed round put into the cycle, with its evidence as it was at that moment (a
    snapshot: the votes behind a decision must not change when the session is edited later)."""

    __tablename__ = "session_adoption"

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", ondelete="CASCADE", index=True)
    item_id: int | None = Field(
        default=None, foreign_key="round_item.id", ondelete="SET NULL", index=True
    )
    target: Target = Field(sa_type=choice_type(Target))
    ambition_id: int | None = Field(
        default=None, foreign_key="ambition.id", ondelete="SET NULL", index=True
    )
    result_id: int | None = Field(
        default=None, foreign_key="result.id", ondelete="SET NULL", index=True
    )
    activity_id: int | None = Field(
        default=None, foreign_key="activity.id", ondelete="SET NULL", index=True
    )
    term_id: int | None = Field(
        default=None, foreign_key="term.id", ondelete="SET NULL", index=True
    )
    label: str = Field(max_length=1000, sa_type=sa.Text)
    evidence: dict[str, Any] = Field(sa_type=sa.JSON)
    adopted_at: datetime = Field(default_factory=utc_now)
    adopted_by: str = Field(max_length=200)

    round: Round = Relationship(sa_relationship_kwargs=RAISE)


# Dutch names for the change log (app/record_kinds.py).
record_kinds.declare(
    LiveSession,
    "sessie",
    {"code_expires_at": "Code geldig tot", "agreements": "Afspraken en vervolgstappen"},
)
record_kinds.declare(
    Round,
    "ronde",
    {
        "session_id": "Sessie",
        "started_at": "Geopend op",
        "ends_at": "Eindtijd",
        "approve_first": "Voorstellen eerst goedkeuren",
    },
)
record_kinds.declare(
    RoundItem,
    "onderdeel van een ronde",
    {
        "participant_id": "Deelnemer",
        "hidden": "Verborgen",
        "pending": "Wacht op goedkeuring",
        "sent_text": "Tekst zoals ingestuurd",
        "merged_into_id": "Samengevoegd met",
        "key": "Sleutel",
    },
)
record_kinds.declare(
    Adoption,
    "overgenomen uitkomst",
    {
        "item_id": "Onderdeel",
        "ambition_id": "Ambitie",
        "term_id": "Begrip",
        "label": "Tekst",
        "evidence": "Onderbouwing",
    },
)
