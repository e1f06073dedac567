"""How many requests of one process use the database at once, and what the rest do meanwhile.

A request holds its database connection from its first query until its session closes, and
passes through the thread pool up to three times on the way (a sync dependency, a sync route,
closing a session in a transaction). When more requests arrive than there are connections, the
ones that got a connection wait for a thread while the threads wait for a connection: a room
scanning the QR code at once froze the server for two minutes and then answered with 500s.

So a process admits at most `capacity` requests at a time, and has more connections
(`db.pool_size`) and more threads (`start_threads`) than that. An admitted request always
finds both; the others wait here, on the event loop, holding nothing, in the order they came.
One that waits longer than `wait_seconds` (or finds `queue_limit` waiting already) is answered
at once with 503 and `Retry-After`, in Dutch: a phone's page tries again by itself.

Not admitted (they use no request session): the probes, the version, the metrics and the
static files (answered before this middleware). A live stream is admitted for its start and
lets go of its place when its events begin: by then it has closed its session (`live.stream`),
and it reads the database only through the hub, which has threads and connections of its own.
"""

import asyncio
from dataclasses import dataclass

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import probes
from app.config import settings
from app.metrics import METRICS_PATH

UNGATED_PATHS = probes.PATHS | {METRICS_PATH}
RETRY_AFTER_SECONDS = 3
# Threads beyond the admitted requests: exports and the live hub's renders have their own.
SPARE_THREADS = 8

BUSY_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="{retry}">
<title>Even geduld - Kompas</title></head>
<body><main><h1>Even geduld</h1>
<p>Er komen nu veel mensen tegelijk binnen. Deze pagina probeert het over {retry} seconden
vanzelf opnieuw.</p></main></body></html>
"""
BUSY_PROBLEM = (
    '{{"type":"about:blank","title":"Even geduld","status":503,'
    '"detail":"Er komen nu veel verzoeken tegelijk binnen. Probeer het over {retry} seconden '
    'opnieuw."}}'
)


def start_threads() -> None:
    """Enough worker threads that every admitted request finds one (call on the event loop)."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = (
        settings.max_concurrent_requests + SPARE_THREADS
    )


@dataclass
class Gauge:
    """What the gate holds now; read by tests and (later) metrics."""

    admitted: int = 0
    waiting: int = 0
    turned_away: int = 0


class AdmissionMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        capacity: int | None = None,
        wait_seconds: float | None = None,
        queue_limit: int | None = None,
    ) -> None:
        self.app = app
        self.capacity = capacity or settings.max_concurrent_requests
        self.wait_seconds = wait_seconds or settings.admission_wait_seconds
        self.queue_limit = queue_limit or settings.admission_queue_limit
        self.gauge = Gauge()
        self._places: asyncio.Semaphore | None = None  # made on the serving event loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNGATED_PATHS:
            await self.app(scope, receive, send)
            return
        if self._places is None:
            self._places = asyncio.Semaphore(self.capacity)
            start_threads()
        places = self._places
        if not await self._admit(places):
            self.gauge.turned_away += 1
            await answer_busy(scope, send)
            return
        held = True

        def let_go() -> None:
            nonlocal held
            if held:
                held = False
                self.gauge.admitted -= 1
                places.release()

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and _is_stream(message):
                let_go()
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            let_go()

    async def _admit(self, places: asyncio.Semaphore) -> bool:
        if places.locked() and self.gauge.waiting >= self.queue_limit:
            return False
        self.gauge.waiting += 1
        try:
            await asyncio.wait_for(places.acquire(), timeout=self.wait_seconds)
        except TimeoutError:
            return False
        finally:
            self.gauge.waiting -= 1
        self.gauge.admitted += 1
        return True


def _is_stream(message: Message) -> bool:
    return any(
        name == b"content-type" and value.startswith(b"text/event-stream")
        for name, value in message.get("headers", [])
    )


async def answer_busy(scope: Scope, send: Send) -> None:
    """503 with Retry-After: a page (or problem) that says to try this address again soon."""
    api = scope["path"].startswith("/api/")
    body = (BUSY_PROBLEM if api else BUSY_PAGE).format(retry=RETRY_AFTER_SECONDS).encode()
    content_type = b"application/problem+json" if api else b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
