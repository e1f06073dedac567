"""Graceful restarts (app/stopping.py) of a real `kompas serve`: SIGTERM in the middle of a
room voting. Every vote the server confirmed is stored; every phone whose vote was not
confirmed resends it with the same key, as the page's script does (static/js/session-vote.js),
to the restarted server, and it is counted once. A live stream open at the signal ends with a
retry hint, and the server exits without waiting out its graceful timeout; a request that
never finishes holds it no longer than that timeout.

One database: PostgreSQL, as deployed (SQLite without it). The dots take the same writer on
both, and starting two real servers per database would double the time of a slow test."""

import asyncio
import signal
import socket
import time
from dataclasses import dataclass, field

import httpx
from sqlmodel import Session, col, func, select

from app import migrate
from app.db import make_engine
from app.sessions import running
from app.sessions.models import Vote
from bench.server import kompas_serve
from bench.session_clients import Failed, Phone, join, new_key, pool, vote
from tests import factories
from tests.conftest import BACKENDS, fresh_database
from tests.event_loop import run

PHONES = 24
DOTS = 3  # each phone gives all its dots, one after another, as the page sends them
SHUTDOWN_TIMEOUT = 60  # long: the server must stop well before it, by itself
TERM_AFTER = PHONES  # confirmed votes before the signal: the room is mid-burst


@dataclass
class Room:
    url: str  # the database's
    code: str
    round_id: int
    items: list[int]
    phones: list[Phone] = field(default_factory=list)


def _room(url: str) -> Room:
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        organisation = factories.make_organisation(session)
        live = factories.make_live_session(session, factories.make_cycle(session, organisation))
        round_ = factories.make_round(session, live, "dots", dots=DOTS)
        items = [running.add_item(session, round_, f"Resultaat {n}") for n in range(DOTS + 1)]
        running.start_round(session, round_)
        session.commit()
    engine.dispose()
    return Room(url, live.join_code, round_.id, [i.id for i in items])  # type: ignore[arg-type,misc]


def _stored(url: str) -> dict[str, int]:
    """Every stored dot's key, and how often it is stored."""
    engine = make_engine(url)
    with Session(engine) as session:
        rows = session.exec(select(Vote.key, func.count()).group_by(col(Vote.key))).all()
    engine.dispose()
    return dict(rows)


@dataclass
class Ballots:
    """Per phone, its dots in the order the page would send them (key, item)."""

    waiting: dict[int, list[tuple[str, int]]]
    confirmed: list[str] = field(default_factory=list)


async def _vote_all(client: httpx.AsyncClient, room: Room, ballots: Ballots, phone: Phone) -> None:
    """Send this phone's waiting dots one by one; a dot not confirmed (no answer, a server
    error) stays first in its queue, with the ones after it, until the phone tries again."""
    queue = ballots.waiting[phone.number]
    while queue:
        key, item = queue[0]
        try:
            await vote(client, room.code, phone, room.round_id, item, key)
        except (httpx.TransportError, Failed) as exc:
            if isinstance(exc, Failed) and " answered 5" not in str(exc):
                raise  # a refusal: the server decided, a resend would not change it
            return
        queue.pop(0)
        ballots.confirmed.append(key)


async def _follow(client: httpx.AsyncClient, room: Room, phone: Phone, lines: list[str]) -> None:
    """A phone's live stream, read until the server ends it."""
    headers = {"Cookie": phone.headers["Cookie"], "Accept": "text/event-stream"}
    async with client.stream("GET", f"/doe-mee/{room.code}/live", headers=headers) as stream:
        assert stream.status_code == 200
        async for line in stream.aiter_lines():
            lines.append(line)


