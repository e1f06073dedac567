"""Database engine, session dependency and the conventions every table follows.

Many people write at the same moment (a session full of phones), so on SQLite a request that
will write takes the database's write lock when its transaction begins (BEGIN IMMEDIATE) and
waits its turn (busy_timeout). A deferred transaction that reads first and writes later cannot
wait: SQLite refuses its write at once ("database is locked") when another writer committed in
between. Requests that only read never write; the few reads that must record something (a
session's last activity) do so in a short write transaction of their own (`writing`).

Within one process SQLite's writers also take turns (`_WriteTurn`) before BEGIN IMMEDIATE:
SQLite's own busy handler lets a waiting writer sleep up to 100 ms a try, and a Python lock
taken by some writers only, in another order, could deadlock against the database's lock.
Every write transaction takes the turn, at its BEGIN, and gives it back at its end.

A request uses one connection at a time (`reading` and `writing` end the transaction they
are in before they change the binding), and a process has a connection for every request it
admits (app/admission.py) plus the live hub's and the vote writer's: nobody waits for a
connection while holding one.
"""

import threading
import warnings
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine, event, func, make_url
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, create_engine, select

from app.config import settings
from app.errors import AppError, Conflict, Duplicate

# SQLite stores NUMERIC as a float; values are quantised back to the column's scale on the way
# out, which is exact for the sizes we store (budgets, indicator values).
warnings.filterwarnings(
    "ignore", message=r".*does \*not\* support Decimal objects natively", category=sa_exc.SAWarning
)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
WRITES = "kompas_writes"  # execution option: this transaction is going to write
BUSY_TIMEOUT_MS = 15_000  # how long a writer waits for the lock before giving up
# Connections beyond the admitted requests: the live hub's renders (live.RENDERS), the vote
# writer, the notifications, the background worker (app/worker.py) and a spare.
RESERVED_CONNECTIONS = 8
POOL_TIMEOUT_SECONDS = 10  # never reached while every request holds one connection at most


class Busy(AppError):
    """The database could not be had in time: the request changed nothing; try again."""

    status_code = 503
    title = "Even geduld"

    def __init__(self) -> None:
        super().__init__(
            "Het is nu erg druk. Er is niets opgeslagen; probeer het over een paar seconden "
            "opnieuw."
        )


def _pool() -> dict:
    return {
        "pool_size": settings.max_concurrent_requests + RESERVED_CONNECTIONS,
        "max_overflow": 0,
        "pool_timeout": POOL_TIMEOUT_SECONDS,
    }


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine that behaves the same on SQLite and PostgreSQL. A failed statement's error
    (and the echo) leaves out its parameters: a join code or an e-mail address is no log's."""
    if url.startswith("sqlite"):
        _ensure_sqlite_folder(url)
        engine = create_engine(
            url,
            echo=echo,
            hide_parameters=True,
            connect_args={"check_same_thread": False},
            **_pool(),
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, echo=echo, hide_parameters=True, pool_pre_ping=True, **_pool())


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
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; a commit needs no fsync
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    turn = _WriteTurn()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        if connection.get_execution_options().get(WRITES, False):
            turn.take(connection.connection.info)
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            except BaseException:
                turn.give_back(connection.connection.info)
                raise
        else:
            connection.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "commit")
    def _on_commit(connection) -> None:
        turn.end(connection.connection, commit=True)

    @event.listens_for(engine, "rollback")
    def _on_rollback(connection) -> None:
        turn.end(connection.connection, commit=False)

    @event.listens_for(engine.pool, "reset")
    def _on_reset(_dbapi_connection, record, _state) -> None:
        turn.give_back(record.info)  # a connection returned mid-transaction was rolled back

    @event.listens_for(engine.pool, "close")
    def _on_close(_dbapi_connection, record) -> None:
        turn.give_back(record.info)


