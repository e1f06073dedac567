"""Signing in with the organisation's own account in a real browser, on a phone's width,
against a real OpenID provider (oidc-provider): the whole way with and without JavaScript, the
beheerder's settings page, signing out, and each refusal (wrong issuer, bad signature, expired
code, replayed state, unknown domain) in Dutch with nothing created; Kompas's pages checked by
axe-core."""

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from app.db import make_engine
from app.organisations import service as organisations_service
from app.organisations import sso
from tests.browser.conftest import _free_port, axe_violations, serve

PHONE = {"width": 375, "height": 800}
CLIENT_ID = "kompas-browser"
SECRET = "een-clientgeheim-voor-de-browsertest"
BUTTON = "Inloggen met Gemeente Kampen-account"
DATABASES: dict[str, Path] = {}  # per server


@pytest.fixture(scope="module")
def live_server(
    demo_database: Path, tmp_path_factory: pytest.TempPathFactory, oidc_provider
) -> Iterator[str]:
    """The app on a database of its own whose Gemeente Kampen signs in at the test provider
    (the secret in a file, as the operator would keep it)."""
    folder = tmp_path_factory.mktemp("sso-server")
    database = folder / "kompas.db"
    shutil.copy(demo_database, database)
    secret_file = folder / "oidc-secret"
    secret_file.write_text(SECRET + "\n")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    oidc_provider.add_client(CLIENT_ID, SECRET, [f"{url}/inloggen/sso/terug"])
    engine = make_engine(f"sqlite:///{database}")
    with Session(engine) as session:
        kampen = organisations_service.get_by_slug(session, "kampen")
        assert kampen is not None
        sso.configure(
            session,
            kampen,
            sso.SsoSettings(
                issuer=oidc_provider.issuer,
                client_id=CLIENT_ID,
                domains=["kampen.example.org"],
                role_map=[("kompas-beheer", "beheerder")],
                default_role=None,
                secret_file=str(secret_file),
            ),
            actor_id=None,
            origin="test",
        )
        session.commit()
    engine.dispose()
    DATABASES[url] = database
    with serve(database, port) as served:
        yield served


def _at_the_provider(page: Page, email: str, groups: str = "") -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij de testprovider")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Groepen").fill(groups)
    page.get_by_role("button", name="Inloggen").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_whole_way(browser: Browser, live_server: str, javascript: bool):
    context = browser.new_context(bypass_csp=True, viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []

    def check(where: str) -> None:
        if javascript and (violations := axe_violations(page)):
            problems.append(f"{where}: {violations}")

    page.goto(f"{live_server}/inloggen")
    check("sign-in page with the organisation's account")
    page.get_by_role("button", name=BUTTON).click()
    email = f"sso-{'js' if javascript else 'zonder-js'}@kampen.example.org"
    _at_the_provider(page, email, "kompas-beheer")
    # A beheerder, signed in without a code from an app: the provider did that step.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thema's van Gemeente Kampen")

    page.goto(f"{live_server}/leden/sso")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Inloggen met het Gemeente Kampen-account"
    )
    check("settings")
    page.get_by_label("Client-id").fill("")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#sso-client_id-error")).to_contain_text("Vul de client-id in")
    check("settings, refused")
    page.get_by_label("Client-id").fill(CLIENT_ID)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De instelling is opgeslagen.")).to_be_visible()

    page.goto(f"{live_server}/account")
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Kompas")
    page.goto(f"{live_server}/leden/sso")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Kompas")
    context.close()
    assert not problems, "\n".join(problems)


REFUSALS = {
    "wrong-issuer": "noemt zich anders dan ingesteld",
    "wrong-keys": "gaf geen geldig antwoord",
    "expired-code": "nam de inlogcode niet aan",
    "replayed-state": "al gebruikt",
    "unknown-domain": "hoort niet bij een domein",
}
# Why, as the audit log says: each refusal for its own reason, not another check's.
LOGGED = {
    "wrong-issuer": "geweigerd: andere issuer",
    "wrong-keys": "geweigerd: ID-token ongeldig: bad_signature",
    "expired-code": "geweigerd: code geweigerd: invalid_grant",
    "replayed-state": "geweigerd: state al gebruikt of onbekend",
    "unknown-domain": "geweigerd: domein niet toegelaten, geen uitnodiging",
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_each_refusal_in_dutch_and_nothing_created(
    browser: Browser, live_server: str, oidc_provider, case: str
):
    context = browser.new_context(bypass_csp=True, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    callbacks: list[str] = []  # the provider's answers, as the browser brought them
    page.on("request", lambda r: callbacks.append(r.url) if "/sso/terug?" in r.url else None)
    email = f"{case}@{'elders.example.org' if case == 'unknown-domain' else 'kampen.example.org'}"
    page.goto(f"{live_server}/inloggen")
    page.get_by_role("button", name=BUTTON).click()
    mode = {"expired-code": "expired-codes", "wrong-issuer": case, "wrong-keys": case}
    with oidc_provider.mode(mode.get(case, "")):
        _at_the_provider(page, email, "kompas-beheer")
        if case == "replayed-state":  # the first answer signs in; the same answer again not
            expect(page.get_by_role("heading", level=1)).to_contain_text("Thema's van")
            # Signed out, but with the state's cookie back: only the used state is wrong.
            state = parse_qs(urlsplit(callbacks[0]).query)["state"][0]
            page.context.clear_cookies()
            page.context.add_cookies(
                [
                    {
                        "name": "kompas_sso",
                        "value": state,
                        "domain": "127.0.0.1",
                        "path": "/inloggen/sso",
                    }
                ]
            )
            page.goto(callbacks[0])
        expect(page.locator("#sso-refusal")).to_contain_text(REFUSALS[case])
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Kompas")
    assert axe_violations(page) == []
    context.close()
    with sqlite3.connect(DATABASES[live_server]) as database:
        accounts = database.execute("SELECT count(*) FROM user_account WHERE email = ?", (email,))
        assert accounts.fetchone()[0] == (1 if case == "replayed-state" else 0)
        logged = database.execute(
            "SELECT label FROM audit_entry WHERE label LIKE 'geweigerd:%' ORDER BY id DESC"
        )
        assert logged.fetchone()[0] == LOGGED[case]
