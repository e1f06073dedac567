"""The audit log: who changed what, when, with the values before and after."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.choices import Choice, choice_type
from app.tables import utc_now


class AuditAction(Choice):
    CREATE = "create", "toegevoegd"
    UPDATE = "update", "gewijzigd"
    DELETE = "delete", "verwijderd"


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"
    __table_args__ = (sa.Index("ix_audit_entry_theme_at", "theme_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    # Where in the organisation the change happened. Plain numbers, not foreign keys: the log
    # outlives the themes and cycles it describes.
    theme_id: int | None = None
    cycle_id: int | None = None
    # Who: the account while it exists; the pseudonym once the person has been erased.
    actor_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL", index=True
    )
    actor_pseudonym: str = Field(max_length=40)
    action: AuditAction = Field(sa_type=choice_type(AuditAction))
    entity: str = Field(max_length=40)  # the table name
    entity_id: int
    label: str = Field(max_length=300)
    before: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
