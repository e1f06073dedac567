"""The shared ambition of a cycle with its earlier drafts, and the begrippen (shared vocabulary)."""

from datetime import datetime
from typing import Self

import sqlalchemy as sa
from pydantic import model_validator
from pydantic_core import PydanticCustomError
from sqlmodel import Field, Relationship, SQLModel

from app import record_kinds
from app.bounds import EventDate
from app.choices import Choice, Perspective, choice_type
from app.tables import CHILDREN, RAISE, Versioned, utc_now


class AmbitionStatus(Choice):
    """The method's own words: a concept, formulated together in a session, or adopted by the
    college or the raad. "Vastgesteld" is only the last: a council decision, not a session's."""

    DRAFT = "draft", "Concept"
    FORMULATED = "formulated", "Gezamenlijk geformuleerd"
    AGREED = "agreed", "Vastgesteld"


class Adopter(Choice):
    COLLEGE = "college", "College van B&W"
    COUNCIL = "council", "Gemeenteraad"


class Origin(SQLModel):
    """Where a formulation came from: a perspective and a session ("werksessie 2, 12 maart
    2019"). Free text until live sessions exist; a session link can sit beside it then."""

    perspective: Perspective | None = Field(default=None, sa_type=choice_type(Perspective))
    origin: str | None = Field(default=None, max_length=200)


class AmbitionBase(Origin):
    text: str = Field(min_length=1, max_length=2000, sa_type=sa.Text)
    status: AmbitionStatus = Field(
        default=AmbitionStatus.DRAFT, sa_type=choice_type(AmbitionStatus)
    )
    adopted_by: Adopter | None = Field(default=None, sa_type=choice_type(Adopter))
    agreed_on: EventDate | None = None

    @model_validator(mode="after")
    def _status_says_who(self) -> Self:
        if self.status is AmbitionStatus.FORMULATED and not self.origin:
            raise _error("origin", "Vul in in welke sessie de ambitie samen is geformuleerd.")
        if self.status is not AmbitionStatus.AGREED:
            if self.agreed_on is not None:
                raise _error(
                    "agreed_on",
                    "Een datum van vaststelling hoort alleen bij een vastgestelde ambitie.",
                )
            if self.adopted_by is not None:
                raise _error(
                    "adopted_by", "Wie vaststelde hoort alleen bij een vastgestelde ambitie."
                )
        elif self.adopted_by is None:
            raise _error("adopted_by", "Kies wie de ambitie heeft vastgesteld: college of raad.")
        return self


def _error(field: str, message: str) -> PydanticCustomError:
    return PydanticCustomError("kompas", message, {"field": field})


class Ambition(AmbitionBase, Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", unique=True)
    updated_at: datetime = Field(default_factory=utc_now)

    drafts: list["AmbitionDraft"] = Relationship(
        back_populates="ambition",
        sa_relationship_kwargs={**CHILDREN, "order_by": "desc(AmbitionDraft.saved_at)"},
    )


class AmbitionWrite(AmbitionBase):
    """The ambition as a form or API client writes it; it is created on first save."""


class AmbitionPublic(AmbitionBase):
    id: int
    version: int
    cycle_id: int
    updated_at: datetime


class AmbitionDraft(SQLModel, table=True):
    """An earlier wording of the ambition, kept when the text changes."""

    __tablename__ = "ambition_draft"

    id: int | None = Field(default=None, primary_key=True)
    ambition_id: int = Field(foreign_key="ambition.id", ondelete="CASCADE", index=True)
    text: str = Field(sa_type=sa.Text)
    perspective: Perspective | None = Field(default=None, sa_type=choice_type(Perspective))
    origin: str | None = Field(default=None, max_length=200)
    saved_at: datetime = Field(default_factory=utc_now)

    ambition: Ambition = Relationship(back_populates="drafts", sa_relationship_kwargs=RAISE)


class AmbitionDraftPublic(Origin):
    id: int
    text: str
    saved_at: datetime


class TermBase(SQLModel):
    term: str = Field(min_length=1, max_length=100)
    meaning_municipality: str | None = Field(default=None, max_length=2000, sa_type=sa.Text)
    meaning_provider: str | None = Field(default=None, max_length=2000, sa_type=sa.Text)
    meaning_resident: str | None = Field(default=None, max_length=2000, sa_type=sa.Text)
    agreed_definition: str | None = Field(default=None, max_length=2000, sa_type=sa.Text)


class Term(TermBase, Versioned, table=True):
    __table_args__ = (sa.UniqueConstraint("cycle_id", "term"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)


class TermCreate(TermBase):
    pass


class TermUpdate(SQLModel):
    term: str | None = None
    meaning_municipality: str | None = None
    meaning_provider: str | None = None
    meaning_resident: str | None = None
    agreed_definition: str | None = None


class TermPublic(TermBase):
    id: int
    version: int
    cycle_id: int


class TableMemberBase(SQLModel):
    """Someone at the table of a theme's cycle (step 0): who, from which perspective, with
    which interest, and what they may decide."""

    name: str = Field(min_length=1, max_length=200)
    organisation: str | None = Field(default=None, max_length=200)
    perspective: Perspective = Field(sa_type=choice_type(Perspective))
    interest: str | None = Field(default=None, max_length=2000, sa_type=sa.Text)
    mandate: str | None = Field(default=None, max_length=2000, sa_type=sa.Text)


class TableMember(TableMemberBase, Versioned, table=True):
    __tablename__ = "table_member"

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)


class TableMemberCreate(TableMemberBase):
    pass


class TableMemberUpdate(SQLModel):
    name: str | None = None
    organisation: str | None = None
    perspective: Perspective | None = None
    interest: str | None = None
    mandate: str | None = None


class TableMemberPublic(TableMemberBase):
    id: int
    version: int
    cycle_id: int


# Dutch names for the change log (app/record_kinds.py).
record_kinds.declare(
    Ambition,
    "ambitie",
    {"text": "Ambitie", "status": "Status", "agreed_on": "Vastgesteld op", "origin": "Herkomst"},
)
