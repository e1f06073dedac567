"""The exit: everything one organisation owns as an archive of JSON and CSV, and loading such
an archive into another installation (docs/organisation-archive.md describes the format).

Which rows belong to the organisation comes from app/tenancy.py, so a new table is exported
without editing a list here. On import every row gets a new id and every reference follows:
foreign keys by the schema, and the few ids the schema cannot see (plain numbers, ids inside
JSON) by `PLAIN_REFERENCES`. The import writes in one transaction and records nothing in the
audit log: the archive brings the organisation's own log, whose times the reports show.
"""

import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, Engine, Table
from sqlmodel import SQLModel

from app import tenancy
from app.db import writer_of
from app.downloads import csv_lines
from app.errors import AppError
from app.secret_hashing import unusable_password

FORMAT = "kompas-organisatie-archief"
FORMAT_VERSION = 1
MANIFEST = "archief.json"
PEOPLE = "user_account"

# Rows of the organisation that stay behind, with why: they only work on this installation.
NOT_EXPORTED = {
    "sign_in_session": "a signed-in browser; sessions end at the move",
    "api_token": "a personal API token, keyed by this installation's secret",
    "scenario_solution": "the optimiser's kept answer, keyed by the ids; solved again on view",
    "sso_login": "a sign-in at the identity provider under way; it ends within minutes",
    "sso_provider": "names this installation's secret; the operator sets it again (kompas sso)",
}
# Of a person, only what the organisation's rows need to name them; never the password.
PERSON_COLUMNS = ("id", "email", "name", "created_at")


class ArchiveRefused(AppError):
    """The archive cannot be made or loaded; nothing was written."""


# -- ids the schema does not declare -------------------------------------------------------

Remap = Callable[[str, Any], Any]  # (table, old id) -> new id, or None when not in the archive


def _in_json(keys: dict[str, str]) -> Callable[[Any, Remap], Any]:
    """Ids under these keys anywhere in a JSON value (a number or a list of numbers)."""

    def remap(value: Any, ids: Remap) -> Any:
        if isinstance(value, list):
            return [remap(item, ids) for item in value]
        if not isinstance(value, dict):
            return value
        out = {}
        for key, item in value.items():
            if key in keys and isinstance(item, list):
                out[key] = [ids(keys[key], i) for i in item]
            elif key in keys and isinstance(item, int):
                out[key] = ids(keys[key], item)
            else:
                out[key] = remap(item, ids)
        return out

    return remap


def _scope(value: Any, ids: Remap) -> Any:
    found = re.fullmatch(r"cyclus-(\d+)", value or "")
    return f"cyclus-{ids('cycle', int(found.group(1)))}" if found else value


@dataclass(frozen=True)
class Hidden:
    """Ids in a column the schema does not declare as a foreign key."""

    names: tuple[str, ...]  # the tables whose ids it holds (EVERY: any of them)
    remap: Callable[[Any, Remap, dict[str, Any]], Any]  # (value, ids, the whole row)


EVERY = ("*",)
_EVIDENCE_IDS = _in_json({"sessie_id": "live_session", "ronde_id": "round"})
_SESSION_EVIDENCE = Hidden(("live_session", "round"), lambda v, ids, _row: _EVIDENCE_IDS(v, ids))

# Every column holding ids the schema cannot see; tests/test_archive.py fails for a JSON or
# plain *_id column that is not here. An audit entry names a row of the table in `entity`.
PLAIN_REFERENCES: dict[tuple[str, str], Hidden] = {
    ("audit_entry", "theme_id"): Hidden(("theme",), lambda v, ids, _row: ids("theme", v)),
    ("audit_entry", "cycle_id"): Hidden(("cycle",), lambda v, ids, _row: ids("cycle", v)),
    ("audit_entry", "entity_id"): Hidden(EVERY, lambda v, ids, row: _entity(row, v, ids)),
    ("audit_entry", "before"): Hidden(EVERY, lambda v, ids, row: _snapshot(row, v, ids)),
    ("audit_entry", "after"): Hidden(EVERY, lambda v, ids, row: _snapshot(row, v, ids)),
    ("publication", "scope"): Hidden(("cycle",), lambda v, ids, _row: _scope(v, ids)),
    ("result_evidence", "summary"): _SESSION_EVIDENCE,
    ("session_adoption", "evidence"): _SESSION_EVIDENCE,
    ("scenario", "snapshot"): Hidden(
        ("cycle", "activity", "result"), lambda v, ids, _row: _scenario_snapshot(v, ids)
    ),
}


