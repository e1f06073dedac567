"""The quick path for a dot takes a vote only when the full path would take it, with the same
confirmation; everything else it leaves to the full path (which refuses or repeats)."""

import asyncio
import threading
import uuid
from concurrent.futures import Future

import pytest
from sqlmodel import Session, func, select

from app import migrate
from app.choices import Perspective
from app.db import make_engine
from app.errors import InvalidInput
from app.sessions import joining, quick_vote, running, voting
from app.sessions.models import Vote
from tests import factories
from tests.conftest import fresh_database
from tests.event_loop import run


@pytest.fixture
def live(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    return factories.make_live_session(session, cycle)


def stored(session, participant_id: int) -> int:
    return session.exec(select(func.count()).where(Vote.participant_id == participant_id)).one()


def test_quick_path_takes_only_what_the_full_path_accepts(session, live, organisation):
    round_ = factories.make_round(session, live, "dots", dots=2, several_per_item=False)
    first = running.add_item(session, round_, "Minder terugval")
    second = running.add_item(session, round_, "Meer meedoen")
    hidden = running.add_item(session, round_, "Verborgen")
    running.set_item_hidden(session, hidden, True)
    other_round = factories.make_round(session, live, "dots", dots=5)
    elsewhere = running.add_item(session, other_round, "Uit een andere ronde")
    token, participant = joining.join(session, live, Perspective.RESIDENT, None)

    def quick(item, key, round_id=round_.id, code=live.join_code, token=token):
        return quick_vote.cast_dot(session, code, token, str(round_id), str(item.id), key)

    assert quick(first, "sleutel-0001") is None  # the round is not open yet
    running.start_round(session, round_)

    receipt = quick(first, "sleutel-0001")
    assert receipt == voting.Receipt("sleutel-0001", round_.id, first.id, 1, 2)
    assert stored(session, participant.id) == 1
    # A resend: the same confirmation as the full path's, marked as a repeat; stored once.
    repeated = voting.cast_dot(session, participant, round_.id, first.id, "sleutel-0001")
    assert repeated.repeated and repeated.used == 1
    assert quick(first, "sleutel-0001") == repeated
    assert quick(second, "sleutel-0001") == repeated  # the key names the dot, not the ballot

    # What the full path refuses, the quick path never takes.
    assert quick(first, "sleutel-0002") is None  # one dot per item in this round
    with pytest.raises(voting.Refused):
        voting.cast_dot(session, participant, round_.id, first.id, "sleutel-0002")
    for item in (hidden, elsewhere):
        assert quick(item, "sleutel-0003") is None
        with pytest.raises(InvalidInput):
            voting.cast_dot(session, participant, round_.id, item.id, "sleutel-0003")
    assert quick(first, "kort") is None  # a key the page did not make
    assert quick(first, "sleutel-0004", token="een-ander-token") is None
    assert quick(first, "sleutel-0004", code="AAAAAAAAAA") is None
    assert stored(session, participant.id) == 1

    assert quick(second, "sleutel-0005").used == 2
    third = running.add_item(session, round_, "Nog een keuze")
    assert quick(third, "sleutel-0006") is None  # the allowance is used up
    with pytest.raises(voting.Refused):
        voting.cast_dot(session, participant, round_.id, third.id, "sleutel-0006")

    running.pause_round(session, round_)
    assert quick(third, "sleutel-0007") is None
    # A resend still gets its confirmation while the round stands still, as on the full path.
    full = voting.cast_dot(session, participant, round_.id, first.id, "sleutel-0001")
    assert quick(first, "sleutel-0001") == full and full.used == 2
    assert stored(session, participant.id) == 2


def test_several_dots_on_one_item_and_closed_sessions(session, live):
    round_ = factories.make_round(session, live, "dots", dots=3, several_per_item=True)
    item = running.add_item(session, round_, "Minder terugval")
    running.start_round(session, round_)
    token, participant = joining.join(session, live, Perspective.PROVIDER, "Sanne")

    def quick(key):
        return quick_vote.cast_dot(
            session, live.join_code, token, str(round_.id), str(item.id), key
        )

    assert [quick(f"sleutel-000{n}").used for n in range(1, 4)] == [1, 2, 3]
    assert quick("sleutel-0004") is None
    running.close_session(session, live)
    assert quick("sleutel-0005") is None
    assert stored(session, participant.id) == 3


@pytest.fixture
def open_room(backend, tmp_path):
    """A running dots round on a database of its own, with an engine (the writer's path)."""
    with fresh_database(backend, str(tmp_path)) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        try:
            with Session(engine, expire_on_commit=False) as session:
                organisation = factories.make_organisation(session)
                live = factories.make_live_session(
                    session, factories.make_cycle(session, organisation)
                )
                round_ = factories.make_round(session, live, "dots", dots=40)
                items = [running.add_item(session, round_, f"Keuze {n}") for n in range(30)]
                running.start_round(session, round_)
                token, _ = joining.join(session, live, Perspective.RESIDENT, None)
                session.commit()
            yield engine, live, round_, items, token
        finally:
            assert quick_vote.close(timeout=30)
            engine.dispose()


def test_closing_writes_every_dot_handed_over_then_a_new_writer_takes_over(open_room):
    """A process stopping (app/stopping.py) closes its writers: every dot queued before is
    written and confirmed, but one whose request was cancelled; a dot after it gets a writer
    of its own and is not left waiting."""
    engine, live, round_, items, token = open_room

    def handed(item) -> Future:
        one = quick_vote.ballot(
            live.join_code, token, str(round_.id), str(item.id), str(uuid.uuid4())
        )
        assert one is not None
        return quick_vote.submit(engine, one)

    # A request cancelled before the writer took its dot (a stop's timeout): left out.
    cancelled = quick_vote.ballot(
        live.join_code, token, str(round_.id), str(items[29].id), str(uuid.uuid4())
    )
    assert cancelled is not None and cancelled.answer.cancel()
    quick_vote.submit(engine, cancelled)
    answers = [handed(item) for item in items[:25]]
    assert quick_vote.close(timeout=30)
    assert all(answer.done() and answer.result() is not None for answer in answers)
    later = handed(items[25]).result(timeout=30)
    assert later is not None and later.used == 26
    assert quick_vote.close(timeout=30)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Vote)).one() == 26


