"""The outbox: work to be done after a commit (e-mail, for now), recorded in the same
transaction as what caused it.

A row is written with the change that asks for it, so a rolled-back change leaves no row and a
committed one is never forgotten, whatever happens to the process afterwards. The worker
(`app/worker.py`) claims due rows, does the work outside any transaction and records the
outcome; a failure is tried again later, after a pause that doubles each time.

Claiming is safe with several processes: candidates are read with `FOR UPDATE SKIP LOCKED`
on PostgreSQL (rows another worker is claiming are passed over, not waited for), and each is
taken by a conditional update that succeeds only while nobody holds it (SQLite, whose writers
take turns, needs nothing more). A claim is a lease: a worker that dies mid-send lets go of
its rows when the lease ends, and they are sent again. A message is therefore sent at least
once; the mail tests check that it arrives exactly once when nothing crashes.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, func, update
from sqlalchemy import exc as sa_exc
from sqlmodel import Field, Session, SQLModel, col, select

from app.tables import row_id, utc_now

LEASE = timedelta(minutes=5)  # how long a claim holds; a send takes seconds at most
FIRST_RETRY = timedelta(minutes=1)
LONGEST_PAUSE = timedelta(hours=1)
BATCH = 20  # rows one claim takes
WAKE = "kompas_outbox_wake"  # session.info key: this transaction added work


class OutboxMessage(SQLModel, table=True):
    """One piece of work: `kind` says which handler does it (app/jobs.py), `payload` what with
    (plain JSON, nothing secret); `secret` is the encrypted one-time link of a mail, erased once
    the work is done."""

    __tablename__ = "outbox"
    __table_args__ = (sa.Index("ix_outbox_due", "done_at", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    payload: dict[str, Any] = Field(sa_type=sa.JSON)
    secret: str | None = Field(default=None, sa_type=sa.Text)
    # At most one row per key, ever (a reminder per request): later enqueues are skipped.
    dedupe_key: str | None = Field(default=None, max_length=200, unique=True)
    created_at: datetime = Field(default_factory=utc_now)
    due_at: datetime = Field(default_factory=utc_now)
    attempts: int = 0
    claimed_until: datetime | None = None
    done_at: datetime | None = None
    failed: bool = False  # done, but given up on (an address the relay refuses for good)
    last_error: str | None = Field(default=None, max_length=500)


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    secret: str | None = None,
    dedupe_key: str | None = None,
    due_at: datetime | None = None,
) -> OutboxMessage | None:
    """Record work in the caller's transaction; None when `dedupe_key` was recorded before."""
    message = OutboxMessage(
        kind=kind, payload=payload, secret=secret, dedupe_key=dedupe_key, due_at=due_at or utc_now()
    )
    if dedupe_key is None:
        session.add(message)
        session.flush()
    else:
        try:
            with session.begin_nested():
                session.add(message)
                session.flush()
        except sa_exc.IntegrityError:
            return None
    session.info[WAKE] = True
    return message


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(WAKE, False):
        for wake in _listeners:
            wake()


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: Any) -> None:
    # Runs after after_commit; a rolled-back transaction's work was never recorded. A
    # savepoint's end leaves the outer transaction's rows, so only the outermost one counts.
    if transaction.parent is None:
        session.info.pop(WAKE, None)


_listeners: list[Callable[[], None]] = []


def on_commit(wake: Callable[[], None]) -> Callable[[], None]:
    """Call `wake` after every commit that recorded work (the in-server worker listens);
    returns the function that stops listening."""
    _listeners.append(wake)
    return lambda: _listeners.remove(wake)


@dataclass(frozen=True)
class Claimed:
    id: int
    kind: str
    payload: dict[str, Any]
    secret: str | None
    attempts: int


def claim(session: Session, now: datetime, limit: int = BATCH) -> list[Claimed]:
    """Take up to `limit` due rows for this worker, in one short transaction of the caller's."""
    candidates = session.exec(
        select(OutboxMessage)
        .where(
            col(OutboxMessage.done_at).is_(None),
            OutboxMessage.due_at <= now,
            sa.or_(
                col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now
            ),
        )
        .order_by(col(OutboxMessage.due_at), col(OutboxMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    taken = []
    for row in candidates:
        result = session.execute(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == row.id,
                col(OutboxMessage.done_at).is_(None),
                sa.or_(
                    col(OutboxMessage.claimed_until).is_(None),
                    col(OutboxMessage.claimed_until) < now,
                ),
            )
            .values(claimed_until=now + LEASE)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            taken.append(Claimed(row_id(row), row.kind, row.payload, row.secret, row.attempts))
    session.commit()
    return taken


def finish(session: Session, message_id: int, now: datetime, *, failed: bool = False) -> None:
    """The work is done (or given up on): the secret goes."""
    session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id)
        .values(done_at=now, failed=failed, secret=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def pause_after(attempts: int) -> timedelta:
    """1, 2, 4, ... minutes, at most an hour."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_PAUSE)


def retry_later(session: Session, message: Claimed, now: datetime, error: str) -> None:
    attempts = message.attempts + 1
    session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message.id)
        .values(
            attempts=attempts,
            due_at=now + pause_after(attempts),
            claimed_until=None,
            last_error=error[:500],
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()


def backlog(session: Session) -> int:
    """Rows not done yet, due or not (for a metric: a growing backlog means a relay is down)."""
    return session.exec(
        select(func.count()).select_from(OutboxMessage).where(col(OutboxMessage.done_at).is_(None))
    ).one()