_SNAPSHOT_IDS = _in_json({"cycle_ids": "cycle", "strengthened": "activity", "cycle_id": "cycle"})


def _scenario_snapshot(value: Any, ids: Remap) -> Any:
    """An adopted scenario's snapshot: its cycles, the activities strengthened, and the
    outcome's rows of activities and results, each by id."""
    value = _SNAPSHOT_IDS(value, ids)
    if not isinstance(value, dict) or "outcome" not in value:
        return value
    outcome = dict(value["outcome"])
    for key, table in (("activities", "activity"), ("results", "result")):
        outcome[key] = [{**row, "id": ids(table, row["id"])} for row in outcome.get(key, [])]
    return {**value, "outcome": outcome}


# -- values to JSON and back --------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _typed(column: sa.Column, value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, sa.Enum) and kind.enum_class is not None:
        return kind.enum_class(value)
    if _is_datetime(kind):
        return datetime.fromisoformat(value).astimezone(UTC)
    if isinstance(kind, sa.Date):
        return date.fromisoformat(value)
    if isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Float):
        return Decimal(value)
    return value


def _is_datetime(kind: sa.types.TypeEngine) -> bool:
    impl = kind.impl if isinstance(kind, sa.TypeDecorator) else kind
    return isinstance(impl, sa.DateTime)


def _binary_columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if isinstance(c.type, sa.LargeBinary)]


# -- export --------------------------------------------------------------------------------


def exported_tables() -> list[Table]:
    return [t for t in tenancy.owned_tables() if t.name not in NOT_EXPORTED]


def _import_order() -> list[Table]:
    """Parents before children, and a table holding hidden ids after the tables they name."""
    tables = exported_tables()
    named = {t.name: t for t in tables}
    after = [
        (other, named[of])
        for (of, _name), hidden in PLAIN_REFERENCES.items()
        for other in tables
        if other.name != of and (hidden.names == EVERY or other.name in hidden.names)
    ]
    return sa.schema.sort_tables(tables, extra_dependencies=after)


def export_organisation(engine: Engine, slug: str, target: Path) -> dict[str, int]:
    """Write the archive of the organisation `slug` to `target`; the rows per table."""
    if target.exists():
        raise ArchiveRefused(f"{target} bestaat al; kies een nieuwe bestandsnaam.")
    organisation = SQLModel.metadata.tables["organisation"]
    counts: dict[str, int] = {}
    # One snapshot for every table: REPEATABLE READ on PostgreSQL, a read transaction on SQLite.
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        connection.begin()
        found = connection.execute(
            sa.select(organisation.c.id).where(organisation.c.slug == slug)
        ).scalar_one_or_none()
        if found is None:
            raise ArchiveRefused(f"Er is geen organisatie '{slug}'.")
        revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "x", compression=zipfile.ZIP_DEFLATED) as archive:
            people: set[int] = set()
            for table in exported_tables():
                rows = connection.execute(
                    tenancy.rows_of(table, found).order_by(*table.primary_key)
                ).all()
                people |= _people_named(table, rows)
                counts[table.name] = _write_table(archive, table, [r._asdict() for r in rows])
            user = SQLModel.metadata.tables[PEOPLE]
            persons = connection.execute(
                sa.select(*(user.c[name] for name in PERSON_COLUMNS))
                .where(user.c.id.in_(people))
                .order_by(user.c.id)
            ).all()
            counts[PEOPLE] = _write_table(archive, user, [p._asdict() for p in persons])
            archive.writestr(MANIFEST, _manifest(slug, revision, counts))
    return counts


def _people_named(table: Table, rows: Iterable[sa.Row]) -> set[int]:
    columns = [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == PEOPLE]
    return {getattr(row, name) for row in rows for name in columns} - {None}


