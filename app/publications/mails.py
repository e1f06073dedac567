"""A notice to the partners a published report speaks of: their accounts can read it."""

from sqlmodel import Session, col, select

from app import mail
from app.organisations.mails import to_partner_members
from app.organisations.models import Organisation, Partner
from app.publications.models import Publication
from app.reports.content import Report


def published(
    session: Session, organisation: Organisation, publication: Publication, report: Report
) -> int:
    """To each account of a partner with an activity in the report; returns how many."""
    names = {line.partner for theme in report.themes for line in theme.costs.lines}
    partner_ids = session.exec(
        select(Partner.id).where(
            Partner.organisation_id == organisation.id, col(Partner.name).in_(names)
        )
    ).all()
    return to_partner_members(
        session,
        organisation,
        partner_ids,  # type: ignore[arg-type]
        "publication",
        lambda _partner: {
            "title": publication.title,
            "version": str(publication.version),
            "published_by": publication.published_by,
            "read": mail.url("/publicaties"),
        },
    )
