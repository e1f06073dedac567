"""Nothing secret reaches a log: the server, started as `kompas serve` starts it (access log
on), is sent a reset link, an invitation, a partner link and a join code, and its output holds
none of them."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import exc, text
from sqlmodel import Session

from app import access_log, migrate
from app.config import ROOT
from app.db import make_engine
from app.main import app
from app.organisations import invitations, signin
from app.organisations.models import Role, User
from app.partner_requests import service as partner_requests_service
from app.partner_requests.models import PartnerRequestCreate
from app.tables import utc_now
from bench.server import HOST, _free_port, _wait_until_healthy
from tests import factories
from tests.conftest import fresh_database

KOMPAS = Path(sys.executable).parent / "kompas"


def test_the_server_logs_no_token_and_no_join_code(backend, tmp_path, monkeypatch):
    monkeypatch.setattr("bench.server.STARTUP_SECONDS", 180)  # a busy machine starts slowly
    with fresh_database(backend, str(tmp_path)) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            organisation = factories.make_organisation(session)
            admin = session.get_one(
                User, factories.make_member(session, organisation, Role.ADMIN).user_id
            )
            reset = signin.create_reset(session, admin, None)
            _, invitation = invitations.invite(
                session,
                organisation,
                email="eva@kampen.example.org",
                name="Eva Jansen",
                role=Role.READER,
                partner_id=None,
                invited_by=admin,
            )
            partner = factories.make_partner(session, organisation)
            link, _ = partner_requests_service.create_request(
                session,
                organisation,
                PartnerRequestCreate(partner_id=partner.id, due_on=utc_now().date()),
                "Joost Mulder",
            )
            live = factories.make_live_session(session, factories.make_cycle(session, organisation))
            code = live.join_code
            session.commit()
        engine.dispose()

        port = _free_port()
        output = tmp_path / "server.log"
        # As `kompas serve` runs it, with the secret the tokens were made under. One process:
        # on a machine this busy uvicorn's supervisor kills a second one that is slow to start.
        environment = {**os.environ, "KOMPAS_DATABASE_URL": url}
        with output.open("w") as log:
            server = subprocess.Popen(
                [str(KOMPAS), "serve", "--host", HOST, "--port", str(port), "--workers", "1"],
                cwd=ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                base_url = f"http://{HOST}:{port}"
                _wait_until_healthy(base_url, server)
                with httpx.Client(base_url=base_url, timeout=30, follow_redirects=True) as client:
                    assert client.get(f"/wachtwoord-instellen/{reset}").status_code == 200
                    assert client.get(f"/uitnodiging/{invitation}").status_code == 200
                    # Not signed in: the way back to the invitation goes through the query.
                    accept = client.post(f"/uitnodiging/{invitation}/aannemen")
                    assert "/inloggen?volgende=" in str(accept.url)
                    assert client.get(f"/partnerlink/{link}").status_code == 200
                    joined = client.get(f"/doe-mee/{code.lower()}")  # to the canonical address
                    assert joined.status_code == 200 and str(joined.url).endswith(code)
                time.sleep(0.5)  # the access log is written after each answer
            finally:
                server.terminate()
                server.wait(timeout=30)
    logged = output.read_text()
    assert "GET /partnerlink/{token} HTTP/1.1" in logged, logged  # the access log was on
    assert "GET /doe-mee/{code} HTTP/1.1" in logged, logged
    for secret in (reset, invitation, link, code, code.lower()):
        assert secret not in logged, logged


@pytest.mark.parametrize(
    ("asked", "logged"),
    [
        ("/wachtwoord-instellen/abc_DEF-123", "/wachtwoord-instellen/{token}"),
        ("/uitnodiging/abc/aannemen", "/uitnodiging/{token}/aannemen"),
        ("/partnerlink/abc/metingen/7", "/partnerlink/{token}/metingen/7"),
        ("/gepubliceerd/abc/pdf", "/gepubliceerd/{token}/pdf"),
        ("/doe-mee/HK7P3MXR4Q/ronde", "/doe-mee/{code}/ronde"),
        ("/doe-mee", "/doe-mee"),
        ("//PartnerLink/abc", "//PartnerLink/{token}"),
        ("/partnerlink%2Fabc", "/partnerlink/{token}"),
        ("/partnerlink%252Fabc", "/partnerlink/{token}"),
        ("/inloggen?volgende=%2Fuitnodiging%2Fabc%2Faannemen", "/inloggen?…"),
        ("/cycli/3/stappen/2", "/cycli/3/stappen/2"),
        ("/a%0Ab", "/a%0Ab"),
    ],
)
def test_secret_segments_and_queries_are_left_out(asked, logged):
    assert access_log.redact(asked) == logged


def test_every_route_with_a_secret_in_its_path_is_redacted():
    paths = [
        route.path
        for included in app.routes
        for route in getattr(getattr(included, "original_router", None), "routes", [included])
    ]
    secret = [p for p in paths if re.search(r"{(token|code)\b", p)]
    assert len(secret) >= 10, secret
    for path in secret:
        filled = re.sub(r"{[^}]*}", "7", re.sub(r"{(token|code)\b[^}]*}", "GEHEIM42", path))
        assert "GEHEIM42" not in access_log.redact(filled), path


def test_a_failed_statement_logs_no_parameters(engine):
    with engine.connect() as connection, pytest.raises(exc.DBAPIError) as failed:
        connection.execute(
            text("SELECT no_such_column FROM live_session WHERE join_code = :c"),
            {"c": "HK7P3MXR4Q"},
        )
    assert "HK7P3MXR4Q" not in str(failed.value)
