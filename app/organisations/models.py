"""Municipalities (the tenants of Kompas) and the partner organisations they work with."""

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

import app.tables  # noqa: F401  (table conventions first)
from app.choices import Choice, choice_type


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    slug: str = Field(max_length=80, unique=True)


class OrganisationPublic(SQLModel):
    id: int
    name: str
    slug: str


class PartnerType(Choice):
    MUNICIPALITY = "municipality", "Gemeente"
    PROVIDER = "provider", "Aanbieder"
    RESIDENTS = "residents", "Inwoners / doelgroep"
    EDUCATION = "education", "Onderwijs"
    HEALTHCARE = "healthcare", "Zorg"
    SCIENCE = "science", "Kennisinstituut"
    OTHER = "other", "Overig"


class PartnerBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    partner_type: PartnerType = Field(sa_type=choice_type(PartnerType))
    description: str | None = Field(default=None, max_length=2000, sa_type=sa.Text)


class Partner(PartnerBase, table=True):
    __table_args__ = (sa.UniqueConstraint("organisation_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)


class PartnerCreate(PartnerBase):
    pass


class PartnerUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    partner_type: PartnerType | None = None
    description: str | None = Field(default=None, max_length=2000)


class PartnerPublic(PartnerBase):
    id: int
