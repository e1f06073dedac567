"""A lezer exports the council report in the browser: the page says the file is being made,
and the download starts by itself; beyond the exports a process makes at once, the page
shows its place in line, without script. The report pages pass axe-core and fit a phone."""

import re
import time

from playwright.sync_api import Browser, Route, expect

from tests.browser.conftest import axe_violations, sign_in

READER = "lezer@kampen.example.org"
MADE = 120_000  # ms: a PDF of a whole theme on a machine shared with other work


def test_a_lezer_exports_a_theme_report_as_pdf(
    browser: Browser, browser_context_args: dict, live_server: str
):
    page = browser.new_context(**browser_context_args).new_page()
    page.set_default_timeout(20_000)
    sign_in(page, live_server, READER)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Rapportage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapportage")
    assert axe_violations(page) == []

    page.get_by_role("link", name="verslag Werk 2019–2022").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Voortgangsrapportage")
    expect(page.get_by_role("heading", name="Wat heeft het gekost?").first).to_be_visible()
    expect(page.get_by_role("img", name="Verloop van").first).to_be_visible()
    assert axe_violations(page) == []

    with page.expect_download(timeout=MADE) as download:
        page.get_by_role("link", name="PDF van het verslag").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "PDF van het verslag wordt gemaakt"
        )
        expect(page.get_by_role("status")).to_contain_text("De download begint vanzelf")
    # Named by scope and the day it was made, so that the next export does not overwrite it.
    assert re.fullmatch(
        r"Voortgangsrapportage Kampen Werk 2019-2022 \d{4}-\d{2}-\d{2}\.pdf",
        download.value.suggested_filename,
    )
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    page.close()


def test_without_script_an_export_beyond_the_places_waits_in_line_and_arrives(
    browser: Browser, browser_context_args: dict, live_server: str
):
    """Three whole-organisation PDFs at once, where the server makes two at a time."""
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    context.set_default_timeout(20_000)
    tabs = [context.new_page() for _ in range(3)]
    sign_in(tabs[0], live_server, READER)
    shown: list[str] = []  # the export pages as the browser got them

    def keep(route: Route) -> None:
        response = route.fetch()
        shown.append(response.text())
        route.fulfill(response=response)

    context.route(lambda url: "/rapportage/organisatie/pdf" in url and "/bestand" not in url, keep)
    arrived = []
    for tab in tabs:  # one after the other, each without waiting for its page to load
        tab.on("download", lambda download: arrived.append(download))
        tab.goto(live_server + "/rapportage/organisatie/pdf", wait_until="commit")
    deadline = time.monotonic() + MADE / 1000
    while len(arrived) < len(tabs) and time.monotonic() < deadline:
        tabs[0].wait_for_timeout(250)
    assert len(arrived) == len(tabs)
    for download in arrived:
        with open(download.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    assert "in de rij" not in shown[0] and "in de rij" not in shown[1]
    assert "<title>Nummer 1 in de rij: PDF van het verslag maken" in shown[2]
    assert "Je bent <strong>nummer 1 in de rij</strong>" in shown[2]
    context.close()
    # The page with a place in line passes axe-core (shown as it was, but standing still).
    viewer = browser.new_context(**browser_context_args).new_page()
    still = shown[2].replace('http-equiv="refresh"', 'name="refresh"')
    viewer.route(f"{live_server}/in-de-rij", lambda route: route.fulfill(body=still))
    viewer.goto(f"{live_server}/in-de-rij")
    expect(viewer.get_by_role("status")).to_contain_text("Je bent nummer 1 in de rij")
    assert axe_violations(viewer) == []
    viewer.close()


def test_the_report_pages_pass_axe_and_fit_a_phone(
    browser: Browser, browser_context_args: dict, live_server: str
):
    phone = {**browser_context_args, "viewport": {"width": 375, "height": 800}}
    page = browser.new_context(**phone).new_page()
    page.set_default_timeout(20_000)
    sign_in(page, live_server, READER)
    page.goto(live_server + "/rapportage")
    visited = []
    for name in (
        "verslag Jong 2023–2026",
        "samenvatting op één A4 Jong 2023–2026",
        "vergelijk met de vorige cyclus van Jong",
    ):
        page.goto(live_server + "/rapportage")
        page.get_by_role("link", name=name).click()
        page.wait_for_load_state()
        visited.append(page.url)
        assert axe_violations(page) == [], page.url
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not wide, f"{page.url} scrolls sideways at 375 px"
    assert len(visited) == 3
    page.close()
