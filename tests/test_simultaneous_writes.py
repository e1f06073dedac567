"""Dozens of people writing at the same moment (a session full of phones) against a real
server, on SQLite and on PostgreSQL: every request gets its answer, no write is lost."""

import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pyotp
import pytest
from sqlmodel import Session, select

from app import migrate, secret_hashing
from app.db import make_engine, writer_of
from app.organisations import members as members_service
from app.organisations import second_factor, signin
from app.organisations.models import (
    Organisation,
    Partner,
    PartnerType,
    Role,
    SignInAttempt,
    User,
)
from app.partner_requests import service as partner_requests_service
from app.partner_requests.models import PartnerRequestCreate
from app.sessions import joining
from app.tables import utc_now
from bench.server import start
from tests import factories
from tests.conftest import fresh_database

PEOPLE = 24
PASSWORD = "een lang genoeg wachtwoord"
KEY = pyotp.random_base32()  # every beheerder's second factor


@pytest.fixture
def server(backend, tmp_path) -> Iterator[tuple[str, Callable[[], Session]]]:
    """uvicorn on a database of its own with PEOPLE members, each with a partner to edit."""
    with fresh_database(backend, str(tmp_path)) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            organisation = factories.make_organisation(session)
            # once: argon2 is slow on purpose
            password_hash = secret_hashing.hash_password(PASSWORD)
            for n in range(PEOPLE):
                user = User(
                    email=f"p{n}@test.example.org", name=f"P {n}", password_hash=password_hash
                )
                session.add(user)
                session.flush()
                members_service.add_member(session, organisation, user, Role.ADMIN)
                second_factor.set_up_with_key(session, user, KEY)
                session.add(
                    Partner(
                        organisation_id=organisation.id,
                        name=f"Partner {n}",
                        partner_type=PartnerType.PROVIDER,
                    )
                )
            session.commit()
        try:
            # The server reads the second factors' keys this process stored under its secret
            # (the development one: production refuses to start with it).
            with start(url, deployed=False) as running:
                # A writer's session, as the app's own: on SQLite a transaction that read
                # before the server wrote could not write after it ("database is locked").
                yield running.url, lambda: Session(writer_of(engine))
        finally:
            engine.dispose()


def give_code(client: httpx.Client) -> None:
    """A beheerder's second step after the password (each person once: a code works once)."""
    token = client.get("/inloggen/code").text.split('name="_csrf" value="')[1].split('"')[0]
    answer = client.post(
        "/inloggen/code",
        data={"code": pyotp.TOTP(KEY).now(), "_csrf": token, "_next": "/"},
    )
    assert answer.status_code == 303, answer.text


