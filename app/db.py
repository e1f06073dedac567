"""Database engine, session dependency and the conventions every table follows."""

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import Depends
from sqlalchemy import Engine, event, make_url
from sqlalchemy import exc as sa_exc
from sqlmodel import Session, create_engine

from app.config import settings
from app.errors import Conflict, InvalidInput

# SQLite stores NUMERIC as a float; values are quantised back to the column's scale on the way
# out, which is exact for the sizes we store (budgets, indicator values).
warnings.filterwarnings(
    "ignore", message=r".*does \*not\* support Decimal objects natively", category=sa_exc.SAWarning
)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine that behaves the same on SQLite and PostgreSQL."""
    if url.startswith("sqlite"):
        _ensure_sqlite_folder(url)
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _ensure_sqlite_folder(url: str) -> None:
    path = make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so that
        # SAVEPOINTs and transactional DDL work as on PostgreSQL.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN")


engine = make_engine(settings.database_url, echo=settings.sql_echo)


def get_session() -> Iterator[Session]:
    """One session per request. The route commits once; anything uncommitted is rolled back."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def flush_or_invalid(session: Session, errors: dict[str, str]) -> None:
    """Flush inside a savepoint; a unique-constraint clash becomes a field message, not a 500."""
    try:
        with session.begin_nested():
            session.flush()
    except sa_exc.IntegrityError:
        raise InvalidInput(errors) from None


def delete_or_conflict(session: Session, obj: object, message: str) -> None:
    """Delete inside a savepoint; a row still referenced elsewhere stays, with a clear message."""
    try:
        with session.begin_nested():
            session.delete(obj)
            session.flush()
    except sa_exc.IntegrityError:
        raise Conflict(message) from None
