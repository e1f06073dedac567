"""Two-factor sign-in: the code from the app, setting it up, recovery codes, throttling, the
requirement for beheerders and per organisation, and the ways back when the app is lost."""

import re
from datetime import UTC, datetime, timedelta
from functools import cache

import pyotp
import pytest
import time_machine
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from sqlmodel import select

from app.audit.models import AuditAction, AuditEntry, AuditResult
from app.auth import SESSION_COOKIE
from app.main import app
from app.organisations import members as members_service
from app.organisations import second_factor
from app.organisations.models import Role, SecondFactor, SignInSession, User
from app.secret_hashing import hash_password
from tests import factories
from tests.organisations.test_signin import PASSWORD, post_sign_in

KEY = pyotp.random_base32()
# Time stands still in these tests, in the middle of a 30-second step (of today).
_today = datetime.now(UTC)
NOW = _today.replace(second=15 if _today.second < 30 else 45, microsecond=0)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)  # once: argon2 is slow on purpose


def account(session, email: str, name: str) -> User:
    user = User(email=email, name=name, password_hash=_password_hash())
    session.add(user)
    session.flush()
    return user


@pytest.fixture
def beheerder(session, organisation, clock):
    user = account(session, "sanne@kampen.example.org", "Sanne Visser")
    members_service.add_member(session, organisation, user, Role.ADMIN)
    second_factor.set_up_with_key(session, user, KEY)
    return user


@pytest.fixture
def lezer(session, organisation, clock):
    user = account(session, "pieter@kampen.example.org", "Pieter Bakker")
    members_service.add_member(session, organisation, user, Role.READER)
    return user


def code_at(moment: datetime, key: str = KEY) -> str:
    return pyotp.TOTP(key).at(moment)


def csrf_of(page) -> str:
    return page.text.split('name="_csrf" value="')[1].split('"')[0]


def post_code(anonymous, code: str, path: str = "/inloggen/code"):
    token = csrf_of(anonymous.get(path))
    return anonymous.post(
        path, data={"code": code, "_csrf": token, "_next": "/partners"}, follow_redirects=False
    )


def key_on_page(page) -> str:
    return re.search(r'kompas-token">([A-Z2-7 ]+)<', page.text)[1].replace(" ", "")


