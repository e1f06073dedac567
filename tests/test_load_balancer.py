"""Several app servers behind a real load balancer: two `kompas serve` on one PostgreSQL
database behind HAProxy (Debian's package, `make haproxy`). A room joins and votes through it
while a projector follows the results; the server that serves the projector's stream is
killed (SIGKILL) in the middle of the round. No confirmed vote is lost, the phones and the
projector carry on through the other server, and the projector's count is the database's:
nothing a user needs lives in one process's memory (README, "In productie").

Without HAProxy the test is skipped on a laptop and fails under CI=true, as the PostgreSQL
half does (tests/conftest.py)."""

import asyncio
import contextlib
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field

import httpx
import pytest
from sqlmodel import Session, func, select

from app import migrate
from app.auth import SESSION_COOKIE
from app.db import make_engine
from app.organisations.models import Role
from app.sessions import running
from app.sessions.models import Vote
from bench.server import HOST, _free_port, _wait_until_healthy, kompas_serve, stop
from bench.session_clients import (
    Failed,
    Phone,
    join,
    new_key,
    pool,
    server_sent_events,
    shown_total,
    vote,
)
from tests import factories
from tests.conftest import BACKENDS, IN_CI, fresh_database
from tests.event_loop import run

HAPROXY = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")
if HAPROXY is None and IN_CI:
    pytest.fail("CI=true but HAProxy is not installed (make haproxy)", pytrace=False)
pytestmark = [
    pytest.mark.skipif(HAPROXY is None, reason="no HAProxy (make haproxy)"),
    pytest.mark.skipif("postgresql" not in BACKENDS, reason="no PostgreSQL server"),
]

PHONES = 16
DOTS = 3
SERVER_HEADER = "X-Kompas-Server"  # set by HAProxy: which server answered
# The phones' and the projector's pause before they try again (the page waits 3 s, the
# EventSource the stream's retry hint); short here, the balancer has marked the server down
# within a check or two.
AGAIN_SECONDS = 0.2
WITHIN_SECONDS = 30  # bounds on waiting, so that a failure ends the test, never stalls it

CONFIG = """\
global
    maxconn 2000

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # A failed connection or a server gone without an answer: try again, on the other server.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout

frontend kompas
    bind {host}:{port}
    default_backend servers

backend servers
    balance roundrobin
    option httpchk
    http-check send meth GET uri /readyz
    http-check expect status 200
    # A check waits up to 5 s (a loaded machine answers slowly; without this it would wait
    # only `inter`); a killed server refuses at once and is out after two quick checks.
    timeout check 5s
    default-server check inter 1s fastinter 200ms fall 2 rise 1
    http-response set-header {header} %[srv_name]
{servers}
"""


@dataclass
class Installation:
    url: str  # the load balancer's
    database: str
    servers: dict[str, subprocess.Popen]  # by HAProxy's name for them
    cookie: str  # a facilitator's, for the projector
    session_id: int
    code: str
    round_id: int
    items: list[int]


@pytest.fixture(scope="module")
def installation(tmp_path_factory) -> Iterator[Installation]:
    folder = tmp_path_factory.mktemp("load_balancer")
    with fresh_database("postgresql", str(folder)) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            organisation = factories.make_organisation(session)
            facilitator = factories.make_member(session, organisation, Role.FACILITATOR)
            cookie = factories.sign_in(session, facilitator).cookie
            live = factories.make_live_session(session, factories.make_cycle(session, organisation))
            round_ = factories.make_round(session, live, "dots", dots=DOTS)
            items = [running.add_item(session, round_, f"Resultaat {n}") for n in range(DOTS + 1)]
            running.start_round(session, round_)
            session.commit()
        engine.dispose()
        with ExitStack() as stack:
            # Both start at once (each takes seconds), then both must answer.
            servers = {
                name: stack.enter_context(kompas_serve(url, folder / f"{name}.log", wait=False))
                for name in ("a", "b")
            }
            for base, process in servers.values():
                _wait_until_healthy(base, process)
            port = _free_port()
            config = folder / "haproxy.cfg"
            config.write_text(
                CONFIG.format(
                    host=HOST,
                    port=port,
                    header=SERVER_HEADER,
                    servers="\n".join(
                        f"    server {name} {base_url.removeprefix('http://')}"
                        for name, (base_url, _) in servers.items()
                    ),
                )
            )
            assert HAPROXY is not None
            balancer = subprocess.Popen(
                [HAPROXY, "-db", "-f", str(config)],
                stdout=(folder / "haproxy.log").open("w"),
                stderr=subprocess.STDOUT,
            )
            stack.callback(stop, balancer)
            base_url = f"http://{HOST}:{port}"
            _until_both_answer(base_url, balancer)
            yield Installation(
                url=base_url,
                database=url,
                servers={name: process for name, (_, process) in servers.items()},
                cookie=cookie,
                session_id=live.id,  # type: ignore[arg-type]
                code=live.join_code,
                round_id=round_.id,  # type: ignore[arg-type]
                items=[i.id for i in items],  # type: ignore[misc]
            )


