"""Many phones voting at the same moment, against a real database (SQLite and PostgreSQL),
each vote as a request would do it (in its own transaction, or through the process's writer of
dots and then, for what that leaves, in its own transaction): the allowance is never exceeded,
no confirmed vote is lost, and a resent vote counts once."""

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from app import migrate
from app.choices import Perspective
from app.db import make_engine, writer_of
from app.sessions import joining, quick_vote, running, voting
from app.sessions.models import Participant, Vote
from tests import factories
from tests.conftest import fresh_database

PHONES = 6
TRIES = 12  # per phone, all at once: more than the allowance
DOTS = 4


@dataclass
class Voting:
    engine: Engine
    code: str
    round_id: int
    items: list[int]
    phones: list[int]
    tokens: dict[int, str]


@pytest.fixture
def room(backend, tmp_path):
    with fresh_database(backend, str(tmp_path)) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            organisation = factories.make_organisation(session)
            cycle = factories.make_cycle(session, organisation)
            live = factories.make_live_session(session, cycle)
            round_ = factories.make_round(session, live, "dots", dots=DOTS, several_per_item=True)
            items = [running.add_item(session, round_, f"Keuze {n}") for n in range(3)]
            running.start_round(session, round_)
            joined = [
                joining.join(session, live, Perspective.PROVIDER, None) for _ in range(PHONES)
            ]
            session.commit()
        try:
            yield Voting(
                engine,
                live.join_code,
                round_.id,
                [i.id for i in items],
                [p.id for _, p in joined],
                {p.id: token for token, p in joined},
            )
        finally:
            engine.dispose()


def cast(engine, participant_id: int, round_id: int, item_id: int, key: str):
    """One request: its own write transaction; a refusal rolls back and changes nothing."""
    with Session(writer_of(engine)) as session:
        participant = session.get_one(Participant, participant_id)
        try:
            receipt = voting.cast_dot(session, participant, round_id, item_id, key)
        except voting.Refused:
            session.rollback()
            return None
        session.commit()
        return receipt


def by_the_route(room: Voting, participant_id: int, round_id: int, item_id: int, key: str):
    """As the vote route does it: the quick path (the process's writer, in batches), and the
    full path for what the quick path leaves to it."""
    with Session(writer_of(room.engine)) as session:
        token = room.tokens[participant_id]
        receipt = quick_vote.cast_dot(session, room.code, token, str(round_id), str(item_id), key)
    if receipt is not None:
        return receipt
    return cast(room.engine, participant_id, round_id, item_id, key)


@pytest.mark.parametrize("path", ["full", "route"])
def test_concurrent_votes_never_exceed_the_allowance_nor_get_lost(room, path):
    engine, round_id, items, phones = room.engine, room.round_id, room.items, room.phones
    start = threading.Barrier(PHONES * TRIES)
    # Every phone sends each of its first two keys twice (a resend after a dropped answer).
    jobs = []
    for phone in phones:
        keys = [str(uuid.uuid4()) for _ in range(TRIES - 2)]
        keys += keys[:2]
        jobs += [(phone, items[n % len(items)], key) for n, key in enumerate(keys)]

    def run(job):
        phone, item, key = job
        start.wait()
        if path == "full":
            return phone, cast(engine, phone, round_id, item, key)
        return phone, by_the_route(room, phone, round_id, item, key)

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
