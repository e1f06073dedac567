"""An invalid form in a real browser: the Dutch message next to the field, every typed value
kept. With JavaScript (htmx swaps the form in place) and without (the server renders it)."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ADMIN, sign_in
from tests.browser.test_accessibility import cycle_of

TYPED = {
    "Naam": "Buurtsportcoach",
    "Omschrijving (niet verplicht)": "Sport en bewegen in de wijk, drie keer per week.",
    "Doelgroep (niet verplicht)": "Inwoners 55+",
    "Budget per jaar (euro) (niet verplicht)": "-500",
}


def fill_activity_form(form) -> None:
    for label, value in TYPED.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_label("Hoofduitvoerder (niet verplicht)").select_option(label="De Kern")
    form.get_by_label("Status").select_option(label="Afbouwen")
    form.get_by_role("button", name="Toevoegen").click()


def assert_error_shown_and_values_kept(form) -> None:
    budget = form.get_by_label("Budget per jaar (euro) (niet verplicht)")
    expect(budget).to_have_attribute("aria-invalid", "true")
    message = form.locator(f"#{budget.get_attribute('id')}-error")
    expect(message).to_have_text("Fout: Vul een getal in dat niet negatief is.")
    assert message.get_attribute("id") in budget.get_attribute("aria-describedby").split()
    expect(form.get_by_role("alert")).to_contain_text("Controleer de invoer")
    for label, value in TYPED.items():
        expect(form.get_by_label(label, exact=True)).to_have_value(value)
    partner = form.get_by_label("Hoofduitvoerder (niet verplicht)")
    expect(partner.locator("option:checked")).to_have_text("De Kern")
    expect(form.get_by_label("Status")).to_have_value("phase_out")


@pytest.fixture
def page_with_csp(browser: Browser, live_server: str):
    """A tab that keeps Kompas's Content-Security-Policy: htmx must work without inline script."""
    context = browser.new_context(bypass_csp=False)
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    sign_in(page, live_server, ADMIN)
    yield page
    context.close()
    assert violations == []


def test_with_javascript_the_form_is_swapped_in_place(page_with_csp: Page, live_server: str):
    page = page_with_csp
    cycle = cycle_of(page, live_server, "Werk")
    page.goto(f"{live_server}/cycli/{cycle}/stappen/3")
    page.get_by_text("Activiteit toevoegen").click()
    form = page.locator("form[id^='new-activity-']")
    fill_activity_form(form)
    expect(page).to_have_url(f"{live_server}/cycli/{cycle}/stappen/3")  # no navigation
    assert_error_shown_and_values_kept(form)
    form.get_by_label("Budget per jaar (euro) (niet verplicht)").fill("12.500")
    form.get_by_role("button", name="Toevoegen").click()
    card = page.locator("#activities-section li", has_text="Buurtsportcoach")
    expect(card).to_contain_text("€ 12.500")
    expect(card).to_contain_text("Afbouwen")


@pytest.fixture
def page_without_javascript(browser: Browser, live_server: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, ADMIN)
    yield page
    context.close()


def test_without_javascript_the_server_renders_the_form(
    page_without_javascript: Page, live_server: str
):
    page = page_without_javascript
    cycle = cycle_of(page, live_server, "Jong")
    page.goto(f"{live_server}/cycli/{cycle}/stappen/3")
    page.get_by_text("Activiteit toevoegen").click()  # <details> opens without JavaScript
    form = page.locator("form[id^='new-activity-']")
    fill_activity_form(form)
    expect(page.get_by_role("heading", level=1)).to_have_text("Activiteit toevoegen")
    assert_error_shown_and_values_kept(form)
    form.get_by_label("Budget per jaar (euro) (niet verplicht)").fill("12.500")
    form.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activiteiten")
    expect(page.locator("#activities-section li", has_text="Buurtsportcoach")).to_contain_text(
        "€ 12.500"
    )


def test_without_javascript_results_are_reordered_and_records_deleted_after_asking(
    page_without_javascript: Page, live_server: str
):
    page = page_without_javascript
    cycle = cycle_of(page, live_server, "Meedoen")
    page.goto(f"{live_server}/cycli/{cycle}/stappen/2")
    ranked = page.locator(".kompas-ranked > li")
    second = ranked.nth(1).locator(".kompas-record__title").inner_text()
    ranked.nth(1).get_by_role("button", name="Hoger in prioriteit").click()
    expect(page.locator(".kompas-ranked > li").first.locator(".kompas-record__title")).to_have_text(
        second
    )
    page.locator(".kompas-ranked > li").first.get_by_role(
        "link", name="Verwijderen", exact=False
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultaat verwijderen")
    page.get_by_role("button", name="Ja, verwijderen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maatschappelijk resultaat")
    expect(page.locator(".kompas-record__title", has_text=second)).to_have_count(0)
