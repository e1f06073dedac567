"""Sign-in, what each role can do on screen, and switching organisation, in a real browser."""

import pytest
from playwright.sync_api import Browser, Page, expect

from app.demo.accounts import PASSWORD
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import cycle_of


@pytest.fixture
def fresh_page(browser: Browser):
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


def test_sign_in_and_out(fresh_page: Page, live_server: str):
    page = fresh_page
    page.goto(f"{live_server}/cycli/1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Kompas")
    page.get_by_label("E-mailadres").fill("lezer@kampen.example.org")
    page.get_by_label("Wachtwoord").fill("niet goed")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator("#sign-in-email-error")).to_contain_text(
        "Dit e-mailadres en wachtwoord horen niet bij elkaar."
    )
    expect(page.get_by_label("E-mailadres")).to_have_value("lezer@kampen.example.org")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(f"{live_server}/cycli/1")  # back where they were going
    page.get_by_role("link", name="Pieter Bakker").click()
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Kompas")
    page.goto(f"{live_server}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Kompas")


def test_a_reader_sees_no_controls_to_change_things(fresh_page: Page, live_server: str):
    page = fresh_page
    sign_in(page, live_server, "lezer@kampen.example.org")
    cycle = cycle_of(page, live_server, "Werk")
    for step in range(7):
        page.goto(f"{live_server}/cycli/{cycle}/stappen/{step}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.get_by_role("link", name="Bewerken")).to_have_count(0)
        expect(page.locator("form[method=post]:not([action='/organisatie'])")).to_have_count(0)
        expect(page.get_by_text("toevoegen", exact=False)).to_have_count(0)
    page.goto(f"{live_server}/leden")
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")


def test_a_partner_works_on_their_own_activities_only(fresh_page: Page, live_server: str):
    page = fresh_page
    sign_in(page, live_server, "partner@kampen.example.org")
    cycle = cycle_of(page, live_server, "Werk")
    page.goto(f"{live_server}/cycli/{cycle}/stappen/4")
    own = page.locator("#quality-section article", has_text="Maatje bij werkhervatting")
    other = page.locator("#quality-section article", has_text="Werkfit-trajecten")
    expect(own.get_by_role("link", name="Werkzaam element toevoegen")).to_be_visible()
    expect(other.get_by_role("link", name="Werkzaam element toevoegen")).to_have_count(0)
    own.get_by_role("link", name="Werkzaam element toevoegen").click()
    form = own.locator("form")
    form.get_by_label("Werkzaam element").fill("Maatje en werkhervatter kennen elkaar vooraf.")
    form.get_by_role("button", name="Toevoegen").click()
    expect(
        page.locator("#quality-section article", has_text="Maatje bij werkhervatting")
    ).to_contain_text("Maatje en werkhervatter kennen elkaar vooraf.")


def test_switch_between_organisations(fresh_page: Page, live_server: str):
    page = fresh_page
    sign_in(page, live_server, "procesbegeleider@kampen.example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thema's van Gemeente Kampen")
    page.get_by_label("Organisatie").select_option(label="Gemeente Huizen")
    page.get_by_role("button", name="Wisselen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thema's van Gemeente Huizen")
    expect(page.get_by_role("link", name="Bewegen en gezondheid")).to_be_visible()
    expect(page.get_by_role("link", name="Werk", exact=True)).to_have_count(0)
