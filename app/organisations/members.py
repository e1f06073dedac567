"""People and their memberships: accounts, roles, removing, resetting passwords, personal data."""

from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, func, select

from app import tenancy
from app.errors import Conflict, Forbidden, InvalidInput
from app.organisations import second_factor
from app.organisations.models import (
    ApiToken,
    Membership,
    Organisation,
    Partner,
    Role,
    SignInSession,
    User,
)
from app.organisations.signin import check_new_password, create_reset
from app.secret_hashing import hash_password, unusable_password
from app.tables import related, row_id, table_of


def normal_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise InvalidInput(
            {"email": "Vul een geldig e-mailadres in, zoals naam@gemeente.nl."}
        ) from None


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def create_user(session: Session, *, email: str, name: str, password: str | None) -> User:
    """An account; without a password it gets one through a reset link."""
    email = normal_email(email)
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput({"name": "Vul een naam in van hoogstens 200 tekens."})
    if get_user_by_email(session, email) is not None:
        raise InvalidInput({"email": "Er is al een account met dit e-mailadres."})
    if password is not None:
        check_new_password(password)
    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password) if password else unusable_password(),
    )
    session.add(user)
    session.flush()
    return user


def check_partner(session: Session, organisation: Organisation, role: Role, partner_id) -> None:
    if role is Role.PARTNER:
        partner = session.get(Partner, partner_id) if partner_id else None
        if partner is None or partner.organisation_id != organisation.id:
            raise InvalidInput(
                {"partner_id": "Kies de partnerorganisatie die deze persoon vertegenwoordigt."}
            )
    elif partner_id is not None:
        raise InvalidInput(
            {"partner_id": "Alleen de rol partner hoort bij een partnerorganisatie."}
        )


def add_member(
    session: Session,
    organisation: Organisation,
    user: User,
    role: Role,
    partner_id: int | None = None,
) -> Membership:
    check_partner(session, organisation, role, partner_id)
    existing = session.exec(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation.id
        )
    ).first()
    if existing is not None:
        raise InvalidInput({"email": f"{user.name} is al lid van {organisation.name}."})
    membership = Membership(
        user_id=row_id(user),
        organisation_id=row_id(organisation),
        role=role,
        partner_id=partner_id if role is Role.PARTNER else None,
    )
    session.add(membership)
    session.flush()
    return membership


def list_members(session: Session, organisation: Organisation) -> list[Membership]:
    return list(
        session.exec(
            select(Membership)
            .join(User, col(User.id) == Membership.user_id)
            .where(Membership.organisation_id == organisation.id)
            .options(
                selectinload(related(Membership.user)), selectinload(related(Membership.partner))
            )
            .order_by(func.lower(User.name))
        ).all()
    )


def get_membership(session: Session, organisation: Organisation, membership_id: int) -> Membership:
    return tenancy.owned(
        session,
        Membership,
        organisation.id,
        membership_id,
        "Dit lid bestaat niet (meer).",
        selectinload(related(Membership.user)),
        selectinload(related(Membership.partner)),
    )


def _admins(session: Session, organisation_id: int) -> int:
    return session.exec(
        select(func.count()).where(
            Membership.organisation_id == organisation_id, Membership.role == Role.ADMIN
        )
    ).one()


def change_role(
    session: Session, membership: Membership, role: Role, partner_id: int | None
) -> Membership:
    organisation = session.get_one(Organisation, membership.organisation_id)
    check_partner(session, organisation, role, partner_id)
    last_admin = _admins(session, membership.organisation_id) <= 1
    if membership.role is Role.ADMIN and role is not Role.ADMIN and last_admin:
        raise InvalidInput({"role": "Een organisatie houdt minstens één beheerder."})
    membership.role = role
    membership.partner_id = partner_id if role is Role.PARTNER else None
    session.add(membership)
    session.flush()
    return membership


def remove_member(session: Session, membership: Membership) -> None:
    if membership.role is Role.ADMIN and _admins(session, membership.organisation_id) <= 1:
        raise Conflict("Een organisatie houdt minstens één beheerder.")
    session.exec(  # their sessions and tokens in this organisation end with the membership
        table_of(SignInSession)
        .delete()
        .where(
            (col(SignInSession.user_id) == membership.user_id)
            & (col(SignInSession.organisation_id) == membership.organisation_id)
        )
    )
    session.exec(
        table_of(ApiToken)
        .delete()
        .where(
            (col(ApiToken.user_id) == membership.user_id)
            & (col(ApiToken.organisation_id) == membership.organisation_id)
        )
    )
    session.delete(membership)
    session.flush()


