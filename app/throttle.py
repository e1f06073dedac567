"""Throttles on guessing (passwords, join codes, partner links): kept in the database, so that
every app process counts the same attempts, and exact under attempts at the same moment.

An attempt is reserved before it is checked: recorded in a short write transaction of its
own, committed, and only then are the recent attempts counted, its own included. Of N
attempts at once, the k-th to commit counts at least k (a statement that starts after its own
commit sees every earlier commit, on SQLite as on PostgreSQL), so at most `most` of them go
on to be checked, whatever the number of app processes; the others take their reservation
back. Counting first and recording afterwards let a whole burst through while none of it had
been recorded yet. The slow part (checking a password) holds no lock: the reservation is
committed before it starts.

A table whose rows have `pending` (sign-in) tells failures from attempts still being checked,
which may yet turn out right and then leave no trace. An attempt kept out only by those, or
by others that came at the same moment and may yet be taken back, waits for them (a room
signing in at once from one network address), for at most `wait`; once the failures alone
reach the limit it is refused at once, after one read and without writing.
"""

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import case, inspect
from sqlmodel import Session, col, delete, func, select, update

from app.db import reading, writing
from app.errors import AppError
from app.tables import Stored, utc_now

KEPT = timedelta(days=1)  # attempts older than this are forgotten
POLL_SECONDS = 0.05  # how often a waiting attempt looks again

Attempt = TypeVar("Attempt", bound=Stored)  # a table row


@dataclass(frozen=True)
class Limit:
    """At most `most` attempts within the window among the rows matching `where`."""

    most: int
    where: Sequence[Any]


def reserve(
    session: Session,
    table: type[Attempt],
    values: dict[str, Any],
    limits: Sequence[Limit],
    window: timedelta,
    refused: Callable[[], AppError],
    *,
    wait: timedelta = timedelta(seconds=5),
) -> Attempt:
    """Record an attempt, `table(**values)` (committed), if every limit allows one more; else
    raise `refused()` with nothing recorded. The caller keeps the row (a failure: `failed`
    when it was pending) or takes it back (`release`)."""
    deadline = time.monotonic() + wait.total_seconds()
    while True:
        counts = _counts(session, table, limits, window)
        if any(failures >= most for most, failures, _ in counts):
            raise refused()
        if all(total < most for most, _, total in counts):
            attempt = table(**values)
            with writing(session):
                session.add(attempt)
                session.exec(delete(table).where(inspect(table).columns["at"] < utc_now() - KEPT))
            counts = _counts(session, table, limits, window)  # its own included
            if all(total <= most for most, _, total in counts):
                return attempt
            release(session, attempt)  # others came first
        if time.monotonic() >= deadline:
            raise refused()
        time.sleep(POLL_SECONDS * (0.5 + random.random()))  # apart from the others waiting


def failed(session: Session, attempt: Stored) -> None:
    """A pending attempt turned out wrong: it counts as a failure from now on."""
    table: Any = type(attempt)
    with writing(session):
        session.exec(update(table).where(col(table.id) == attempt.id).values(pending=False))


def release(session: Session, attempt: Stored) -> None:
    """Take a reservation back (the attempt does not count), in a write of its own."""
    table: Any = type(attempt)
    with writing(session):
        session.exec(delete(table).where(col(table.id) == attempt.id))


def _counts(
    session: Session, table: Any, limits: Sequence[Limit], window: timedelta
) -> list[tuple[int, int, int]]:
    """Per limit: its most, the failures and all attempts (pending ones too) in the window."""
    since = utc_now() - window
    pending = getattr(table, "pending", None)
    failures = (
        func.count() if pending is None else func.coalesce(func.sum(case((pending, 0), else_=1)), 0)
    )
    with reading(session):
        counted = [
            session.exec(
                select(failures, func.count())
                .select_from(table)
                .where(*limit.where, col(table.at) >= since)
            ).one()
            for limit in limits
        ]
    return [(limit.most, f, t) for limit, (f, t) in zip(limits, counted, strict=True)]