def test_sigterm_mid_burst_loses_no_confirmed_vote_and_resends_count_once(tmp_path):
    backend = BACKENDS[-1]
    log = tmp_path / "server.log"
    with fresh_database(backend, str(tmp_path)) as url:
        migrate.upgrade(url)
        room = _room(url)
        ballots = Ballots(
            {
                n: [(new_key(), room.items[(n + d) % len(room.items)]) for d in range(DOTS)]
                for n in range(PHONES)
            }
        )
        stream_lines: list[str] = []
        at_the_signal: list[str] = []  # the votes confirmed when the signal was sent

        with kompas_serve(url, log, SHUTDOWN_TIMEOUT) as (base_url, process):

            async def burst_then_sigterm() -> None:
                async with pool(base_url, PHONES + 2) as client:
                    room.phones = [Phone(n) for n in range(PHONES)]
                    await asyncio.gather(*(join(client, room.code, p) for p in room.phones))
                    following = asyncio.create_task(
                        _follow(client, room, room.phones[0], stream_lines)
                    )
                    while not any(line.startswith("event:") for line in stream_lines):
                        await asyncio.sleep(0.02)
                    voting = [
                        asyncio.create_task(_vote_all(client, room, ballots, p))
                        for p in room.phones
                    ]
                    while len(ballots.confirmed) < TERM_AFTER and not all(
                        task.done() for task in voting
                    ):
                        await asyncio.sleep(0.005)
                    process.send_signal(signal.SIGTERM)
                    at_the_signal.extend(ballots.confirmed)
                    await asyncio.gather(*voting)
                    await asyncio.wait_for(following, SHUTDOWN_TIMEOUT / 2)

            run(burst_then_sigterm())
            # Bounded only so that a hang fails the test instead of stalling the suite. uvicorn
            # raises the signal again once it has shut down, to exit as the signal asks.
            assert process.wait(timeout=SHUTDOWN_TIMEOUT) in (0, -signal.SIGTERM)

        written = log.read_text()
        assert "Application shutdown complete." in written, written[-3000:]
        assert "timeout graceful shutdown exceeded" not in written, written[-3000:]
        assert "vote writer did not finish" not in written
        # The stream ended by the server, cleanly, with the hint to come back.
        assert [line for line in stream_lines if line][-1].startswith("retry: "), stream_lines
        stored = _stored(url)
        assert set(ballots.confirmed) <= set(stored)  # nothing confirmed was lost
        unconfirmed = [key for queue in ballots.waiting.values() for key, _ in queue]
        assert unconfirmed  # the signal came mid-burst
        # The requests in flight at the signal were answered: their votes confirmed, stored.
        assert len(ballots.confirmed) > len(at_the_signal), (len(at_the_signal), unconfirmed)
        assert len(ballots.confirmed) + len(unconfirmed) == PHONES * DOTS

        with kompas_serve(url, log, SHUTDOWN_TIMEOUT) as (base_url, _):

            async def resend() -> None:
                async with pool(base_url, PHONES) as client:
                    await asyncio.gather(
                        *(_vote_all(client, room, ballots, p) for p in room.phones)
                    )

            run(resend())

        assert not any(ballots.waiting.values())  # every phone's queue is empty
        stored = _stored(url)
        assert set(stored) == set(ballots.confirmed)
        assert set(stored.values()) == {1}  # each key counted once
        assert len(stored) == PHONES * DOTS


def test_a_request_that_never_finishes_is_cancelled_after_the_configured_time(tmp_path):
    """KOMPAS_SHUTDOWN_TIMEOUT bounds the stop: a sign-in whose form never arrives (a client
    gone quiet mid-request) holds the process only that long, then is cancelled."""
    timeout = 2
    log = tmp_path / "server.log"
    with fresh_database(BACKENDS[0], str(tmp_path)) as url:
        migrate.upgrade(url)
        with kompas_serve(url, log, timeout) as (base_url, process):
            host, port = base_url.removeprefix("http://").split(":")
            with socket.create_connection((host, int(port)), timeout=30) as stuck:
                stuck.sendall(
                    b"POST /inloggen HTTP/1.1\r\nHost: kompas\r\n"
                    b"Content-Type: application/x-www-form-urlencoded\r\n"
                    b"Content-Length: 1000\r\n\r\nemail="
                )
                time.sleep(1)  # the request is in the app, waiting for the rest of its form
                signalled = time.monotonic()
                process.send_signal(signal.SIGTERM)
                assert process.wait(timeout=timeout + 30) in (0, -signal.SIGTERM)
                took = time.monotonic() - signalled
    written = log.read_text()
    assert "timeout graceful shutdown exceeded" in written, written[-3000:]
    assert timeout <= took < timeout + 10, took  # the timeout, and not much more
