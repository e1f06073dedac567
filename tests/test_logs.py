"""A real `kompas serve`, as it runs in production, through a sign-in with the demo password,
the secret links, a live session (join, a vote stored and one refused, the live stream) and
the API: its stdout is one JSON object per line, in UTC, with the version and the request's
id, and nowhere in its output is a password, token, join code or e-mail address. Its metrics,
behind their token, counted what happened."""

import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import Session

from app import migrate
from app.auth import SESSION_COOKIE
from app.config import ROOT
from app.db import make_engine
from app.demo.accounts import PASSWORD as DEMO_PASSWORD
from app.organisations import invitations, members, signin
from app.organisations.models import Role
from app.partner_requests import service as partner_requests_service
from app.partner_requests.models import PartnerRequestCreate
from app.sessions import running
from app.tables import utc_now
from app.version import VERSION
from bench.server import HOST, _free_port, _wait_until_healthy
from bench.session_clients import Failed, Phone, join, new_key, vote
from tests import factories
from tests.conftest import fresh_database
from tests.event_loop import run

# The command the container runs (Containerfile; tests/test_packaging.py holds them equal).
COMMAND = ["kompas", "serve"]
EMAIL = "sanne.visser@kampen.example.org"


def _installation(url: str) -> dict[str, str]:
    """An organisation with a beheerder who has the demo password, and every kind of secret
    link; the secrets by name."""
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        organisation = factories.make_organisation(session)
        admin = members.create_user(
            session, email=EMAIL, name="Sanne Visser", password=DEMO_PASSWORD
        )
        membership = members.add_member(session, organisation, admin, Role.FACILITATOR)
        api_token = factories.sign_in(session, membership).api_token
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
        round_ = factories.make_round(session, live, "dots", dots=1)
        item = running.add_item(session, round_, "Minder eenzaamheid")
        running.start_round(session, round_)
        session.commit()
        facts = {
            "api_token": api_token,
            "reset": reset,
            "invitation": invitation,
            "link": link,
            "code": live.join_code,
            "round": str(round_.id),
            "item": str(item.id),
        }
    engine.dispose()
    return facts


def _use(base_url: str, facts: dict[str, str], metrics_token: str) -> dict:
    """Everything a day brings, through HTTP; what the client saw that must not be logged."""
    seen: dict = {}
    with httpx.Client(base_url=base_url, timeout=30) as client:
        page = client.get("/inloggen")
        csrf = page.text.split('name="_csrf" value="')[1].split('"')[0]
        signed_in = client.post(
            "/inloggen",
            data={"email": EMAIL, "password": DEMO_PASSWORD, "_csrf": csrf, "_next": "/"},
        )
        assert signed_in.status_code == 303, signed_in.text
        seen["session_cookie"] = client.cookies[SESSION_COOKIE]
        assert client.get("/").status_code == 200
        for path in (f"/wachtwoord-instellen/{facts['reset']}", f"/partnerlink/{facts['link']}"):
            assert client.get(path).status_code == 200
        assert client.get(f"/uitnodiging/{facts['invitation']}").status_code == 200
        typed = client.get(f"/doe-mee/{facts['code'].lower()}")  # to the canonical address
        assert typed.status_code == 303
        api = client.get(
            "/api/v2/organisatie",
            headers={"Authorization": f"Bearer {facts['api_token']}", "X-Request-ID": "lb-42-abc"},
        )
        assert api.status_code == 200 and api.headers["X-Request-ID"] == "lb-42-abc"
        seen["request_id"] = client.get("/versie").headers["X-Request-ID"]

    phone = Phone(1)

    async def in_the_room() -> list[str]:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as room:
            await join(room, facts["code"], phone)
            await vote(
                room, facts["code"], phone, int(facts["round"]), int(facts["item"]), new_key()
            )
            with pytest.raises(Failed, match="409"):  # one dot each: the second is refused
                await vote(
                    room, facts["code"], phone, int(facts["round"]), int(facts["item"]), new_key()
                )
            headers = {"Cookie": phone.headers["Cookie"]}
            async with room.stream(
                "GET", f"/doe-mee/{facts['code']}/live", headers=headers
            ) as live:
                chunks = live.aiter_bytes()  # kept: a dropped iterator closes the stream
                assert live.status_code == 200 and b"retry" in await anext(chunks)
                return [
                    (await room.get("/metrics", headers=auth)).text
                    for auth in ({}, {"Authorization": f"Bearer {metrics_token}"})
                ]

    refused, scraped = run(in_the_room())
    assert "metrics-token" in refused
    seen["participant_cookie"], seen["participant_csrf"] = phone.cookie, phone.csrf
    seen["metrics"] = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(scraped)
        for sample in family.samples
    }
    return seen


