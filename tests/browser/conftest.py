"""Browser tests: the real app under uvicorn, Debian's Chromium driven by Playwright.

Each test module gets its own server on a free port with its own copy of a database that holds
the demo (Gemeente Kampen), so a test that starts a new cycle cannot disturb another.
"""

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from importlib.metadata import version
from pathlib import Path

import httpx
import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from app import migrate
from app.accessibility import AUDIT_FILE, CHECK_IDS
from app.config import ROOT
from app.db import make_engine
from app.demo.accounts import PASSWORD, SECOND_FACTOR_KEY
from app.demo.load import load_demo

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the networking switches Chromium keeps dialling Google, which this machine refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"
# Starting takes a few seconds, many more on a machine busy with other work.
STARTUP_SECONDS = 180  # as bench/server.py: only a frozen start should fail


# `make audit-accessibility` sets this: the run records what it covered for the statement.
RECORD_AUDIT = "KOMPAS_RECORD_AUDIT"


class AuditRecorder:
    """What the accessibility tests covered (pages, forms, tests per check), for the statement
    at /toegankelijkheid. A test adds its counts once its assertions have passed."""

    def __init__(self) -> None:
        self.browser = ""
        self.counts: dict[str, dict[str, int]] = {}

    def add(self, check: str, **counts: int) -> None:
        assert check in CHECK_IDS, check
        totals = self.counts.setdefault(check, {})
        for name, number in counts.items():
            totals[name] = totals.get(name, 0) + number

    def write(self) -> None:
        record = {
            "tested_on": date.today().isoformat(),
            "browser": self.browser,
            "axe_core": json.loads((AXE.parent / "package.json").read_text())["version"],
            "playwright": version("playwright"),
            "checks": dict(sorted(self.counts.items())),
        }
        AUDIT_FILE.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")


RECORDER = AuditRecorder()


@pytest.fixture(scope="session")
def audit(browser: Browser) -> AuditRecorder:
    RECORDER.browser = f"Chromium {browser.version}"
    return RECORDER


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With KOMPAS_RECORD_AUDIT set, a run that passed and covered every check writes the
    record the statement reads; anything less writes nothing and fails the run."""
    if not os.environ.get(RECORD_AUDIT):
        return
    missing = CHECK_IDS - set(RECORDER.counts)
    if exitstatus != 0 or missing:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_line(
            f"Accessibility audit not recorded: {'tests failed' if exitstatus else ''}"
            f"{' checks not run: ' + ', '.join(sorted(missing)) if missing else ''}",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        return
    RECORDER.write()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """The tests inject axe-core and evaluate scripts, which Kompas's Content-Security-Policy
    forbids; test_forms drives the app with the policy in force."""
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database holding the demo, made once and copied per server."""
    path = tmp_path_factory.mktemp("demo") / "kompas.db"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    engine = make_engine(url)
    load_demo(engine)
    engine.dispose()
    with sqlite3.connect(path) as connection:  # fold the write-ahead log into the file
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn stopped with exit code {process.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"uvicorn did not start within {STARTUP_SECONDS} seconds")


@contextmanager
def serve(database: Path, port: int) -> Iterator[str]:
    """uvicorn on 127.0.0.1:`port` with `database`, stopped afterwards."""
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "KOMPAS_DATABASE_URL": f"sqlite:///{database}"}
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"),
            *("--port", str(port), "--log-level", "warning"),
            # Open event streams (a projector left open) must not keep the server from stopping.
            *("--timeout-graceful-shutdown", "3"),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def live_server(demo_database: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app as a user gets it: uvicorn on 127.0.0.1, a database of its own."""
    database = tmp_path_factory.mktemp("server") / "kompas.db"
    shutil.copy(demo_database, database)
    with serve(database, _free_port()) as url:
        yield url


# Per server and account, the last time step whose code was given: a code works once.
_CODE_STEPS: dict[tuple[str, str], int] = {}


def sign_in(page: Page, live_server: str, email: str, password: str = PASSWORD) -> None:
    """Through the sign-in page, as a person does; the demo beheerders then give the code
    their app would show (the demo's key is known)."""
    page.goto(f"{live_server}/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(re.compile("Thema's van|Code invullen"))
    if "Code invullen" in heading.inner_text():
        page.get_by_label("Code").fill(next_code(live_server, email))
        page.get_by_role("button", name="Inloggen").click()
    expect(heading).to_contain_text("Thema's van")


def next_code(live_server: str, email: str) -> str:
    """A code Kompas takes: of a step not used before, the clock's or one ahead (as a phone's
    clock may be); waits for the next step when those are used up. Never one behind: on a busy
    machine the clock may pass another step before the server checks it."""
    totp = pyotp.TOTP(SECOND_FACTOR_KEY)
    while True:
        now = totp.timecode(datetime.now(UTC))
        step = max(now, _CODE_STEPS.get((live_server, email), 0) + 1)
        if step <= now + 1:
            _CODE_STEPS[live_server, email] = step
            return totp.generate_otp(step)
        time.sleep(totp.interval - time.time() % totp.interval + 0.1)


ADMIN = "beheerder@kampen.example.org"


def choose_next_period(page: Page, start_year: int, end_year: int) -> None:
    """On the hand-over form: the next cycle's years, applied, so a test reads the same
    proposals whatever year it runs in."""
    page.get_by_label(re.compile("^Beginjaar")).fill(str(start_year))
    page.get_by_label(re.compile("^Eindjaar")).fill(str(end_year))
    page.get_by_role("button", name="Periode toepassen").click()
    expect(page.get_by_role("button", name=f"Start cyclus {start_year}–{end_year}")).to_be_visible()


# Per server, the demo beheerder's cookies: one sign-in serves the module's tests (each would
# otherwise need a code of a step of its own).
_ADMIN_COOKIES: dict[str, list] = {}


@pytest.fixture
def page(page: Page, live_server: str) -> Page:
    """A browser tab signed in as the demo beheerder of Gemeente Kampen."""
    page.set_default_timeout(10_000)
    if cookies := _ADMIN_COOKIES.get(live_server):
        page.context.add_cookies(cookies)
        page.goto(f"{live_server}/")
        if "Thema's van" in page.get_by_role("heading", level=1).inner_text():
            return page  # still signed in (unless a test signed that session out)
    sign_in(page, live_server, ADMIN)
    _ADMIN_COOKIES[live_server] = page.context.cookies()
    return page


def axe_violations(page: Page) -> list[dict]:
    """WCAG 2.1 A and AA violations on the current page, as axe-core reports them."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            });
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary),
            }));
        }"""
    )
