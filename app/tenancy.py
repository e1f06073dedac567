"""Which organisation owns a row: the path from every table up to `organisation`, derived from
the schema's foreign keys, so a new table is covered without anyone editing a list.

A table is owned through its *owning* foreign keys: NOT NULL and ON DELETE CASCADE (the row
cannot exist without its parent and goes with it). A nullable or SET NULL key is a reference,
not ownership (a publication's cycle, an audit entry's actor); a RESTRICT key names something
the row uses (an activity's partner). The path is the shortest chain of owning keys that ends
at `organisation`. Tables of the installation rather than of one organisation are declared in
`GLOBAL_TABLES`; tests/test_tenancy.py fails for any other table without a path.
"""

from collections import deque
from functools import cache
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy import ForeignKey, Select, Table
from sqlalchemy.sql.base import ExecutableOption
from sqlmodel import Session, SQLModel, select

import app.models  # noqa: F401  (every table registered in the metadata)
from app.errors import NotFound
from app.tables import table_of

ROOT = "organisation"
M = TypeVar("M", bound=SQLModel)

# Tables that belong to the installation, with why; everything else belongs to an organisation.
GLOBAL_TABLES = {
    "user_account": "a person can be a member of several organisations",
    "password_reset": "a person's reset link, not an organisation's",
    "sign_in_attempt": "throttle on guessing passwords, per address",
    "partner_link_attempt": "throttle on guessing partner links, per address",
    "session_join_attempt": "throttle on guessing join codes, per address",
    "second_factor": "a person's second factor, not an organisation's",
    "recovery_code": "a person's recovery codes, not an organisation's",
    "second_factor_attempt": "throttle on guessing codes, per person",
    "outbox": "mail and work waiting to be done by the installation's worker",
    "scheduled_job": "the installation's scheduled jobs and when they last ran",
    "audit_chain": "the head of each audit chain; an imported log starts a chain of its own",
}
# Tables whose rows belong to the organisation their nullable, cascading key names, and to
# the installation where it is empty (the audit log: a failed sign-in of an unknown account).
OWNED_WHERE_SET = {"audit_entry": "organisation_id"}


class Unowned(LookupError):
    """A table with no path to an organisation that is not declared global."""


def _table(name_or_table: str | Table) -> Table:
    if isinstance(name_or_table, Table):
        return name_or_table
    return SQLModel.metadata.tables[name_or_table]


def _owning_keys(table: Table) -> list[ForeignKey]:
    keys = [
        fk
        for fk in table.foreign_keys
        if (not fk.parent.nullable or OWNED_WHERE_SET.get(table.name) == fk.parent.name)
        and (fk.ondelete or "").upper() == "CASCADE"
        and fk.column.table.name not in GLOBAL_TABLES
    ]
    return sorted(keys, key=lambda fk: fk.parent.name)  # the same path on every run


@cache
def _paths() -> dict[str, tuple[ForeignKey, ...]]:
    """Breadth first from `organisation` down the owning keys: each table's shortest path."""
    referring: dict[str, list[ForeignKey]] = {}
    for table in SQLModel.metadata.sorted_tables:
        for fk in _owning_keys(table):
            referring.setdefault(fk.column.table.name, []).append(fk)
    paths: dict[str, tuple[ForeignKey, ...]] = {ROOT: ()}
    queue = deque([ROOT])
    while queue:
        parent = queue.popleft()
        for fk in sorted(referring.get(parent, []), key=lambda k: k.parent.table.name):
            child = fk.parent.table.name
            if child not in paths:
                paths[child] = (fk, *paths[parent])
                queue.append(child)
    return paths


def ownership_path(table: str | Table) -> list[ForeignKey]:
    """The foreign keys from `table` up to `organisation`, nearest first: for `measurement`,
    measurement.indicator_id → indicator.id, indicator.cycle_id → cycle.id, cycle.theme_id →
    theme.id, theme.organisation_id → organisation.id. Empty for `organisation` itself."""
    name = _table(table).name
    if name in GLOBAL_TABLES:
        raise Unowned(f"{name} belongs to the installation: {GLOBAL_TABLES[name]}")
    try:
        return list(_paths()[name])
    except KeyError:
        raise Unowned(
            f"{name} has no NOT NULL, ON DELETE CASCADE path to organisation; give it one or "
            "declare it in app.tenancy.GLOBAL_TABLES"
        ) from None


def owned_tables() -> list[Table]:
    """Every table an organisation owns, parents before children (insert order)."""
    paths = _paths()
    return [t for t in SQLModel.metadata.sorted_tables if t.name in paths]


def organisation_column(table: str | Table) -> sa.ColumnElement[int]:
    """The column holding the owning organisation's id, at the end of the path."""
    path = ownership_path(table)
    return path[-1].parent if path else _table(table).c.id


def _along_path(query: Select, table: Table) -> Select:
    query = query.select_from(table)
    for fk in ownership_path(table)[:-1]:
        query = query.join(fk.column.table, fk.parent == fk.column)
    return query


def with_owner(table: str | Table) -> Select:
    """SELECT every row of `table` with the id of the organisation that owns it (`owner`)
    as its first column."""
    target = _table(table)
    return _along_path(
        sa.select(organisation_column(target).label("owner"), *target.columns), target
    )


def rows_of(table: str | Table, organisation_id: int, *columns: sa.ColumnElement) -> Select:
    """SELECT the rows of `table` that `organisation_id` owns (all columns, or `columns`),
    joined along its path."""
    target = _table(table)
    query = _along_path(sa.select(*(columns or target.columns)), target)
    return query.where(organisation_column(target) == organisation_id)


def owned(
    session: Session,
    model: type[M],
    organisation_id: int | None,
    record_id: int,
    missing: str,
    *options: ExecutableOption,
) -> M:
    """The one tenant-scoped lookup: the record `record_id` of `model` if the organisation
    owns it (joined along its ownership path), with `options` (eager loading). Any other id,
    another organisation's included, is `NotFound(missing)`, as if it did not exist."""
    table = table_of(model)
    query = select(model)
    for fk in ownership_path(table)[:-1]:
        query = query.join(fk.column.table, fk.parent == fk.column)
    found = session.exec(
        query.where(organisation_column(table) == organisation_id, table.c.id == record_id).options(
            *options
        )
    ).first()
    if found is None:
        raise NotFound(missing)
    return found