def _write_table(archive: zipfile.ZipFile, table: Table, rows: list[dict[str, Any]]) -> int:
    binary = _binary_columns(table)
    plain = []
    for number, row in enumerate(rows, start=1):
        out = {key: _plain(value) for key, value in row.items()}
        for name in binary:
            # a readable name where the row has one: bestanden/publication_file/1/verslag.pdf
            path = f"bestanden/{table.name}/{number}/{Path(row.get('filename') or name).name}"
            archive.writestr(path, row[name])
            out[name] = path
        plain.append(out)
    archive.writestr(f"tabellen/{table.name}.json", json.dumps(plain, ensure_ascii=False, indent=1))
    header = list(rows[0]) if rows else [c.name for c in table.columns]
    cells = (
        [json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v for v in r.values()]
        for r in plain
    )
    archive.writestr(f"tabellen/{table.name}.csv", "".join(csv_lines(header, cells)))
    return len(rows)


def _manifest(slug: str, revision: str | None, counts: dict[str, int]) -> str:
    return json.dumps(
        {
            "formaat": FORMAT,
            "formaatversie": FORMAT_VERSION,
            "schemaversie": revision,
            "organisatie": slug,
            "gemaakt": datetime.now(UTC).isoformat(),
            "tabellen": [
                {
                    "naam": name,
                    "rijen": count,
                    "json": f"tabellen/{name}.json",
                    "csv": f"tabellen/{name}.csv",
                    "eigenaar_via": [
                        f"{fk.parent.table.name}.{fk.parent.name}"
                        for fk in ([] if name == PEOPLE else tenancy.ownership_path(name))
                    ],
                }
                for name, count in counts.items()
            ],
            "niet_meegenomen": NOT_EXPORTED,
        },
        ensure_ascii=False,
        indent=1,
    )


# -- import --------------------------------------------------------------------------------


def import_organisation(engine: Engine, source: Path) -> tuple[str, dict[str, int]]:
    """Load an archive made by `export_organisation`; its slug and the rows per table."""
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile):
        raise ArchiveRefused(f"{source} is geen archief van Kompas.") from None
    try:
        with archive, writer_of(engine).begin() as connection:
            manifest = _read_manifest(archive, connection)
            ids = _Ids()
            _import_people(connection, _load(archive, PEOPLE), ids)
            counts = {}
            for table in _import_order():
                counts[table.name] = _import_table(connection, archive, table, ids)
            if counts.get("organisation") != 1:
                raise ArchiveRefused("Het archief bevat niet precies één organisatie.")
    except sa.exc.IntegrityError as exc:
        # A code or link that must be unique in the installation is taken here already.
        raise ArchiveRefused(
            f"Het archief botst met gegevens van deze installatie; er is niets geladen. "
            f"({str(exc.orig).splitlines()[0]})"
        ) from None
    return manifest["organisatie"], counts


def _read_manifest(archive: zipfile.ZipFile, connection: Connection) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError):
        raise ArchiveRefused("Dit is geen archief van Kompas (archief.json ontbreekt).") from None
    if manifest.get("formaat") != FORMAT or manifest.get("formaatversie") != FORMAT_VERSION:
        raise ArchiveRefused("Dit archief heeft een formaat dat deze versie niet kent.")
    revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    if manifest.get("schemaversie") != revision:
        raise ArchiveRefused(
            f"Het archief is gemaakt bij schemaversie {manifest.get('schemaversie')}, deze "
            f"database heeft {revision}; breng beide op dezelfde versie van Kompas."
        )
    organisation = SQLModel.metadata.tables["organisation"]
    clash = connection.execute(
        sa.select(organisation.c.id).where(organisation.c.slug == manifest["organisatie"])
    ).first()
    if clash is not None:
        raise ArchiveRefused(
            f"Er is hier al een organisatie '{manifest['organisatie']}'; er is niets geladen."
        )
    return manifest


def _load(archive: zipfile.ZipFile, name: str) -> list[dict[str, Any]]:
    return json.loads(archive.read(f"tabellen/{name}.json"))