class TestTheCodeAtSignIn:
    def test_a_password_alone_opens_nothing(self, anonymous, beheerder, clock):
        response = post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD, "/partners")
        assert response.status_code == 303 and response.headers["location"] == "/partners"
        page = anonymous.get("/partners", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"] == "/inloggen/code?volgende=/partners"
        assert anonymous.get("/api/v2/organisatie").status_code == 401

    def test_the_right_code_signs_in_under_a_new_cookie(self, anonymous, beheerder, clock):
        post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD)
        before = anonymous.cookies.get(SESSION_COOKIE)
        form = anonymous.get("/inloggen/code")
        assert "Vul de code van zes cijfers in" in form.text
        response = post_code(anonymous, code_at(NOW))
        assert response.status_code == 303 and response.headers["location"] == "/partners"
        after = anonymous.cookies.get(SESSION_COOKIE)
        assert after != before
        assert anonymous.get("/partners").status_code == 200
        anonymous.cookies.clear()
        anonymous.cookies.set(SESSION_COOKIE, before)  # the cookie from before the code
        assert anonymous.get("/partners", follow_redirects=False).status_code == 303

    def test_a_wrong_code_is_explained_and_counted(self, anonymous, beheerder, clock):
        post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD)
        response = post_code(anonymous, "000000" if code_at(NOW) != "000000" else "111111")
        assert response.status_code == 422
        assert "Deze code klopt niet of is al gebruikt" in response.text
        assert anonymous.get("/partners", follow_redirects=False).status_code == 303

    def test_a_code_works_once(self, anonymous, beheerder, clock, session):
        post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD)
        assert post_code(anonymous, code_at(NOW)).status_code == 303
        anonymous.cookies.clear()
        post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD)
        assert post_code(anonymous, code_at(NOW)).status_code == 422  # replayed
        # The next step's code (a clock a little ahead) is still taken.
        assert post_code(anonymous, code_at(NOW + timedelta(seconds=30))).status_code == 303

    def test_an_old_code_is_refused(self, anonymous, beheerder, clock):
        post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD)
        assert post_code(anonymous, code_at(NOW - timedelta(minutes=2))).status_code == 422

    def test_wrong_codes_are_throttled(self, anonymous, beheerder, clock):
        post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD)
        wrong = str((int(code_at(NOW)) + 1) % 1_000_000).zfill(6)
        for _ in range(second_factor.FAILURES_PER_PERSON_AND_ADDRESS):
            assert post_code(anonymous, wrong).status_code == 422
        response = post_code(anonymous, code_at(NOW))
        assert response.status_code == 429 and "Te veel verkeerde codes" in response.text
        # Signing in with the password again does not clear the count.
        anonymous.cookies.clear()
        post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD)
        assert post_code(anonymous, code_at(NOW)).status_code == 429
        clock.shift(second_factor.THROTTLE_WINDOW + timedelta(seconds=30))
        later = datetime.now(UTC)
        anonymous.cookies.clear()
        post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD)
        assert post_code(anonymous, code_at(later)).status_code == 303

    def test_wrong_codes_from_many_addresses_still_count_for_the_person(
        self, anonymous, beheerder, clock
    ):
        """Below the limit per address each time, yet the person's limit holds."""
        wrong = str((int(code_at(NOW)) + 1) % 1_000_000).zfill(6)
        per_address = second_factor.FAILURES_PER_PERSON_AND_ADDRESS - 1
        addresses = -(-second_factor.FAILURES_PER_PERSON // per_address)  # rounded up
        tries = 0
        for n in range(addresses + 1):
            with TestClient(app, client=(f"203.0.113.{n + 1}", 4000)) as elsewhere:
                post_sign_in(elsewhere, "sanne@kampen.example.org", PASSWORD)
                if n == addresses:  # a fresh address, the right code: still refused
                    refused = post_code(elsewhere, code_at(NOW))
                    assert refused.status_code == 429 and "Te veel" in refused.text
                    break
                for _ in range(min(per_address, second_factor.FAILURES_PER_PERSON - tries)):
                    assert post_code(elsewhere, wrong).status_code == 422
                    tries += 1

    def test_one_address_cannot_guess_codes_across_many_people(
        self, anonymous, session, organisation, clock
    ):
        keys = []
        per_person = second_factor.FAILURES_PER_PERSON_AND_ADDRESS
        people = second_factor.FAILURES_PER_ADDRESS // per_person + 1
        for n in range(people):
            user = account(session, f"beheerder{n}@kampen.example.org", f"Beheerder {n}")
            members_service.add_member(session, organisation, user, Role.ADMIN)
            keys.append(pyotp.random_base32())
            second_factor.set_up_with_key(session, user, keys[-1])
        for n, key in enumerate(keys):
            anonymous.cookies.clear()
            post_sign_in(anonymous, f"beheerder{n}@kampen.example.org", PASSWORD)
            if n == people - 1:  # a person this address never tried, the right code
                assert post_code(anonymous, code_at(NOW, key)).status_code == 429
                break
            wrong = str((int(code_at(NOW, key)) + 1) % 1_000_000).zfill(6)
            for _ in range(per_person):
                assert post_code(anonymous, wrong).status_code == 422

    def test_the_code_step_expires(self, anonymous, beheerder, clock):
        post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD)
        clock.shift(timedelta(minutes=11))
        response = anonymous.get("/inloggen/code", follow_redirects=False)
        assert response.headers["location"] == "/inloggen"

    def test_a_recovery_code_signs_in_once(self, anonymous, beheerder, session, clock):
        codes = second_factor.new_recovery_codes(session, beheerder)
        post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD)
        assert post_code(anonymous, codes[0].lower()).status_code == 303
        anonymous.cookies.clear()
        post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD)
        assert post_code(anonymous, codes[0]).status_code == 422
        assert post_code(anonymous, codes[1].replace("-", " ")).status_code == 303

    def test_the_api_is_not_opened_by_the_code_step(self, anonymous, beheerder, clock):
        post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD)
        token = csrf_of(anonymous.get("/inloggen/code"))
        response = anonymous.post(
            "/account/tokens", data={"name": "x", "_csrf": token}, follow_redirects=False
        )
        assert response.status_code == 303
        assert "kps_" not in response.text


