"""Activities (step 3), their links to results, and their input kwaliteit (step 4)."""

from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from app import record_kinds
from app.bounds import Year, money
from app.choices import Choice, choice_type
from app.ids import MAX_ID, RefId
from app.organisations.models import Partner
from app.results.models import Indicator, Result
from app.tables import CHILDREN, RAISE, Number, Versioned


class ActivityStatus(Choice):
    NEW = "new", "Nieuw"
    CONTINUE = "continue", "Voortzetten"
    STRENGTHEN = "strengthen", "Versterken"
    PHASE_OUT = "phase_out", "Afbouwen"
    STOP = "stop", "Stoppen"


class EvidenceLevel(Choice):
    """The ladder of the Erkenningscommissie Interventies (databanks of Movisie and NJI), in its
    own words."""

    NOT_ASSESSED = "not_assessed", "Niet beoordeeld"
    WELL_FOUNDED = "well_founded", "Goed onderbouwd"
    EFFECTIVE_FIRST = "effective_first", "Effectief volgens eerste aanwijzingen"
    EFFECTIVE_GOOD = "effective_good", "Effectief volgens goede aanwijzingen"
    EFFECTIVE_STRONG = "effective_strong", "Effectief volgens sterke aanwijzingen"


class Agreement(Choice):
    """The agreement under which a partner carries an activity out."""

    SUBSIDY = "subsidy", "Subsidie"
    CONTRACT = "contract", "Contract (inkoop)"
    PERFORMANCE = "performance", "Prestatieafspraak"
    OWN = "own", "Eigen inzet, zonder afspraak"


class ActivityBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000, sa_type=sa.Text)
    partner_id: int | None = Field(
        default=None, foreign_key="partner.id", ondelete="RESTRICT", index=True, ge=1, le=MAX_ID
    )
    target_group: str | None = Field(default=None, max_length=200)
    annual_budget: Number | None = money(default=None)
    agreement: Agreement | None = Field(default=None, sa_type=choice_type(Agreement))
    status: ActivityStatus = Field(default=ActivityStatus.NEW, sa_type=choice_type(ActivityStatus))
    # For budget scenarios: a legal duty never stops; a minimum level (a percentage of the
    # budget) says it can be reduced instead of stopped.
    legal_duty: bool = False
    minimum_level: int | None = Field(default=None, ge=1, le=99)


