"""Organisations and their partner organisations."""

from collections.abc import Sequence

from sqlmodel import Session, col, func, select

from app import tenancy
from app.db import delete_or_conflict, flush_or_invalid
from app.errors import Duplicate
from app.organisations.models import Organisation, Partner, PartnerCreate
from app.text import same_name


def get_by_slug(session: Session, slug: str) -> Organisation | None:
    return session.exec(select(Organisation).where(Organisation.slug == slug)).first()


def list_organisations(session: Session) -> Sequence[Organisation]:
    return session.exec(select(Organisation).order_by(col(Organisation.id))).all()


def create_organisation(session: Session, *, name: str, slug: str) -> Organisation:
    organisation = Organisation(name=name, slug=slug)
    session.add(organisation)
    session.flush()
    return organisation


def require_second_factor(session: Session, organisation: Organisation, required: bool) -> None:
    """Whether every member (not only the beheerders) signs in with a second factor."""
    organisation.second_factor_required = required
    session.add(organisation)
    session.flush()


def list_partners(session: Session, organisation: Organisation) -> Sequence[Partner]:
    return session.exec(
        select(Partner)
        .where(Partner.organisation_id == organisation.id)
        .order_by(func.lower(Partner.name))
    ).all()


def get_partner(session: Session, organisation: Organisation, partner_id: int) -> Partner:
    return tenancy.owned(
        session, Partner, organisation.id, partner_id, "Deze partner bestaat niet (meer)."
    )


def _check_unique_name(
    session: Session, organisation: Organisation, name: str, partner: Partner | None = None
) -> None:
    names = session.exec(
        select(Partner.id, Partner.name).where(Partner.organisation_id == organisation.id)
    ).all()
    if any(same_name(other, name) for id_, other in names if partner is None or id_ != partner.id):
        raise Duplicate({"name": _DUPLICATE_NAME})


_DUPLICATE_NAME = "Er is al een partner met deze naam."


def create_partner(session: Session, organisation: Organisation, data: PartnerCreate) -> Partner:
    _check_unique_name(session, organisation, data.name)
    partner = Partner.model_validate(data, update={"organisation_id": organisation.id})
    session.add(partner)
    flush_or_invalid(session, {"name": _DUPLICATE_NAME})
    return partner


def update_partner(session: Session, partner: Partner, data: PartnerCreate) -> Partner:
    organisation = session.get_one(Organisation, partner.organisation_id)
    _check_unique_name(session, organisation, data.name, partner)
    partner.sqlmodel_update(data.model_dump())
    flush_or_invalid(session, {"name": _DUPLICATE_NAME})
    return partner


def delete_partner(session: Session, partner: Partner) -> None:
    delete_or_conflict(
        session,
        partner,
        f"{partner.name} voert nog activiteiten uit. Kies bij die activiteiten eerst een "
        "andere uitvoerder.",
    )


def partners_by_id(session: Session, organisation: Organisation) -> dict[int, Partner]:
    """Every partner of the organisation, by id (one query)."""
    return {
        p.id: p
        for p in session.exec(
            select(Partner).where(Partner.organisation_id == organisation.id)
        ).all()
        if p.id is not None
    }