class TestSettingItUp:
    def test_a_beheerder_without_one_sets_it_up_at_sign_in(
        self, anonymous, session, organisation, clock
    ):
        user = account(session, "nieuw@kampen.example.org", "Nieuwe Beheerder")
        members_service.add_member(session, organisation, user, Role.ADMIN)
        post_sign_in(anonymous, "nieuw@kampen.example.org", PASSWORD, "/partners")
        response = anonymous.get("/partners", follow_redirects=False)
        assert response.headers["location"] == "/tweestapsverificatie?volgende=/partners"
        page = anonymous.get("/tweestapsverificatie?volgende=/partners")
        assert "Voor jouw rol is inloggen met een tweede stap verplicht" in page.text
        assert "<svg" in page.text  # the QR code, inline
        key = key_on_page(page)
        again = anonymous.get("/tweestapsverificatie")
        assert key_on_page(again) == key  # the same key until it is confirmed
        refused = post_code(anonymous, "12345", "/tweestapsverificatie")
        assert refused.status_code == 422 and "Deze code klopt niet" in refused.text
        done = post_code(anonymous, code_at(NOW, key), "/tweestapsverificatie")
        assert done.status_code == 200
        codes = re.findall(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>", done.text)
        assert len(set(codes)) == second_factor.RECOVERY_CODES
        assert anonymous.get("/partners").status_code == 200
        anonymous.cookies.clear()
        post_sign_in(anonymous, "nieuw@kampen.example.org", PASSWORD)
        assert (
            anonymous.get("/", follow_redirects=False)
            .headers["location"]
            .startswith("/inloggen/code")
        )
        assert post_code(anonymous, codes[3]).status_code == 303

    def test_one_who_became_beheerder_gives_their_code_first(
        self, anonymous, lezer, session, organisation, clock
    ):
        second_factor.set_up_with_key(session, lezer, KEY)
        second_factor.reset(session, lezer)  # (their sessions end; sign in without the app)
        post_sign_in(anonymous, "pieter@kampen.example.org", PASSWORD)
        second_factor.set_up_with_key(session, lezer, KEY)  # set up elsewhere meanwhile
        membership = members_service.list_members(session, organisation)[0]
        members_service.change_role(session, membership, Role.ADMIN, None)
        response = anonymous.get("/tweestapsverificatie", follow_redirects=False)
        assert response.headers["location"].startswith("/inloggen/code")
        assert post_code(anonymous, code_at(NOW)).status_code == 303

    def test_the_key_is_not_stored_in_the_clear(self, session, beheerder):
        stored = session.get(SecondFactor, beheerder.id)
        assert KEY not in stored.encrypted_key

    def test_a_lezer_may_but_need_not(self, anonymous, lezer, clock):
        post_sign_in(anonymous, "pieter@kampen.example.org", PASSWORD)
        account = anonymous.get("/account")
        assert account.status_code == 200 and "Tweestapsverificatie instellen" in account.text

    def test_an_organisation_can_require_it_of_everyone(
        self, client, anonymous, lezer, organisation, clock
    ):
        response = client.post(
            "/leden/tweestapsverificatie", data={"required": "on"}, follow_redirects=False
        )
        assert response.status_code == 303
        post_sign_in(anonymous, "pieter@kampen.example.org", PASSWORD)
        assert (
            anonymous.get("/", follow_redirects=False)
            .headers["location"]
            .startswith("/tweestapsverificatie")
        )
        client.post("/leden/tweestapsverificatie", data={})
        assert anonymous.get("/", follow_redirects=False).status_code == 200

    def test_only_a_beheerder_sets_the_requirement(self, client_as):
        reader = client_as(Role.READER)
        assert (
            reader.post("/leden/tweestapsverificatie", data={"required": "on"}).status_code == 403
        )

    def test_new_recovery_codes_replace_the_old(self, anonymous, beheerder, session, clock):
        old = second_factor.new_recovery_codes(session, beheerder)
        post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD)
        post_code(anonymous, code_at(NOW))
        token = csrf_of(anonymous.get("/account"))
        page = anonymous.post("/tweestapsverificatie/herstelcodes", data={"_csrf": token})
        new = re.findall(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>", page.text)
        assert len(new) == second_factor.RECOVERY_CODES and not set(new) & set(old)


class TestLosingTheApp:
    def test_another_beheerder_resets_it(
        self, client, anonymous, beheerder, session, organisation, clock
    ):
        post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD)
        membership = members_service.list_members(session, organisation)
        target = next(m for m in membership if m.user_id == beheerder.id)
        page = client.post(f"/leden/{target.id}/tweestapsverificatie")
        assert page.status_code == 200 and "is verwijderd" in page.text
        assert session.get(SecondFactor, beheerder.id) is None
        assert not session.exec(
            select(SignInSession).where(SignInSession.user_id == beheerder.id)
        ).all()
        anonymous.cookies.clear()
        post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD)
        assert (
            anonymous.get("/", follow_redirects=False)
            .headers["location"]
            .startswith("/tweestapsverificatie")
        )

    def test_not_by_a_beheerder_of_only_one_of_their_organisations(
        self, client, beheerder, session, organisation
    ):
        elsewhere = factories.make_organisation(session)
        factories.make_member(session, elsewhere, Role.READER, user=beheerder)
        target = next(
            m
            for m in members_service.list_members(session, organisation)
            if m.user_id == beheerder.id
        )
        assert client.post(f"/leden/{target.id}/tweestapsverificatie").status_code == 403
        assert session.get(SecondFactor, beheerder.id) is not None


