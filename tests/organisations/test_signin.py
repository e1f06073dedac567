"""Signing in and out, throttling, expiry, reset links, switching organisation, API tokens."""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app import secret_hashing
from app.auth import PRE_SESSION_COOKIE, SESSION_COOKIE
from app.config import Settings
from app.main import app
from app.organisations import members as members_service
from app.organisations import signin
from app.organisations.models import Role, SignInSession
from tests import factories

PASSWORD = "een lang genoeg wachtwoord"


@pytest.fixture
def person(session, organisation):
    user = members_service.create_user(
        session, email="Anna@Kampen.example.org", name="Anna de Boer", password=PASSWORD
    )
    members_service.add_member(session, organisation, user, Role.FACILITATOR)
    return user


def sign_in_form(anonymous):
    page = anonymous.get("/inloggen")
    token = page.text.split('name="_csrf" value="')[1].split('"')[0]
    return token


def post_sign_in(anonymous, email, password, next_url="/"):
    token = sign_in_form(anonymous)
    return anonymous.post(
        "/inloggen",
        data={"email": email, "password": password, "_csrf": token, "_next": next_url},
        follow_redirects=False,
    )


class TestSignIn:
    def test_with_the_right_password(self, anonymous, person, organisation):
        response = post_sign_in(anonymous, "anna@kampen.example.org", PASSWORD, "/partners")
        assert response.status_code == 303
        assert response.headers["location"] == "/partners"
        cookie = response.headers["set-cookie"]
        assert f"{SESSION_COOKIE}=" in cookie
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
        page = anonymous.get("/")
        assert page.status_code == 200 and "Anna de Boer" in page.text

    def test_over_https_the_cookie_is_secure(self, anonymous, person):
        anonymous.base_url = "https://testserver"
        response = post_sign_in(anonymous, "anna@kampen.example.org", PASSWORD)
        assert "Secure" in response.headers["set-cookie"]

    def test_a_wrong_password_is_explained_and_the_email_kept(self, anonymous, person):
        response = post_sign_in(anonymous, "anna@kampen.example.org", "fout")
        assert response.status_code == 422
        assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in response.text
        assert 'value="anna@kampen.example.org"' in response.text
        assert SESSION_COOKIE not in response.headers.get("set-cookie", "")

    def test_an_unknown_address_gets_the_same_answer(self, anonymous, person):
        response = post_sign_in(anonymous, "niemand@kampen.example.org", PASSWORD)
        assert response.status_code == 422
        assert "horen niet bij elkaar" in response.text

    def test_throttled_after_repeated_failures(self, anonymous, person):
        for _ in range(signin.FAILURES_PER_EMAIL):
            assert post_sign_in(anonymous, "anna@kampen.example.org", "fout").status_code == 422
        response = post_sign_in(anonymous, "anna@kampen.example.org", PASSWORD)
        assert response.status_code == 429
        assert "Te veel mislukte pogingen" in response.text

    def test_failures_from_elsewhere_do_not_lock_the_person_out(self, anonymous, person):
        attacker = TestClient(app, client=("203.0.113.9", 4000))
        attacker.cookies = anonymous.cookies
        for _ in range(signin.FAILURES_PER_EMAIL + 1):
            post_sign_in(attacker, "anna@kampen.example.org", "fout")
        assert post_sign_in(attacker, "anna@kampen.example.org", PASSWORD).status_code == 429
        assert post_sign_in(anonymous, "anna@kampen.example.org", PASSWORD).status_code == 303

    def test_one_address_cannot_guess_across_many_accounts(self, anonymous, person):
        for n in range(signin.FAILURES_PER_ADDRESS):
            post_sign_in(anonymous, f"iemand{n}@kampen.example.org", "fout")
        assert post_sign_in(anonymous, "anna@kampen.example.org", PASSWORD).status_code == 429

    def test_an_unknown_address_takes_the_same_work(self, anonymous, person, monkeypatch):
        checked = []
        real = secret_hashing._passwords.verify
        monkeypatch.setattr(
            secret_hashing._passwords, "verify", lambda *args: checked.append(1) or real(*args)
        )
        post_sign_in(anonymous, "niemand@kampen.example.org", PASSWORD)
        post_sign_in(anonymous, "anna@kampen.example.org", "fout")
        assert checked == [1, 1]  # one argon2 check each, whether the account exists or not

    def test_the_token_is_bound_to_the_pre_session(self, anonymous, person):
        sign_in_form(anonymous)
        planted = anonymous.cookies.get(PRE_SESSION_COOKIE)
        response = anonymous.post(
            "/inloggen",
            data={"email": "anna@kampen.example.org", "password": PASSWORD, "_csrf": planted},
        )
        assert response.status_code == 403  # the cookie's value is not the form's token

    def test_the_sign_in_form_needs_its_own_token(self, anonymous, person):
        response = anonymous.post(
            "/inloggen", data={"email": "anna@kampen.example.org", "password": PASSWORD}
        )
        assert response.status_code == 403

    def test_back_to_the_page_asked_for(self, anonymous):
        response = anonymous.get("/cycli/3/stappen/2", follow_redirects=False)
        assert response.headers["location"] == "/inloggen?volgende=/cycli/3/stappen/2"
        assert (
            'name="_next" value="/cycli/3/stappen/2"'
            in anonymous.get(response.headers["location"]).text
        )

    def test_never_redirects_elsewhere(self, anonymous, person):
        response = post_sign_in(anonymous, "anna@kampen.example.org", PASSWORD, "//evil.example")
        assert response.headers["location"] == "/"


