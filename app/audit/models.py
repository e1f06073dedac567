"""The audit log (BIO2 8.15): who did what to which object, when, from where, and with what
result, with the values before and after; chained by hash so that a changed or removed entry
is found (app/audit/chain.py)."""

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
    # Events, not rows: signing in and what guards it, refused writes, settings.
    SIGN_IN = "sign_in", "inloggen met wachtwoord"
    SECOND_STEP = "second_step", "inloggen met code"
    SIGN_IN_SSO = "sign_in_sso", "inloggen via eigen organisatie"
    SIGN_OUT = "sign_out", "uitloggen"
    SECOND_FACTOR_SET_UP = "second_factor_set_up", "tweestapsverificatie ingesteld"
    SECOND_FACTOR_RESET = "second_factor_reset", "tweestapsverificatie verwijderd"
    SETTING = "setting", "instelling gewijzigd"
    WRITE = "write", "wijziging"


class AuditResult(Choice):
    SUCCESS = "success", "gelukt"
    FAILED = "failed", "mislukt"  # wrong password or code
    REFUSED = "refused", "geweigerd"  # not allowed, or too many attempts


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"
    __table_args__ = (
        sa.Index("ix_audit_entry_theme_at", "theme_id", "at"),
        sa.Index("ix_audit_entry_chain", "organisation_id", "chain_seq"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now)
    # None: an event of the installation, not of one organisation (a failed sign-in).
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", ondelete="CASCADE", index=True
    )
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
    result: AuditResult = Field(default=AuditResult.SUCCESS, sa_type=choice_type(AuditResult))
    origin: str | None = Field(default=None, max_length=64)  # the network address
    entity: str = Field(max_length=40)  # the table name, or what an event concerns
    entity_id: int | None = None
    label: str = Field(max_length=300)
    before: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    # Its place in its organisation's chain, and the hashes that tie it to the one before.
    # Entries written before the chain began have none.
    chain_seq: int | None = Field(default=None, sa_type=sa.BigInteger)
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)


class AuditChain(SQLModel, table=True):
    """The head of each chain (an organisation's, or 0: the installation's): the last entry's
    place and hash. Writers lock it, so entries join the chain one at a time, and a removed
    last entry is found too."""

    __tablename__ = "audit_chain"

    chain: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_seq: int = Field(default=0, sa_type=sa.BigInteger)
    last_hash: str = Field(default="", max_length=64)
