"""`kompas backup` while someone writes, and `kompas restore` into an empty database."""

import os
import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel
from typer.testing import CliRunner

from app import tenancy
from app.cli import app
from app.db import make_engine, writer_of
from app.organisations import service as organisations_service
from app.organisations.models import PartnerCreate
from bench.databases import fresh_database

runner = CliRunner()
WRITER = "schrijver-"  # the slugs of the organisations the writer makes


class Writer(threading.Thread):
    """Makes organisations with a partner each, one transaction per organisation, until
    stopped: a backup must hold each one whole or not at all."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.engine = make_engine(url)
        self.committed = 0
        self.stop = threading.Event()
        self.enough = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            with Session(writer_of(self.engine)) as session:
                number = self.committed
                made = organisations_service.create_organisation(
                    session, name=f"Schrijver {number}", slug=f"{WRITER}{number}"
                )
                organisations_service.create_partner(
                    session, made, PartnerCreate(name=f"Partner {number}", partner_type="other")
                )
                session.commit()
            self.committed += 1
            if self.committed >= 3:
                self.enough.set()
        self.engine.dispose()


# Global tables with a row per organisation named by a plain number: the audit chains' heads
# (0: the installation's chain).
BY_NUMBER = {"audit_chain": "chain"}


def rows(engine: sa.Engine, table: sa.Table, owners: set[int] | None = None) -> list:
    """The table's rows in key order; of an organisation's table only those of `owners`."""
    if table.name in BY_NUMBER:
        query = sa.select(table).where(table.c[BY_NUMBER[table.name]].in_((owners or set()) | {0}))
    elif table.name in tenancy.GLOBAL_TABLES:
        query = sa.select(table)
    else:
        query = tenancy.with_owner(table).where(tenancy.organisation_column(table).in_(owners))
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query.order_by(*table.primary_key))]


@pytest.fixture
def use(monkeypatch) -> Iterator:
    def point_at(url: str) -> None:
        monkeypatch.setattr("app.cli.settings.database_url", url)

    yield point_at


def test_a_backup_made_during_writes_restores_whole(demo_database, backend, tmp_path, use):
    writer = Writer(demo_database)
    writer.start()
    try:
        assert writer.enough.wait(30)
        use(demo_database)
        made = runner.invoke(app, ["backup", str(tmp_path / "kompas.backup")])
        assert made.exit_code == 0, made.output
        during = writer.committed
        while writer.is_alive() and writer.committed < during + 2:  # writing after it too
            writer.stop.wait(0.01)
        assert writer.is_alive(), "the writer failed (see the thread's exception above)"
    finally:
        writer.stop.set()
        writer.join()

    with fresh_database(backend, tmp_path) as empty:
        use(empty)
        restored = runner.invoke(app, ["restore", str(tmp_path / "kompas.backup")])
        assert restored.exit_code == 0, restored.output
        compare(make_engine(demo_database), make_engine(empty))

        again = runner.invoke(app, ["restore", str(tmp_path / "kompas.backup")])
        assert again.exit_code != 0
        assert "niet leeg" in again.output


def compare(source: sa.Engine, copy: sa.Engine) -> None:
    """The copy is the source as of one moment: every table equal, except the writer's
    organisations made after that moment, which are missing whole."""
    organisation = SQLModel.metadata.tables["organisation"]
    slugs = sa.select(organisation.c.id, organisation.c.slug)
    with copy.connect() as connection:
        kept = dict(connection.execute(slugs).all())
    with source.connect() as connection:
        later = {i: slug for i, slug in connection.execute(slugs) if i not in kept}
    assert later, "the writer went on after the backup"
    assert all(slug.startswith(WRITER) for slug in later.values())
    assert sum(slug.startswith(WRITER) for slug in kept.values()) >= 3
    for table in SQLModel.metadata.sorted_tables:
        assert rows(copy, table, set(kept)) == rows(source, table, set(kept)), table.name
    alembic = sa.text("SELECT version_num FROM alembic_version")
    with source.connect() as one, copy.connect() as other:
        assert one.execute(alembic).all() == other.execute(alembic).all()


def test_an_older_pg_dump_than_the_server_is_refused(demo_database, backend, tmp_path, use):
    """pg_dump 13 cannot dump a server of 15; the backup says which client to install."""
    if backend != "postgresql":
        pytest.skip("SQLite needs no client tool")
    old = tmp_path / "bin" / "pg_dump"
    old.parent.mkdir()
    old.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 13.16'\n")
    old.chmod(0o755)
    use(demo_database)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", f"{old.parent}:{os.environ['PATH']}")
        refused = runner.invoke(app, ["backup", str(tmp_path / "kompas.backup")])
    assert refused.exit_code != 0
    assert "pg_dump 13 is ouder dan de PostgreSQL-server" in refused.output
    assert not (tmp_path / "kompas.backup").exists()


def test_a_backup_never_overwrites_a_file(demo_database, tmp_path, use):
    (tmp_path / "kompas.backup").write_text("an earlier backup")
    use(demo_database)
    refused = runner.invoke(app, ["backup", str(tmp_path / "kompas.backup")])
    assert refused.exit_code != 0
    assert "bestaat al" in refused.output
    assert (tmp_path / "kompas.backup").read_text() == "an earlier backup"