class TestSessions:
    def test_sign_out_ends_the_session(self, client, session):
        assert client.post("/uitloggen", follow_redirects=False).status_code == 303
        assert client.get("/", follow_redirects=False).status_code == 303

    @pytest.mark.parametrize(
        ("field", "age"),
        [("last_seen_at", timedelta(minutes=121)), ("created_at", timedelta(hours=13))],
    )
    def test_idle_and_old_sessions_expire(self, client, session, field, age):
        sign_in = session.exec(
            select(SignInSession).where(SignInSession.user_id == client.user_id)
        ).one()
        setattr(sign_in, field, getattr(sign_in, field) - age)
        if field == "created_at":
            sign_in.last_seen_at = sign_in.created_at + timedelta(hours=12, minutes=59)
        session.flush()
        assert client.get("/", follow_redirects=False).status_code == 303

    def test_switch_organisation(self, client_as, session, organisation):
        huizen = factories.make_organisation(session, "Gemeente Huizen")
        factories.make_theme(session, huizen, "Bewegen")
        member = client_as(Role.FACILITATOR)
        factories.make_member(
            session, huizen, Role.READER, user=session.get(signin.User, member.user_id)
        )
        assert "Organisatie" in member.get("/").text  # the switch shows
        member.post("/organisatie", data={"organisation_id": str(huizen.id)})
        page = member.get("/").text
        assert "Thema's van Gemeente Huizen" in page and "Bewegen" in page

    def test_cannot_switch_to_an_organisation_one_is_not_in(self, client, session):
        other = factories.make_organisation(session)
        response = client.post("/organisatie", data={"organisation_id": str(other.id)})
        assert response.status_code == 404


class TestResetLinks:
    def test_a_beheerder_makes_a_one_time_link(self, client, session, organisation, anonymous):
        colleague = factories.make_member(session, organisation, Role.READER)
        page = client.post(f"/leden/{colleague.id}/wachtwoordlink").text
        link = page.split("/wachtwoord-instellen/")[1].split("<")[0].strip()
        form = anonymous.get(f"/wachtwoord-instellen/{link}").text
        token = form.split('name="_csrf" value="')[1].split('"')[0]
        short = anonymous.post(
            f"/wachtwoord-instellen/{link}",
            data={"password": "kort", "repeat": "kort", "_csrf": token},
        )
        assert short.status_code == 422 and "minstens 12 tekens" in short.text
        done = anonymous.post(
            f"/wachtwoord-instellen/{link}",
            data={"password": PASSWORD, "repeat": PASSWORD, "_csrf": token},
            follow_redirects=False,
        )
        assert done.status_code == 303
        again = anonymous.get(f"/wachtwoord-instellen/{link}")
        assert again.status_code == 404 and "al gebruikt of verlopen" in again.text


class TestApiTokens:
    def test_create_use_and_revoke(self, client, anonymous):
        page = client.post("/account/tokens", data={"name": "Kwartaalrapportage"}).text
        secret = page.split('<code class="kompas-token">')[1].split("<")[0]
        assert secret.startswith("kps_")
        headers = {"Authorization": f"Bearer {secret}"}
        assert anonymous.get("/api/v2/themas", headers=headers).status_code == 200
        token_id = client.get("/account").text.split("/account/tokens/")[1].split("/")[0]
        client.post(f"/account/tokens/{token_id}/intrekken")
        assert anonymous.get("/api/v2/themas", headers=headers).status_code == 401

    def test_a_token_without_a_name_is_refused(self, client):
        response = client.post("/account/tokens", data={"name": " "})
        assert response.status_code == 422
        assert "Geef het token een naam" in response.text


def test_production_refuses_the_development_secret():
    with pytest.raises(ValueError, match="KOMPAS_SECRET_KEY"):
        Settings(environment="production")
    assert Settings(environment="production", secret_key="x" * 40)


def test_security_headers(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
