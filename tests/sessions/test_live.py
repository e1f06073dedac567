"""Live updates: what wakes a screen. The revision moves with everything a screen shows; on
PostgreSQL a committed vote reaches a listening process through NOTIFY."""

import asyncio
import uuid

import psycopg
import pytest
from sqlmodel import Session

from app import db, migrate
from app.choices import Perspective
from app.db import make_engine
from app.sessions import joining, notify, revision, running, voting
from app.sessions import live as live_updates
from app.sessions.models import Participant
from tests import factories
from tests.conftest import BACKENDS, fresh_database
from tests.event_loop import run


def test_every_change_a_screen_shows_moves_the_revision(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "dots", several_per_item=True)
    second = factories.make_round(session, live, "input")
    item = running.add_item(session, round_, "Keuze A")
    seen = [revision.of(session, live.id)]

    def changed() -> bool:
        now = revision.of(session, live.id)
        new = now not in seen
        seen.append(now)
        return new

    running.start_round(session, round_)
    assert changed()
    _, person = joining.join(session, live, Perspective.RESIDENT, None)
    assert changed()
    voting.cast_dot(session, person, round_.id, item.id, str(uuid.uuid4()))
    assert changed()
    running.set_results_hidden(session, round_, True)
    assert changed()
    running.edit_item(session, item, "Keuze B")  # the same length: the projector must see it
    assert changed()
    running.move_round(session, second, up=True)  # two rounds swap places
    assert changed()
    running.set_item_hidden(session, item, True)
    assert changed()
    running.close_round(session, round_)
    assert changed()
    joining.renew_code(session, live)  # the projector shows the code
    assert changed()
    assert not changed()


@pytest.mark.skipif("postgresql" not in BACKENDS, reason="no PostgreSQL server")
def test_a_vote_committed_elsewhere_wakes_a_listening_process(tmp_path, monkeypatch):
    with fresh_database("postgresql", str(tmp_path)) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        monkeypatch.setattr(db, "engine", engine)  # this process's app database
        try:
            with Session(engine, expire_on_commit=False) as session:
                cycle = factories.make_cycle(session, factories.make_organisation(session))
                live = factories.make_live_session(session, cycle)
                round_ = factories.make_round(session, live, "dots")
                item = running.add_item(session, round_, "Keuze")
                running.start_round(session, round_)
                _, person = joining.join(session, live, Perspective.PROVIDER, None)
                session.commit()

            async def follow() -> tuple[int, int]:
                hub = live_updates.Hub()
                watch = await hub.follow(live.id)
                before = watch.version
                waiting = watch.changed
                await asyncio.sleep(0.5)  # the listener connects

                def vote() -> None:  # another connection, as another process would
                    with Session(db.writer_of(engine)) as other:
                        voter = other.get_one(Participant, person.id)
                        voting.cast_dot(other, voter, round_.id, item.id, str(uuid.uuid4()))
                        other.commit()

                await asyncio.to_thread(vote)
                # Well before the safety poll (5 s): the notification woke the watch.
                await asyncio.wait_for(waiting.wait(), timeout=live_updates.SAFETY_POLL - 1)
                after = watch.version
                hub.leave(watch)
                if hub.listener:
                    hub.listener.cancel()
                return before, after

            before, after = run(follow())
            assert after == before + 1
        finally:
            engine.dispose()


@pytest.mark.skipif("postgresql" not in BACKENDS, reason="no PostgreSQL server")
def test_changes_close_together_wake_each_session_once(tmp_path):
    """Every request binds an engine object of its own; the changes its writes make to one
    session within the window still go out as one notification, after the commits."""
    with fresh_database("postgresql", str(tmp_path)) as url:
        engine = make_engine(url)
        listen_url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        try:
            with psycopg.connect(listen_url, autocommit=True) as listener:
                listener.execute(f"LISTEN {notify.CHANNEL}")
                sender = notify.Sender()
                for _ in range(5):  # five requests' commits on one session
                    sender.add(db.writer_of(engine), {42})
                sender.add(db.writer_of(engine), {42, 43})
                payloads = [
                    message.payload
                    for message in listener.notifies(timeout=notify.WINDOW * 20, stop_after=3)
                ]
            assert sorted(payloads) == ["42", "43"]
        finally:
            engine.dispose()


class _Open:
    async def is_disconnected(self) -> bool:
        return False


def test_a_phone_stream_sleeps_through_the_votes_and_shares_one_render(monkeypatch):
    """A change of the revision (a vote) wakes the projector's stream but no phone's: 2,000
    phones woke five times a second to send nothing. A new round wakes every phone, and their
    render is made once for all of them."""
    hub = live_updates.Hub()
    monkeypatch.setattr(live_updates, "hub", hub)

    async def refresh(watch) -> None:  # nothing read: the test moves the watch itself
        return None

    monkeypatch.setattr(hub, "_refresh", refresh)
    rendered: list[str] = []

    def shared(session, session_id: int) -> str:
        rendered.append(hub.watches[session_id].round_state)
        return rendered[-1]

    async def room() -> list[list[str]]:
        render = live_updates.shared(shared)
        phones = [live_updates._follow(_Open(), 7, render, "ronde", None, True) for _ in range(5)]
        seen: list[list[str]] = [[] for _ in phones]

        async def read(n: int) -> None:
            async for chunk in phones[n]:
                seen[n].append(chunk)

        readers = [asyncio.create_task(read(n)) for n in range(len(phones))]
        await asyncio.sleep(0.1)
        watch = hub.watches[7]
        for moved in range(1, 4):  # votes: the revision moves, the round does not
            watch.revision = moved
            watch.publish(round_changed=False)
            await asyncio.sleep(0.05)
        watch.revision, watch.round_state = 4, "12:open:running"
        watch.publish(round_changed=True)
        await asyncio.sleep(0.2)
        for reader in readers:
            reader.cancel()
        return seen

    seen = run(room())
    assert rendered == ["", "12:open:running"]  # once at the start, once for the new round
    for chunks in seen:
        events = [c for c in chunks if c.startswith("event:")]
        assert events == ["event: ronde\ndata: \n\n", "event: ronde\ndata: 12:open:running\n\n"]
