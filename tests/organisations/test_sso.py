"""Signing in with the organisation's own account (OpenID Connect), against a real provider
(oidc-provider, started by the suite): who may join and with which role, the refusals (wrong
issuer, bad signature, replayed state, expired code, unknown domain) with nothing created,
requiring it, signing out, and the beheerder's settings."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from cryptography.fernet import Fernet
from sqlmodel import Session, col, func, select
from typer.testing import CliRunner

from app import db as app_db
from app.audit import events
from app.audit.models import AuditAction, AuditEntry, AuditResult
from app.auth import SESSION_COOKIE
from app.cli import app as cli
from app.organisations import invitations, sso
from app.organisations import members as members_service
from app.organisations.models import (
    Membership,
    Role,
    SignInMethod,
    SignInSession,
    SsoLogin,
    SsoProvider,
    User,
)
from tests import factories
from tests.organisations.test_signin import PASSWORD, post_sign_in, sign_in_form
from tests.test_cli import use_database

runner = CliRunner()

CLIENT_ID = "kompas-tests"
SECRET = "een-clientgeheim-voor-de-tests"
CALLBACK = "http://testserver/inloggen/sso/terug"


@pytest.fixture(scope="session")
def provider(oidc_provider):
    oidc_provider.add_client(CLIENT_ID, SECRET, [CALLBACK])
    return oidc_provider


@pytest.fixture
def configured(session, organisation, provider, monkeypatch):
    """The organisation signs in at the test provider: kampen.example.nl may join, the group
    kompas-beheer makes a beheerder, kompas-lezen a lezer."""
    monkeypatch.setenv(sso.default_secret_env(organisation), SECRET)
    sso.configure(
        session,
        organisation,
        sso.SsoSettings(
            issuer=provider.issuer,
            client_id=CLIENT_ID,
            domains=["kampen.example.nl"],
            role_map=[("kompas-beheer", "beheerder"), ("kompas-lezen", "lezer")],
        ),
        actor_id=None,
        origin="test",
    )
    return organisation


def start(anonymous, organisation, next_url="/"):
    """The button on the sign-in page: off to the provider."""
    token = sign_in_form(anonymous)
    return anonymous.post(
        f"/inloggen/sso/{organisation.slug}",
        data={"_csrf": token, "_next": next_url},
        follow_redirects=False,
    )


def back_from_provider(anonymous, provider, organisation, email, groups=""):
    """Through the provider's login; returns Kompas's callback path with code and state."""
    started = start(anonymous, organisation)
    assert started.status_code == 303, started.text
    back = provider.sign_in(started.headers["location"], email, groups)
    assert back.startswith(CALLBACK)
    parts = urlsplit(back)
    return f"{parts.path}?{parts.query}"


def counts(session, email):
    session.expire_all()
    return (
        session.exec(select(func.count()).select_from(User).where(User.email == email)).one(),
        session.exec(select(func.count()).select_from(Membership)).one(),
        session.exec(select(func.count()).select_from(SignInSession)).one(),
    )


def refusals(session, organisation_id=None):
    return session.exec(
        select(AuditEntry).where(
            AuditEntry.action == AuditAction.SIGN_IN_SSO,
            AuditEntry.result == AuditResult.REFUSED,
        )
    ).all()


class TestSigningIn:
    def test_the_sign_in_page_offers_the_organisations_account(self, anonymous, configured):
        page = anonymous.get("/inloggen")
        assert f"Inloggen met {configured.name}-account" in page.text

    def test_a_new_person_of_an_allowed_domain_joins_with_the_mapped_role(
        self, anonymous, session, configured, provider
    ):
        callback = back_from_provider(
            anonymous, provider, configured, "Femke@Kampen.example.nl", "x, kompas-beheer"
        )
        response = anonymous.get(callback, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/"
        assert f"{SESSION_COOKIE}=" in response.headers["set-cookie"]
        # A beheerder, yet no code from an app: the provider did the second factor.
        home = anonymous.get("/", follow_redirects=False)
        assert home.status_code == 200
        user = members_service.get_user_by_email(session, "femke@kampen.example.nl")
        assert user is not None and user.password_hash.startswith("!")  # no password
        membership = session.exec(select(Membership).where(Membership.user_id == user.id)).one()
        assert membership.organisation_id == configured.id and membership.role is Role.ADMIN
        sign_in = session.exec(select(SignInSession).where(SignInSession.user_id == user.id)).one()
        assert sign_in.method is SignInMethod.SSO
        logged = session.exec(
            select(AuditEntry).where(
                AuditEntry.action == AuditAction.SIGN_IN_SSO, AuditEntry.actor_id == user.id
            )
        ).one()
        assert logged.result is AuditResult.SUCCESS and logged.origin == "testclient"
        assert session.exec(select(SsoLogin)).all() == []  # the state was used up

    def test_an_invited_person_joins_with_the_invited_role(
        self, anonymous, session, configured, provider
    ):
        inviter = session.get(User, factories.make_member(session, configured, Role.ADMIN).user_id)
        invitations.invite(
            session,
            configured,
            email="gast@elders.example.org",
            name="Gast",
            role=Role.FACILITATOR,
            partner_id=None,
            invited_by=inviter,
        )
        callback = back_from_provider(anonymous, provider, configured, "gast@elders.example.org")
        assert anonymous.get(callback, follow_redirects=False).status_code == 303
        user = members_service.get_user_by_email(session, "gast@elders.example.org")
        membership = session.exec(select(Membership).where(Membership.user_id == user.id)).one()
        assert membership.role is Role.FACILITATOR
        assert invitations.open_invitations(session, configured) == []

    def test_an_existing_member_signs_in_to_this_organisation_only(
        self, anonymous, session, configured, provider
    ):
        membership = factories.make_member(session, configured, Role.READER)
        other = factories.make_organisation(session)
        user = session.get(User, membership.user_id)
        members_service.add_member(session, other, user, Role.ADMIN)
        email = user.email
        callback = back_from_provider(anonymous, provider, configured, email)
        assert anonymous.get(callback, follow_redirects=False).status_code == 303
        before = counts(session, email)
        # The provider vouched for its own organisation, not for the other one.
        page = anonymous.get("/account")
        csrf = page.text.split('name="_csrf" value="')[1].split('"')[0]
        switched = anonymous.post(
            "/organisatie", data={"organisation_id": str(other.id), "_csrf": csrf}
        )
        assert switched.status_code == 403 and "Log uit" in switched.text
        assert counts(session, email) == before

    def test_signing_out_ends_the_session(self, anonymous, session, configured, provider):
        callback = back_from_provider(
            anonymous, provider, configured, "jan@kampen.example.nl", "kompas-lezen"
        )
        anonymous.get(callback)
        page = anonymous.get("/account")
        csrf = page.text.split('name="_csrf" value="')[1].split('"')[0]
        out = anonymous.post("/uitloggen", data={"_csrf": csrf}, follow_redirects=False)
        assert out.status_code == 303
        assert counts(session, "jan@kampen.example.nl")[2] == 0
        assert anonymous.get("/", follow_redirects=False).status_code in (303, 307, 401)


class TestRefusals:
    """Each refused with a Dutch message, and nothing created (but the audit log's line)."""

    def _refused(self, response, session, email, before, text):
        assert response.status_code == 403, response.text
        assert text in response.text
        assert "niet ingelogd" in response.text or "niets aangemaakt" in response.text
        assert counts(session, email) == before
        assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
        assert refusals(session)

    def test_wrong_issuer(self, anonymous, session, configured, provider):
        email = "a@kampen.example.nl"
        callback = back_from_provider(anonymous, provider, configured, email, "kompas-lezen")
        before = counts(session, email)
        with provider.mode("wrong-issuer"):
            response = anonymous.get(callback)
        self._refused(response, session, email, before, "andere issuer")

    def test_wrong_issuer_already_at_the_start(self, anonymous, session, configured, provider):
        with provider.mode("wrong-issuer"):
            response = start(anonymous, configured)
        assert response.status_code == 403 and "andere issuer" in response.text
        assert session.exec(select(SsoLogin)).all() == []

    def test_bad_signature(self, anonymous, session, configured, provider):
        email = "b@kampen.example.nl"
        callback = back_from_provider(anonymous, provider, configured, email, "kompas-lezen")
        before = counts(session, email)
        with provider.mode("wrong-keys"):
            response = anonymous.get(callback)
        self._refused(response, session, email, before, "gaf geen geldig antwoord")
        assert "bad_signature" in refusals(session)[-1].label

    def test_replayed_state(self, anonymous, session, configured, provider):
        email = "c@kampen.example.nl"
        callback = back_from_provider(anonymous, provider, configured, email, "kompas-lezen")
        first = anonymous.get(callback, follow_redirects=False)
        assert first.status_code == 303
        before = counts(session, email)
        # Even with the state's cookie back (the first answer deleted it).
        anonymous.cookies.set(
            "kompas_sso",
            urlsplit(callback).query.split("state=")[1].split("&")[0],
            path="/inloggen/sso",
        )
        replayed = anonymous.get(callback)
        self._refused(replayed, session, email, before, "al gebruikt")
        # Refused for the state itself, before the provider would refuse the used code too.
        assert refusals(session)[-1].label == "geweigerd: state al gebruikt of onbekend"

    def test_a_state_too_old(self, anonymous, session, configured, provider):
        email = "g@kampen.example.nl"
        callback = back_from_provider(anonymous, provider, configured, email, "kompas-lezen")
        before = counts(session, email)
        state = urlsplit(callback).query.split("state=")[1].split("&")[0]
        with time_machine.travel(datetime.now(UTC) + sso.LOGIN_VALID + timedelta(minutes=1)):
            # The browser dropped its cookie by now; one that kept it is refused too.
            anonymous.cookies.set("kompas_sso", state, path="/inloggen/sso")
            response = anonymous.get(callback)
        self._refused(response, session, email, before, "verlopen")
        assert refusals(session)[-1].label == "geweigerd: state verlopen"

    def test_a_state_from_another_browser(self, anonymous, session, configured, provider):
        email = "d@kampen.example.nl"
        callback = back_from_provider(anonymous, provider, configured, email, "kompas-lezen")
        before = counts(session, email)
        anonymous.cookies.clear()
        self._refused(anonymous.get(callback), session, email, before, "in deze browser")

    def test_expired_code(self, anonymous, session, configured, provider):
        email = "e@kampen.example.nl"
        callback = back_from_provider(anonymous, provider, configured, email, "kompas-lezen")
        before = counts(session, email)
        provider.expire_codes()
        response = anonymous.get(callback)
        self._refused(response, session, email, before, "nam de inlogcode niet aan")

    def test_unknown_domain(self, anonymous, session, configured, provider):
        email = "iemand@elders.example.org"
        callback = back_from_provider(anonymous, provider, configured, email, "kompas-beheer")
        before = counts(session, email)
        response = anonymous.get(callback)
        self._refused(response, session, email, before, "hoort niet bij een domein")
        assert email not in refusals(session)[-1].label  # no typed address of an unknown person

    def test_no_group_that_maps_to_a_role(self, anonymous, session, configured, provider):
        email = "f@kampen.example.nl"
        callback = back_from_provider(anonymous, provider, configured, email, "iets-anders")
        before = counts(session, email)
        self._refused(anonymous.get(callback), session, email, before, "geen groep")

    def test_begun_on_a_server_with_another_secret_key(
        self, anonymous, session, configured, provider
    ):
        email = "h@kampen.example.nl"
        callback = back_from_provider(anonymous, provider, configured, email, "kompas-lezen")
        before = counts(session, email)
        login = session.exec(select(SsoLogin)).one()
        login.encrypted_verifier = Fernet(Fernet.generate_key()).encrypt(b"verifier").decode()
        session.add(login)
        session.flush()
        self._refused(anonymous.get(callback), session, email, before, "Begin opnieuw")
        assert refusals(session)[-1].label == "geweigerd: PKCE-verifier niet te ontsleutelen"

    def test_the_secret_missing_on_the_server(self, anonymous, session, configured, monkeypatch):
        monkeypatch.delenv(sso.default_secret_env(configured))
        response = start(anonymous, configured)
        assert response.status_code == 403 and "clientgeheim ontbreekt" in response.text


class TestRequired:
    def test_a_password_is_refused_then_the_operator_allows_it_again(
        self, anonymous, session, configured, provider
    ):
        user = members_service.create_user(
            session, email="piet@kampen.example.nl", name="Piet", password=PASSWORD
        )
        members_service.add_member(session, configured, user, Role.READER)
        password_session = post_sign_in(anonymous, user.email, PASSWORD)
        assert password_session.status_code == 303
        sso.set_required(session, configured, True, actor_id=None, origin="test")
        # Sessions begun with a password end; a new one is refused.
        assert anonymous.get("/", follow_redirects=False).status_code != 200
        refused = post_sign_in(anonymous, user.email, PASSWORD)
        assert refused.status_code == 403
        assert f"Inloggen met {configured.name}-account" in refused.text
        assert counts(session, user.email)[2] == 0
        # With the organisation's account it works.
        callback = back_from_provider(anonymous, provider, configured, user.email)
        assert anonymous.get(callback, follow_redirects=False).status_code == 303
        # The way back when the provider is down (`kompas sso require --off`).
        sso.set_required(session, configured, False, actor_id=None, origin="test")
        assert post_sign_in(anonymous, user.email, PASSWORD).status_code == 303

    def test_a_password_session_elsewhere_cannot_switch_to_it(self, anonymous, session, configured):
        elsewhere = factories.make_organisation(session)
        user = members_service.create_user(
            session, email="kees@kampen.example.nl", name="Kees", password=PASSWORD
        )
        members_service.add_member(session, configured, user, Role.READER)
        members_service.add_member(session, elsewhere, user, Role.READER)
        sso.set_required(session, configured, True, actor_id=None, origin="test")
        assert post_sign_in(anonymous, user.email, PASSWORD).status_code == 303
        signed_in = session.exec(select(SignInSession).where(SignInSession.user_id == user.id))
        assert signed_in.one().organisation_id == elsewhere.id
        csrf = anonymous.get("/account").text.split('name="_csrf" value="')[1].split('"')[0]
        switched = anonymous.post(
            "/organisatie", data={"organisation_id": str(configured.id), "_csrf": csrf}
        )
        assert switched.status_code == 403
        assert f"Inloggen met {configured.name}-account" in switched.text


class TestSettings:
    def test_a_beheerder_sets_it_up_and_the_log_has_no_secret(self, client, session, organisation):
        page = client.get("/leden/sso")
        assert page.status_code == 200 and sso.default_secret_env(organisation) in page.text
        saved = client.post(
            "/leden/sso",
            data={
                "issuer": "https://sso.kampen.example.nl/realms/medewerkers",
                "client_id": "kompas",
                "domains": "kampen.example.nl\n@Kampen.example.org",
                "role_claim": "groups",
                "role_map": "kompas-beheer=beheerder\nkompas-proces = procesbegeleider",
                "default_role": "reader",
            },
            follow_redirects=False,
        )
        assert saved.status_code == 303, saved.text
        provider = session.get(SsoProvider, organisation.id)
        assert provider.domains == ["kampen.example.nl", "kampen.example.org"]
        assert provider.role_map == [["kompas-beheer", "admin"], ["kompas-proces", "facilitator"]]
        assert provider.default_role is Role.READER and not provider.required
        entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "sso_provider")).one()
        assert entry.action is AuditAction.SETTING and entry.after["client_id"] == "kompas"
        assert entry.after["secret_env"] == sso.default_secret_env(organisation)
        assert SECRET not in str(entry.after)

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("issuer", "http://sso.kampen.example.nl", "https-adres"),
            ("client_id", "", "client-id"),
            ("domains", "kampen", "geen domeinnaam"),
            ("role_map", "kompas-beheer", "groep=rol"),
            ("role_map", "kompas=partner", "partner"),
            ("role_map", "kompas=baas", "Onbekende rol"),
        ],
    )
    def test_bad_input_changes_nothing(self, client, session, organisation, field, value, message):
        data = {
            "issuer": "https://sso.kampen.example.nl",
            "client_id": "kompas",
            "role_claim": "groups",
            field: value,
        }
        response = client.post("/leden/sso", data=data)
        assert response.status_code == 422 and message in response.text
        assert session.get(SsoProvider, organisation.id) is None

    def test_requiring_it_needs_a_beheerder_signed_in_that_way(self, client, session, organisation):
        response = client.post(
            "/leden/sso",
            data={"issuer": "https://sso.example.nl", "client_id": "k", "required": "on"},
        )
        assert response.status_code == 422 and "Log eerst zelf in" in response.text
        assert session.get(SsoProvider, organisation.id) is None

    def test_only_a_beheerder(self, client_as):
        assert client_as(Role.FACILITATOR).get("/leden/sso").status_code == 403

    def test_another_secret_of_kompas_cannot_be_named(self, session, organisation):
        with pytest.raises(sso.InvalidInput) as refused:
            sso.configure(
                session,
                organisation,
                sso.SsoSettings(
                    issuer="https://sso.example.nl", client_id="k", secret_env="KOMPAS_SECRET_KEY"
                ),
                actor_id=None,
                origin="test",
            )
        assert "KOMPAS_OIDC_" in refused.value.errors["secret"]
        assert session.exec(select(col(SsoProvider.organisation_id))).all() == []


