"""A small load generator: open load on a schedule, closed loops, percentiles, and what the
server process tree uses (peak memory, CPU) while it runs.

It runs in one process with asyncio, on the same cores as the server it measures, so it stays
lean: no threads, one HTTP/1.1 keep-alive pool, and its own CPU use is reported beside the
server's.
"""

import asyncio
import contextlib
import gc
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field

import psutil

SAMPLE_SECONDS = 0.05


def percentiles(values: Sequence[float]) -> dict[str, float]:
    """p50, p95 and p99 of `values` (in the unit they come in), rounded to 0.1."""
    if not values:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan")}
    if len(values) == 1:
        return {"p50": values[0], "p95": values[0], "p99": values[0]}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(cuts[49], 1), "p95": round(cuts[94], 1), "p99": round(cuts[98], 1)}


def _tree(process: psutil.Process) -> list[psutil.Process]:
    try:
        return [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for p in processes:
        try:
            times = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


@dataclass
class Usage:
    """What a process tree used between start() and stop(): peak memory and CPU."""

    pid: int
    peak_bytes: int = 0
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    _task: asyncio.Task | None = field(default=None, repr=False)
    _started: tuple[float, float] = (0.0, 0.0)

    @property
    def peak_mib(self) -> float:
        return round(self.peak_bytes / 1024**2, 1)

    @property
    def cpu_percent(self) -> float:
        """Of one core; 200 would be both cores of this machine."""
        return round(100 * self.cpu_seconds / self.wall_seconds, 1) if self.wall_seconds else 0.0

    def start(self) -> None:
        root = psutil.Process(self.pid)
        self._started = (time.perf_counter(), _cpu_seconds(_tree(root)))
        self._task = asyncio.create_task(self._sample(root))

    async def _sample(self, root: psutil.Process) -> None:
        while True:
            rss = 0
            for p in _tree(root):
                with contextlib.suppress(psutil.NoSuchProcess):
                    rss += p.memory_info().rss
            self.peak_bytes = max(self.peak_bytes, rss)
            await asyncio.sleep(SAMPLE_SECONDS)

    def connections(self) -> int:
        """TCP connections the tree holds open now (the phones' streams among them)."""
        found = 0
        for p in _tree(psutil.Process(self.pid)):
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                found += sum(
                    c.status == psutil.CONN_ESTABLISHED for c in p.net_connections(kind="tcp")
                )
        return found

    def cpu_now(self) -> float:
        """CPU seconds the tree has used so far."""
        return _cpu_seconds(_tree(psutil.Process(self.pid)))

    async def stop(self) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        wall, cpu = self._started
        self.wall_seconds = time.perf_counter() - wall
        self.cpu_seconds = _cpu_seconds(_tree(psutil.Process(self.pid))) - cpu


class OwnCpu:
    """The CPU this process (the load generator) used, as a percentage of one core."""

    def __init__(self) -> None:
        self._process = psutil.Process()
        self._wall = time.perf_counter()
        self._cpu = _cpu_seconds([self._process])

    def percent(self) -> float:
        wall = time.perf_counter() - self._wall
        return round(100 * (_cpu_seconds([self._process]) - self._cpu) / wall, 1)


@contextlib.contextmanager
def no_collection_pauses() -> Iterator[None]:
    """No garbage collection in the load generator while it measures. A full collection over
    its thousands of requests stopped it for up to a quarter of a second, and the sends it made
    late counted as the server's latency (seen as its scheduler lag: 215-290 ms with
    collections, about 60 ms without)."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@dataclass(frozen=True)
class OpenLoad:
    """Latencies (ms) of the requests an open-load schedule fired, measured from the moment
    each was due, so a server that falls behind shows it (no coordinated omission)."""

    latencies_ms: list[float]
    # How late the scheduler started a request at worst (ms): a check on the load generator.
    max_start_lag_ms: float
    seconds: float


async def open_load(
    schedule: Sequence[tuple[float, Callable[[], Awaitable[object]]]],
    started: float | None = None,
) -> OpenLoad:
    """Start each `(offset_s, request)` of `schedule` at its offset from `started` (a
    perf_counter moment, default now), whether or not earlier ones have answered; wait for all
    of them. Exceptions propagate."""
    started = time.perf_counter() if started is None else started
    latencies: list[float] = []
    lag = 0.0

    async def fire(due: float, request: Callable[[], Awaitable[object]]) -> None:
        await request()
        latencies.append((time.perf_counter() - due) * 1000)

    tasks = []
    for offset, request in sorted(schedule, key=lambda item: item[0]):
        due = started + offset
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        lag = max(lag, time.perf_counter() - due)
        tasks.append(asyncio.create_task(fire(due, request)))
    await asyncio.gather(*tasks)
    return OpenLoad(latencies, round(lag * 1000, 1), time.perf_counter() - started)


async def closed_loop(
    workers: int, seconds: float, request: Callable[[int], Awaitable[object]]
) -> float:
    """`workers` loops each sending `request(worker)` as soon as the previous answered, for
    `seconds`; the requests completed per second."""
    deadline = time.perf_counter() + seconds
    done = 0

    async def loop(worker: int) -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            await request(worker)
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(loop(w) for w in range(workers)))
    return done / (time.perf_counter() - started)
