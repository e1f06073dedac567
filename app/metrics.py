"""Prometheus metrics at /metrics, for the operator's monitoring, not for the public.

Not public by default: without `KOMPAS_METRICS_TOKEN` the path answers 404; with it, only a
request with `Authorization: Bearer <token>` gets the metrics (Prometheus: `authorization:
credentials_file`), others 401. A token rather than a port of their own: uvicorn's workers
share one listening socket and have no second one to give.

Several processes: `kompas serve` with more than one worker runs them in prometheus_client's
multiprocess mode (`PROMETHEUS_MULTIPROC_DIR`, `prepare_folder`). Each process writes its
values to files in one folder; whichever process a scrape reaches reads them all, so one
scrape per machine (pod) sees every worker's requests, and a counter keeps what a worker
counted after it was restarted. Gauges of what is open now (streams, exports, connections)
count live processes only: a scrape first forgets the files of processes that are gone. With
one process (or under the tests) the values live in that process, as prometheus_client does
by default.
"""

import glob
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable

import anyio
import anyio.to_thread
from fastapi import Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine, event
from sqlmodel import Session
from starlette.exceptions import HTTPException

from app import db
from app.config import settings
from app.routing import SectionRouter
from app.secret_hashing import same
from app.version import VERSION

METRICS_PATH = "/metrics"
MULTIPROCESS_FOLDER = "PROMETHEUS_MULTIPROC_DIR"  # prometheus_client reads this name

REQUESTS = Histogram(
    "kompas_http_request_duration_seconds",
    "Requests by method, route template and status, and how long they took (a live stream: "
    "how long it stayed open).",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
VOTES = Counter(
    "kompas_votes",
    "Votes and proposals sent by participants' phones: accepted (stored, or a resend of one "
    "stored) or refused (round not open, allowance used, invalid).",
    ["outcome"],
)
LIVE_STREAMS = Gauge(
    "kompas_live_streams_open",
    "Live session streams (server-sent events) open now.",
    multiprocess_mode="livesum",
)
EXPORTS = Gauge(
    "kompas_exports",
    "Exports (PDF, Word, Excel, summary, ballots, publishing) being made and waiting their turn.",
    ["state"],
    multiprocess_mode="livesum",
)
DATABASE_CONNECTIONS = Gauge(
    "kompas_db_pool_connections",
    "Database connections: the pools' size and how many are checked out now.",
    ["state"],
    multiprocess_mode="livesum",
)
APP_INFO = Gauge(
    "kompas_app_info", "The version running.", ["version"], multiprocess_mode="livemax"
)

# Queues kept in the database, counted when scraped as `kompas_backlog{queue=...}`: a module
# with such a queue (an outbox of e-mails) registers a count here, BACKLOGS["outbox"] = f,
# with f(session) -> the number of items waiting.
BACKLOGS: dict[str, Callable[[Session], int]] = {}

_scrapes = anyio.CapacityLimiter(1)  # a scrape has a thread of its own, never a request's
router = SectionRouter()


class _Backlogs(Collector):
    def collect(self) -> Iterable[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "kompas_backlog", "Items waiting in a queue kept in the database.", labels=["queue"]
        )
        if BACKLOGS:
            with Session(db.engine) as session:
                for queue, count in sorted(BACKLOGS.items()):
                    family.add_metric([queue], count(session))
        yield family


_BACKLOGS = _Backlogs()
REGISTRY.register(_BACKLOGS)


def _checked_out(*_: object) -> None:
    DATABASE_CONNECTIONS.labels("in_use").inc()


def _checked_in(*_: object) -> None:
    DATABASE_CONNECTIONS.labels("in_use").dec()


def watch_pool(engine: Engine) -> None:
    """Count the engine's connections as they are checked out and in."""
    DATABASE_CONNECTIONS.labels("size").set(engine.pool.size())  # type: ignore[attr-defined]
    if not event.contains(engine.pool, "checkout", _checked_out):
        event.listen(engine.pool, "checkout", _checked_out)
        event.listen(engine.pool, "checkin", _checked_in)


def install() -> None:
    """What this process reports from its start (called once per app)."""
    APP_INFO.labels(VERSION).set(1)
    watch_pool(db.engine)


def prepare_folder(workers: int) -> str | None:
    """Before the workers start: the multiprocess folder, emptied of an earlier run's files
    (the operator's `PROMETHEUS_MULTIPROC_DIR`, else a new temporary one; none for one worker,
    which keeps its values itself). Returns the folder it made, to remove when serving ends."""
    folder = os.environ.get(MULTIPROCESS_FOLDER)
    if folder is not None:
        for stale in glob.glob(os.path.join(folder, "*.db")):
            os.remove(stale)
        return None
    if workers == 1:
        return None
    folder = tempfile.mkdtemp(prefix="kompas-metrics-")
    os.environ[MULTIPROCESS_FOLDER] = folder
    return folder


def remove_folder(folder: str) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _forget_gone_processes(folder: str) -> None:
    """A worker that died (and was replaced) left its gauges of open things behind."""
    for path in glob.glob(os.path.join(folder, "gauge_live*_*.db")):
        pid = int(re.sub(r"\D", "", path.rsplit("_", 1)[1]))
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            multiprocess.mark_process_dead(pid, folder)
        except PermissionError:  # alive, under another user
            pass


def exposition() -> bytes:
    """Every metric of this machine's Kompas processes, in Prometheus' text format."""
    folder = os.environ.get(MULTIPROCESS_FOLDER)
    if folder is None:
        return generate_latest(REGISTRY)
    _forget_gone_processes(folder)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, folder)
    registry.register(_BACKLOGS)
    return generate_latest(registry)


def _authorised(request: Request) -> bool:
    token = settings.metrics_token
    if token is None:
        raise HTTPException(404)  # not public: as if there were nothing here
    return same(request.headers.get("authorization"), f"Bearer {token.get_secret_value()}")


@router.get(METRICS_PATH, include_in_schema=False)
async def metrics(request: Request) -> Response:
    if not _authorised(request):
        return Response(
            "Geef het metrics-token mee: Authorization: Bearer <token>.\n",
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
            media_type="text/plain; charset=utf-8",
        )
    body = await anyio.to_thread.run_sync(exposition, limiter=_scrapes)
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
