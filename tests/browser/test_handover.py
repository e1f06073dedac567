"""The hand-over to the next cycle in the browser: the facilitator sees the proposed nulmeting
and streefdatum per indicator, corrects one, and the curve continues across the boundary."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, choose_next_period
from tests.browser.test_accessibility import cycle_of

INDICATOR = "Uitgestroomd naar werk zonder herinstroom binnen 12 maanden"


def test_the_facilitator_confirms_the_hand_over_per_indicator(page: Page, live_server: str):
    cycle = cycle_of(page, live_server, "Werk")
    page.goto(f"{live_server}/cycli/{cycle}/stappen/6")
    page.get_by_role("link", name="Volgende cyclus starten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Volgende cyclus starten")
    assert axe_violations(page) == []

    # The years follow the previous cycle (2019–2022) rather than today's date
    choose_next_period(page, 2023, 2026)
    indicator = page.locator("fieldset", has=page.get_by_text(INDICATOR, exact=True)).first
    expect(indicator.get_by_label("Streefdatum")).to_have_value("2026-12-31")
    baseline = indicator.get_by_label(re.compile("^Nulmeting"))
    proposed = baseline.input_value()
    assert proposed  # the latest meting of 2019–2022

    # A streefdatum before the nulmeting is refused next to the field, with the input kept
    indicator.get_by_label("Streefdatum").fill("2018-12-31")
    page.get_by_role("button", name="Start cyclus 2023–2026").click()
    expect(page.locator(".kompas-error-summary")).to_contain_text(
        "De streefdatum moet na de datum van de nulmeting liggen."
    )
    indicator = page.locator("fieldset", has=page.get_by_text(INDICATOR, exact=True)).first
    expect(indicator.get_by_label("Streefdatum")).to_have_value("2018-12-31")
    assert axe_violations(page) == []

    indicator.get_by_label("Streefdatum").fill("2026-06-30")
    page.get_by_role("button", name="Start cyclus 2023–2026").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cyclus 2023–2026")

    page.get_by_role("link", name=re.compile("Maatschappelijk resultaat")).first.click()
    card = page.locator("li.kompas-indicator", has_text=INDICATOR)
    expect(card).to_contain_text("30 juni 2026")
    card.get_by_role("link", name=re.compile("^Metingen")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(INDICATOR)
    measurements = page.locator("#measurements-section")
    expect(measurements).to_contain_text("Cyclus 2019–2022")
    expect(measurements).to_contain_text("Cyclus 2023–2026")
    expect(measurements).to_contain_text("Nog geen metingen in deze cyclus.")
    assert axe_violations(page) == []
