"""Two-step sign-in in a real browser, on a phone's width: without JavaScript, and every page
of it (the code, setting up the app, the recovery codes) checked by axe-core."""

import re
from datetime import UTC, datetime

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from app.demo.accounts import PASSWORD
from tests.browser.conftest import axe_violations, next_code

PHONE = {"width": 375, "height": 800}
BEHEERDER = "beheerder@huizen.example.org"


@pytest.fixture
def phone(browser: Browser):
    context = browser.new_context(bypass_csp=True, viewport=PHONE)  # for axe-core's script
    yield context.new_page()
    context.close()


def _password(page: Page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_the_code_step_without_javascript(browser: Browser, live_server: str):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    _password(page, live_server, BEHEERDER)
    expect(page.get_by_role("heading", level=1)).to_have_text("Code invullen")
    page.get_by_label("Code").fill("12345")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator("#second-step-code-error")).to_contain_text("Deze code klopt niet")
    page.get_by_label("Code").fill(next_code(live_server, BEHEERDER))
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thema's van")
    context.close()


def test_setting_it_up_without_javascript(browser: Browser, live_server: str):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    _password(page, live_server, "procesbegeleider@kampen.example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thema's van")
    page.goto(f"{live_server}/account")
    page.get_by_role("link", name="Tweestapsverificatie instellen").click()
    expect(page.locator(".kompas-qr svg")).to_be_visible()
    page.get_by_label("Code").fill("12345")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.locator("#set-up-code-error")).to_contain_text("Deze code klopt niet")
    key = re.sub(r"\s", "", page.locator("code.kompas-token").inner_text())
    page.get_by_label("Code").fill(pyotp.TOTP(key).at(datetime.now(UTC)))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("Je herstelcodes.")).to_be_visible()
    page.get_by_role("link", name="Verder naar Kompas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    context.close()


def test_every_page_of_it_passes_axe_at_375_px(phone: Page, live_server: str):
    problems = []

    def check(where: str) -> None:
        if violations := axe_violations(phone):
            problems.append(f"{where}: {violations}")

    _password(phone, live_server, BEHEERDER)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Code invullen")
    check("code")
    phone.get_by_label("Code").fill("12345")
    phone.get_by_role("button", name="Inloggen").click()
    expect(phone.locator("#second-step-code-error")).to_be_visible()
    check("code, wrong")
    phone.context.clear_cookies()

    # A lezer sets it up from their account page.
    _password(phone, live_server, "lezer@kampen.example.org")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Thema's van")
    phone.goto(f"{live_server}/account")
    phone.get_by_role("link", name="Tweestapsverificatie instellen").click()
    expect(phone.locator(".kompas-qr svg")).to_be_visible()
    check("set up")
    phone.get_by_label("Code").fill("12345")
    phone.get_by_role("button", name="Bevestigen").click()
    expect(phone.locator("#set-up-code-error")).to_be_visible()
    check("set up, wrong")
    key = re.sub(r"\s", "", phone.locator("code.kompas-token").inner_text())
    phone.get_by_label("Code").fill(pyotp.TOTP(key).at(datetime.now(UTC)))
    phone.get_by_role("button", name="Bevestigen").click()
    expect(phone.get_by_text("Je herstelcodes.")).to_be_visible()
    check("recovery codes")
    phone.get_by_role("link", name="Verder naar Kompas").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mijn account")
    assert not problems, "\n".join(problems)
