"""Records every create, update and delete of the organisation's data as it is flushed.

The recorder listens to every session, so no service has to remember to log; the entries are
written in the same transaction as the change itself.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlmodel import SQLModel

from app.audit import chain
from app.audit.models import AuditAction, AuditResult
from app.auth import ACTOR, FLUSHED, LINK_ACTOR, ORIGIN
from app.secret_hashing import digest
from app.tables import utc_now

# Records that are about signing in, or are kept for the audit itself, are not audited; an
# ambition's earlier drafts are part of the ambition's own update.
NOT_AUDITED = {
    "audit_entry",
    "audit_chain",
    "sign_in_session",
    "sign_in_attempt",
    "password_reset",
    "api_token",
    "second_factor",
    "recovery_code",
    "second_factor_attempt",
    "sso_login",
    # Its changes are logged as a setting, with who changed it and from where (sso.py).
    "sso_provider",
    "user_account",
    "organisation",
    "ambition_draft",
    "partner_link_attempt",
    # Live sessions: who joined and how they voted is the session's own record (anonymous,
    # and far too many rows for the log); the facilitator's changes are audited.
    "session_participant",
    "session_vote",
    "session_join_attempt",
    # A scenario's outcome as the optimiser computed it: kept to avoid solving again.
    "scenario_solution",
    # A published version's files: the publication itself is audited.
    "publication_file",
    # Background work: the change that asked for it is audited.
    "outbox",
    "scheduled_job",
}
# A join code lets anyone into a live session: a credential, never logged. A live session's
# revision moves with every vote: bookkeeping for the screens, not a change anyone made.
NOT_SHOWN = {"version", "shown_version", "token_hash", "join_code", "revision"}
LABEL_COLUMNS = ("name", "term", "title", "text", "description")


def actor_name(actor: Any, link_actor: Any = None) -> str:
    """How the log names whoever acted: a pseudonym for a member (their name is looked up
    while their account exists), the link's label for someone without an account."""
    if actor is not None:
        return pseudonym(actor.user.id)
    return link_actor.label if link_actor is not None else SYSTEM


SYSTEM = "Kompas (systeem)"


def pseudonym(user_id: int) -> str:
    """A stable stand-in for a person, which reveals nothing once their account is erased."""
    return f"Gebruiker {digest(f'audit-actor-{user_id}')[:8]}"


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _values(obj: SQLModel) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {
        attr.key: _plain(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in NOT_SHOWN
    }


def _changes(obj: SQLModel) -> tuple[dict[str, Any], dict[str, Any]]:
    before, after = {}, {}
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        if attr.key in NOT_SHOWN:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old != new:
            before[attr.key], after[attr.key] = _plain(old), _plain(new)
    return before, after


def _label(obj: SQLModel, values: dict[str, Any]) -> str:
    for column in LABEL_COLUMNS:
        if values.get(column):
            return str(values[column])[:300]
    if "measured_on" in values:
        return f"{values['measured_on']}: {values.get('value')}"
    if "start_year" in values:
        return f"{values['start_year']}–{values['end_year']}"
    if "number" in values:
        return f"Stap {values['number']}"
    if "reflected_on" in values:
        return f"Reflectie van {values['reflected_on']}"
    for column in ("decision", "role", "status"):
        if values.get(column):
            return str(values[column])
    return f"#{values.get('id')}"


class _Scope:
    """Finds the organisation, theme and cycle a row belongs to, following its foreign keys up
    to a cycle (a measurement: indicator, cycle; a working element: activity, cycle)."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self.cycles: dict[int, tuple[int, int]] = {}
        self.parents: dict[tuple[str, int], int | None] = {}  # (table, id) -> cycle id

    def _cycle(self, cycle_id: int) -> tuple[int, int] | None:
        if cycle_id not in self.cycles:
            tables = SQLModel.metadata.tables
            cycle, theme = tables["cycle"], tables["theme"]
            row = self.connection.execute(
                sa.select(theme.c.organisation_id, theme.c.id)
                .join(cycle, cycle.c.theme_id == theme.c.id)
                .where(cycle.c.id == cycle_id)
            ).first()
            if row is None:
                return None
            self.cycles[cycle_id] = (row[0], row[1])
        return self.cycles[cycle_id]

    def _cycle_of(self, table: sa.Table, values: dict[str, Any]) -> int | None:
        if "cycle_id" in values:
            return values["cycle_id"]
        for fk in table.foreign_keys:
            parent = fk.column.table
            parent_id = values.get(fk.parent.name)
            if "cycle_id" in parent.c and parent_id is not None:
                key = (parent.name, parent_id)
                if key not in self.parents:  # one lookup per parent, however many children
                    self.parents[key] = self.connection.execute(
                        sa.select(parent.c.cycle_id).where(fk.column == parent_id)
                    ).scalar()
                return self.parents[key]
        return None

    def of(
        self, obj: SQLModel, values: dict[str, Any]
    ) -> tuple[int | None, int | None, int | None]:
        table = inspect(obj).mapper.local_table
        if table.name == "theme":
            return values["organisation_id"], values["id"], None
        cycle_id = values["id"] if table.name == "cycle" else self._cycle_of(table, values)
        if cycle_id is not None and (found := self._cycle(cycle_id)) is not None:
            return found[0], found[1], cycle_id
        if table.name == "cycle":
            return None, values.get("theme_id"), cycle_id
        return values.get("organisation_id"), None, cycle_id


def _record(session: Session, _context: Any) -> None:
    session.info[FLUSHED] = True
    changes = [
        *((AuditAction.CREATE, obj) for obj in session.new),
        *((AuditAction.UPDATE, obj) for obj in session.dirty if session.is_modified(obj)),
        *((AuditAction.DELETE, obj) for obj in session.deleted),
    ]
    changes = [
        (action, obj)
        for action, obj in changes
        if isinstance(obj, SQLModel) and inspect(obj).mapper.local_table.name not in NOT_AUDITED
    ]
    if not changes:
        return
    actor = session.info.get(ACTOR)
    link_actor = session.info.get(LINK_ACTOR)  # someone without an account, through a link
    origin = session.info.get(ORIGIN)
    connection = session.connection()
    scope = _Scope(connection)
    rows = []
    for action, obj in changes:
        values = _values(obj)
        if action is AuditAction.UPDATE:
            before, after = _changes(obj)
            if not after:
                continue
        elif action is AuditAction.CREATE:
            before, after = None, values
        else:
            before, after = values, None
        organisation_id, theme_id, cycle_id = scope.of(obj, values)
        if organisation_id is None and actor is not None:
            organisation_id = actor.organisation.id
        if organisation_id is None and link_actor is not None:
            organisation_id = link_actor.organisation_id
        if organisation_id is None:
            continue  # a row of a cycle deleted in the same flush: the cycle's entry says it
        rows.append(
            {
                "at": utc_now(),
                "organisation_id": organisation_id,
                "theme_id": theme_id,
                "cycle_id": cycle_id,
                "actor_id": actor.user.id if actor else None,
                "actor_pseudonym": actor_name(actor, link_actor),
                "action": action,
                "result": AuditResult.SUCCESS,
                "origin": origin,
                "entity": inspect(obj).mapper.local_table.name,
                "entity_id": values.get("id"),
                "label": _label(obj, values),
                "before": before,
                "after": after,
            }
        )
    if rows:
        chain.append(connection, rows)


def start_recording() -> None:
    """Audit every session of the application (idempotent)."""
    if not event.contains(Session, "after_flush", _record):
        event.listen(Session, "after_flush", _record)
