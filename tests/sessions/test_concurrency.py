"""Many phones voting at the same moment, against a real database (SQLite and PostgreSQL),
each vote in its own transaction as a request would do it: the allowance is never exceeded,
no confirmed vote is lost, and a resent vote counts once."""

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import Session, func, select

from app import migrate
from app.choices import Perspective
from app.db import make_engine, writer_of
from app.sessions import service as sessions_service
from app.sessions.models import Participant, Vote
from tests import factories
from tests.conftest import fresh_database

PHONES = 6
TRIES = 12  # per phone, all at once: more than the allowance
DOTS = 4


@pytest.fixture
def voting(backend, tmp_path):
    with fresh_database(backend, str(tmp_path)) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            organisation = factories.make_organisation(session)
            cycle = factories.make_cycle(session, organisation)
            live = factories.make_live_session(session, cycle)
            round_ = factories.make_round(session, live, "dots", dots=DOTS, several_per_item=True)
            items = [sessions_service.add_item(session, round_, f"Keuze {n}") for n in range(3)]
            sessions_service.start_round(session, round_)
            phones = [
                sessions_service.join(session, live, Perspective.PROVIDER, None)[1]
                for _ in range(PHONES)
            ]
            session.commit()
        try:
            yield engine, round_.id, [i.id for i in items], [p.id for p in phones]
        finally:
            engine.dispose()


def cast(engine, participant_id: int, round_id: int, item_id: int, key: str):
    """One request: its own write transaction; a refusal rolls back and changes nothing."""
    with Session(writer_of(engine)) as session:
        participant = session.get_one(Participant, participant_id)
        try:
            receipt = sessions_service.cast_dot(session, participant, round_id, item_id, key)
        except sessions_service.Refused:
            session.rollback()
            return None
        session.commit()
        return receipt


def test_concurrent_votes_never_exceed_the_allowance_nor_get_lost(voting):
    engine, round_id, items, phones = voting
    start = threading.Barrier(PHONES * TRIES)
    # Every phone sends each of its first two keys twice (a resend after a dropped answer).
    jobs = []
    for phone in phones:
        keys = [str(uuid.uuid4()) for _ in range(TRIES - 2)]
        keys += keys[:2]
        jobs += [(phone, items[n % len(items)], key) for n, key in enumerate(keys)]

    def run(job):
        start.wait()
        return job[0], cast(engine, job[0], round_id, job[1], job[2])

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        answers = list(pool.map(run, jobs))

    confirmed = Counter(
        phone for phone, receipt in answers if receipt is not None and not receipt.repeated
    )
    with Session(engine) as session:
        stored = Counter(
            dict(
                session.exec(
                    select(Vote.participant_id, func.count()).group_by(Vote.participant_id)
                ).all()
            )
        )
    assert all(stored[phone] == DOTS for phone in phones)  # up to the allowance, never over
    assert stored == confirmed  # every confirmed vote is stored, and only those
    for _phone, receipt in answers:
        if receipt is not None:
            assert receipt.used <= DOTS
