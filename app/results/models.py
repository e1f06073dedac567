"""Maatschappelijke resultaten (step 2), their indicators and the measurements behind them.

An indicator belongs to exactly one owner: a result (population level) or an activity (service
level, answering one of the three RBA questions). Measurements form its time series.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self

import sqlalchemy as sa
from pydantic import model_validator
from pydantic_core import PydanticCustomError
from sqlmodel import Field, Relationship, SQLModel

from app import record_kinds
from app.ambitions.models import Origin
from app.bounds import EventDate, PlanDate, quantity
from app.choices import Choice, Perspective, choice_type
from app.results.freshness import Frequency, Freshness, freshness_of
from app.results.status import IndicatorStatus, indicator_status
from app.tables import CHILDREN, RAISE, SHOWN_VERSION, Number, Revised, Versioned, utc_now


class ResultType(Choice):
    SUBSTANTIVE = "substantive", "Inhoudelijk"
    PROCESS = "process", "Proces"
    PRECONDITION = "precondition", "Randvoorwaardelijk"


class ResultBase(Origin):
    # "W1": how facilitators and texts refer to a result; Kompas numbers it when left empty.
    code: str | None = Field(default=None, max_length=10)
    text: str = Field(min_length=1, max_length=1000, sa_type=sa.Text)
    result_type: ResultType = Field(default=ResultType.SUBSTANTIVE, sa_type=choice_type(ResultType))
    target_group: str | None = Field(default=None, max_length=200)
    rationale: str | None = Field(default=None, max_length=2000, sa_type=sa.Text)


class Result(ResultBase, Versioned, Revised, table=True):
    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)
    # Priority: 1 is the most important; ranks within a cycle are always 1..n.
    rank: int = Field(ge=1)
    # The rationale was written for another place: a session's outcome moved the result since
    # (sessions.adoption). Editing the rationale makes it current again.
    rationale_outdated: bool = False
    __version_ignore__ = frozenset({"rank"})

    indicators: list["Indicator"] = Relationship(
        sa_relationship_kwargs={**CHILDREN, "order_by": "Indicator.id"}
    )

    @property
    def option_label(self) -> str:
        text = self.text if len(self.text) <= 90 else self.text[:89] + "…"
        return f"{self.code or self.rank}. {text}"


class ResultCreate(ResultBase):
    pass


class ResultUpdate(SQLModel):
    code: str | None = None
    text: str | None = None
    perspective: Perspective | None = None
    origin: str | None = None
    result_type: ResultType | None = None
    target_group: str | None = None
    rationale: str | None = None


class ResultPublic(ResultBase):
    id: int
    version: int = Field(validation_alias=SHOWN_VERSION)  # type: ignore[call-overload]
    cycle_id: int
    rank: int


class Direction(Choice):
    HIGHER = "higher", "Hoger is beter"
    LOWER = "lower", "Lager is beter"


class RbaQuestion(Choice):
    HOW_MUCH = "how_much", "Hoeveel deden we?"
    HOW_WELL = "how_well", "Hoe goed deden we het?"
    BETTER_OFF = "better_off", "Is iemand er beter van geworden?"


# The statutory BBV beleidsindicatoren of onderwijs, sport and the sociaal domein
# (app/results/catalogue.py) are numbered 17 to 32.
BBV_FIRST, BBV_LAST = 17, 32


class IndicatorLevel(Choice):
    POPULATION = "population", "Populatie (maatschappelijk resultaat)"
    SERVICE = "service", "Voorziening (activiteit)"


class IndicatorBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    definition: str | None = Field(default=None, max_length=2000, sa_type=sa.Text)
    unit: str | None = Field(default=None, max_length=40)
    direction: Direction = Field(default=Direction.HIGHER, sa_type=choice_type(Direction))
    source: str | None = Field(default=None, max_length=200)
    instrument: str | None = Field(default=None, max_length=200)
    baseline_value: Number | None = quantity(default=None)
    baseline_date: EventDate | None = None
    target_value: Number | None = quantity(default=None)
    target_date: PlanDate | None = None
    rba_question: RbaQuestion | None = Field(default=None, sa_type=choice_type(RbaQuestion))
    expected_frequency: Frequency = Field(default=Frequency.YEARLY, sa_type=choice_type(Frequency))
    # The number of the statutory BBV beleidsindicator this indicator reports; None: a free one.
    bbv_number: int | None = Field(default=None, ge=BBV_FIRST, le=BBV_LAST)

    @model_validator(mode="after")
    def _baseline_and_target_agree(self) -> Self:
        if self.baseline_date and self.target_date and self.target_date <= self.baseline_date:
            raise _field_error(
                "target_date", "De streefdatum moet na de datum van de nulmeting liggen."
            )
        if self.baseline_value is not None and self.target_value is not None:
            if self.direction is Direction.HIGHER and self.target_value < self.baseline_value:
                raise _field_error(
                    "target_value",
                    "Bij 'hoger is beter' mag de streefwaarde niet lager zijn dan de nulmeting.",
                )
            if self.direction is Direction.LOWER and self.target_value > self.baseline_value:
                raise _field_error(
                    "target_value",
                    "Bij 'lager is beter' mag de streefwaarde niet hoger zijn dan de nulmeting.",
                )
        return self


def _field_error(field: str, message: str) -> PydanticCustomError:
    return PydanticCustomError("kompas", message, {"field": field})


class Indicator(IndicatorBase, Versioned, table=True):
    __table_args__ = (
        sa.CheckConstraint("(result_id IS NULL) <> (activity_id IS NULL)", name="one_owner"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)
    result_id: int | None = Field(
        default=None, foreign_key="result.id", ondelete="CASCADE", index=True
    )
    # The activity table lives in app.activities; only the key is declared here so that
    # results never imports a later step's package.
    activity_id: int | None = Field(
        default=None, foreign_key="activity.id", ondelete="CASCADE", index=True
    )
    # The same indicator in the previous cycle: its measurements continue this one's curve.
    predecessor_id: int | None = Field(
        default=None, foreign_key="indicator.id", ondelete="SET NULL", index=True
    )

    measurements: list["Measurement"] = Relationship(
        back_populates="indicator",
        sa_relationship_kwargs={**CHILDREN, "order_by": "Measurement.measured_on"},
    )

    @property
    def level(self) -> IndicatorLevel:
        return IndicatorLevel.POPULATION if self.result_id is not None else IndicatorLevel.SERVICE

    @property
    def latest(self) -> "Measurement | None":
        """The most recent measurement; `measurements` must be loaded."""
        return self.measurements[-1] if self.measurements else None

    @property
    def target_passed(self) -> bool:
        """The streefdatum lies behind us: set a new one, or close the indicator's story."""
        return self.target_date is not None and self.target_date < utc_now().date()

    @property
    def freshness(self) -> Freshness:
        """Whether the latest meting is older than expected; `measurements` must be loaded."""
        latest = self.latest
        return freshness_of(latest.measured_on if latest else None, self.expected_frequency)

    @property
    def status(self) -> IndicatorStatus:
        latest = self.latest
        return indicator_status(
            higher_is_better=self.direction is Direction.HIGHER,
            baseline_value=self.baseline_value,
            target_value=self.target_value,
            latest_value=latest.value if latest else None,
            baseline_date=self.baseline_date,
            target_date=self.target_date,
            latest_date=latest.measured_on if latest else None,
        )


