"""Backups of the whole database while Kompas runs, and restoring one into an empty database.

SQLite: the online backup API copies every page in one step, under a read transaction, so the
copy is the database as of one commit while writers go on (WAL lets them). PostgreSQL:
`pg_dump --format=custom` reads in one repeatable-read snapshot and takes no lock that stops
writers; `pg_restore` loads it in one transaction. pg_dump must be at least the server's major
version (it refuses an older server's newer format otherwise), so that is checked first.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from app.errors import AppError


class BackupFailed(AppError):
    """The backup or restore could not be made; nothing was changed."""


def backup(database_url: str, target: Path) -> None:
    """Write a backup of the database at `database_url` to `target` (not overwritten)."""
    if target.exists():
        raise BackupFailed(f"{target} bestaat al; kies een nieuwe bestandsnaam.")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _sqlite_backup(_sqlite_path(url), target)
    else:
        _check_pg_tool("pg_dump", url)
        _run_pg(["pg_dump", "--format=custom", f"--file={target}", _libpq(url)], url)


def restore(source: Path, database_url: str) -> None:
    """Load a backup made by `backup` into the empty database at `database_url`."""
    if not source.is_file():
        raise BackupFailed(f"{source} bestaat niet.")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        target = _sqlite_path(url)
        if target.exists():  # a new file is empty; an existing one is looked into
            _refuse_unless_empty(database_url)
        _sqlite_backup(source, target)
    else:
        _refuse_unless_empty(database_url)
        _check_pg_tool("pg_restore", url)
        _run_pg(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={_libpq(url)}",
                str(source),
            ],
            url,
        )


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupFailed("Een database in het geheugen kan geen back-up hebben.")
    return Path(url.database)


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupFailed(f"{source} bestaat niet.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)  # all pages in one step: one consistent snapshot
        (checked,) = dst.execute("PRAGMA integrity_check").fetchone()
    if checked != "ok":
        target.unlink()
        raise BackupFailed(f"De kopie is niet in orde: {checked}")


def _refuse_unless_empty(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    try:
        tables = sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise BackupFailed(
            "De database is niet leeg; zet een back-up alleen terug in een lege database."
        )


def _libpq(url: URL) -> str:
    """The URL as libpq reads it: no driver name, and no password (that goes by PGPASSWORD,
    never on a command line others can read)."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _run_pg(command: list[str], url: URL) -> None:
    env = {**os.environ, **({"PGPASSWORD": str(url.password)} if url.password else {})}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupFailed(f"{command[0]} is mislukt: {done.stderr.strip()}")


def _major(version_text: str) -> int:
    found = re.search(r"(\d+)(?:\.\d+)?", version_text)
    if not found:
        raise BackupFailed(f"Onbekende versie: {version_text}")
    return int(found.group(1))


def _check_pg_tool(tool: str, url: URL) -> None:
    """The client tool exists and is not older than the server."""
    if shutil.which(tool) is None:
        raise BackupFailed(
            f"{tool} ontbreekt; installeer postgresql-client (make postgresql-client)."
        )
    client = _major(subprocess.run([tool, "--version"], capture_output=True, text=True).stdout)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            server = _major(connection.exec_driver_sql("SHOW server_version").scalar_one())
    finally:
        engine.dispose()
    if client < server:
        raise BackupFailed(
            f"{tool} {client} is ouder dan de PostgreSQL-server ({server}); "
            f"installeer postgresql-client {server} of nieuwer."
        )
