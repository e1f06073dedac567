"""The mails of a partner request: the request with its link to the partner's accounts, and a
reminder before the due date (a scheduled job, `app/jobs.py`)."""

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app import mail
from app.formatting import format_date, format_datetime
from app.organisations.mails import to_partner_members
from app.organisations.models import Organisation, Partner
from app.partner_requests.models import PartnerRequest

REMIND_BEFORE = timedelta(days=3)


def request_made(
    session: Session,
    organisation: Organisation,
    request: PartnerRequest,
    token: str,
    reply_to: str | None,
) -> int:
    """The request, with its link, to each account of the partner; returns how many."""
    return to_partner_members(
        session,
        organisation,
        [request.partner_id],
        "partner_request",
        lambda _partner: {
            "asked_by": request.created_by,
            "due_on": format_date(request.due_on),
            "message": request.message or "",
            "valid_until": format_datetime(request.expires_at),
        },
        reply_to=reply_to,
        link_path=f"/partnerlink/{token}",
    )


def send_reminders(session: Session, now: datetime) -> None:
    """A reminder to each account of a partner whose request is due within three days and
    still open, once; not for a request made that close to its due date. It carries no link
    (the link is kept nowhere): it points to the first mail and to signing in."""
    today = now.date()
    due = session.exec(
        select(PartnerRequest, Organisation)
        .join(Organisation, col(Organisation.id) == PartnerRequest.organisation_id)
        .where(
            col(PartnerRequest.revoked_at).is_(None),
            col(PartnerRequest.answered_at).is_(None),
            PartnerRequest.expires_at > now,
            PartnerRequest.due_on >= today,
            PartnerRequest.due_on <= today + REMIND_BEFORE,
        )
    ).all()
    for request, organisation in due:
        if request.created_at.date() >= request.due_on - REMIND_BEFORE:
            continue
        to_partner_members(
            session,
            organisation,
            [request.partner_id],
            "partner_request_reminder",
            _reminder(request),
            dedupe_key=f"partner-request-reminder:{request.id}",
        )


def _reminder(request: PartnerRequest) -> Callable[[Partner], dict[str, str]]:
    said = {
        "asked_on": format_date(request.created_at.date()),
        "due_on": format_date(request.due_on),
        "sign_in": mail.url("/inloggen"),
    }
    return lambda _partner: said
