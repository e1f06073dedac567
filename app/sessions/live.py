"""Live updates: server-sent events to projectors, control screens and phones.

Nothing a screen needs lives only in one process: every change is in the database, and each
app process learns of changes on its own.

- PostgreSQL (any number of processes): once a write that changed a session has committed,
  its process sends a NOTIFY (notify.py); each process keeps one LISTEN connection
  (psycopg, async) and wakes the streams of that session. A slow poll stays on as a safety
  net for a dropped listener connection.
- SQLite (one process): a cheap poll of the session's revision (revision.py).

However many screens follow a session, a process reads the revision once per change (one
`Watch` per session), and bursts of votes are coalesced: a screen is re-rendered at most
every `MIN_INTERVAL` seconds, with the latest state. The phones' streams wake only when the
round state changes (`rounds_only`), not on every vote: a room of 2,000 phones woke 2,000
coroutines five times a second while it voted. What is the same for every phone is rendered
once per revision in a process (`shared`), however many streams send it.

Each open stream holds a place in this process (`streams`): a participant a few
(`STREAMS_PER_PARTICIPANT`, a phone with a tab or two more), an account a few per kind of
screen (`STREAMS_PER_SCREEN`: projectors, control screens). One more is refused with 429 and
`Retry-After`; a stream gives its place back however it ends. One cookie held 3,000.

When the process begins to stop (app/stopping.py), every stream ends with a `retry:` hint of
at most RETRY_MS: the browser's EventSource reconnects on its own, to another process, and
the first event it gets there is the state of now.
"""

import asyncio
import contextlib
import functools
import logging
import random
import threading
from collections.abc import AsyncIterator, Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import anyio
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from app import db, metrics, stopping
from app.sessions import notify, revision, running, timer
from app.sessions.models import LiveSession
from app.tables import utc_now

log = logging.getLogger("kompas.sessions")

SQLITE_POLL = 0.25  # seconds between polls of a followed session's revision
SAFETY_POLL = 5.0  # PostgreSQL: poll this often too, in case a notification was missed
MIN_INTERVAL = 0.2  # a screen is re-rendered at most this often
HEARTBEAT = 15.0  # a comment line keeps proxies from closing a quiet stream
RETRY_MS = 2000  # how soon a browser reconnects after losing the stream
STREAMS_PER_PARTICIPANT = 3
STREAMS_PER_SCREEN = 5  # per account and kind of screen ("uitslag", "regie")
RETRY_AFTER = 30  # seconds: when a refused screen may try again
# Renders and revision reads at once per process, each on a thread and a connection of its own
# (db.RESERVED_CONNECTIONS counts them): a round opening for 2,000 followers queues here, not
# in the requests' thread pool.
RENDERS = 4
_renders: anyio.CapacityLimiter | None = None


def _limiter() -> anyio.CapacityLimiter:
    global _renders
    if _renders is None:  # made on the serving event loop
        _renders = anyio.CapacityLimiter(RENDERS)
    return _renders


@dataclass
class Watch:
    """What one process knows about one followed session."""

    session_id: int
    version: int = 0
    revision: int | None = None
    round_state: str = ""
    ends_at: datetime | None = None  # a round's timer closes it then
    followers: int = 0
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    round_changed: asyncio.Event = field(default_factory=asyncio.Event)  # a round began or ended
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task | None = None
    # shared renders: per render function, the revision it was made for and its outcome
    renders: dict[Callable, tuple[int | None, asyncio.Future]] = field(default_factory=dict)

    def publish(self, round_changed: bool = True) -> None:
        self.version += 1
        previous, self.changed = self.changed, asyncio.Event()
        previous.set()
        if round_changed:
            previous, self.round_changed = self.round_changed, asyncio.Event()
            previous.set()


def _read(session_id: int) -> tuple[int | None, str, datetime | None]:
    """The session's revision, its round state and when a round's timer will close it; a
    round whose time is up is closed here first (timer.py)."""
    with Session(db.engine) as session:
        live = _load(session, session_id)
        if live is not None and timer.expired(live):
            timer.close_expired(session, session_id)
            session.commit()
            live = _load(session, session_id)
        seen = revision.of(session, session_id)
        if live is None:
            return seen, "weg", None
        return seen, running.round_state(live), timer.next_end(live)


