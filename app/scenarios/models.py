"""Budget scenarios: a cut for one theme's cycle or the whole organisation, its limits, the
choices made by hand, and (once adopted) the decision with its before-and-after."""

from datetime import date, datetime
from typing import Any, Self

import sqlalchemy as sa
from pydantic import model_validator
from pydantic_core import PydanticCustomError
from sqlmodel import Field, Relationship, SQLModel

from app import record_kinds
from app.bounds import MAX_MONEY, EventDate, percentage, today
from app.choices import Choice, choice_type
from app.ids import MAX_ID, RefId
from app.tables import CHILDREN, Number, Versioned, utc_now


class CutKind(Choice):
    PERCENT = "percent", "Percentage van het budget"
    AMOUNT = "amount", "Bedrag in euro"


class WeightMode(Choice):
    """How an adopted session round's votes weigh the results."""

    OVERALL = "overall", "Alle stemmen samen"
    PERSPECTIVES = "perspectives", "Elk perspectief even zwaar"


class ScenarioBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    # None: every running cycle of the organisation's themes.
    cycle_id: int | None = Field(
        default=None, foreign_key="cycle.id", ondelete="CASCADE", index=True, ge=1, le=MAX_ID
    )
    made_on: EventDate = Field(default_factory=today)
    cut_kind: CutKind = Field(default=CutKind.PERCENT, sa_type=choice_type(CutKind))
    cut_value: Number = Field(gt=0, lt=int(MAX_MONEY), max_digits=14, decimal_places=2)
    # Limits: the most a partner may lose (%), and how many of the top results (per theme)
    # keep at least one activity.
    max_partner_loss: Number | None = percentage(default=None)
    covered_top_results: int | None = Field(default=None, ge=1, le=50)
    note: str | None = Field(default=None, max_length=4000, sa_type=sa.Text)
    # The results' weights: their priority rank (None), or the votes of an adopted session
    # round about the cycle's results (`scenarios.weights`), overall or per perspective.
    weight_round_id: int | None = Field(
        default=None, foreign_key="round.id", ondelete="SET NULL", index=True, ge=1, le=MAX_ID
    )
    weight_mode: WeightMode = Field(default=WeightMode.OVERALL, sa_type=choice_type(WeightMode))

    @model_validator(mode="after")
    def _percent_at_most_100(self) -> Self:
        if self.cut_kind is CutKind.PERCENT and self.cut_value > 100:
            raise PydanticCustomError(
                "kompas", "Een percentage is hoogstens 100.", {"field": "cut_value"}
            )
        return self


class Scenario(ScenarioBase, Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    author: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utc_now)
    # The decision: set once, after which the scenario no longer changes.
    adopted_at: datetime | None = None
    adopted_by: str | None = Field(default=None, max_length=200)
    rationale: str | None = Field(default=None, max_length=4000, sa_type=sa.Text)
    # The before-and-after at the moment of the decision, kept as the cycle's version of it.
    snapshot: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)

    choices: list["ScenarioChoice"] = Relationship(sa_relationship_kwargs=CHILDREN)

    @property
    def adopted(self) -> bool:
        return self.adopted_at is not None


class ScenarioCreate(ScenarioBase):
    pass


class ScenarioUpdate(SQLModel):
    name: str | None = None
    cycle_id: RefId | None = None
    made_on: date | None = None
    cut_kind: CutKind | None = None
    cut_value: Number | None = None
    max_partner_loss: Number | None = None
    covered_top_results: int | None = None
    note: str | None = None
    weight_round_id: RefId | None = None
    weight_mode: WeightMode | None = None


class ScenarioPublic(ScenarioBase):
    id: int
    version: int
    organisation_id: int
    author: str
    created_at: datetime
    adopted_at: datetime | None
    adopted_by: str | None
    rationale: str | None


class Pin(Choice):
    """A choice made by hand for one activity; the optimiser decides the others."""

    STAY = "stay", "Moet blijven"
    KEEP = "keep", "Behouden"
    REDUCE = "reduce", "Verminderen tot minimum"
    STOP = "stop", "Stoppen"


class ScenarioChoice(SQLModel, table=True):
    __tablename__ = "scenario_choice"
    __table_args__ = (sa.UniqueConstraint("scenario_id", "activity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="scenario.id", ondelete="CASCADE", index=True)
    activity_id: int = Field(foreign_key="activity.id", ondelete="CASCADE", index=True)
    pin: Pin = Field(sa_type=choice_type(Pin))


class ScenarioSolution(SQLModel, table=True):
    """The optimiser's answer for a scenario, kept for the inputs it was computed from: the
    page, the API and the comparison show it until an input changes (`fingerprint`)."""

    __tablename__ = "scenario_solution"

    scenario_id: int = Field(
        sa_column=sa.Column(
            sa.ForeignKey("scenario.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
        )
    )
    fingerprint: str = Field(max_length=64)
    answer: dict[str, Any] = Field(sa_type=sa.JSON)
    solved_at: datetime = Field(default_factory=utc_now)
    # The scenario's own version the answer was solved for; when the inputs changed while it
    # stayed the same, the organisation's data changed under the scenario (`data_changed_at`,
    # kept once set), which its page says.
    scenario_version: int | None = None
    data_changed_at: datetime | None = None


class Adoption(SQLModel):
    rationale: str = Field(min_length=1, max_length=4000)


# Dutch names for the change log (app/record_kinds.py).
record_kinds.declare(
    Scenario, "scenario", {"author": "Gemaakt door", "snapshot": "Gegevens bij vaststelling"}
)
record_kinds.declare(
    ScenarioChoice, "keuze in een scenario", {"scenario_id": "Scenario", "pin": "Keuze"}
)
