"""The optional Server-Timing header counts the queries of a request."""

import re

from fastapi.testclient import TestClient

from app import main
from app.auth import SESSION_COOKIE
from app.db import get_session
from app.server_timing import count_queries
from tests import factories


def test_reports_the_queries_of_a_page(monkeypatch, engine, session, organisation):
    factories.make_cycle(session, organisation)
    credentials = factories.sign_in(session, factories.make_member(session, organisation))
    monkeypatch.setattr(main.settings, "server_timing", True)
    app = main.create_app()
    count_queries(engine)
    app.dependency_overrides[get_session] = lambda: session
    with TestClient(app, cookies={SESSION_COOKIE: credentials.cookie}) as client:
        response = client.get("/")
    assert response.status_code == 200
    queries = int(re.search(r'db;desc="(\d+) queries"', response.headers["server-timing"])[1])
    assert queries > 0


def test_is_off_by_default(client):
    assert "server-timing" not in client.get("/").headers
