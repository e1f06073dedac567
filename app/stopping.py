"""Stopping gracefully, on SIGTERM (Kubernetes, compose, `kill`) or Ctrl+C.

uvicorn, on the signal, closes its listening socket (no new requests), lets the requests in
flight finish for at most KOMPAS_SHUTDOWN_TIMEOUT seconds (`timeout_graceful_shutdown`, set by
`kompas serve`), cancels what is left, and only then runs the app's lifespan shutdown. Live
streams never finish on their own: they would hold the process for the whole timeout and
then be cut off. So the lifespan chains a handler of its own to uvicorn's: once the signal
comes, `stopping()` is set, every live stream ends with a retry hint (the browser's
EventSource reconnects, through the load balancer, to a process that is not stopping; see
sessions/live.py) and /readyz answers 503.

A phone's dot waits in its request for the process's batch writer (sessions/quick_vote.py),
so uvicorn's wait covers it; the lifespan shutdown then closes the writers once every dot
handed over is written. A dot whose batch did not commit was never confirmed: the phone
resends it with the same key, to whichever process answers, and it is counted once.
"""

import asyncio
import logging
import signal
import threading
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import FrameType
from typing import Any

log = logging.getLogger("kompas")

SIGNALS = (signal.SIGTERM, signal.SIGINT)
# One event per event loop: the tests run apps on loops of their own, one after another.
_events: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Event]" = (
    weakref.WeakKeyDictionary()
)


def stopping() -> asyncio.Event:
    """Set once this process has been told to stop (on the running event loop)."""
    loop = asyncio.get_running_loop()
    event = _events.get(loop)
    if event is None:
        event = _events[loop] = asyncio.Event()
    return event


def begin() -> None:
    """Stop taking part: called on the event loop."""
    event = stopping()
    if not event.is_set():
        log.info("Stopping: live streams are told to reconnect elsewhere")
        event.set()


def _chain(loop: asyncio.AbstractEventLoop, previous: Callable[..., Any]) -> Callable[..., None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        loop.call_soon_threadsafe(begin)  # a signal handler may interrupt the loop itself
        previous(signum, frame)

    return handler


@asynccontextmanager
async def on_signals() -> AsyncIterator[None]:
    """For the app's lifespan: begin stopping on the signals uvicorn stops on (its own handlers
    still run), and at the latest when the lifespan ends."""
    loop = asyncio.get_running_loop()
    stopping()
    chained: dict[signal.Signals, Any] = {}
    # Handlers can only be set on the main thread: under a test client the app runs elsewhere.
    if threading.current_thread() is threading.main_thread():
        for sig in SIGNALS:
            previous = signal.getsignal(sig)
            if callable(previous):
                chained[sig] = previous
                signal.signal(sig, _chain(loop, previous))
    try:
        yield
    finally:
        begin()
        for sig, previous in chained.items():
            signal.signal(sig, previous)