def _until_both_answer(base_url: str, balancer: subprocess.Popen) -> None:
    """Until the balancer has sent a request to each server (both passed their checks)."""
    seen: set[str] = set()
    with httpx.Client(base_url=base_url, timeout=5) as client:
        for _ in range(int(WITHIN_SECONDS / 0.1)):
            assert balancer.poll() is None, "HAProxy stopped"
            try:
                answer = client.get("/readyz")
                if answer.status_code == 200:
                    seen.add(answer.headers[SERVER_HEADER])
            except httpx.TransportError:
                pass
            if len(seen) == 2:
                return
            time.sleep(0.1)
    raise AssertionError(f"HAProxy sent requests only to {seen}")


@dataclass
class Screen:
    """The projector: follows the results through the balancer and, when its stream ends or
    breaks, reconnects as the browser's EventSource does."""

    client: httpx.AsyncClient
    session_id: int
    servers: list[str] = field(default_factory=list)  # per stream, who served it
    total: int | None = None  # the count shown now
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def follow(self) -> None:
        while True:
            with contextlib.suppress(httpx.TransportError):  # the server went away mid-stream
                await self._stream()
            await asyncio.sleep(AGAIN_SECONDS)

    async def _stream(self) -> None:
        path = f"/sessies/{self.session_id}/live"
        headers = {"Accept": "text/event-stream"}
        async with self.client.stream("GET", path, headers=headers) as response:
            if response.status_code != 200:
                return
            self.servers.append(response.headers[SERVER_HEADER])
            self.changed.set()
            async for event, data in server_sent_events(response):
                if event == "uitslag" and (total := shown_total(data)) is not None:
                    self.total = total
                    self.changed.set()

    async def until(self, done: Callable[[], bool], what: str) -> None:
        try:
            async with asyncio.timeout(WITHIN_SECONDS):
                while not done():
                    self.changed.clear()
                    await self.changed.wait()
        except TimeoutError:
            raise AssertionError(f"Not seen: {what} ({self.servers}, {self.total})") from None


async def _vote_all(
    client: httpx.AsyncClient,
    room: Installation,
    phone: Phone,
    keys: list[tuple[str, int]],
    confirmed: list[str],
) -> None:
    """A phone's dots, one after another, each resent with its key until confirmed (as the
    page does); `confirmed` gets each key once the server confirmed it."""
    for key, item in keys:
        async with asyncio.timeout(WITHIN_SECONDS):
            while True:
                try:
                    await vote(client, room.code, phone, room.round_id, item, key)
                    break
                except (httpx.TransportError, Failed) as exc:
                    if isinstance(exc, Failed) and " answered 5" not in str(exc):
                        raise
                    await asyncio.sleep(AGAIN_SECONDS)
        confirmed.append(key)


def _stored(url: str, round_id: int) -> list[str]:
    engine = make_engine(url)
    with Session(engine) as session:
        keys = list(session.exec(select(Vote.key).where(Vote.round_id == round_id)).all())
        assert session.exec(select(func.count()).select_from(Vote)).one() == len(keys)
    engine.dispose()
    return keys


def test_a_room_carries_on_through_the_other_server_when_one_is_killed(installation):
    room = installation
    ballots = {
        n: [(new_key(), room.items[(n + d) % len(room.items)]) for d in range(DOTS)]
        for n in range(PHONES)
    }
    confirmed: list[str] = []
    before_the_kill: list[str] = []

    async def session_through_the_balancer() -> tuple[Screen, str]:
        cookies = {SESSION_COOKIE: room.cookie}
        async with (
            pool(room.url, PHONES + 2) as phones_client,
            httpx.AsyncClient(base_url=room.url, cookies=cookies, timeout=None) as screen_client,
        ):
            phones = [Phone(n) for n in range(PHONES)]
            # Joining: the join page, the choice and the round page, spread over both servers.
            await asyncio.gather(*(join(phones_client, room.code, p) for p in phones))
            screen = Screen(screen_client, room.session_id)
            following = asyncio.create_task(screen.follow())
            try:
                await screen.until(lambda: bool(screen.servers), "the projector follows")
                voting = [
                    asyncio.create_task(
                        _vote_all(phones_client, room, p, ballots[p.number], confirmed)
                    )
                    for p in phones
                ]
                async with asyncio.timeout(WITHIN_SECONDS):  # a third of the round is in
                    while len(confirmed) < PHONES:
                        await asyncio.sleep(0.005)
                victim = screen.servers[-1]  # the one the projector follows
                room.servers[victim].send_signal(signal.SIGKILL)
                before_the_kill.extend(confirmed)
                await asyncio.gather(*voting)
                survivor = ({"a", "b"} - {victim}).pop()
                # The projector came back, through the other server, and shows every dot.
                await screen.until(
                    lambda: screen.servers[-1] == survivor and screen.total == PHONES * DOTS,
                    "the projector shows the whole count",
                )
                return screen, victim
            finally:
                following.cancel()

    screen, victim = run(session_through_the_balancer())
    assert room.servers[victim].wait(timeout=WITHIN_SECONDS) == -signal.SIGKILL
    # Each phone sends one dot at a time: at least two of its three came after the kill.
    assert len(confirmed) - len(before_the_kill) >= PHONES
    assert len(set(confirmed)) == len(confirmed) == PHONES * DOTS  # every dot confirmed
    stored = _stored(room.database, room.round_id)
    assert sorted(stored) == sorted(confirmed)  # all of them stored, each once
    assert screen.total == len(stored)  # the projector's count is the database's
    assert screen.servers[-1] != victim
