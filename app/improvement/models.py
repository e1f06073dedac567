"""Verbetercyclus (step 6): reflections, improvement actions and a decision per activity."""

from datetime import date
from typing import Self

import sqlalchemy as sa
from pydantic import model_validator
from pydantic_core import PydanticCustomError
from sqlmodel import Field, Relationship, SQLModel

from app import record_kinds
from app.ambitions.models import Origin
from app.bounds import EventDate, PlanDate
from app.choices import Choice, Perspective, choice_type
from app.ids import MAX_ID, RefId
from app.tables import CHILDREN, RAISE, Versioned


class ReflectionBase(Origin):
    reflected_on: EventDate
    # What the reflection is about, when it is about one result or one activity.
    result_id: int | None = Field(
        default=None, foreign_key="result.id", ondelete="SET NULL", index=True, ge=1, le=MAX_ID
    )
    activity_id: int | None = Field(
        default=None, foreign_key="activity.id", ondelete="SET NULL", index=True, ge=1, le=MAX_ID
    )
    went_well: str | None = Field(default=None, max_length=4000, sa_type=sa.Text)
    could_improve: str | None = Field(default=None, max_length=4000, sa_type=sa.Text)

    @model_validator(mode="after")
    def _says_something(self) -> Self:
        if not self.went_well and not self.could_improve:
            raise PydanticCustomError(
                "kompas",
                "Vul in wat goed gaat, wat beter kan, of allebei.",
                {"field": "went_well"},
            )
        return self


class Reflection(ReflectionBase, Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)

    actions: list["ImprovementAction"] = Relationship(
        back_populates="reflection",
        sa_relationship_kwargs={**CHILDREN, "order_by": "ImprovementAction.id"},
    )


class ReflectionCreate(ReflectionBase):
    pass


class ReflectionUpdate(SQLModel):
    reflected_on: date | None = None
    result_id: RefId | None = None
    activity_id: RefId | None = None
    perspective: Perspective | None = None
    origin: str | None = None
    went_well: str | None = None
    could_improve: str | None = None


class ReflectionPublic(ReflectionBase):
    id: int
    version: int
    cycle_id: int


class ImprovementActionBase(SQLModel):
    description: str = Field(min_length=1, max_length=1000, sa_type=sa.Text)
    owner: str | None = Field(default=None, max_length=200)
    due_date: PlanDate | None = None
    done: bool = False


class ImprovementAction(ImprovementActionBase, Versioned, table=True):
    __tablename__ = "improvement_action"

    id: int | None = Field(default=None, primary_key=True)
    reflection_id: int = Field(foreign_key="reflection.id", ondelete="CASCADE", index=True)
    # Set when the action was still open at the end of the previous cycle and moved along.
    carried_over_from_id: int | None = Field(
        default=None, foreign_key="improvement_action.id", ondelete="SET NULL", index=True
    )

    reflection: Reflection = Relationship(back_populates="actions", sa_relationship_kwargs=RAISE)


class ImprovementActionCreate(ImprovementActionBase):
    pass


class ImprovementActionUpdate(SQLModel):
    description: str | None = None
    owner: str | None = None
    due_date: date | None = None
    done: bool | None = None


class ImprovementActionPublic(ImprovementActionBase):
    id: int
    version: int
    reflection_id: int
    carried_over_from_id: int | None


class Decision(Choice):
    """What happens to an activity in the next cycle; values match ActivityStatus."""

    CONTINUE = "continue", "Voortzetten"
    STRENGTHEN = "strengthen", "Versterken"
    PHASE_OUT = "phase_out", "Afbouwen"
    STOP = "stop", "Stoppen"


class DecidedBy(SQLModel):
    """Who took a decision and when: "college, 12 november 2019"."""

    decided_by: str | None = Field(default=None, max_length=200)
    decided_on: EventDate | None = None


class ActivityDecisionBase(DecidedBy):
    decision: Decision = Field(sa_type=choice_type(Decision))
    rationale: str | None = Field(default=None, max_length=2000, sa_type=sa.Text)


class ActivityDecision(ActivityDecisionBase, Versioned, table=True):
    """What the verbetercyclus decides about one activity for the next cycle."""

    __tablename__ = "activity_decision"

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)
    activity_id: int = Field(foreign_key="activity.id", ondelete="CASCADE", unique=True)


class ActivityDecisionCreate(ActivityDecisionBase):
    pass


class ActivityDecisionUpdate(SQLModel):
    decision: Decision | None = None
    rationale: str | None = None
    decided_by: str | None = None
    decided_on: date | None = None


class ActivityDecisionPublic(ActivityDecisionBase):
    id: int
    version: int
    cycle_id: int
    activity_id: int


class ResultDecisionKind(Choice):
    """What happens to a result in the next cycle."""

    KEEP = "keep", "Houden"
    REWORD = "reword", "Herformuleren"
    DROP = "drop", "Laten vallen"


class ResultDecisionBase(DecidedBy):
    decision: ResultDecisionKind = Field(sa_type=choice_type(ResultDecisionKind))
    new_text: str | None = Field(default=None, max_length=1000, sa_type=sa.Text)
    rationale: str | None = Field(default=None, max_length=2000, sa_type=sa.Text)

    @model_validator(mode="after")
    def _reworded_has_a_wording(self) -> Self:
        if self.decision is ResultDecisionKind.REWORD and not self.new_text:
            raise PydanticCustomError(
                "kompas",
                "Vul de nieuwe formulering in, of kies houden of laten vallen.",
                {"field": "new_text"},
            )
        if self.decision is not ResultDecisionKind.REWORD and self.new_text:
            raise PydanticCustomError(
                "kompas",
                "Een nieuwe formulering hoort alleen bij herformuleren.",
                {"field": "new_text"},
            )
        return self


class ResultDecision(ResultDecisionBase, Versioned, table=True):
    """What the verbetercyclus decides about one result for the next cycle."""

    __tablename__ = "result_decision"

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)
    result_id: int = Field(foreign_key="result.id", ondelete="CASCADE", unique=True)


class ResultDecisionCreate(ResultDecisionBase):
    pass


class ResultDecisionUpdate(SQLModel):
    decision: ResultDecisionKind | None = None
    new_text: str | None = None
    rationale: str | None = None
    decided_by: str | None = None
    decided_on: date | None = None


class ResultDecisionPublic(ResultDecisionBase):
    id: int
    version: int
    cycle_id: int
    result_id: int


# Dutch names for the change log (app/record_kinds.py).
record_kinds.declare(
    ImprovementAction,
    "verbeteractie",
    {"reflection_id": "Reflectie", "carried_over_from_id": "Overgenomen uit actie"},
)
