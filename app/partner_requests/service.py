"""Asking a partner for their figures: the request with its due date, the signed link that
opens only that partner's activities and indicators, and what the partner sends through it.

The link carries a random token (`secrets.token_urlsafe`); only its keyed hash is stored, as
for sign-in sessions and reset links. A link stops working when it expires (30 days after the
due date) or when it is revoked. Unknown tokens are counted per network address, so guessing
is slowed down like password guessing (`open_link`).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app import secret_hashing, tenancy, throttle
from app.activities import spending as spending_service
from app.activities.models import Activity, Spending, SpendingCreate
from app.cycles.models import Cycle, CycleStatus, Theme
from app.errors import AppError, InvalidInput, NotFound
from app.formatting import TIMEZONE
from app.organisations.models import Organisation, Partner
from app.partner_requests import mails
from app.partner_requests.models import PartnerLinkAttempt, PartnerRequest, PartnerRequestCreate
from app.results import service as results_service
from app.results.models import Indicator, Measurement, MeasurementCreate
from app.tables import related, row_id, utc_now

VALID_AFTER_DUE = timedelta(days=30)
LONGEST_DUE = timedelta(days=366)
FAILURES_PER_ADDRESS = 20
THROTTLE_WINDOW = timedelta(minutes=15)


class LinkGone(AppError):
    status_code = 410
    title = "Deze link werkt niet meer"


class TooManyLinkAttempts(AppError):
    status_code = 429
    title = "Even geduld"


def _hash(token: str) -> str:
    return secret_hashing.digest("partner-request:" + token)


# The policy officer's side


def list_requests(
    session: Session, organisation: Organisation
) -> Sequence[tuple[PartnerRequest, Partner]]:
    """Every request of the organisation, newest first, with its partner."""
    return session.exec(
        select(PartnerRequest, Partner)
        .join(Partner, col(Partner.id) == PartnerRequest.partner_id)
        .where(PartnerRequest.organisation_id == organisation.id)
        .order_by(col(PartnerRequest.created_at).desc(), col(PartnerRequest.id).desc())
    ).all()


def get_request(session: Session, organisation: Organisation, request_id: int) -> PartnerRequest:
    return tenancy.owned(
        session, PartnerRequest, organisation.id, request_id, "Dit verzoek bestaat niet (meer)."
    )


def expiry_for(due_on: date) -> datetime:
    """The end of the day, in Dutch time, 30 days after the due date."""
    end = datetime.combine(due_on + VALID_AFTER_DUE, time(23, 59, 59), tzinfo=ZoneInfo(TIMEZONE))
    return end.astimezone(utc_now().tzinfo)


def create_request(
    session: Session,
    organisation: Organisation,
    data: PartnerRequestCreate,
    created_by: str,
    *,
    reply_to: str | None = None,
    token: str | None = None,
) -> tuple[str, PartnerRequest]:
    """A new request and the token of its link, which is shown once and never stored, and
    mailed to the partner's accounts (replies go to `reply_to`). Only the demo passes a
    `token` of its own, so its link can be printed every time."""
    partner = session.get(Partner, data.partner_id)
    if partner is None or partner.organisation_id != organisation.id:
        raise InvalidInput({"partner_id": "Kies een partner uit de lijst."})
    today = utc_now().date()
    if data.due_on < today:
        raise InvalidInput({"due_on": "Kies een datum vanaf vandaag."})
    if data.due_on > today + LONGEST_DUE:
        raise InvalidInput({"due_on": "Kies een datum binnen een jaar."})
    token = token or secret_hashing.new_secret()
    request = PartnerRequest.model_validate(
        data,
        update={
            "organisation_id": organisation.id,
            "token_hash": _hash(token),
            "created_by": created_by,
            "expires_at": expiry_for(data.due_on),
        },
    )
    session.add(request)
    session.flush()
    mails.request_made(session, organisation, request, token, reply_to)
    return token, request


def revoke_request(session: Session, request: PartnerRequest, revoked_by: str) -> None:
    if request.revoked_at is None:
        request.revoked_at = utc_now()
        request.revoked_by = revoked_by
        session.flush()


# The partner's side: everything below is reached only through a link


@dataclass(frozen=True)
class LinkScope:
    """What one link opens: one partner of one organisation."""

    request: PartnerRequest
    partner: Partner
    organisation: Organisation

    @property
    def actor(self) -> str:
        """How the audit log names whoever used the link (at most 40 characters)."""
        suffix = " (via partnerlink)"
        return self.partner.name[: 40 - len(suffix)].strip() + suffix


UNKNOWN_LINK = (
    "Deze link bestaat niet. Controleer of je hem helemaal hebt overgenomen, of vraag de "
    "gemeente om een nieuwe."
)


def _too_many() -> TooManyLinkAttempts:
    minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
    return TooManyLinkAttempts(
        f"Te veel links geprobeerd die niet bestaan. Probeer het over {minutes} minuten opnieuw."
    )


def open_link(session: Session, token: str, address: str) -> LinkScope:
    """The scope of a partner link opened from `address` (counted as `opened_by` counts)."""
    return opened_by(session, address, lambda: find_link(session, token))


Found = TypeVar("Found")


def opened_by(session: Session, address: str, find: Callable[[], Found | None]) -> Found:
    """What a link without an account opens (a partner link, a published report), looked up
    by `find` for someone at `address`. Each opening is counted before the lookup
    (app/throttle.py), so of any number at once at most FAILURES_PER_ADDRESS are looked up,
    and past that even a good link waits. An unknown link keeps its count (NotFound); a good,
    revoked or expired one (LinkGone) takes it back."""
    address = address[:64]
    attempt = throttle.reserve(
        session,
        PartnerLinkAttempt,
        {"address": address},
        [throttle.Limit(FAILURES_PER_ADDRESS, [PartnerLinkAttempt.address == address])],
        THROTTLE_WINDOW,
        _too_many,
    )
    try:
        found = find()
    except LinkGone:
        throttle.release(session, attempt)
        raise
    if found is None:
        raise NotFound(UNKNOWN_LINK)
    throttle.release(session, attempt)
    return found


def find_link(session: Session, token: str) -> LinkScope | None:
    """The scope of a link; None for an unknown token, LinkGone when it was revoked or expired."""
    if not 20 <= len(token) <= 100:
        return None
    found = session.exec(
        select(PartnerRequest, Partner, Organisation)
        .join(Partner, col(Partner.id) == PartnerRequest.partner_id)
        .join(Organisation, col(Organisation.id) == PartnerRequest.organisation_id)
        .where(PartnerRequest.token_hash == _hash(token))
    ).first()
    if found is None:
        return None
    request, partner, organisation = found
    if request.revoked_at is not None:
        raise LinkGone("Deze link is ingetrokken. Vraag de gemeente om een nieuwe link.")
    if request.expires_at <= utc_now():
        raise LinkGone("Deze link is verlopen. Vraag de gemeente om een nieuwe link.")
    return LinkScope(request=request, partner=partner, organisation=organisation)


def _in_scope(scope: LinkScope) -> SelectOfScalar[Activity]:
    """Activities the partner leads, in the organisation's cycles that are not closed."""
    return (
        select(Activity)
        .join(Cycle, col(Cycle.id) == Activity.cycle_id)
        .join(Theme, col(Theme.id) == Cycle.theme_id)
        .where(
            Theme.organisation_id == scope.organisation.id,
            Activity.partner_id == scope.partner.id,
            Cycle.status != CycleStatus.CLOSED,
        )
    )