class Activity(ActivityBase, Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", ondelete="CASCADE", index=True)
    evidence_level: EvidenceLevel = Field(
        default=EvidenceLevel.NOT_ASSESSED, sa_type=choice_type(EvidenceLevel)
    )

    partner: Partner | None = Relationship(sa_relationship_kwargs=RAISE)
    links: list["ActivityResultLink"] = Relationship(
        back_populates="activity", sa_relationship_kwargs=CHILDREN
    )
    working_elements: list["WorkingElement"] = Relationship(
        sa_relationship_kwargs={**CHILDREN, "order_by": "WorkingElement.id"}
    )
    co_performers: list["CoPerformer"] = Relationship(
        sa_relationship_kwargs={**CHILDREN, "order_by": "CoPerformer.id"}
    )
    quality_conditions: list["QualityCondition"] = Relationship(
        sa_relationship_kwargs={**CHILDREN, "order_by": "QualityCondition.id"}
    )
    indicators: list[Indicator] = Relationship(
        sa_relationship_kwargs={**CHILDREN, "order_by": "Indicator.id"}
    )
    spending: list["Spending"] = Relationship(
        sa_relationship_kwargs={**CHILDREN, "order_by": "Spending.year"}
    )


class ActivityCreate(ActivityBase):
    pass


class ActivityUpdate(SQLModel):
    name: str | None = None
    description: str | None = None
    partner_id: RefId | None = None
    target_group: str | None = None
    annual_budget: Decimal | None = None
    agreement: Agreement | None = None
    status: ActivityStatus | None = None
    legal_duty: bool | None = None
    minimum_level: int | None = None


class ActivityEvidence(SQLModel):
    evidence_level: EvidenceLevel


class ActivityPublic(ActivityBase):
    id: int
    version: int
    cycle_id: int
    evidence_level: EvidenceLevel


class Contribution(Choice):
    SMALL = "small", "Beperkt"
    MEDIUM = "medium", "Duidelijk"
    LARGE = "large", "Sterk"


class ActivityResultLinkBase(SQLModel):
    result_id: int = Field(foreign_key="result.id", ondelete="CASCADE", index=True, ge=1, le=MAX_ID)
    contribution: Contribution = Field(
        default=Contribution.MEDIUM, sa_type=choice_type(Contribution)
    )
    assumption: str | None = Field(default=None, max_length=2000, sa_type=sa.Text)


class ActivityResultLink(ActivityResultLinkBase, Versioned, table=True):
    """Why an activity is expected to contribute to a result (the veronderstelde werking)."""

    __tablename__ = "activity_result_link"
    __table_args__ = (sa.UniqueConstraint("activity_id", "result_id"),)

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", ondelete="CASCADE", index=True)

    activity: Activity = Relationship(back_populates="links", sa_relationship_kwargs=RAISE)
    result: Result = Relationship(sa_relationship_kwargs=RAISE)


class ActivityResultLinkCreate(ActivityResultLinkBase):
    pass


class ActivityResultLinkUpdate(SQLModel):
    result_id: RefId | None = None
    contribution: Contribution | None = None
    assumption: str | None = None


class ActivityResultLinkPublic(ActivityResultLinkBase):
    id: int
    version: int
    activity_id: int


class WorkingElementBase(SQLModel):
    description: str = Field(min_length=1, max_length=1000, sa_type=sa.Text)
    evidence_source: str | None = Field(default=None, max_length=500)


class WorkingElement(WorkingElementBase, Versioned, table=True):
    __tablename__ = "working_element"

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", ondelete="CASCADE", index=True)


class WorkingElementCreate(WorkingElementBase):
    pass


class WorkingElementUpdate(SQLModel):
    description: str | None = None
    evidence_source: str | None = None


class WorkingElementPublic(WorkingElementBase):
    id: int
    version: int
    activity_id: int


class QualityCategory(Choice):
    TRAINING = "training", "Scholing"
    KNOWLEDGE = "knowledge", "Kennis over wat werkt"
    METHOD = "method", "Methoden en instrumenten"
    ORGANISATION = "organisation", "Organisatorische voorwaarden"


class QualityConditionBase(SQLModel):
    category: QualityCategory = Field(sa_type=choice_type(QualityCategory))
    description: str = Field(min_length=1, max_length=1000, sa_type=sa.Text)


class QualityCondition(QualityConditionBase, Versioned, table=True):
    __tablename__ = "quality_condition"

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", ondelete="CASCADE", index=True)


class QualityConditionCreate(QualityConditionBase):
    pass


class QualityConditionUpdate(SQLModel):
    category: QualityCategory | None = None
    description: str | None = None


class QualityConditionPublic(QualityConditionBase):
    id: int
    version: int
    activity_id: int


class CoPerformerBase(SQLModel):
    partner_id: int = Field(
        foreign_key="partner.id", ondelete="RESTRICT", index=True, ge=1, le=MAX_ID
    )
    role: str | None = Field(default=None, max_length=200)


class CoPerformer(CoPerformerBase, Versioned, table=True):
    """A partner that carries an activity out together with its lead uitvoerder."""

    __tablename__ = "co_performer"
    __table_args__ = (sa.UniqueConstraint("activity_id", "partner_id"),)

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", ondelete="CASCADE", index=True)

    partner: Partner = Relationship(sa_relationship_kwargs=RAISE)


class CoPerformerCreate(CoPerformerBase):
    pass


class CoPerformerUpdate(SQLModel):
    partner_id: RefId | None = None
    role: str | None = None


class CoPerformerPublic(CoPerformerBase):
    id: int
    version: int
    activity_id: int


class SpendingBase(SQLModel):
    """Money per activity and year: what was planned (begroot) and what was spent
    (werkelijk), entered by the partner or imported; the report sets one against the other."""

    year: Year
    planned: Number | None = money(default=None)
    actual: Number | None = money(default=None)
    note: str | None = Field(default=None, max_length=1000, sa_type=sa.Text)


class Spending(SpendingBase, Versioned, table=True):
    __tablename__ = "activity_spending"
    __table_args__ = (sa.UniqueConstraint("activity_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", ondelete="CASCADE", index=True)


class SpendingCreate(SpendingBase):
    pass


class SpendingUpdate(SQLModel):
    year: int | None = None
    planned: Decimal | None = None
    actual: Decimal | None = None
    note: str | None = None


class SpendingPublic(SpendingBase):
    id: int
    version: int
    activity_id: int


# Dutch names for the change log (app/record_kinds.py).
record_kinds.declare(Activity, "activiteit", {"evidence_level": "Erkenning"})
