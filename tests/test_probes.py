"""The probes a platform asks: alive, ready (database reachable, schema at head), version."""

import asyncio
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from app import migrate, stopping
from app.admission import AdmissionMiddleware
from app.db import make_engine
from app.main import app
from app.metrics import METRICS_PATH
from app.probes import PATHS, READY_SECONDS
from app.version import VERSION
from bench.databases import fresh_database
from tests.event_loop import run


@pytest.fixture
def probe(monkeypatch) -> Iterator:
    """A client whose probes read the database at `url` (or this engine)."""
    made: list[Engine] = []

    def using(url_or_engine: str | Engine) -> TestClient:
        engine = url_or_engine
        if isinstance(engine, str):
            engine = make_engine(engine)
            made.append(engine)
        monkeypatch.setattr("app.db.engine", engine)
        return TestClient(app, raise_server_exceptions=False)

    yield using
    for engine in made:
        engine.dispose()


def test_alive_and_version_answer_without_a_database(probe):
    client = probe("postgresql+psycopg://kompas@127.0.0.1:1/nergens")
    for path in ("/healthz", "/health"):
        assert client.get(path).json() == {"status": "ok"}
    assert client.get("/versie").json() == {"versie": VERSION}
    assert client.get("/api/v2/openapi.json").json()["info"]["version"] == VERSION


def test_ready_when_the_database_is_at_the_migrations_head(probe, engine):
    answer = probe(engine).get("/readyz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


def test_not_ready_before_the_migrations_ran(probe, backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        client = probe(url)
        answer = client.get("/readyz")
        assert answer.status_code == 503
        assert "no revision" in answer.json()["reason"]
        migrate.upgrade(url)
        assert client.get("/readyz").status_code == 200


def test_not_ready_when_the_database_cannot_be_reached(probe):
    answer = probe("postgresql+psycopg://kompas:geheim@127.0.0.1:1/kompas").get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["status"] == "unavailable"
    assert "cannot be reached" in answer.json()["reason"]
    assert "geheim" not in answer.text and "127.0.0.1" not in answer.text


def test_a_database_that_hangs_is_not_ready_within_a_second(probe, tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'traag.db'}")
    event.listen(engine, "connect", lambda *_: time.sleep(5))
    started = time.monotonic()
    answer = probe(engine).get("/readyz")
    assert answer.status_code == 503 and "within 1 s" in answer.json()["reason"]
    assert time.monotonic() - started < 4


def test_not_ready_once_the_process_is_stopping(engine, monkeypatch):
    """After SIGTERM (app/stopping.py) the load balancer's check takes the process out of the
    rotation, while it still lives."""
    monkeypatch.setattr("app.db.engine", engine)
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 200
        client.portal.call(stopping.begin)
        answer = client.get("/readyz")
        assert answer.status_code == 503
        assert answer.json() == {"status": "unavailable", "reason": "the process is stopping"}
        assert client.get("/healthz").status_code == 200


def test_the_probes_pass_a_full_process_at_once():
    """Every place taken and a request waiting: the probes (and /metrics) are not queued."""

    async def scenario() -> None:
        release = asyncio.Event()

        async def inner(scope, receive, send):
            if scope["path"] == "/traag":
                await release.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})

        gate = AdmissionMiddleware(inner, capacity=1, wait_seconds=30, queue_limit=10)
        transport = httpx.ASGITransport(app=gate)
        async with httpx.AsyncClient(transport=transport, base_url="http://kompas") as client:
            held = [asyncio.create_task(client.get("/traag")) for _ in range(2)]
            while gate.gauge.admitted < 1 or gate.gauge.waiting < 1:
                await asyncio.sleep(0.01)
            for path in sorted(PATHS | {METRICS_PATH}):
                answer = await asyncio.wait_for(client.get(path), READY_SECONDS)
                assert answer.status_code == 200, path
            release.set()
            await asyncio.gather(*held)

    run(scenario())