def test_a_busy_writer_gathers_dots_and_a_lone_dot_is_written_at_once(open_room, monkeypatch):
    """Group commit: after a batch with company the writer waits a moment for more dots;
    after a batch of one it writes the next dot at once."""
    engine, live, round_, items, token = open_room
    gathered: list[float] = []
    monkeypatch.setattr(quick_vote, "_gather", lambda: gathered.append(quick_vote.GATHER_SECONDS))
    writing, release = threading.Event(), threading.Event()
    original = quick_vote._Writer._write

    def held(self, batch):
        writing.set()
        assert release.wait(30)
        return original(self, batch)

    monkeypatch.setattr(quick_vote._Writer, "_write", held)

    def hand(item) -> Future:
        one = quick_vote.ballot(
            live.join_code, token, str(round_.id), str(item.id), uuid.uuid4().hex
        )
        assert one is not None
        return quick_vote.submit(engine, one)

    first = hand(items[0])
    assert writing.wait(30)  # the lone first dot is being written, nobody waited for more
    queued = [hand(item) for item in items[1:4]]  # meanwhile: the room gets busy
    release.set()
    assert [a.result(timeout=30).used for a in [first, *queued]] == [1, 2, 3, 4]
    assert gathered == []  # both batches began at once: neither followed a busy one
    assert hand(items[4]).result(timeout=30).used == 5  # after a batch of three: gathered
    assert gathered == [quick_vote.GATHER_SECONDS]
    assert hand(items[5]).result(timeout=30).used == 6  # after a batch of one: at once
    assert gathered == [quick_vote.GATHER_SECONDS]


def test_requests_on_the_event_loop_get_their_confirmations_and_a_cancelled_one_is_left_out(
    open_room, monkeypatch
):
    """cast_dot_waiting: the dots of concurrent requests are confirmed each; a request
    cancelled before the writer took its dot (a stop's timeout) leaves nothing stored."""
    engine, live, round_, items, token = open_room
    release = threading.Event()
    original = quick_vote._Writer._write

    def held(self, batch):
        assert release.wait(30)
        return original(self, batch)

    monkeypatch.setattr(quick_vote._Writer, "_write", held)

    async def requests():
        def one(item):
            with Session(engine) as session:
                return quick_vote.cast_dot_waiting(
                    session, live.join_code, token, str(round_.id), str(item.id), uuid.uuid4().hex
                )

        blocking = asyncio.ensure_future(one(items[0]))  # the writer holds this one
        await asyncio.sleep(0.05)
        cancelled = asyncio.ensure_future(one(items[1]))  # queued behind it
        await asyncio.sleep(0.05)
        cancelled.cancel()
        others = [asyncio.ensure_future(one(item)) for item in items[2:6]]
        await asyncio.sleep(0.05)
        release.set()
        confirmed = [await blocking, *await asyncio.gather(*others)]
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        return confirmed

    confirmed = run(requests())
    assert sorted(receipt.used for receipt in confirmed) == [1, 2, 3, 4, 5]
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Vote)).one() == 5
