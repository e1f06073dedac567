"""The shared ambition of a cycle with its earlier drafts, and the begrippen (shared vocabulary)."""

from datetime import date, datetime
from typing import Self

import sqlalchemy as sa
from pydantic import model_validator
from pydantic_core import PydanticCustomError
from sqlmodel import Field, Relationship, SQLModel

from app.choices import Choice, choice_type
from app.tables import CHILDREN, RAISE, Versioned, utc_now


class AmbitionStatus(Choice):
    DRAFT = "draft", "Concept"
    AGREED = "agreed", "Vastgesteld"


class AmbitionBase(SQLModel):
    text: str = Field(min_length=1, max_length=2000, sa_type=sa.Text)
    status: AmbitionStatus = Field(
        default=AmbitionStatus.DRAFT, sa_type=choice_type(AmbitionStatus)
    )
    agreed_on: date | None = None

    @model_validator(mode="after")
    def _agreed_on_only_when_agreed(self) -> Self:
        if self.agreed_on is not None and self.status is not AmbitionStatus.AGREED:
            raise PydanticCustomError(
                "kompas",
                "Een datum van vaststelling hoort alleen bij een vastgestelde ambitie.",
                {"field": "agreed_on"},
            )
        return self


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
    saved_at: datetime = Field(default_factory=utc_now)

    ambition: Ambition = Relationship(back_populates="drafts", sa_relationship_kwargs=RAISE)


class AmbitionDraftPublic(SQLModel):
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
