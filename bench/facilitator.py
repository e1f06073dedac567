"""The session benchmark's facilitator: the control screen and a step page once a second, from
a process of its own. This module needs none of the app's names, so that the process starts
in a moment (under `python -m bench.session` it imports the benchmark's main module anyway)."""

import asyncio
import contextlib
import multiprocessing
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event as EventType

import httpx


@dataclass
class Facilitator:
    """Loads the control screen and a step page once a second; their latencies in ms.

    Run it in a process of its own (`FacilitatorProcess`): in the phones' event loop, busy
    with hundreds of votes a second, a page's answer can wait tens of milliseconds before this
    client reads it, and that wait is the load generator's, not the server's."""

    client: httpx.AsyncClient
    pages: tuple[str, ...]
    latencies_ms: list[float] = field(default_factory=list)
    retried: int = 0

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            started = time.perf_counter()
            for page in self.pages:
                began = time.perf_counter()
                try:
                    response = await self.client.get(page)
                except httpx.TransportError:
                    # The server closed an idle keep-alive connection as the request left: a
                    # browser sends a GET again at once, and so does this facilitator.
                    self.retried += 1
                    response = await self.client.get(page)
                if response.status_code != 200:
                    raise RuntimeError(f"GET {page} answered {response.status_code}.")
                self.latencies_ms.append((time.perf_counter() - began) * 1000)
            pause = 1.0 - (time.perf_counter() - started)
            if pause > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), pause)


class FacilitatorProcess:
    """The facilitator on a laptop of its own: a `Facilitator` in a separate process, as a
    real facilitator's browser is apart from the phones."""

    def __init__(self, base_url: str, cookies: httpx.Cookies, pages: tuple[str, ...]) -> None:
        context = multiprocessing.get_context("spawn")
        self._ready, self._stop = context.Event(), context.Event()
        self._results, sender = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_facilitate,
            args=(base_url, dict(cookies), pages, self._ready, self._stop, sender),
            daemon=True,
        )

    def start(self, timeout: float = 60.0) -> None:
        """Start the process; returns once its client is ready."""
        self._process.start()
        if not self._ready.wait(timeout):
            raise RuntimeError(f"The facilitator's process did not start within {timeout:.0f} s.")

    def stop(self) -> tuple[list[float], int]:
        """Stop it; the pages' latencies in ms, and how many GETs it sent again."""
        self._stop.set()
        latencies, retried = self._results.recv()
        self._process.join()
        return latencies, retried


def _facilitate(
    base_url: str,
    cookies: dict[str, str],
    pages: tuple[str, ...],
    ready: EventType,
    stop: EventType,
    results: Connection,
) -> None:
    async def run() -> Facilitator:
        async with httpx.AsyncClient(base_url=base_url, cookies=cookies, timeout=60) as client:
            facilitator, stopping = Facilitator(client, pages), asyncio.Event()

            async def watch() -> None:
                while not stop.is_set():
                    await asyncio.sleep(0.05)
                stopping.set()

            watching = asyncio.create_task(watch())
            ready.set()
            await facilitator.run(stopping)
            await watching
            return facilitator

    facilitator = asyncio.run(run())
    results.send((facilitator.latencies_ms, facilitator.retried))