def under_another_secret_key(key: str) -> str:
    """A key as a server with another KOMPAS_SECRET_KEY encrypted it."""
    return Fernet(Fernet.generate_key()).encrypt(key.encode()).decode()


class TestAKeyKeptUnderAnotherSecretKey:
    """The server was started with another KOMPAS_SECRET_KEY than the one the app's key was
    stored under: a Dutch message and the ways on, never a 500."""

    def test_the_code_step_explains_and_a_recovery_code_still_signs_in(
        self, anonymous, beheerder, session, organisation, clock
    ):
        codes = second_factor.new_recovery_codes(session, beheerder)
        factor = session.get(SecondFactor, beheerder.id)
        factor.encrypted_key = under_another_secret_key(KEY)
        session.add(factor)
        session.flush()
        post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD)
        response = post_code(anonymous, code_at(NOW))
        assert response.status_code == 422, response.text
        assert "kan de sleutel van je authenticator-app op deze server niet lezen" in response.text
        assert anonymous.get("/partners", follow_redirects=False).status_code == 303
        failed = session.exec(
            select(AuditEntry).where(
                AuditEntry.action == AuditAction.SECOND_STEP,
                AuditEntry.actor_id == beheerder.id,
            )
        ).all()
        assert [e.result for e in failed] == [AuditResult.FAILED]
        assert post_code(anonymous, codes[0]).status_code == 303

    def test_setting_up_shows_a_new_key_that_works(self, anonymous, lezer, session, clock):
        post_sign_in(anonymous, "pieter@kampen.example.org", PASSWORD)
        key = key_on_page(anonymous.get("/tweestapsverificatie"))
        factor = session.get(SecondFactor, lezer.id)
        factor.encrypted_key = under_another_secret_key(key)
        session.add(factor)
        session.flush()
        refused = post_code(anonymous, code_at(NOW, key), "/tweestapsverificatie")
        assert refused.status_code == 422 and "Scan de QR-code opnieuw" in refused.text
        new_key = key_on_page(refused)
        assert new_key != key
        done = post_code(anonymous, code_at(NOW, new_key), "/tweestapsverificatie")
        assert done.status_code == 200 and "<code>" in done.text
        assert second_factor.enrolled(session, lezer)