def test_a_full_run_logs_json_lines_without_secrets(backend, tmp_path):
    metrics_token = secrets.token_hex(16)
    with fresh_database(backend, str(tmp_path)) as url:
        migrate.upgrade(url)
        facts = _installation(url)
        port = _free_port()
        stdout, stderr = tmp_path / "stdout.log", tmp_path / "stderr.log"
        # As the container runs it (Containerfile), with the secret the tokens were made under.
        # One process: on a machine this busy uvicorn's supervisor kills a second one that is
        # slow to start (tests/test_metrics.py runs several).
        environment = {
            **os.environ,
            "KOMPAS_DATABASE_URL": url,
            "KOMPAS_LOG_LEVEL": "debug",
            "KOMPAS_METRICS_TOKEN": metrics_token,
        }
        with stdout.open("w") as out, stderr.open("w") as err:
            server = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / COMMAND[0]),
                    *COMMAND[1:],
                    *("--host", HOST, "--port", str(port), "--workers", "1"),
                ],
                cwd=ROOT,
                env=environment,
                stdout=out,
                stderr=err,
            )
            try:
                base_url = f"http://{HOST}:{port}"
                _wait_until_healthy(base_url, server)
                seen = _use(base_url, facts, metrics_token)
                time.sleep(0.5)  # the last lines are written after each answer
            finally:
                server.terminate()
                server.wait(timeout=30)

    lines = [json.loads(line) for line in stdout.read_text().splitlines()]
    assert stderr.read_text() == ""
    for line in lines:
        assert line["version"] == VERSION and line["level"] and line["logger"], line
        assert line["timestamp"].endswith("+00:00"), line
    requests = [line for line in lines if line["logger"] == "kompas.requests"]
    routes = {(line["method"], line["route"], line["status"]) for line in requests}
    assert ("POST", "/inloggen", 303) in routes
    assert ("GET", "/partnerlink/{token}", 200) in routes
    assert ("POST", "/doe-mee/{code}/stemmen", 409) in routes
    assert ("GET", "/api/v2/organisatie", 200) in routes
    assert {"/doe-mee/{code}", "/wachtwoord-instellen/{token}"} <= {r["path"] for r in requests}
    assert all(line["request_id"] for line in requests)
    assert seen["request_id"] in {line["request_id"] for line in requests}
    assert "lb-42-abc" in {line["request_id"] for line in requests}

    logged = stdout.read_text() + stderr.read_text()
    code = facts["code"]
    for secret in (
        DEMO_PASSWORD,
        EMAIL,
        facts["api_token"],
        facts["reset"],
        facts["invitation"],
        facts["link"],
        code,
        code.lower(),
        metrics_token,
        seen["session_cookie"],
        seen["participant_cookie"],
        seen["participant_csrf"],
    ):
        assert secret not in logged, secret

    measured = seen["metrics"]
    assert measured[("kompas_app_info", (("version", VERSION),))] == 1
    assert measured[("kompas_votes_total", (("outcome", "accepted"),))] == 1
    assert measured[("kompas_votes_total", (("outcome", "refused"),))] == 1
    assert measured[("kompas_live_streams_open", ())] == 1
    assert measured[("kompas_db_pool_connections", (("state", "size"),))] > 0
    signed_in = ("method", "POST"), ("route", "/inloggen"), ("status", "303")
    assert measured[("kompas_http_request_duration_seconds_count", signed_in)] == 1
    assert not any("/doe-mee/" + code in str(key) for key in measured)


# A process's logging as `kompas serve` configures it, a line at each level.
LEVELS = """
import logging, logging.config
from app import logs
logging.config.dictConfig(logs.config())
logging.getLogger("kompas.requests").debug("debug")
logging.getLogger("kompas.requests").info("info")
logging.getLogger("uvicorn.error").warning("warning")
logging.getLogger("kompas").error("error")
"""


@pytest.mark.parametrize(
    ("level", "shown"),
    [("debug", ["debug", "info", "warning", "error"]), ("warning", ["warning", "error"])],
)
def test_the_log_level_is_kompas_log_level(level, shown, tmp_path):
    environment = {
        **os.environ,
        "KOMPAS_LOG_LEVEL": level,
        "KOMPAS_DATABASE_URL": f"sqlite:///{tmp_path / 'kompas.db'}",
    }
    ran = subprocess.run(
        [sys.executable, "-c", LEVELS], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert ran.returncode == 0 and ran.stderr == "", ran.stderr
    lines = [json.loads(line) for line in ran.stdout.splitlines()]
    assert [line["message"] for line in lines] == shown
    assert all(line["version"] == VERSION for line in lines)
