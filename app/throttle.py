"""Throttles on guessing (passwords, join codes, partner links): kept in the database, so that
every app process counts the same attempts, and exact under attempts at the same moment.

An attempt is reserved before it is checked: recorded in a short write transaction of its
own, committed, and only then are the recent attempts counted, its own included. Of N
attempts at once, the k-th to commit counts at least k (a statement that starts after its own
commit sees every earlier commit, on SQLite as on PostgreSQL), so at most `most` of them go
on to be checked, whatever the number of app processes; the others are refused and take their
reservation back. Counting first and recording afterwards let every attempt of a burst through
while none had been recorded yet. The slow part (checking a password) holds no lock: the
reservation is committed before it starts.

An address or account already at its limit is refused after one read, without writing.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from sqlmodel import Session, col, delete, func, select

from app.db import reading, writing
from app.errors import AppError
from app.tables import utc_now

KEPT = timedelta(days=1)  # attempts older than this are forgotten


class Attempt(Protocol):
    """A row of an attempts table: its id and when it was made."""

    id: int | None
    at: Any


@dataclass(frozen=True)
class Limit:
    """At most `most` attempts within the window among the rows matching `where`."""

    most: int
    where: Sequence[Any]


def reserve(
    session: Session,
    attempt: Attempt,
    limits: Sequence[Limit],
    window: timedelta,
    refused: Callable[[], AppError],
) -> Attempt:
    """Record `attempt` (committed) if every limit allows one more; else raise `refused()`
    with nothing recorded. The caller keeps the row to count a failure, or `release`s it."""
    table = type(attempt)
    if _reached(session, table, limits, window, extra=1):
        raise refused()
    with writing(session):
        session.add(attempt)
        session.exec(delete(table).where(col(table.at) < utc_now() - KEPT))  # type: ignore[arg-type]
    if _reached(session, table, limits, window, extra=0):
        release(session, attempt)
        raise refused()
    return attempt


def release(session: Session, attempt: Attempt) -> None:
    """Take a reservation back (the attempt does not count), in a write of its own."""
    table = type(attempt)
    with writing(session):
        session.exec(delete(table).where(col(table.id) == attempt.id))  # type: ignore[arg-type]


def _reached(
    session: Session, table: Any, limits: Sequence[Limit], window: timedelta, *, extra: int
) -> bool:
    """Whether `extra` more attempts would take any limit past its most."""
    since = utc_now() - window
    with reading(session):
        return any(
            session.exec(
                select(func.count()).select_from(table).where(*limit.where, table.at >= since)
            ).one()
            + extra
            > limit.most
            for limit in limits
        )
