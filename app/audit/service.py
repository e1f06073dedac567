"""Reading the audit log: per theme, for the organisation as a whole, and as CSV."""

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from app import record_kinds
from app.audit.models import AuditAction, AuditEntry
from app.downloads import csv_lines
from app.formatting import format_datetime
from app.organisations.models import Organisation, User

PAGE_SIZE = 100


@dataclass
class LoggedChange:
    entry: AuditEntry
    actor: str

    @property
    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        before, after = self.entry.before or {}, self.entry.after or {}
        keys = after.keys() if self.entry.action is AuditAction.UPDATE else []
        return [(key, before.get(key), after.get(key)) for key in keys]


def _changes(
    session: Session,
    organisation: Organisation,
    *,
    theme_id: int | None,
    older_than: int | None,
    limit: int | None,
) -> list[LoggedChange]:
    stmt = (
        select(AuditEntry, User.name)
        .outerjoin(User, col(User.id) == AuditEntry.actor_id)
        .where(AuditEntry.organisation_id == organisation.id)
        .order_by(col(AuditEntry.id).desc())
    )
    stmt = stmt.where(
        AuditEntry.theme_id == theme_id
        if theme_id is not None
        else col(AuditEntry.theme_id).is_(None)
    )
    if older_than is not None:
        stmt = stmt.where(col(AuditEntry.id) < older_than)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        LoggedChange(entry, name or entry.actor_pseudonym) for entry, name in session.exec(stmt)
    ]


def for_theme(
    session: Session,
    organisation: Organisation,
    theme_id: int,
    older_than: int | None = None,
    limit: int | None = PAGE_SIZE,
) -> list[LoggedChange]:
    return _changes(session, organisation, theme_id=theme_id, older_than=older_than, limit=limit)


def for_organisation(
    session: Session,
    organisation: Organisation,
    older_than: int | None = None,
    limit: int | None = PAGE_SIZE,
) -> list[LoggedChange]:
    """Changes outside the themes: partners, members."""
    return _changes(session, organisation, theme_id=None, older_than=older_than, limit=limit)


def last_change(
    session: Session, organisation: Organisation, cycle_ids: Sequence[int | None]
) -> datetime | None:
    """When the organisation last changed something in these cycles or outside the themes
    (partners: their names are in every cycle's report); None if nothing was logged."""
    return session.exec(
        select(func.max(AuditEntry.at)).where(
            AuditEntry.organisation_id == organisation.id,
            or_(col(AuditEntry.cycle_id).in_(cycle_ids), col(AuditEntry.theme_id).is_(None)),
        )
    ).one()


CSV_HEADER = [
    "tijdstip",
    "wie",
    "actie",
    "resultaat",
    "herkomst",
    "soort",
    "id",
    "omschrijving",
    "voor",
    "na",
]


def _in_dutch(entity: str, values: dict[str, Any] | None) -> str:
    """Changed values as JSON, keyed by the columns' Dutch labels."""
    if not values:
        return ""
    named = {record_kinds.field_label(entity, column): v for column, v in values.items()}
    return json.dumps(named, ensure_ascii=False)


def as_csv(changes: Iterable[LoggedChange]) -> Iterator[str]:
    """The log as CSV, one line at a time, in Dutch."""
    rows = (
        [
            format_datetime(change.entry.at),
            change.actor,
            change.entry.action.label,
            change.entry.result.label,
            change.entry.origin or "",
            record_kinds.kind_label(change.entry.entity),
            change.entry.entity_id,
            change.entry.label,
            _in_dutch(change.entry.entity, change.entry.before),
            _in_dutch(change.entry.entity, change.entry.after),
        ]
        for change in changes
    )
    return csv_lines(CSV_HEADER, rows)


def changed_since(
    session: Session, organisation: Organisation, entity: str, since: datetime
) -> set[int]:
    """The ids of the organisation's records of one table (`entity`) made or changed at or
    after `since`, as the log recorded them."""
    found = session.exec(
        select(AuditEntry.entity_id).where(
            AuditEntry.organisation_id == organisation.id,
            AuditEntry.entity == entity,
            AuditEntry.at >= since,
        )
    )
    return {entity_id for entity_id in found if entity_id is not None}