def _load(session: Session, session_id: int) -> LiveSession | None:
    return session.exec(
        select(LiveSession)
        .where(LiveSession.id == session_id)
        .options(selectinload(LiveSession.rounds))  # type: ignore[arg-type]
    ).first()


class Hub:
    def __init__(self) -> None:
        self.watches: dict[int, Watch] = {}
        self.listener: asyncio.Task | None = None
        self.stopper: asyncio.Task | None = None
        self.postgres = db.engine.dialect.name == "postgresql"

    async def follow(self, session_id: int) -> Watch:
        watch = self.watches.get(session_id)
        if watch is None:
            watch = self.watches[session_id] = Watch(session_id)
            await self._refresh(watch)
            watch.task = asyncio.create_task(self._run(watch))
        watch.followers += 1
        if self.postgres and (self.listener is None or self.listener.done()):
            self.listener = asyncio.create_task(self._listen())
        if self.stopper is None or self.stopper.get_loop() is not asyncio.get_running_loop():
            self.stopper = asyncio.create_task(self._stop_streams())
        return watch

    async def _stop_streams(self) -> None:
        """When the process begins to stop, wake every stream (each sees it and ends)."""
        await stopping.stopping().wait()
        for watch in list(self.watches.values()):
            watch.publish()

    def leave(self, watch: Watch) -> None:
        watch.followers -= 1
        if watch.followers <= 0 and watch.task is not None:
            watch.task.cancel()
            self.watches.pop(watch.session_id, None)

    def notified(self, session_id: int) -> None:
        if (watch := self.watches.get(session_id)) is not None:
            watch.wake.set()

    async def _refresh(self, watch: Watch) -> None:
        try:
            seen, state, watch.ends_at = await anyio.to_thread.run_sync(
                _read, watch.session_id, limiter=_limiter()
            )
        except Exception:  # a database hiccup: keep the screens, try again on the next wake
            log.warning("Could not read the state of session %s", watch.session_id, exc_info=True)
            return
        if seen != watch.revision:
            round_changed = state != watch.round_state
            watch.revision, watch.round_state = seen, state
            watch.publish(round_changed)

    async def _run(self, watch: Watch) -> None:
        interval = SAFETY_POLL if self.postgres else SQLITE_POLL
        while True:
            wait = interval
            if watch.ends_at is not None:  # wake when a round's time is up, to close it
                wait = max(0.0, min(wait, (watch.ends_at - utc_now()).total_seconds()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(watch.wake.wait(), timeout=wait)
            watch.wake.clear()
            await self._refresh(watch)
            await asyncio.sleep(MIN_INTERVAL)  # let a burst of votes settle into one update

    async def _listen(self) -> None:
        """One LISTEN connection per process; reconnects after a failure."""
        import psycopg

        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while self.watches:
            try:
                async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {notify.CHANNEL}")
                    for watch in self.watches.values():  # catch up on what we missed
                        watch.wake.set()
                    async for message in conn.notifies():
                        if message.payload.isdigit():
                            self.notified(int(message.payload))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("LISTEN connection lost; reconnecting", exc_info=True)
                await asyncio.sleep(1)


hub = Hub()


class Streams:
    """How many live streams each holder has open in this process."""

    def __init__(self) -> None:
        self.open: dict[Hashable, int] = {}
        self._lock = threading.Lock()  # taken in worker threads and on the event loop

    def take(self, holder: Hashable, most: int) -> "Place | None":
        with self._lock:
            count = self.open.get(holder, 0)
            if count >= most:
                return None
            self.open[holder] = count + 1
        return Place(self, holder)

    def give_back(self, holder: Hashable) -> None:
        with self._lock:
            count = self.open.get(holder, 0) - 1
            if count > 0:
                self.open[holder] = count
            else:
                self.open.pop(holder, None)


@dataclass(eq=False)
class Place:
    """One stream's place; given back once, by whichever end of the stream comes first."""

    streams: Streams
    holder: Hashable
    returned: bool = False

    def give_back(self) -> None:
        if not self.returned:
            self.returned = True
            self.streams.give_back(self.holder)


streams = Streams()


def too_many(request: Request, most: int) -> Response:
    """The refusal of one stream too many: 429, and when to try again."""
    from app.templating import render

    response = render(
        request,
        "error.html",
        {
            "title": "Te veel schermen",
            "message": (
                f"Je volgt deze sessie al op te veel schermen tegelijk (hoogstens {most}). "
                "Sluit een ander tabblad of venster met deze sessie en probeer het opnieuw."
            ),
        },
        status_code=429,
        block="error",
    )
    response.headers["Retry-After"] = str(RETRY_AFTER)
    response.headers["Cache-Control"] = "no-store"
    return response


@functools.lru_cache(maxsize=64)  # a shared render is sent to every phone: formatted once
def _event(name: str, data: str) -> str:
    lines = "".join(f"data: {line}\n" for line in data.splitlines() or [""])
    return f"event: {name}\n{lines}\n"


async def _follow(
    request: Request,
    session_id: int,
    render: Callable[[Watch], Any],
    name: str,
    place: Place | None,
    rounds_only: bool,
) -> AsyncIterator[str]:
    """Send `name` with `render(watch)` now and whenever the session changes (with
    `rounds_only`, its round state), skipping renders that come out the same."""
    try:
        watch = await hub.follow(session_id)
    except BaseException:
        if place is not None:
            place.give_back()
        raise
    last: str | None = None
    stop = stopping.stopping()
    metrics.LIVE_STREAMS.inc()
    try:
        yield f"retry: {RETRY_MS}\n\n"
        while True:
            if stop.is_set():
                # This process is stopping: end the stream; the browser reconnects after the
                # hint, spread out so that a room does not come back in one instant.
                yield f"retry: {random.randint(RETRY_MS // 4, RETRY_MS)}\n\n"
                return
            waiting = watch.round_changed if rounds_only else watch.changed
            data = await render(watch)
            if data is not None and data != last:
                last = data
                yield _event(name, data)
            try:
                await asyncio.wait_for(waiting.wait(), timeout=HEARTBEAT)
            except TimeoutError:
                if await request.is_disconnected():
                    return
                yield ": wakker\n\n"
    finally:
        metrics.LIVE_STREAMS.dec()
        hub.leave(watch)
        if place is not None:
            place.give_back()


class _LiveResponse(StreamingResponse):
    """A stream that gives its place back when it ends, even if its body never started
    (the client gone before the first byte)."""

    place: Place | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            if self.place is not None:
                self.place.give_back()


def stream(
    request: Request,
    session: Session,
    session_id: int,
    render: Callable[[Watch], Any],
    name: str,
    place: Place | None = None,
    rounds_only: bool = False,
) -> StreamingResponse:
    """The stream of `session_id`. The request's database session is closed here: a stream
    holds no connection while it waits (and lets go of its admission, app/admission.py)."""
    session.close()
    response = _LiveResponse(
        _follow(request, session_id, render, name, place, rounds_only),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
    response.place = place
    return response


def in_thread(function: Callable[..., str], *args: Any) -> Callable[[Watch], Any]:
    """A render that reads the database: run it off the event loop, with a session of its
    own, among the process's few renders at a time."""

    async def render(watch: Watch) -> str:
        def work() -> str:
            with Session(db.engine) as session:
                return function(session, *args)

        return await anyio.to_thread.run_sync(work, limiter=_limiter())

    return render


def shared(function: Callable[[Session, int], str]) -> Callable[[Watch], Any]:
    """A render that is the same for every stream of a session (`function(session,
    session_id)`): made once per revision in this process, in a thread, however many streams
    ask for it; the first to ask starts it and the others wait for the same outcome."""

    def work(session_id: int) -> str:
        with Session(db.engine) as session:
            return function(session, session_id)

    async def render(watch: Watch) -> str:
        made = watch.renders.get(function)
        if made is None or made[0] != watch.revision:
            future = asyncio.ensure_future(
                anyio.to_thread.run_sync(work, watch.session_id, limiter=_limiter())
            )
            future.add_done_callback(lambda done: _forget_failure(watch, function, done))
            made = watch.renders[function] = (watch.revision, future)
        # shielded: a stream that ends while it waits must not cancel the others' render
        return await asyncio.shield(made[1])

    return render


def _forget_failure(watch: Watch, function: Callable, done: asyncio.Future) -> None:
    """A render that failed is tried again by the next stream that asks."""
    if not done.cancelled() and done.exception() is None:
        return
    if (made := watch.renders.get(function)) is not None and made[1] is done:
        del watch.renders[function]
