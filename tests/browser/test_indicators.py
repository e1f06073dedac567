"""The partner's link, the import page and the export in a real browser: no axe-core
violations, no sideways scrolling on a phone, and a download that is a real workbook."""

import io
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from app.demo.kampen.figures import REQUEST_TOKEN
from tests.browser.conftest import axe_violations
from tests.browser.test_layout import OVERFLOW, PHONE


def test_the_partner_link_without_an_account(browser: Browser, live_server: str):
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server}/partnerlink/{REQUEST_TOKEN}")
    expect(page.get_by_role("heading", name="Cijfers van De Kern")).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0
    assert axe_violations(page) == []
    form = page.locator("form[id^='besteding-']").first
    form.get_by_label("Jaar").fill("2022")
    form.get_by_label("Werkelijk uitgegeven (euro)").fill("-5")
    form.get_by_role("button", name="Bedragen opslaan").click()
    expect(page.locator(".kompas-error-summary").first).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0
    assert axe_violations(page) == []
    form = page.locator("form[id^='meting-']").first
    form.get_by_label("Datum").fill("2025-12-31")
    form.get_by_label("Waarde").fill("41")
    form.get_by_role("button", name="Meting opslaan").click()
    expect(page.get_by_text("De meting is opgeslagen.")).to_be_visible()
    context.close()


def test_import_errors_and_export(page: Page, live_server: str, tmp_path):
    page.goto(f"{live_server}/metingen/importeren")
    assert axe_violations(page) == []
    bad = tmp_path / "metingen.csv"
    bad.write_text("indicatornummer;datum;waarde\n999999;31-02-2024;veel\n", encoding="utf-8")
    page.get_by_label("Bestand (.xlsx of .csv)").set_input_files(str(bad))
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_role("heading", name="Er is niets opgeslagen")).to_be_visible()
    assert axe_violations(page) == []
    with page.expect_download() as caught:
        page.get_by_role("link", name="Excel-bestand").last.click()
    sheet = load_workbook(io.BytesIO(Path(caught.value.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "indicatornummer" and len(rows) > 20
    assert all(isinstance(row[6], int | float) for row in rows[1:])


def test_partner_requests_page(page: Page, live_server: str):
    page.goto(f"{live_server}/partnerverzoeken")
    expect(page.get_by_text("Open", exact=True)).to_be_visible()
    assert axe_violations(page) == []
