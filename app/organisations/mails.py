"""The mails about people and their accounts, and who speaks for a partner.

Each is recorded in the caller's transaction (`app/mail.py`) and sent after its commit; the
pages still show the link once, for when mail is off or the message does not arrive.
"""

from collections.abc import Callable, Iterable

from sqlmodel import Session, col, select

from app import mail
from app.formatting import format_datetime
from app.organisations.models import Invitation, Membership, Organisation, Partner, Role, User
from app.organisations.signin import RESET_VALID
from app.tables import row_id, utc_now


def invitation(
    session: Session,
    invitation: Invitation,
    token: str,
    organisation: Organisation,
    partner: Partner | None,
    invited_by: User,
) -> bool:
    """Worded for someone with and without an account alike: whoever gets it cannot tell, and
    the beheerder sees the same answer either way."""
    return mail.send_later(
        session,
        "invitation",
        to=invitation.email,
        sender_name=organisation.name,
        reply_to=invited_by.email,
        link_path=f"/uitnodiging/{token}",
        context={
            "name": invitation.name,
            "organisation": organisation.name,
            "invited_by": invited_by.name,
            "role": invitation.role.label.lower(),
            "partner": partner.name if partner else "",
            "valid_until": format_datetime(invitation.expires_at),
        },
    )


def password_link(
    session: Session,
    user: User,
    token: str,
    organisation: Organisation | None,
    made_by: User | None,
) -> bool:
    """The link to set a new password, made by a beheerder or (without one) the operator."""
    return mail.send_later(
        session,
        "password_link",
        to=user.email,
        sender_name=organisation.name if organisation else "Kompas",
        reply_to=made_by.email if made_by else None,
        link_path=f"/wachtwoord-instellen/{token}",
        context={
            "name": user.name,
            "organisation": organisation.name if organisation else "",
            "made_by": made_by.name if made_by else "De beheerder van Kompas",
            "valid_until": format_datetime(utc_now() + RESET_VALID),
        },
    )


def partner_members(
    session: Session, organisation_id: int, partner_ids: Iterable[int]
) -> list[tuple[User, Partner]]:
    """The accounts that speak for these partners in this organisation, with their partner."""
    rows = session.exec(
        select(User, Partner)
        .join(Membership, col(Membership.user_id) == User.id)
        .join(Partner, col(Partner.id) == Membership.partner_id)
        .where(
            Membership.organisation_id == organisation_id,
            Membership.role == Role.PARTNER,
            col(Membership.partner_id).in_(list(partner_ids)),
        )
        .order_by(col(Partner.name), col(User.name))
    ).all()
    return list(rows)


def to_partner_members(
    session: Session,
    organisation: Organisation,
    partner_ids: Iterable[int],
    template: str,
    context: Callable[[Partner], dict[str, str]],
    *,
    reply_to: str | None = None,
    link_path: str | None = None,
    dedupe_key: str | None = None,
) -> int:
    """One mail to each account that speaks for one of these partners; returns how many.
    `context` gives what the mail says about a partner; `dedupe_key` is completed with the
    account's id."""
    sent = 0
    for user, partner in partner_members(session, row_id(organisation), partner_ids):
        sent += mail.send_later(
            session,
            template,
            to=user.email,
            sender_name=organisation.name,
            reply_to=reply_to,
            link_path=link_path,
            dedupe_key=f"{dedupe_key}:{user.id}" if dedupe_key else None,
            context={
                "name": user.name,
                "organisation": organisation.name,
                "partner": partner.name,
                **context(partner),
            },
        )
    return sent
