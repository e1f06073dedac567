"""Test databases and clients. Every database test runs on SQLite and on PostgreSQL.

The schema is made by the real Alembic migrations. Each test runs inside a transaction that is
rolled back afterwards; the routes' own commits only release a savepoint.
"""

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlmodel import Session

from app import migrate, worker
from app.auth import SESSION_COOKIE
from app.config import settings
from app.db import get_session, make_engine
from app.demo.load import load_demo
from app.jobs import WORK
from app.main import app
from app.organisations.models import Organisation, Partner, Role
from app.sessions import notify
from bench.databases import POSTGRES_ADMIN_URL, fresh_database, postgres_problem
from tests import factories
from tests.mail_server import Relay
from tests.oidc_provider import OpenIdProvider

# A server started by a test runs no background worker on the configured database; the mail
# tests run the worker themselves (`deliver`).
settings.worker_in_server = False
IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_PROBLEM = postgres_problem()
BACKENDS = ["sqlite"] + ([] if POSTGRES_PROBLEM else ["postgresql"])


def pytest_configure(config: pytest.Config) -> None:
    if POSTGRES_PROBLEM and IN_CI:
        raise pytest.UsageError(
            f"CI=true but PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {POSTGRES_PROBLEM}"
        )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests of a module that share a module-scoped fixture (a real server, a browser's
    demo server, a database of their own) run in one worker (`pytest --dist loadgroup`), so
    that it is made once rather than once per worker; the other tests spread freely."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        definitions = info.name2fixturedefs.values() if info else ()
        if any(d[-1].scope == "module" for d in definitions if d):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__ if item.module else ""))


def pytest_report_header(config: pytest.Config) -> str:
    if POSTGRES_PROBLEM:
        return f"PostgreSQL half skipped: no server at {POSTGRES_ADMIN_URL} ({POSTGRES_PROBLEM})"
    return f"databases: SQLite and PostgreSQL ({POSTGRES_ADMIN_URL})"


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated database per backend for the whole run."""
    with fresh_database(backend, str(tmp_path_factory.mktemp("db"))) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with engine.connect() as connection:
        transaction = connection.begin()
        with Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        ) as db_session:
            yield db_session
        transaction.rollback()


@pytest.fixture
def relay(monkeypatch: pytest.MonkeyPatch) -> Iterator[Relay]:
    """A running SMTP server, and Kompas configured to send its mail there."""
    server = Relay()
    server.start()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", server.port)
    monkeypatch.setattr(settings, "smtp_security", "none")
    monkeypatch.setattr(settings, "smtp_from", "kompas@gemeente.example.org")
    monkeypatch.setattr(settings, "public_url", "https://kompas.example.org")
    yield server
    server.stop()


@pytest.fixture
def deliver(session: Session):
    """`deliver(now=None)`: what the worker does after a commit, on the test's transaction."""

    def sessions() -> Session:
        return Session(
            bind=session.connection(),
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
        )

    return lambda now=None: worker.run_once(sessions, WORK, now)


@pytest.fixture
def handed_over_on_time() -> Iterator[None]:
    """The clock in January 2023, just after the factories' cycle (2019-2022) ended: the
    hand-over then proposes 2023-2026, whatever day the tests run."""
    with time_machine.travel(datetime(2023, 1, 16, 9, tzinfo=UTC), tick=True):
        yield


@pytest.fixture
def organisation(session: Session) -> Organisation:
    return factories.make_organisation(session)


@pytest.fixture
def client_as(session: Session, organisation: Organisation) -> Iterator:
    """`client_as(role)`: the app for a signed-in member of `organisation` with that role, on
    the test's transaction (pages through the session cookie, the API through a token)."""

    def test_session() -> Iterator[Session]:
        # Like a fresh request: nothing cached from the test's set-up, so a template that
        # touches an unloaded relationship fails here as it would in production.
        session.expunge_all()
        yield session

    app.dependency_overrides[get_session] = test_session
    clients: list[TestClient] = []

    def make(
        role: Role = Role.ADMIN,
        *,
        partner: Partner | None = None,
        of: Organisation | None = None,
    ) -> TestClient:
        membership = factories.make_member(session, of or organisation, role, partner=partner)
        credentials = factories.sign_in(session, membership)
        test_client = TestClient(
            app,
            raise_server_exceptions=False,
            cookies={SESSION_COOKIE: credentials.cookie},
            headers={
                "X-CSRF-Token": credentials.csrf,
                "Authorization": f"Bearer {credentials.api_token}",
            },
        )
        # Plain ids: the ORM objects are detached once the app has handled a request.
        test_client.user_id = membership.user_id  # type: ignore[attr-defined]
        test_client.membership_id = membership.id  # type: ignore[attr-defined]
        test_client.__enter__()
        clients.append(test_client)
        return test_client

    yield make
    for test_client in clients:
        test_client.__exit__(None, None, None)
    app.dependency_overrides.clear()


@pytest.fixture
def client(client_as) -> TestClient:
    """A beheerder of `organisation`: may do everything there."""
    return client_as(Role.ADMIN)


@pytest.fixture
def anonymous(session: Session) -> Iterator[TestClient]:
    app.dependency_overrides[get_session] = lambda: session
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
    app.dependency_overrides.clear()


@dataclass
class QueryCount:
    count: int = 0


@pytest.fixture
def count_queries(engine: Engine):
    """`with count_queries() as counted: ...` then `counted.count`."""

    @contextmanager
    def counting() -> Iterator[QueryCount]:
        counted = QueryCount()

        def before(*_args: object) -> None:
            # Not the live notifications, which a thread of their own sends after commits.
            if threading.current_thread().name != notify.THREAD:
                counted.count += 1

        event.listen(engine, "before_cursor_execute", before)
        try:
            yield counted
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting


@pytest.fixture(scope="session")
def demo_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a database of its own with the demo loaded (Kampen and Huizen, with a
    procesbegeleider of both), for the backup and the organisation archive. Tests using it
    add only organisations of their own."""
    with fresh_database(backend, str(tmp_path_factory.mktemp("demo"))) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        load_demo(engine)
        engine.dispose()
        yield url


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[OpenIdProvider]:
    """A real OpenID provider (oidc-provider under Node), shared by the whole run."""
    provider = OpenIdProvider()
    yield provider
    provider.stop()
