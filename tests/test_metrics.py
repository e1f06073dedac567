"""The metrics: only for whoever holds the token, and summed over the worker processes of
`kompas serve` (a counter keeps what a process counted; what is open now counts only live
processes). A real server's metrics after a live session are checked in tests/test_logs.py."""

import asyncio
import os
import subprocess
import sys

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr, ValidationError

from app import metrics, outbox
from app.config import ROOT, Settings
from app.exports import ExportGate, ExportLine
from app.main import app
from tests.event_loop import run

TOKEN = "een-lang-geheim-token-voor-prometheus"

# One worker process of `kompas serve`, as far as the metrics go: it counts its votes and
# holds a live stream open until its standard input closes.
WORKER = """
import sys
from app import metrics
metrics.VOTES.labels("accepted").inc(int(sys.argv[1]))
metrics.LIVE_STREAMS.inc()
metrics.REQUESTS.labels("POST", "/doe-mee/{code}/stemmen", "200").observe(0.02)
print("counted", flush=True)
sys.stdin.readline()
"""


@pytest.fixture(autouse=True)
def migrated(engine, monkeypatch):
    """A scrape counts the queues kept in the database (the outbox): a migrated one."""
    monkeypatch.setattr("app.db.engine", engine)


@pytest.fixture
def scraper(monkeypatch):
    monkeypatch.setattr("app.metrics.settings.metrics_token", SecretStr(TOKEN))
    with TestClient(app) as client:
        yield client


def test_metrics_are_not_public(scraper, monkeypatch):
    assert scraper.get("/metrics").status_code == 401
    wrong = scraper.get("/metrics", headers={"Authorization": "Bearer " + TOKEN[:-1]})
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"] == "Bearer"
    monkeypatch.setattr("app.metrics.settings.metrics_token", None)
    assert scraper.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404


def test_the_token_holder_reads_requests_by_route_template(scraper):
    scraper.get("/cycli/987654")  # not signed in: 303 to the sign-in page
    answer = scraper.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    routes = {
        (sample.labels["route"], sample.labels["status"])
        for family in text_string_to_metric_families(answer.text)
        if family.name == "kompas_http_request_duration_seconds"
        for sample in family.samples
    }
    assert ("/cycli/{cycle_id}", "303") in routes
    assert not any("987654" in route for route, _ in routes)
    buckets = {  # a latency histogram, not just a count
        sample.labels["le"]
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
        if sample.name == "kompas_http_request_duration_seconds_bucket"
        and sample.labels["route"] == "/cycli/{cycle_id}"
    }
    assert {"0.1", "1.0", "+Inf"} <= buckets


def test_a_short_token_is_refused():
    with pytest.raises(ValidationError):
        Settings(metrics_token="kort")


def _values(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_several_processes_are_summed_and_gone_ones_forgotten(tmp_path, monkeypatch):
    folder = tmp_path / "metrics"
    folder.mkdir()
    environment = {
        **os.environ,
        metrics.MULTIPROCESS_FOLDER: str(folder),
        "KOMPAS_DATABASE_URL": f"sqlite:///{tmp_path / 'kompas.db'}",
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(votes)],
            cwd=ROOT,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for votes in (2, 3)
    ]
    try:
        for worker in workers:
            assert worker.stdout.readline() == "counted\n"
        monkeypatch.setenv(metrics.MULTIPROCESS_FOLDER, str(folder))
        both = _values(metrics.exposition().decode())
        workers[0].communicate("\n", timeout=30)  # one worker stops (and is replaced)
        one = _values(metrics.exposition().decode())
    finally:
        for worker in workers:
            worker.kill()
            worker.wait()
    votes = ("kompas_votes_total", (("outcome", "accepted"),))
    voted = ("method", "POST"), ("route", "/doe-mee/{code}/stemmen"), ("status", "200")
    assert both[votes] == one[votes] == 5
    assert both[("kompas_http_request_duration_seconds_count", voted)] == 2
    assert both[("kompas_live_streams_open", ())] == 2
    assert one[("kompas_live_streams_open", ())] == 1


def test_serve_gives_several_workers_one_metrics_folder(monkeypatch):
    monkeypatch.setenv(metrics.MULTIPROCESS_FOLDER, "")  # restored (to absent) afterwards
    monkeypatch.delenv(metrics.MULTIPROCESS_FOLDER)
    seen = {}

    def run(*args, **kwargs) -> None:
        folder = os.environ[metrics.MULTIPROCESS_FOLDER]
        seen.update(kwargs, folder=folder, existed=os.path.isdir(folder))

    monkeypatch.setattr("app.cli.uvicorn.run", run)
    monkeypatch.setattr("app.cli.logging.config.dictConfig", lambda config: None)
    from app.cli import serve

    serve(host="127.0.0.1", port=8000, reload=False, workers=2)
    assert seen["workers"] == 2 and seen["existed"]
    assert not os.path.exists(seen["folder"])  # removed when serving ended
    assert seen["access_log"] is False  # app/request_log.py writes the lines
    assert seen["log_config"]["handlers"]["stdout"]["formatter"] == "json"


def test_the_outbox_backlog_is_scraped(scraper):
    answer = scraper.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert 'kompas_backlog{queue="outbox"} 0.0' in answer.text


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_the_outbox_backlog_counts_what_waits(session, monkeypatch):
    """A mail recorded and not yet sent is counted by the next scrape (within this test's
    transaction, which is rolled back)."""
    monkeypatch.setattr("app.db.engine", session.connection())
    before = _values(metrics.exposition().decode())[("kompas_backlog", (("queue", "outbox"),))]
    outbox.enqueue(session, "mail", {"to": 1})
    outbox.enqueue(session, "mail", {"to": 2})
    after = _values(metrics.exposition().decode())[("kompas_backlog", (("queue", "outbox"),))]
    assert after == before + 2


def test_database_connections_in_use_are_counted(engine):
    metrics.watch_pool(engine)
    assert _sample("kompas_db_pool_connections", state="size") == engine.pool.size()
    before = _sample("kompas_db_pool_connections", state="in_use")
    with engine.connect(), engine.connect():
        assert _sample("kompas_db_pool_connections", state="in_use") == before + 2
    assert _sample("kompas_db_pool_connections", state="in_use") == before


def test_exports_running_and_waiting_are_counted():
    """One place: the first export runs, the second waits its turn, then runs."""

    async def scenario() -> None:
        release = asyncio.Event()

        async def app(scope, receive, send):
            await release.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"%PDF"})

        def counted() -> tuple[float, float]:
            return (
                _sample("kompas_exports", state="running"),
                _sample("kompas_exports", state="waiting"),
            )

        before = counted()
        gate = ExportGate(app, ExportLine(1), patience=30)
        transport = httpx.ASGITransport(app=gate)
        async with httpx.AsyncClient(transport=transport, base_url="http://kompas") as client:
            first = asyncio.create_task(client.get("/rapportage/pdf/bestand"))
            second = asyncio.create_task(client.get("/rapportage/word/bestand"))
            while counted() != (before[0] + 1, before[1] + 1):
                await asyncio.sleep(0.01)
            release.set()
            assert (await first).status_code == (await second).status_code == 200
        assert counted() == before

    run(asyncio.wait_for(scenario(), 10))
