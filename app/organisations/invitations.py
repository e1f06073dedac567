"""Invitations: how someone becomes a member of an organisation, with their own consent.

A beheerder invites an e-mail address with a role. Kompas mails the one-time link (when this
installation sends mail) and shows it to the beheerder once, to pass on. Whoever opens it
either creates their account there (new to Kompas), or signs in to their existing account and
accepts. The beheerder sees the same answer in both cases, so inviting does not tell anyone
which addresses have an account, and no account joins an organisation without the person
behind it saying yes.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, delete, select

from app.errors import InvalidInput, NotFound
from app.organisations import mails
from app.organisations.members import add_member, check_partner, create_user, normal_email
from app.organisations.models import Invitation, Membership, Organisation, Partner, Role, User
from app.secret_hashing import digest, new_secret
from app.tables import related, row_id, utc_now

VALID_FOR = timedelta(days=7)
UNUSABLE = (
    "Deze uitnodiging werkt niet (meer): hij is al gebruikt, ingetrokken of verlopen. Vraag de "
    "beheerder om een nieuwe uitnodiging."
)


def invite(
    session: Session,
    organisation: Organisation,
    *,
    email: str,
    name: str,
    role: Role,
    partner_id: int | None,
    invited_by: User,
) -> tuple[Invitation, str]:
    """A new invitation and its link token (shown once); an earlier open invitation for the
    same address in this organisation stops working."""
    email = normal_email(email)
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise InvalidInput({"name": "Vul een naam in van hoogstens 200 tekens."})
    check_partner(session, organisation, role, partner_id)
    already = session.exec(
        select(Membership.id)
        .join(User, col(User.id) == Membership.user_id)
        .where(Membership.organisation_id == organisation.id, User.email == email)
    ).first()
    if already is not None:
        raise InvalidInput(
            {"email": f"Iemand met dit e-mailadres is al lid van {organisation.name}."}
        )
    session.exec(
        delete(Invitation).where(
            col(Invitation.organisation_id) == organisation.id,
            col(Invitation.email) == email,
            col(Invitation.accepted_at).is_(None),
        )
    )
    token = new_secret()
    invitation = Invitation(
        organisation_id=row_id(organisation),
        email=email,
        name=name,
        role=role,
        partner_id=partner_id if role is Role.PARTNER else None,
        token_hash=digest(token),
        invited_by_id=invited_by.id,
        expires_at=utc_now() + VALID_FOR,
    )
    session.add(invitation)
    session.flush()
    partner = session.get(Partner, partner_id) if invitation.partner_id else None
    mails.invitation(session, invitation, token, organisation, partner, invited_by)
    return invitation, token


def open_invitations(session: Session, organisation: Organisation) -> list[Invitation]:
    return list(
        session.exec(
            select(Invitation)
            .where(
                Invitation.organisation_id == organisation.id,
                col(Invitation.accepted_at).is_(None),
                Invitation.expires_at > utc_now(),
            )
            .options(selectinload(related(Invitation.partner)))
            .order_by(col(Invitation.created_at).desc())
        ).all()
    )


def revoke(session: Session, organisation: Organisation, invitation_id: int) -> None:
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.organisation_id != organisation.id:
        raise NotFound("Deze uitnodiging bestaat niet (meer).")
    session.delete(invitation)
    session.flush()


@dataclass
class Found:
    invitation: Invitation
    organisation: Organisation


def find(session: Session, token: str) -> Found:
    """The open invitation behind a link, or NotFound."""
    invitation = session.exec(
        select(Invitation)
        .where(Invitation.token_hash == digest(token))
        .options(
            selectinload(related(Invitation.organisation)),
            selectinload(related(Invitation.partner)),
        )
    ).first()
    if invitation is None or invitation.accepted_at or invitation.expires_at < utc_now():
        raise NotFound(UNUSABLE)
    return Found(invitation, invitation.organisation)


def join(session: Session, invitation: Invitation, user: User) -> Membership:
    organisation = session.get_one(Organisation, invitation.organisation_id)
    membership = add_member(session, organisation, user, invitation.role, invitation.partner_id)
    invitation.accepted_at = utc_now()
    session.add(invitation)
    session.flush()
    return membership


def accept(session: Session, token: str, user: User) -> Membership:
    """A signed-in person says yes; only the account with the invited address can."""
    invitation = find(session, token).invitation
    if user.email != invitation.email:
        raise InvalidInput(
            {
                "__all__": "Deze uitnodiging is voor een ander e-mailadres. Log uit en log in met "
                "het account waarvoor de uitnodiging bedoeld is."
            }
        )
    return join(session, invitation, user)


def accept_as_new_account(session: Session, token: str, name: str, password: str) -> User:
    """Someone new to Kompas creates their account with the link and joins at once."""
    invitation = find(session, token).invitation
    existing = session.exec(select(User.id).where(User.email == invitation.email)).first()
    if existing is not None:
        raise InvalidInput(
            {
                "__all__": "Er is al een Kompas-account met dit e-mailadres. Log in en neem de "
                "uitnodiging daarna aan."
            }
        )
    user = create_user(session, email=invitation.email, name=name, password=password)
    join(session, invitation, user)
    return user
