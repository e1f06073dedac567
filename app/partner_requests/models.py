"""Requests to a partner for their figures: a signed link, without an account, that opens only
that partner's activities and indicators until it expires or is revoked."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app import record_kinds
from app.bounds import PlanDate
from app.ids import MAX_ID
from app.tables import utc_now


class PartnerRequestBase(SQLModel):
    partner_id: int = Field(
        foreign_key="partner.id", ondelete="CASCADE", index=True, ge=1, le=MAX_ID
    )
    due_on: PlanDate
    message: str | None = Field(default=None, max_length=2000, sa_type=sa.Text)


class PartnerRequest(PartnerRequestBase, table=True):
    """One request; the link's token is stored only as its keyed hash (as sign-in tokens are)."""

    __tablename__ = "partner_request"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utc_now)
    created_by: str = Field(max_length=200)
    expires_at: datetime
    revoked_at: datetime | None = None
    revoked_by: str | None = Field(default=None, max_length=200)
    last_used_at: datetime | None = None
    # The partner said they are done; the link stays usable until it expires.
    answered_at: datetime | None = None

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class PartnerRequestCreate(PartnerRequestBase):
    pass


class PartnerLinkAttempt(SQLModel, table=True):
    """A wrong or expired link opened from a network address, kept a while to slow guessing."""

    __tablename__ = "partner_link_attempt"

    id: int | None = Field(default=None, primary_key=True)
    address: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utc_now, index=True)


# Dutch names for the change log (app/record_kinds.py).
record_kinds.declare(
    PartnerRequest,
    "uitvraag aan een partner",
    {
        "due_on": "Graag voor",
        "message": "Bericht",
        "created_by": "Gemaakt door",
        "revoked_at": "Ingetrokken op",
        "revoked_by": "Ingetrokken door",
        "last_used_at": "Laatst geopend op",
        "answered_at": "Beantwoord op",
    },
)
