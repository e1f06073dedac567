"""The outbox as several workers share it: each row is claimed by one of them, and a failed
one waits longer each time."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete
from sqlmodel import Session

from app import outbox
from app.db import writer_of
from app.outbox import OutboxMessage
from app.tables import utc_now

KIND = "test-claims"


@pytest.fixture
def committed_rows(engine):
    """30 due rows, committed for real (the workers are other connections)."""
    with Session(writer_of(engine)) as session:
        for number in range(30):
            outbox.enqueue(session, KIND, {"number": number})
        session.commit()
    yield
    with Session(writer_of(engine)) as session:
        session.exec(delete(OutboxMessage).where(OutboxMessage.kind == KIND))  # type: ignore[call-overload]
        session.commit()


def test_workers_at_once_claim_each_row_once(engine, committed_rows):
    claimed: list[list[int]] = [[] for _ in range(4)]
    start = threading.Barrier(4)
    now = utc_now()

    def work(index: int) -> None:
        start.wait()
        with Session(writer_of(engine), expire_on_commit=False) as session:
            while batch := outbox.claim(session, now, limit=3):
                claimed[index].extend(message.id for message in batch)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [message_id for ids in claimed for message_id in ids]
    assert len(every) == 30
    assert len(set(every)) == 30
    with Session(engine) as session:
        assert outbox.backlog(session) >= 30  # claimed, not done


def test_a_claim_ends_when_its_lease_does(session):
    outbox.enqueue(session, KIND, {})
    now = utc_now()
    assert len(outbox.claim(session, now)) == 1
    assert outbox.claim(session, now + timedelta(minutes=1)) == []
    assert len(outbox.claim(session, now + outbox.LEASE + timedelta(seconds=1))) == 1


def test_a_failure_waits_longer_each_time_up_to_an_hour():
    pauses = [outbox.pause_after(n) for n in range(1, 10)]
    assert pauses[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert pauses == sorted(pauses)
    assert pauses[-1] == outbox.LONGEST_PAUSE


def test_a_key_is_recorded_once(session):
    assert outbox.enqueue(session, KIND, {}, dedupe_key="een") is not None
    assert outbox.enqueue(session, KIND, {}, dedupe_key="een") is None
    assert outbox.backlog(session) == 1
