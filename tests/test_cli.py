"""The `kompas` command: migrate, load the demo, and set up a real installation."""

import logging
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from app.cli import app
from app.db import make_engine
from app.metrics import MULTIPROCESS_FOLDER
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
