"""Fresh databases for the tests and the benchmarks: a SQLite file in a folder, or a PostgreSQL
database of its own (dropped afterwards) on the server at KOMPAS_TEST_POSTGRES_URL."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

POSTGRES_ADMIN_URL = os.environ.get(
    "KOMPAS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")


def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    try:
        engine = sa.create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:  # any failure to connect means: no PostgreSQL here
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return None


@contextmanager
def fresh_database(backend: str, folder: str | Path, prefix: str = "kompas_test") -> Iterator[str]:
    """The URL of an empty database, removed afterwards (the tests' and the benchmarks')."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    if backend == "sqlite":
        yield f"sqlite:///{Path(folder) / f'{name}.db'}"
        return
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield (
            sa.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