def all_at_once(work: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    """Run `work(n)` for every person in threads that start their request together."""
    start = threading.Barrier(PEOPLE)

    def run(n: int) -> httpx.Response:
        start.wait()
        return work(n)

    with ThreadPoolExecutor(PEOPLE) as pool:
        return list(pool.map(run, range(PEOPLE)))


def test_simultaneous_sign_ins_and_edits_all_succeed(server):
    base_url, open_session = server
    clients = [httpx.Client(base_url=base_url, timeout=60) for _ in range(PEOPLE)]
    tokens = [
        c.get("/inloggen").text.split('name="_csrf" value="')[1].split('"')[0] for c in clients
    ]

    signed_in = all_at_once(
        lambda n: clients[n].post(
            "/inloggen",
            data={"email": f"p{n}@test.example.org", "password": PASSWORD, "_csrf": tokens[n]},
        )
    )
    assert [r.status_code for r in signed_in] == [303] * PEOPLE
    for client in clients:
        give_code(client)

    with open_session() as session:
        partners = session.exec(select(Partner).order_by(Partner.id)).all()
    csrf = [
        re.search(r'"X-CSRF-Token": "([^"]+)"', c.get("/partners").text).group(1) for c in clients
    ]

    def edit(n: int) -> httpx.Response:
        partner = partners[n]
        return clients[n].post(
            f"/partners/{partner.id}",
            data={
                "name": partner.name,
                "partner_type": "provider",
                "description": f"Bewerkt door {n}",
                "_versie": str(partner.version),
                "_csrf": csrf[n],
            },
        )

    edited = all_at_once(edit)
    assert [r.status_code for r in edited] == [303] * PEOPLE
    viewed = all_at_once(lambda n: clients[n].get("/partners"))  # reading while others write
    assert [r.status_code for r in viewed] == [200] * PEOPLE

    with open_session() as session:
        stored = session.exec(select(Partner).order_by(Partner.id)).all()
    assert [p.description for p in stored] == [f"Bewerkt door {n}" for n in range(PEOPLE)]
    for client in clients:
        client.close()


def test_changing_your_own_password_while_others_sign_in(server):
    """The password change took the write lock with its first query and then wrote on a
    second connection: it waited for itself for 30 s, answered 500, and every other write
    (a sign-in elsewhere) waited with it."""
    base_url, _ = server
    clients = [httpx.Client(base_url=base_url, timeout=60) for _ in range(PEOPLE)]
    for n, client in enumerate(clients):
        token = client.get("/inloggen").text.split('name="_csrf" value="')[1].split('"')[0]
        data = {"email": f"p{n}@test.example.org", "password": PASSWORD, "_csrf": token}
        assert client.post("/inloggen", data=data).status_code == 303
    give_code(clients[0])
    csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', clients[0].get("/account").text).group(1)
    others = [httpx.Client(base_url=base_url, timeout=60) for _ in range(PEOPLE - 1)]
    tokens = [
        c.get("/inloggen").text.split('name="_csrf" value="')[1].split('"')[0] for c in others
    ]

    def work(n: int) -> httpx.Response:
        if n == 0:
            new = {"current": PASSWORD, "password": "een nieuw lang wachtwoord", "_csrf": csrf}
            return clients[0].post("/account/wachtwoord", data={**new, "repeat": new["password"]})
        data = {"email": f"p{n}@test.example.org", "password": PASSWORD, "_csrf": tokens[n - 1]}
        return others[n - 1].post("/inloggen", data=data)

    answers = all_at_once(work)
    assert [r.status_code for r in answers] == [303] * PEOPLE
    assert answers[0].headers["location"] == "/account?wachtwoord=gewijzigd"
    again = httpx.Client(base_url=base_url, timeout=60)
    token = again.get("/inloggen").text.split('name="_csrf" value="')[1].split('"')[0]
    old = {"email": "p0@test.example.org", "password": PASSWORD, "_csrf": token}
    assert again.post("/inloggen", data=old).status_code == 422
    for client in [*clients, *others, again]:
        client.close()


GUESSES = 30


def at_once(count: int, work: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    """Run `work(n)` for n in range(count) in threads that start their request together."""
    start = threading.Barrier(count)

    def run(n: int) -> httpx.Response:
        start.wait()
        return work(n)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_parallel_wrong_passwords_check_no_more_than_the_limit(server):
    """30 wrong passwords for one account at the same moment: at most 5 are checked (and
    recorded as failures), the others are refused before their check."""
    base_url, open_session = server
    email = "p0@test.example.org"
    clients = [httpx.Client(base_url=base_url, timeout=120) for _ in range(GUESSES)]
    tokens = [
        c.get("/inloggen").text.split('name="_csrf" value="')[1].split('"')[0] for c in clients
    ]

    answers = at_once(
        GUESSES,
        lambda n: clients[n].post(
            "/inloggen", data={"email": email, "password": f"geraden {n}", "_csrf": tokens[n]}
        ),
    )
    codes = [r.status_code for r in answers]
    assert set(codes) <= {422, 429}, codes
    assert codes.count(422) <= signin.FAILURES_PER_EMAIL, codes
    assert codes.count(429) >= GUESSES - signin.FAILURES_PER_EMAIL, codes
    with open_session() as session:
        failures = session.exec(select(SignInAttempt).where(SignInAttempt.email == email)).all()
    assert len(failures) == codes.count(422)
    for client in clients:
        client.close()


def test_parallel_wrong_codes_and_links_get_no_more_than_the_limit(server):
    """30 wrong join codes and 30 unknown partner links from one address at the same moment:
    at most the limit of them is looked up and answered "unknown", the rest "too many"; the
    right code still joins, a good link waits (as after that many unknown ones one by one)."""
    base_url, open_session = server
    with open_session() as session:
        organisation = session.exec(select(Organisation)).one()
        partner = session.exec(select(Partner)).first()
        live = factories.make_live_session(session, factories.make_cycle(session, organisation))
        token, _ = partner_requests_service.create_request(
            session,
            organisation,
            PartnerRequestCreate(partner_id=partner.id, due_on=utc_now().date()),
            "Joost Mulder",
        )
        code = live.join_code
        session.commit()
    clients = [httpx.Client(base_url=base_url, timeout=60) for _ in range(GUESSES)]

    codes = at_once(GUESSES, lambda n: clients[n].get(f"/doe-mee/{n:04d}AAAAAA"))
    statuses = [r.status_code for r in codes]
    assert set(statuses) == {404, 429}, statuses
    assert statuses.count(404) <= joining.WRONG_CODES_PER_ADDRESS, statuses
    assert clients[0].get(f"/doe-mee/{code}").status_code == 200

    links = at_once(GUESSES, lambda n: clients[n].get(f"/partnerlink/geraden-{n:030d}"))
    statuses = [r.status_code for r in links]
    assert set(statuses) == {404, 429}, statuses
    assert statuses.count(404) <= partner_requests_service.FAILURES_PER_ADDRESS, statuses
    assert clients[0].get(f"/partnerlink/{token}").status_code == 429
    for client in clients:
        client.close()
