"""The background worker: does the outbox's work and runs the scheduled jobs.

It runs inside every server process (started with the app, woken after each commit that
recorded work, and polling every half minute for retries and schedules) or as a process of its
own (`kompas worker`). Any number may run at once: outbox rows are claimed (`app/outbox.py`)
and a scheduled job's turn is taken by a conditional update of its row, in the same
transaction as the job's own writes, so a job runs once per turn and a failed run is tried
again at the next poll. What the worker does is declared in `app/jobs.py`.
"""

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, update
from sqlalchemy import exc as sa_exc
from sqlmodel import Field, Session, SQLModel, col

from app import outbox
from app.db import writer_of
from app.outbox import Claimed
from app.tables import utc_now

POLL_SECONDS = 30.0
log = logging.getLogger("kompas.worker")


class ScheduledJob(SQLModel, table=True):
    """When a scheduled job is next due, shared by every worker."""

    __tablename__ = "scheduled_job"

    name: str = Field(primary_key=True, max_length=80)
    next_run_at: datetime
    last_run_at: datetime | None = None


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[Session, datetime], None]  # writes in the given transaction, never commits


class GiveUp(Exception):
    """Raised by a handler when trying again will not help."""


Handlers = dict[str, Callable[[Claimed], None]]


@dataclass(frozen=True)
class Work:
    """What a worker does: a handler per kind of outbox row, and the scheduled jobs."""

    handlers: Handlers
    jobs: Sequence[Job]


Sessions = Callable[[], Session]


def sessions_of(engine: Engine) -> Sessions:
    """Sessions that write (on SQLite their transactions begin with the write lock)."""
    return lambda: Session(writer_of(engine), expire_on_commit=False)


def run_jobs(sessions: Sessions, jobs: Sequence[Job], now: datetime) -> list[str]:
    """Run every job whose turn has come; returns the names of those that ran."""
    ran = []
    for job in jobs:
        with sessions() as session:
            try:
                with session.begin_nested():
                    session.add(ScheduledJob(name=job.name, next_run_at=now))
                    session.flush()
            except sa_exc.IntegrityError:
                pass  # another worker made its row first, or it was there already
            turn = session.execute(
                update(ScheduledJob)
                .where(col(ScheduledJob.name) == job.name, col(ScheduledJob.next_run_at) <= now)
                .values(next_run_at=now + job.every, last_run_at=now)
            )
            if turn.rowcount != 1:  # type: ignore[attr-defined]
                session.commit()
                continue
            try:
                job.run(session, now)
                session.commit()
                ran.append(job.name)
            except Exception:
                session.rollback()
                log.exception("scheduled job %s failed; it runs again at the next poll", job.name)
    return ran


def deliver_due(sessions: Sessions, work: Work, now: datetime) -> int:
    """Claim due outbox rows and do them, until none is left; returns how many succeeded."""
    done = 0
    with sessions() as session:
        while batch := outbox.claim(session, now):
            for message in batch:
                done += _do(session, work, message, now)
    return done


def _do(session: Session, work: Work, message: Claimed, now: datetime) -> int:
    try:
        work.handlers[message.kind](message)
    except GiveUp as exc:
        log.warning("outbox %s given up: %s", message.id, exc)
        outbox.finish(session, message.id, utc_now(), failed=True)
        return 0
    except Exception as exc:
        # The row keeps the relay's words; the log only their kind (they may name an address).
        log.warning(
            "outbox %s not done (attempt %d): %s",
            message.id,
            message.attempts + 1,
            type(exc).__name__,
        )
        outbox.retry_later(session, message, now, f"{type(exc).__name__}: {exc}")
        return 0
    outbox.finish(session, message.id, utc_now())
    return 1


def run_once(sessions: Sessions, work: Work, now: datetime | None = None) -> int:
    """The scheduled jobs whose turn has come, then the due outbox rows; returns how many of
    those were done."""
    now = now or utc_now()
    run_jobs(sessions, work.jobs, now)
    return deliver_due(sessions, work, now)


def run_forever(engine: Engine, work: Work, poll_seconds: float) -> None:
    """`kompas worker`: poll until stopped (Ctrl-C, SIGTERM)."""
    while True:
        try:
            run_once(sessions_of(engine), work)
        except sa_exc.OperationalError as exc:  # the database went away: try again later
            log.warning("worker could not reach the database: %s", type(exc).__name__)
        time.sleep(poll_seconds)


@asynccontextmanager
async def in_server(engine: Engine, work: Work) -> AsyncIterator[None]:
    """The worker as a task of a server process, woken after each commit that recorded work."""
    loop = asyncio.get_running_loop()
    wake = asyncio.Event()

    def woken() -> None:
        loop.call_soon_threadsafe(wake.set)

    stop_listening = outbox.on_commit(woken)

    async def loop_forever() -> None:
        while True:
            wake.clear()
            try:
                await asyncio.to_thread(run_once, sessions_of(engine), work)
            except Exception:
                log.exception("background work failed; trying again at the next poll")
            with suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), POLL_SECONDS)

    task = asyncio.create_task(loop_forever(), name="kompas-worker")
    try:
        yield
    finally:
        stop_listening()
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
