"""Migrations are the only way the schema is made: they go up and down, and match the models."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import app.models  # noqa: F401  (every table)
from app import migrate
from app.db import make_engine
from tests.conftest import fresh_database


@pytest.fixture
def empty_url(backend, tmp_path):
    with fresh_database(backend, str(tmp_path)) as url:
        yield url


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_every_migration_upgrades_and_downgrades(empty_url):
    script = ScriptDirectory.from_config(migrate.alembic_config(empty_url))
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    for revision in revisions:  # one step at a time, up, down and up again
        migrate.upgrade(empty_url, revision)
        migrate.downgrade(empty_url, "-1")
        migrate.upgrade(empty_url, revision)
    assert tables(empty_url) == set(SQLModel.metadata.tables)
    migrate.downgrade(empty_url, "base")
    assert tables(empty_url) == set()


def test_models_and_migrations_agree(empty_url):
    migrate.upgrade(empty_url)
    engine = make_engine(empty_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert differences == []
