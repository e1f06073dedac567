"""The `kompas` command: migrate and load the demo into a database of one's own."""

from typer.testing import CliRunner

from app.cli import app
from app.db import make_engine


def test_db_upgrade_and_demo(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'kompas.db'}"
    monkeypatch.setattr("app.cli.settings.database_url", url)
    monkeypatch.setattr("app.db.engine", make_engine(url))
    runner = CliRunner()
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert "bijgewerkt" in upgraded.output
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert "Demo geladen" in first.output
    again = runner.invoke(app, ["demo"])
    assert "al geladen" in again.output
