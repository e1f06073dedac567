"""Published reports: a version a procesbegeleider marked definitief, kept with its files as
they were made then, and shared through a revocable link without an account."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app import record_kinds
from app.tables import utc_now

WHOLE_ORGANISATION = "organisatie"


class Publication(SQLModel, table=True):
    """One definitive version of a report. Its link's token is kept only as a keyed hash (as
    for partner links); `scope` is "organisatie" or "cyclus-<id>", and versions count per scope."""

    __tablename__ = "publication"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "scope", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    # Kept when the cycle goes: what was published stays published.
    cycle_id: int | None = Field(
        default=None, foreign_key="cycle.id", ondelete="SET NULL", index=True
    )
    scope: str = Field(max_length=40)
    version: int
    title: str = Field(max_length=300)
    scope_label: str = Field(max_length=300)
    published_at: datetime = Field(default_factory=utc_now)
    published_by: str = Field(max_length=200)
    token_hash: str = Field(max_length=64, unique=True)
    revoked_at: datetime | None = None
    revoked_by: str | None = Field(default=None, max_length=200)


class PublicationFile(SQLModel, table=True):
    """A published file, byte for byte as it was made; read only when someone downloads it."""

    __tablename__ = "publication_file"

    publication_id: int = Field(foreign_key="publication.id", ondelete="CASCADE", primary_key=True)
    format: str = Field(max_length=8, primary_key=True)
    filename: str = Field(max_length=300)
    media_type: str = Field(max_length=100)
    size: int
    content: bytes = Field(sa_type=sa.LargeBinary)


# Dutch names for the change log (app/record_kinds.py).
record_kinds.declare(
    Publication,
    "definitieve versie van het verslag",
    {
        "title": "Titel",
        "scope": "Soort",
        "scope_label": "Reikwijdte",
        "version": "Versie",
        "published_at": "Definitief gemaakt op",
        "published_by": "Definitief gemaakt door",
        "revoked_at": "Link ingetrokken op",
        "revoked_by": "Link ingetrokken door",
    },
)