def partner_activities(session: Session, scope: LinkScope) -> Sequence[Activity]:
    """The partner's activities with their indicators, measurements and spending."""
    return session.exec(
        _in_scope(scope)
        .options(
            selectinload(related(Activity.indicators)).selectinload(
                related(Indicator.measurements)
            ),
            selectinload(related(Activity.spending)),
        )
        .order_by(col(Theme.name), col(Activity.name), col(Activity.id))
    ).all()


def cycles_of(session: Session, activities: Sequence[Activity]) -> dict[int, Cycle]:
    ids = {a.cycle_id for a in activities}
    if not ids:
        return {}
    return {
        row_id(cycle): cycle
        for cycle in session.exec(
            select(Cycle).where(col(Cycle.id).in_(ids)).options(selectinload(related(Cycle.theme)))
        ).all()
    }


def link_activity(session: Session, scope: LinkScope, activity_id: int) -> Activity:
    activity = session.exec(_in_scope(scope).where(Activity.id == activity_id)).first()
    if activity is None:
        raise NotFound("Deze activiteit hoort niet bij deze link.")
    return activity


def link_indicator(session: Session, scope: LinkScope, indicator_id: int) -> Indicator:
    indicator = session.exec(
        select(Indicator).where(
            Indicator.id == indicator_id,
            col(Indicator.activity_id).in_(_in_scope(scope).with_only_columns(col(Activity.id))),
        )
    ).first()
    if indicator is None:
        raise NotFound("Deze indicator hoort niet bij deze link.")
    return indicator


def _used(session: Session, scope: LinkScope) -> None:
    scope.request.last_used_at = utc_now()
    session.flush()


def record_measurement(
    session: Session, scope: LinkScope, indicator: Indicator, data: MeasurementCreate
) -> Measurement:
    measurement = results_service.create_measurement(session, indicator, data)
    _used(session, scope)
    return measurement


def record_spending(
    session: Session, scope: LinkScope, activity: Activity, data: SpendingCreate
) -> Spending:
    """The amounts of one year: a year already filled in is changed."""
    existing = session.exec(
        select(Spending).where(Spending.activity_id == activity.id, Spending.year == data.year)
    ).first()
    if existing is None:
        row = spending_service.create_spending(session, activity, data)
    else:
        row = spending_service.update_spending(session, existing, data)
    _used(session, scope)
    return row


def mark_answered(session: Session, scope: LinkScope) -> None:
    scope.request.answered_at = utc_now()
    _used(session, scope)