def may_set_password_of(session: Session, actor: User, user: User) -> bool:
    """A beheerder manages the password of someone who belongs to their organisation alone, or
    to organisations that all have them as beheerder: an account is never handed to an
    organisation that does not hold all of it. Anyone may change their own."""
    if actor.id == user.id:
        return True
    theirs = set(
        session.exec(select(Membership.organisation_id).where(Membership.user_id == user.id)).all()
    )
    managed = set(
        session.exec(
            select(Membership.organisation_id).where(
                Membership.user_id == actor.id, Membership.role == Role.ADMIN
            )
        ).all()
    )
    return bool(theirs) and theirs <= managed


def create_reset_for(session: Session, actor: User, user: User) -> str:
    if not may_set_password_of(session, actor, user):
        raise Forbidden(
            f"{user.name} is ook lid van een andere organisatie, waar jij geen beheerder bent. "
            "Alleen een beheerder van al die organisaties kan een link maken; de persoon zelf kan "
            "het wachtwoord wijzigen op de pagina Mijn account."
        )
    return create_reset(session, user, created_by=actor)


def reset_second_factor_for(session: Session, actor: User, user: User) -> None:
    """As for password links: only a beheerder of every organisation the person belongs to."""
    if not may_set_password_of(session, actor, user):
        raise Forbidden(
            f"{user.name} is ook lid van een andere organisatie, waar jij geen beheerder bent. "
            "Alleen een beheerder van al die organisaties kan de tweestapsverificatie opnieuw "
            "laten instellen; de beheerder van Kompas kan het ook."
        )
    second_factor.reset(session, user)


def personal_data(session: Session, organisation: Organisation, user: User) -> dict[str, Any]:
    """What Kompas keeps about a person in this organisation, for an export on request (AVG
    art. 15). Another organisation's data about them is theirs to hand out."""
    membership = session.exec(
        select(Membership)
        .where(Membership.user_id == user.id, Membership.organisation_id == organisation.id)
        .options(selectinload(related(Membership.partner)))
    ).one()
    tokens = session.exec(
        select(ApiToken).where(
            ApiToken.user_id == user.id, ApiToken.organisation_id == organisation.id
        )
    ).all()
    sessions = session.exec(
        select(SignInSession).where(
            SignInSession.user_id == user.id, SignInSession.organisation_id == organisation.id
        )
    ).all()
    return {
        "organisatie": organisation.name,
        "naam": user.name,
        "e-mail": user.email,
        "lidmaatschap": {
            "rol": membership.role.label,
            "partner": membership.partner.name if membership.partner else None,
        },
        "api-tokens": [
            {
                "naam": t.name,
                "begin": t.prefix,
                "aangemaakt": t.created_at.isoformat(),
                "laatst gebruikt": t.last_used_at.isoformat() if t.last_used_at else None,
                "ingetrokken": t.revoked_at.isoformat() if t.revoked_at else None,
            }
            for t in tokens
        ],
        "ingelogde sessies": [
            {"sinds": s.created_at.isoformat(), "laatst actief": s.last_seen_at.isoformat()}
            for s in sessions
        ],
    }


def erase_user(session: Session, organisation: Organisation, user: User) -> None:
    """Remove a person (AVG art. 17). Only for someone who belongs to this organisation alone;
    the audit log keeps a pseudonym in their place (see app.audit)."""
    others = session.exec(
        select(func.count()).where(
            Membership.user_id == user.id, Membership.organisation_id != organisation.id
        )
    ).one()
    if others:
        raise Conflict(
            f"{user.name} is ook lid van een andere organisatie. Haal het lidmaatschap hier weg; "
            "alleen de laatste organisatie kan de persoon helemaal wissen."
        )
    membership = session.exec(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation.id
        )
    ).first()
    is_admin = membership is not None and membership.role is Role.ADMIN
    if is_admin and _admins(session, row_id(organisation)) <= 1:
        raise Conflict("Een organisatie houdt minstens één beheerder.")
    session.delete(user)
    session.flush()