class _WriteTurn:
    """One write transaction at a time per process and SQLite database, taken at its BEGIN.

    These events run just before SQLAlchemy ends the transaction; the turn must be given back
    after the end, so the end is done here (sqlite3's commit and rollback do nothing when no
    transaction is open, which makes SQLAlchemy's own call after this a no-op)."""

    HELD = "kompas_write_turn"  # key in a pooled connection's info: it holds the turn

    def __init__(self) -> None:
        self._lock = threading.Lock()  # released by whichever thread ends the transaction

    def take(self, info: dict) -> None:
        if not self._lock.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise Busy()
        info[self.HELD] = True

    def end(self, fairy, *, commit: bool) -> None:
        if not fairy.info.get(self.HELD):
            return
        try:
            dbapi = fairy.dbapi_connection
            dbapi.commit() if commit else dbapi.rollback()
        finally:
            self.give_back(fairy.info)

    def give_back(self, info: dict) -> None:
        if info.pop(self.HELD, False):
            self._lock.release()


engine = make_engine(settings.database_url, echo=settings.sql_echo)


def writer_of(bind: Engine) -> Engine:
    """The same engine, for transactions that will write."""
    return bind.execution_options(**{WRITES: True})


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request. The route commits once; anything uncommitted is rolled back.

    Made and closed on the event loop: a sync dependency costs two trips through the thread
    pool per request. Making a session touches no database, and neither does closing one whose
    transaction ended; one that still holds a connection is closed in a worker thread."""
    bind = writer_of(engine) if request.method in UNSAFE_METHODS else engine
    session = Session(bind, expire_on_commit=False)
    try:
        yield session
    finally:
        if session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def _as(session: Session, writes: bool) -> Engine | None:
    """Rebind a session made by get_session (and nothing else: tests bind to a connection)."""
    bind = session.bind
    if not isinstance(bind, Engine):
        return None
    session.bind = writer_of(bind) if writes else bind.execution_options(**{WRITES: False})
    return bind


@contextmanager
def reading(session: Session) -> Iterator[None]:
    """Reads, and slow work on what they found (checking a password), before a request writes:
    done without holding the write lock, which is taken when the writing starts."""
    session.commit()  # ends a transaction already begun: one connection at a time
    bind = _as(session, writes=False)
    try:
        yield
        session.commit()  # ends the read transaction; nothing was written
    finally:
        if bind is not None:
            session.bind = bind


@contextmanager
def writing(session: Session) -> Iterator[None]:
    """A small write on a read path, in a transaction of its own that waits for the lock."""
    session.commit()  # ends the read transaction; a read path has nothing pending
    bind = _as(session, writes=True)
    try:
        yield
        session.commit()
    finally:
        if bind is not None:
            session.bind = bind


def flush_or_invalid(session: Session, errors: dict[str, str]) -> None:
    """Flush inside a savepoint; a unique-constraint clash becomes a field message, not a 500."""
    try:
        with session.begin_nested():
            session.flush()
    except sa_exc.IntegrityError:
        raise Duplicate(errors) from None


def delete_or_conflict(session: Session, obj: object, message: str) -> None:
    """Delete inside a savepoint; a row still referenced elsewhere stays, with a clear message."""
    try:
        with session.begin_nested():
            session.delete(obj)
            session.flush()
    except sa_exc.IntegrityError:
        raise Conflict(message) from None


def attach(parents: Sequence[Any], name: str, children: Sequence[Any], key: str) -> None:
    """Fill the relationship `name` of each parent with its children as loaded, in their
    order: a bulk reader reads one table for many parents in one query (selectinload
    batches its IN lists at 500 parents, so a large organisation would take more)."""
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for child in children:
        grouped[getattr(child, key)].append(child)
    for parent in parents:
        set_committed_value(parent, name, grouped.get(parent.id, []))


def counts_per_cycle(
    session: Session,
    model: Any,
    cycle_ids: Sequence[int],
    *where: Any,
    via: tuple[Any, Any] | None = None,
) -> Counter[int]:
    """How many rows of `model` (matching `where`) each cycle has, in one grouped query. A
    table without a cycle of its own counts through its parent: `via=(Parent, Model.parent_id)`."""
    owner = via[0] if via else model
    stmt = select(owner.cycle_id, func.count()).select_from(model)
    if via:
        stmt = stmt.join(via[0], col(via[0].id) == via[1])
    stmt = stmt.where(col(owner.cycle_id).in_(cycle_ids), *where).group_by(owner.cycle_id)
    return Counter(dict(session.exec(stmt).all()))