class IndicatorCreate(IndicatorBase):
    pass


class IndicatorTargets(SQLModel):
    """Nulmeting and streefwaarde of an indicator, as the hand-over to a new cycle sets them."""

    baseline_value: Decimal | None = None
    baseline_date: date | None = None
    target_value: Decimal | None = None
    target_date: date | None = None


class IndicatorUpdate(SQLModel):
    name: str | None = None
    definition: str | None = None
    unit: str | None = None
    direction: Direction | None = None
    source: str | None = None
    instrument: str | None = None
    baseline_value: Decimal | None = None
    baseline_date: date | None = None
    target_value: Decimal | None = None
    target_date: date | None = None
    rba_question: RbaQuestion | None = None
    expected_frequency: Frequency | None = None
    bbv_number: int | None = None


class IndicatorPublic(IndicatorBase):
    id: int
    version: int
    cycle_id: int
    result_id: int | None
    activity_id: int | None
    predecessor_id: int | None
    level: IndicatorLevel


class MeasurementBase(SQLModel):
    measured_on: EventDate
    value: Number = quantity()
    story: str | None = Field(default=None, max_length=4000, sa_type=sa.Text)


class Measurement(MeasurementBase, Versioned, table=True):
    __table_args__ = (sa.UniqueConstraint("indicator_id", "measured_on"),)

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", ondelete="CASCADE", index=True)

    indicator: Indicator = Relationship(back_populates="measurements", sa_relationship_kwargs=RAISE)


class MeasurementCreate(MeasurementBase):
    pass


class MeasurementUpdate(SQLModel):
    measured_on: date | None = None
    value: Decimal | None = None
    story: str | None = None


class MeasurementPublic(MeasurementBase):
    id: int
    version: int
    indicator_id: int


class StoryBase(SQLModel):
    """Vertellen: what happened to someone, told without a number."""

    told_on: EventDate
    source: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=4000, sa_type=sa.Text)


class Story(StoryBase, Versioned, table=True):
    __table_args__ = (
        sa.CheckConstraint("(result_id IS NULL) <> (activity_id IS NULL)", name="one_owner"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)
    result_id: int | None = Field(
        default=None, foreign_key="result.id", ondelete="CASCADE", index=True
    )
    activity_id: int | None = Field(
        default=None, foreign_key="activity.id", ondelete="CASCADE", index=True
    )


class StoryCreate(StoryBase):
    pass


class StoryUpdate(SQLModel):
    told_on: date | None = None
    source: str | None = None
    text: str | None = None


class StoryPublic(StoryBase):
    id: int
    version: int
    cycle_id: int
    result_id: int | None
    activity_id: int | None


class ResultEvidence(SQLModel, table=True):
    """How a result got its place: written by whatever decided it (a live session's round)
    as a snapshot (source, date, participants and votes per perspective), so the result's
    page and the report can show it without knowing about the later package that wrote it."""

    __tablename__ = "result_evidence"

    id: int | None = Field(default=None, primary_key=True)
    result_id: int = Field(foreign_key="result.id", ondelete="CASCADE", index=True)
    source: str = Field(max_length=300)  # "Werksessie resultaten, ronde 2: stippen plakken"
    decided_on: date
    summary: dict[str, Any] = Field(sa_type=sa.JSON)
    recorded_at: datetime = Field(default_factory=utc_now)


# Dutch names for the change log (app/record_kinds.py).
record_kinds.declare(Indicator, "indicator", {"predecessor_id": "Vervolg op indicator"})
record_kinds.declare(
    Result, "resultaat", {"rank": "Prioriteit", "rationale_outdated": "Toelichting verouderd"}
)
record_kinds.declare(
    ResultEvidence,
    "onderbouwing van een resultaat",
    {"summary": "Samenvatting", "recorded_at": "Vastgelegd op"},
)