class _Ids:
    """Old id -> new id, per table."""

    def __init__(self) -> None:
        self.maps: dict[str, dict[int, int]] = {}

    def __call__(self, table: str, old: Any) -> int | None:
        return None if old is None else self.maps.get(table, {}).get(old)

    def required(self, table: str, old: Any) -> int | None:
        new = self(table, old)
        if old is not None and new is None:
            raise ArchiveRefused(f"Het archief verwijst naar {table} {old}, die er niet in zit.")
        return new


def _import_people(connection: Connection, people: list[dict[str, Any]], ids: _Ids) -> None:
    """A person with an account here (the same e-mail address) keeps it; others get an account
    without a password, set through `kompas user password-link`."""
    user = SQLModel.metadata.tables[PEOPLE]
    known = dict(
        connection.execute(
            sa.select(user.c.email, user.c.id).where(user.c.email.in_([p["email"] for p in people]))
        ).all()
    )
    mapped = ids.maps.setdefault(PEOPLE, {})
    for person in people:
        if person["email"] not in known:
            now = datetime.now(UTC)
            known[person["email"]] = connection.execute(
                user.insert().returning(user.c.id),
                {
                    "email": person["email"],
                    "name": person["name"],
                    "created_at": _typed(user.c.created_at, person["created_at"]),
                    "password_hash": unusable_password(),
                    "password_changed_at": now,
                },
            ).scalar_one()
        mapped[person["id"]] = known[person["email"]]


def _import_table(connection: Connection, archive: zipfile.ZipFile, table: Table, ids: _Ids) -> int:
    rows = _load(archive, table.name)
    if not rows:
        return 0
    own_id = "id" in table.c and table.c.id.primary_key and len(table.primary_key) == 1
    later = [
        fk for fk in table.foreign_keys if fk.column.table is table
    ]  # self-references: set once every row has its id
    values = [_row_values(archive, table, row, ids, later) for row in rows]
    if own_id:
        inserted = connection.execute(
            table.insert().returning(table.c.id, sort_by_parameter_order=True), values
        ).scalars()
        ids.maps[table.name] = {row["id"]: new for row, new in zip(rows, inserted, strict=True)}
        for fk in later:
            for row in rows:
                if row[fk.parent.name] is not None:
                    connection.execute(
                        table.update()
                        .where(table.c.id == ids(table.name, row["id"]))
                        .values({fk.parent.name: ids.required(table.name, row[fk.parent.name])})
                    )
    else:
        connection.execute(table.insert(), values)
    return len(rows)


def _row_values(
    archive: zipfile.ZipFile,
    table: Table,
    row: dict[str, Any],
    ids: _Ids,
    later: list[sa.ForeignKey],
) -> dict[str, Any]:
    values = {name: _typed(table.c[name], value) for name, value in row.items()}
    if "id" in values and table.c.id.primary_key and len(table.primary_key) == 1:
        del values["id"]
    for name in _binary_columns(table):
        values[name] = archive.read(row[name])
    for fk in table.foreign_keys:
        name = fk.parent.name
        referred = fk.column.table.name
        values[name] = None if fk in later else ids.required(referred, row[name])
    for (of, name), hidden in PLAIN_REFERENCES.items():
        if of == table.name:
            values[name] = hidden.remap(row[name], ids, row)
    return values


def _entity(entry: dict[str, Any], old: int, ids: Remap) -> int:
    """The row an audit entry names. A row deleted before the export has no new id: its
    entries keep their history under entity id 0, which names no row."""
    return ids(entry["entity"], old) or 0


def _snapshot(entry: dict[str, Any], values: Any, ids: Remap) -> Any:
    """An audit entry's before or after: the columns of the row it names, ids following."""
    table = SQLModel.metadata.tables.get(entry["entity"])
    if table is None or not isinstance(values, dict):
        return values
    out = dict(values)
    for fk in table.foreign_keys:
        if fk.parent.name in out:
            out[fk.parent.name] = ids(fk.column.table.name, out[fk.parent.name])
    for (of, name), hidden in PLAIN_REFERENCES.items():
        if of == table.name and name in out:
            out[name] = hidden.remap(out[name], ids, out)
    if "id" in out:
        out["id"] = ids(table.name, out["id"])
    return out
