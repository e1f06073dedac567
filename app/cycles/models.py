"""Themes, their cycles, the steps of each cycle (0 to 6), and the monitoring picture of step 1."""

from datetime import datetime
from typing import Self

import sqlalchemy as sa
from pydantic import model_validator
from pydantic_core import PydanticCustomError
from sqlmodel import Field, Relationship, SQLModel

from app import record_kinds
from app.bounds import Year
from app.choices import Choice, choice_type
from app.tables import CHILDREN, RAISE, Versioned, utc_now


class ThemeBase(SQLModel):
    name: str = Field(min_length=1, max_length=80)
    description: str | None = Field(default=None, max_length=2000, sa_type=sa.Text)


class Theme(ThemeBase, Versioned, table=True):
    __table_args__ = (sa.UniqueConstraint("organisation_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    position: int = 0

    cycles: list["Cycle"] = Relationship(back_populates="theme", sa_relationship_kwargs=CHILDREN)


class ThemeCreate(ThemeBase):
    pass


class ThemeUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=1, max_length=80)
    description: str | None = Field(default=None, max_length=2000)


class ThemePublic(ThemeBase):
    id: int
    version: int
    position: int


class CycleStatus(Choice):
    ACTIVE = "active", "Lopend"
    CLOSED = "closed", "Afgesloten"


class CyclePeriod(SQLModel):
    """The period a cycle covers and how far ahead its results look."""

    start_year: Year
    end_year: Year
    horizon_years: int = Field(default=3, ge=3, le=4)

    @model_validator(mode="after")
    def _end_after_start(self) -> Self:
        if self.end_year < self.start_year:
            raise PydanticCustomError(
                "kompas", "Het eindjaar ligt voor het beginjaar.", {"field": "end_year"}
            )
        if self.end_year - self.start_year > 10:
            raise PydanticCustomError(
                "kompas", "Een cyclus duurt hoogstens tien jaar.", {"field": "end_year"}
            )
        return self


class CycleBase(CyclePeriod):
    current_step: int = Field(default=0, ge=0, le=6)


class Cycle(CycleBase, Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", ondelete="CASCADE", index=True)
    status: CycleStatus = Field(default=CycleStatus.ACTIVE, sa_type=choice_type(CycleStatus))
    previous_cycle_id: int | None = Field(
        default=None, foreign_key="cycle.id", ondelete="SET NULL", index=True
    )
    created_at: datetime = Field(default_factory=utc_now)
    closed_at: datetime | None = None

    theme: Theme = Relationship(back_populates="cycles", sa_relationship_kwargs=RAISE)
    steps: list["CycleStep"] = Relationship(
        back_populates="cycle",
        sa_relationship_kwargs={**CHILDREN, "order_by": "CycleStep.number"},
    )

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def is_closed(self) -> bool:
        return self.status is CycleStatus.CLOSED


class CycleCreate(CycleBase):
    pass


class CycleUpdate(SQLModel):
    start_year: int | None = None
    end_year: int | None = None
    horizon_years: int | None = None
    current_step: int | None = None


class CyclePublic(CycleBase):
    id: int
    version: int
    theme_id: int
    status: CycleStatus
    previous_cycle_id: int | None


class StepStatus(Choice):
    NOT_STARTED = "not_started", "Niet gestart"
    IN_PROGRESS = "in_progress", "Bezig"
    DONE = "done", "Afgerond"


class CycleStepBase(SQLModel):
    status: StepStatus = Field(default=StepStatus.NOT_STARTED, sa_type=choice_type(StepStatus))
    notes: str | None = Field(default=None, max_length=10000, sa_type=sa.Text)


class CycleStep(CycleStepBase, Versioned, table=True):
    __tablename__ = "cycle_step"
    __table_args__ = (sa.UniqueConstraint("cycle_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)
    number: int = Field(ge=0, le=6)

    cycle: Cycle = Relationship(back_populates="steps", sa_relationship_kwargs=RAISE)


class CycleStepUpdate(SQLModel):
    status: StepStatus | None = None
    notes: str | None = None


class CycleStepPublic(CycleStepBase):
    id: int
    version: int
    cycle_id: int
    number: int


class MonitoringKind(Choice):
    FIGURE = "figure", "Cijfer"
    SIGNAL = "signal", "Signaal uit de praktijk"


class MonitoringItemBase(SQLModel):
    kind: MonitoringKind = Field(sa_type=choice_type(MonitoringKind))
    title: str = Field(min_length=1, max_length=200)
    figure: str | None = Field(default=None, max_length=100)
    source: str | None = Field(default=None, max_length=200)
    interpretation: str | None = Field(default=None, max_length=4000, sa_type=sa.Text)


class MonitoringItem(MonitoringItemBase, Versioned, table=True):
    __tablename__ = "monitoring_item"

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)


class MonitoringItemCreate(MonitoringItemBase):
    pass


class MonitoringItemUpdate(SQLModel):
    kind: MonitoringKind | None = None
    title: str | None = None
    figure: str | None = None
    source: str | None = None
    interpretation: str | None = None


class MonitoringItemPublic(MonitoringItemBase):
    id: int
    version: int
    cycle_id: int


# Dutch names for the change log (app/record_kinds.py).
record_kinds.declare(Cycle, "cyclus", {"theme_id": "Thema", "previous_cycle_id": "Vorige cyclus"})
record_kinds.declare(CycleStep, "stap", {"status": "Status", "notes": "Aantekeningen"})
