"""The background worker: scheduled jobs run once per turn however many workers there are,
and the worker in a server process starts on the commit that recorded work."""

import asyncio
import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete
from sqlmodel import Session

from app import outbox, worker
from app.db import writer_of
from app.outbox import OutboxMessage
from app.tables import utc_now
from tests.event_loop import run


@pytest.fixture
def sessions(session):
    return lambda: Session(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )


def test_a_scheduled_job_runs_once_per_turn(sessions):
    runs = []
    job = worker.Job("test-count", timedelta(hours=1), lambda _session, now: runs.append(now))
    now = utc_now()
    assert worker.run_jobs(sessions, [job], now) == ["test-count"]
    assert worker.run_jobs(sessions, [job], now + timedelta(minutes=59)) == []  # another worker
    assert worker.run_jobs(sessions, [job], now + timedelta(hours=1)) == ["test-count"]
    assert len(runs) == 2


def test_a_failed_job_changes_nothing_and_runs_again_at_the_next_poll(session, sessions):
    attempts = []

    def flaky(job_session: Session, _now) -> None:
        outbox.enqueue(job_session, "test-job", {})
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("the first run fails")

    job = worker.Job("test-flaky", timedelta(days=1), flaky)
    now = utc_now()
    assert worker.run_jobs(sessions, [job], now) == []
    assert outbox.backlog(session) == 0
    assert worker.run_jobs(sessions, [job], now + timedelta(seconds=30)) == ["test-flaky"]
    assert outbox.backlog(session) == 1


def test_a_handler_that_gives_up_is_not_tried_again(session, sessions):
    def refuse(_message) -> None:
        raise worker.GiveUp("nobody there")

    outbox.enqueue(session, "test-refused", {})
    work = worker.Work(handlers={"test-refused": refuse}, jobs=())
    assert worker.run_once(sessions, work) == 0
    assert outbox.backlog(session) == 0


def test_the_worker_in_the_server_starts_on_the_commit(engine):
    done = threading.Event()
    work = worker.Work(handlers={"test-woken": lambda _message: done.set()}, jobs=())

    def commit_work() -> None:
        with Session(writer_of(engine)) as session:
            outbox.enqueue(session, "test-woken", {})
            session.commit()

    async def serve() -> bool:
        async with worker.in_server(engine, work):
            await asyncio.sleep(0.2)  # the first round finds nothing; then it waits
            await asyncio.to_thread(commit_work)
            # Well before the next poll (30 s): woken by the commit.
            return await asyncio.to_thread(done.wait, 5)

    try:
        assert run(serve())
    finally:
        with Session(writer_of(engine)) as session:
            session.exec(delete(OutboxMessage).where(OutboxMessage.kind == "test-woken"))  # type: ignore[call-overload]
            session.commit()
