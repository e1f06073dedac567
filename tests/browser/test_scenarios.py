"""A budget scenario from creation to adoption, as a procesbegeleider does it in the browser."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations

SOLVED = 30_000  # ms: each of these pages solves a mixed-integer program, on a busy machine


def test_a_scenario_from_creation_to_adoption(page: Page, live_server: str):
    page.goto(live_server + "/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Scenario's").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scenario's bij een bezuiniging")
    expect(page.get_by_role("link", name="Taakstelling sociaal domein 2020: 8%")).to_be_visible()

    # Create: 6% less for the theme Werk, and its first result keeps an activity
    page.locator("summary", has_text="Scenario toevoegen").click()
    form = page.locator("form#new-scenario-0")
    form.get_by_label("Naam").fill("Werk: 6% minder")
    form.get_by_label("Voor").select_option(label="Werk, cyclus 2019–2022")
    form.get_by_label("Bezuiniging", exact=True).fill("6")
    form.get_by_label("Elk resultaat in de top ... houdt minstens één activiteit").fill("1")
    form.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werk: 6% minder", timeout=SOLVED)
    expect(page.locator("#gevolgen")).to_contain_text("Bespaard")
    expect(page.get_by_role("img", name="Bijdrage per resultaat voor en na")).to_be_visible()
    assert axe_violations(page) == []

    # Override: the bingo afternoon stays whole; the rest is recomputed around it
    bingo = page.locator("tr", has_text="Bingomiddag in het buurthuis")
    bingo.get_by_label("Keuze voor Bingomiddag in het buurthuis").select_option(label="Behouden")
    page.get_by_role("button", name="Opnieuw uitrekenen").click()
    bingo = page.locator("tr", has_text="Bingomiddag in het buurthuis")
    expect(bingo).to_contain_text("Behouden", timeout=SOLVED)
    expect(bingo).to_contain_text("(met de hand: behouden)")
    scenario_url = page.url.split("#")[0]

    # Why: every activity says so; what keeping a stopped one costs is solved when asked
    expect(bingo).to_contain_text("Met de hand gekozen: behouden.")
    ask = re.compile("Wat zou het kosten om dit te houden")
    lowered = page.locator("tr", has=page.get_by_role("link", name=ask)).first
    lowered_id = lowered.get_attribute("id")
    lowered.get_by_role("link", name=ask).click()
    expect(page.locator(f"#{lowered_id}")).to_contain_text(
        "meer budget blijft het helemaal", timeout=SOLVED
    )
    assert axe_violations(page) == []

    # Compare with the demo's whole-organisation scenario
    page.get_by_role("link", name="Scenario's", exact=True).first.click()
    page.get_by_label("Vergelijken: Werk: 6% minder").check()
    page.get_by_label("Vergelijken: Taakstelling sociaal domein 2020: 8%").check()
    page.get_by_role("button", name="Gekozen scenario's vergelijken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Scenario's vergelijken", timeout=SOLVED
    )
    expect(page.get_by_role("columnheader", name="Werk: 6% minder").first).to_be_visible()
    expect(page.get_by_role("heading", name="Per partner")).to_be_visible()
    expect(page.get_by_text("verschilt").first).to_be_visible()
    assert axe_violations(page) == []

    # Adopt as the decision, with the rationale
    page.goto(scenario_url)
    page.get_by_label("Waarom dit scenario?").fill(
        "Terugval in de bijstand voorkomen blijft het belangrijkst; de re-integratie wordt kleiner."
    )
    page.get_by_role("checkbox", name="Maatje bij werkhervatting").check()  # versterken
    page.get_by_role("button", name="Scenario vaststellen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("vaststellen?", timeout=SOLVED)
    expect(page.get_by_role("row", name=re.compile("Maatje bij werkhervatting"))).to_contain_text(
        "Versterken"
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Ja, vaststellen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vastgesteld", timeout=SOLVED)
    expect(page.get_by_text(re.compile("Vastgesteld op .* door Sanne Visser"))).to_be_visible()
    expect(page.get_by_role("button", name="Opnieuw uitrekenen")).to_have_count(0)

    # The decision is in step 6 and kept as a version of the cycle
    page.goto(live_server + "/")
    page.get_by_role("link", name="Werk", exact=True).click()
    page.get_by_role("link", name="Cyclus 2019–2022", exact=True).click()
    decisions = page.locator(
        "section", has=page.get_by_role("heading", name="Besluiten bij een bezuiniging")
    )
    expect(decisions).to_contain_text("Werk: 6% minder")
    expect(decisions).to_contain_text("Terugval in de bijstand voorkomen blijft het belangrijkst")
    page.get_by_role("link", name=re.compile("6 Verbetercyclus")).click()
    maatje = page.locator("#decisions-section li", has_text="Maatje bij werkhervatting")
    expect(maatje).to_contain_text("Versterken")
    expect(maatje).to_contain_text("Scenario ‘Werk: 6% minder’")


def test_the_rooms_votes_weigh_a_scenario_under_both_weightings(page: Page, live_server: str):
    page.goto(live_server + "/scenarios")
    page.locator("summary", has_text="Scenario toevoegen").click()
    form = page.locator("form#new-scenario-0")
    form.get_by_label("Naam").fill("Werk: de stem van de zaal")
    form.get_by_label("Voor").select_option(label="Werk, cyclus 2019–2022")
    form.get_by_label("Bezuiniging", exact=True).fill("8")
    form.get_by_label("Stemmen uit de werksessie").select_option(index=1)  # the adopted round
    form.get_by_label("Hoe de stemmen wegen").select_option(label="Elk perspectief even zwaar")
    form.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Werk: de stem van de zaal", timeout=SOLVED
    )
    expect(
        page.get_by_text("stemmen uit een werksessie, elk perspectief even zwaar")
    ).to_be_visible()
    page.get_by_role("link", name="dezelfde bezuiniging onder beide wegingen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("twee wegingen", timeout=SOLVED)
    expect(page.get_by_role("heading", name="Activiteiten die anders uitvallen")).to_be_visible()
    assert axe_violations(page) == []
