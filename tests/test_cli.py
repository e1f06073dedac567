"""The `kompas` command: migrate, load the demo, and set up a real installation."""

import logging
from collections.abc import Iterator

import pyotp
import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from app import db as app_db
from app.cli import app
from app.db import make_engine
from app.demo.accounts import SECOND_FACTOR_KEY as DEMO_KEY
from app.metrics import MULTIPROCESS_FOLDER
from app.organisations import members as members_service
from app.organisations import second_factor
from tests.mail_server import text_of

runner = CliRunner()


def use_database(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'kompas.db'}"
    monkeypatch.setattr("app.cli.settings.database_url", url)
    monkeypatch.setattr("app.db.engine", make_engine(url))


def test_db_upgrade_and_demo(tmp_path, monkeypatch):
    use_database(tmp_path, monkeypatch)
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert "bijgewerkt" in upgraded.output
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert "Demo geladen" in first.output
    assert "beheerder@kampen.example.org" in first.output  # the accounts are printed
    again = runner.invoke(app, ["demo"])
    assert "al geladen" in again.output
    # The demo beheerders' key is printed, and the operator can take a second factor away.
    assert second_factor.show_key(DEMO_KEY) in first.output
    code = runner.invoke(app, ["demo-code"])
    assert code.output.strip() == pyotp.TOTP(DEMO_KEY).now()
    reset = runner.invoke(app, ["user", "reset-mfa", "--email", "beheerder@kampen.example.org"])
    assert reset.exit_code == 0 and "is verwijderd" in reset.output, reset.output
    with Session(app_db.engine) as session:
        user = members_service.get_user_by_email(session, "beheerder@kampen.example.org")
        assert user is not None and not second_factor.enrolled(session, user)
    # The audit log holds together, until a line is changed behind Kompas's back.
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0 and "ongeschonden" in verified.output, verified.output
    assert "Gemeente Kampen:" in verified.output
    with app_db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE audit_entry SET label = 'anders' WHERE id = 3")
    tampered = runner.invoke(app, ["audit", "verify"])
    assert tampered.exit_code == 1 and "(id 3) is gewijzigd" in tampered.output


def test_first_organisation_and_beheerder(tmp_path, monkeypatch):
    use_database(tmp_path, monkeypatch)
    runner.invoke(app, ["db", "upgrade"])
    made = runner.invoke(
        app, ["organisation", "create", "--name", "Gemeente Zwolle", "--slug", "zwolle"]
    )
    assert made.exit_code == 0, made.output
    user = runner.invoke(
        app,
        [
            "user",
            "create",
            "--email",
            "eva@zwolle.example.org",
            "--name",
            "Eva",
            "--organisation",
            "zwolle",
        ],
        input="een lang wachtwoord\neen lang wachtwoord\n",
    )
    assert user.exit_code == 0, user.output
    assert "Eva kan nu inloggen als beheerder van Gemeente Zwolle" in user.output
    short = runner.invoke(
        app,
        [
            "user",
            "create",
            "--email",
            "bo@zwolle.example.org",
            "--name",
            "Bo",
            "--organisation",
            "zwolle",
        ],
        input="kort\nkort\n",
    )
    assert short.exit_code != 0 and "minstens 12 tekens" in short.output


def one_account(tmp_path, monkeypatch) -> None:
    """An installation with Gemeente Zwolle and its beheerder a@zwolle.example.org."""
    use_database(tmp_path, monkeypatch)
    runner.invoke(app, ["db", "upgrade"])
    runner.invoke(app, ["organisation", "create", "--name", "Gemeente Zwolle", "--slug", "zwolle"])
    runner.invoke(
        app,
        [
            "user",
            "create",
            "--email",
            "a@zwolle.example.org",
            "--name",
            "A",
            "--organisation",
            "zwolle",
            "--password",
            "een lang genoeg wachtwoord",
        ],
    )


def test_the_operator_makes_a_password_link(tmp_path, monkeypatch):
    one_account(tmp_path, monkeypatch)
    link = runner.invoke(app, ["user", "password-link", "--email", "a@zwolle.example.org"])
    assert link.exit_code == 0 and "/wachtwoord-instellen/" in link.output
    unknown = runner.invoke(app, ["user", "password-link", "--email", "x@zwolle.example.org"])
    assert unknown.exit_code != 0


def test_the_operators_link_is_mailed_by_the_worker(tmp_path, monkeypatch, relay):
    one_account(tmp_path, monkeypatch)
    link = runner.invoke(app, ["user", "password-link", "--email", "a@zwolle.example.org"])
    assert "Hij gaat ook per e-mail naar a@zwolle.example.org." in link.output
    token = link.output.split("/wachtwoord-instellen/")[1].split()[0]
    sent = runner.invoke(app, ["worker", "--once"])
    assert sent.exit_code == 0, sent.output
    assert "1 bericht(en) verstuurd." in sent.output
    [message] = relay.received
    assert f"https://kompas.example.org/wachtwoord-instellen/{token}" in text_of(message)
    assert "De beheerder van Kompas heeft een link gemaakt" in text_of(message)


@pytest.fixture
def serving_kept(monkeypatch) -> Iterator[None]:
    """`serve` configures the process's logging (JSON on stdout) and, for several workers,
    the metrics' folder: give the tests theirs back."""
    monkeypatch.setenv(MULTIPROCESS_FOLDER, "")  # restored (to absent) afterwards
    monkeypatch.delenv(MULTIPROCESS_FOLDER)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("serving_kept")
def test_serve_announces_the_port_it_listens_on(monkeypatch):
    served = {}
    monkeypatch.setattr("app.cli.uvicorn.run", lambda *args, **kwargs: served.update(kwargs))
    result = runner.invoke(app, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert served["port"] == 8123
    assert "http://127.0.0.1:8123" in result.output


@pytest.mark.parametrize(
    ("url", "arguments", "processes"),
    [
        ("sqlite:///var/kompas.db", [], 1),  # writers take turns within one process
        ("postgresql+psycopg://localhost/kompas", [], 4),  # one per core
        ("postgresql+psycopg://localhost/kompas", ["--workers", "2"], 2),
        ("postgresql+psycopg://localhost/kompas", ["--reload"], 1),
    ],
)
@pytest.mark.usefixtures("serving_kept")
def test_serve_starts_one_process_per_core_on_postgresql(monkeypatch, url, arguments, processes):
    served = {}
    monkeypatch.setattr("app.cli.uvicorn.run", lambda *args, **kwargs: served.update(kwargs))
    monkeypatch.setattr("app.cli.settings.database_url", url)
    monkeypatch.setattr("app.cli.os.cpu_count", lambda: 4)
    result = runner.invoke(app, ["serve", *arguments])
    assert result.exit_code == 0, result.output
    assert served["workers"] == processes