def test_the_operator_sets_it_up_on_the_command_line(tmp_path, monkeypatch):
    use_database(tmp_path, monkeypatch)
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    runner.invoke(cli, ["organisation", "create", "--name", "Gemeente Kampen", "--slug", "kampen"])
    base = ["sso", "set", "--organisation", "kampen", "--issuer", "https://sso.kampen.nl"]
    refused = runner.invoke(cli, [*base, "--client-id", "k", "--secret-env", "KOMPAS_SECRET_KEY"])
    assert refused.exit_code == 1 and "KOMPAS_OIDC_" in refused.output
    done = runner.invoke(
        cli,
        [
            *base,
            "--client-id",
            "kompas",
            "--secret-file",
            "/run/secrets/kompas-oidc",
            "--domain",
            "kampen.nl",
            "--map",
            "kompas-beheer=beheerder",
            "--default-role",
            "lezer",
            "--required",
        ],
    )
    assert done.exit_code == 0 and "/run/secrets/kompas-oidc" in done.output, done.output
    # The way back when the provider is down: passwords count again.
    off = runner.invoke(cli, ["sso", "require", "--organisation", "kampen", "--off"])
    assert off.exit_code == 0 and "ook met hun wachtwoord" in off.output
    with Session(app_db.engine) as session:
        provider = session.exec(select(SsoProvider)).one()
        assert provider.secret_file == "/run/secrets/kompas-oidc" and not provider.required
        assert provider.role_map == [["kompas-beheer", "admin"]]
        assert provider.default_role is Role.READER
        logged = session.exec(select(AuditEntry).where(AuditEntry.entity == "sso_provider")).all()
        assert [e.actor_pseudonym for e in logged] == [events.OPERATOR] * 2
        assert [e.after["required"] for e in logged] == [True, False]
    removed = runner.invoke(cli, ["sso", "remove", "--organisation", "kampen"])
    assert removed.exit_code == 0
    with Session(app_db.engine) as session:
        assert session.exec(select(SsoProvider)).all() == []
        logged = session.exec(select(AuditEntry).where(AuditEntry.entity == "sso_provider")).all()
        assert logged[-1].before is not None and logged[-1].after is None  # removed, logged
