"""The newcomer's journey with the demo data: one theme through all six steps and on into the
next cycle, asserting at every step what a person sees on the screen."""

import re

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import choose_next_period

ACTIVITIES = "#activities-section li.kompas-record"


def htmx_idle(page: Page) -> None:
    """Wait until htmx has finished requesting, swapping and settling, as a person would."""
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def add_form(scope: Page | Locator, label: str) -> Locator:
    """The form to add a record: a disclosure to open, or a link that brings the form in place."""
    page = scope if isinstance(scope, Page) else scope.page
    htmx_idle(page)
    details = scope.locator("details", has=page.locator("summary", has_text=label))
    if details.count():
        details.last.locator("summary").first.click()
        return details.last.locator("form")
    holder = (
        scope.locator(".kompas-add-link")
        .filter(has=page.get_by_role("link", name=label, exact=True))
        .last
    )
    holder_id = holder.get_attribute("id")
    holder.get_by_role("link").click()
    form = page.locator(f"#{holder_id} form")
    expect(form).to_be_visible()
    htmx_idle(page)
    return form


def go_to_step(page: Page, name: str) -> None:
    """Through the step navigation of a step page, or the list of steps on the cycle page."""
    steps = page.get_by_role("navigation", name="Stappen van het Kwaliteitskompas")
    if not steps.count():
        steps = page.get_by_role("list", name="De stappen van deze cyclus")
    steps.get_by_role("link", name=re.compile(re.escape(name))).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_one_theme_through_the_six_steps_and_into_the_next_cycle(page: Page, live_server: str):
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thema's van Gemeente Kampen")
    page.get_by_role("link", name="Vitaal", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thema Vitaal")
    page.get_by_role("link", name="Cyclus 2019–2022", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cyclus 2019–2022")
    expect(page.get_by_text("Wat willen we bereiken voor en met onze inwoners?")).to_be_visible()

    # Step 0: a begrip
    page.get_by_role("link", name="0 Wat er vooraf gaat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat er vooraf gaat")
    form = add_form(page, "Begrip toevoegen")
    form.get_by_label("Begrip", exact=True).fill("Sociale basis")
    form.get_by_label("Betekenis voor inwoners").fill("Iemand in de buurt die je kent.")
    form.get_by_label("Afgesproken definitie").fill("Alles wat inwoners samen en dichtbij doen.")
    form.get_by_role("button", name="Toevoegen").click()
    term = page.locator("#terms-section li", has_text="Sociale basis")
    expect(term).to_contain_text("Alles wat inwoners samen en dichtbij doen.")
    expect(term).to_contain_text("Iemand in de buurt die je kent.")

    # Step 1: reword the ambition; the earlier wording stays as a draft
    go_to_step(page, "Monitoring & ambities")
    section = page.locator("#ambition-section")
    old_text = section.locator("blockquote").inner_text()
    form = add_form(section, "Ambitie bewerken")
    form.get_by_label("Ambitie", exact=True).fill(
        "Inwoners van Kampen blijven gezond en zelfstandig, met steun van hun omgeving."
    )
    form.get_by_label("Status").select_option(label="Gezamenlijk geformuleerd")
    form.get_by_label("Uit welke sessie?").fill("werksessie 1, 12 maart 2019")
    form.get_by_role("button", name="Ambitie opslaan").click()
    expect(section.locator("blockquote")).to_have_text(
        "Inwoners van Kampen blijven gezond en zelfstandig, met steun van hun omgeving."
    )
    expect(section.get_by_role("heading", name="Eerdere versies")).to_be_visible()
    expect(section.locator(".kompas-drafts")).to_contain_text(old_text.strip())

    # Step 2: two results, then the second one up in priority
    go_to_step(page, "Maatschappelijk resultaat")
    for text in ("Over 3 jaar eten meer ouderen samen.", "Over 3 jaar vallen minder ouderen."):
        form = add_form(page.locator("#results-section"), "Resultaat toevoegen")
        form.get_by_label("Resultaat", exact=True).fill(text)
        form.get_by_role("button", name="Toevoegen").click()
        expect(
            page.locator("#results-section .kompas-record__title", has_text=text)
        ).to_be_visible()
    ranked = page.locator("#results-section .kompas-ranked > li")
    count = ranked.count()
    expect(ranked.nth(count - 1)).to_contain_text("vallen minder ouderen")
    ranked.nth(count - 1).get_by_role("button", name=re.compile("^Hoger")).click()
    expect(ranked.nth(count - 2)).to_contain_text("vallen minder ouderen")
    expect(ranked.nth(count - 1)).to_contain_text("eten meer ouderen samen")
    expect(ranked.nth(count - 2).locator(".kompas-rank")).to_have_text(str(count - 1))

    # Step 3: an activity, linked to both new results
    go_to_step(page, "Activiteiten")
    form = add_form(page.locator("#activities-section"), "Activiteit toevoegen")
    form.get_by_label("Naam").fill("Samen eten in de wijk")
    form.get_by_label("Hoofduitvoerder").select_option(label="Welzijn Kampen")
    form.get_by_label("Budget per jaar (euro)").fill("25.000")
    form.get_by_role("button", name="Toevoegen").click()
    activity = page.locator(
        "#activities-section li.kompas-record", has_text="Samen eten in de wijk"
    )
    expect(activity).to_contain_text("€ 25.000")
    expect(activity).to_contain_text("Doel of middel?")
    for text in ("eten meer ouderen samen", "vallen minder ouderen"):
        form = add_form(activity, "Koppelen aan een resultaat")
        result = form.get_by_label("Resultaat").locator("option", has_text=text).inner_text()
        form.get_by_label("Resultaat").select_option(label=result)
        form.get_by_label("Bijdrage").select_option(label="Sterk")
        form.get_by_label(re.compile("Waarom helpt")).fill("Wie samen eet, beweegt en praat.")
        form.get_by_role("button", name="Toevoegen").click()
        expect(activity.locator(".kompas-records--nested")).to_contain_text(text)
    expect(activity).not_to_contain_text("Doel of middel?")
    expect(activity.get_by_text("Wie samen eet, beweegt en praat.")).to_have_count(2)

    # Step 4: a werkzaam element
    go_to_step(page, "Input kwaliteit")
    card = page.locator("#quality-section article", has_text="Samen eten in de wijk")
    form = add_form(card, "Werkzaam element toevoegen")
    form.get_by_label("Werkzaam element").fill("Vaste tafelgenoten, elke week dezelfde dag.")
    form.get_by_role("button", name="Toevoegen").click()
    card = page.locator("#quality-section article", has_text="Samen eten in de wijk")
    expect(card).to_contain_text("Vaste tafelgenoten, elke week dezelfde dag.")

    # Step 5: an indicator for the activity, with two measurements
    go_to_step(page, "Outcome")
    card = page.locator("#outcome-section article", has_text="Samen eten in de wijk")
    form = add_form(card, "Indicator toevoegen")
    form.get_by_label("Naam").fill("Deelnemers per week")
    form.get_by_label("Welke vraag beantwoordt deze indicator?").select_option(
        label="Hoeveel deden we?"
    )
    form.get_by_label(re.compile("^Nulmeting")).fill("0")
    form.get_by_label(re.compile("^Datum nulmeting")).fill("2021-01-01")
    form.get_by_label(re.compile("^Streefwaarde")).fill("40")
    form.get_by_label(re.compile("^Streefdatum")).fill("2022-12-31")
    form.get_by_label(re.compile("^Eenheid")).fill("aantal")
    form.get_by_role("button", name="Toevoegen").click()
    indicator = page.locator("#outcome-section li.kompas-indicator", has_text="Deelnemers per week")
    expect(indicator).to_contain_text("Nog geen status")
    for day, value, story, shown in (
        ("2021-06-01", "12", None, "12 (1 juni 2021)"),
        ("2022-01-01", "31", "Vol!", "31 (1 januari 2022)"),
    ):
        form = add_form(indicator, "Meting toevoegen")
        form.get_by_label("Datum").fill(day)
        form.get_by_label("Waarde").fill(value)
        if story:
            form.get_by_label("Het verhaal achter de cijfers").fill(story)
        form.get_by_role("button", name="Toevoegen").click()
        expect(indicator).to_contain_text(shown)
    expect(indicator).to_contain_text("Op koers")
    indicator.get_by_role("link", name=re.compile(r"^Metingen \(2\)")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Deelnemers per week")
    rows = page.locator("#measurements-section tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Vol!")  # newest first
    page.get_by_role("link", name="Terug naar stap 5").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcome")

    # Step 6: a reflection with an improvement action, and a decision
    go_to_step(page, "Verbetercyclus")
    form = add_form(page.locator("#reflections-section"), "Reflectie toevoegen")
    form.get_by_label("Datum").fill("2022-11-15")
    form.get_by_label("Wat gaat goed?").fill("De maaltijden trekken nieuwe mensen.")
    form.get_by_role("button", name="Toevoegen").click()
    reflection = page.locator("#reflections-section > ul > li", has_text="15 november 2022")
    expect(reflection).to_contain_text("De maaltijden trekken nieuwe mensen.")
    form = add_form(reflection, "Verbeteractie toevoegen")
    form.get_by_label("Verbeteractie").fill("Vervoer regelen voor wie slecht ter been is.")
    form.get_by_label("Wie pakt het op?").fill("Welzijn Kampen")
    form.get_by_role("button", name="Toevoegen").click()
    expect(page.locator("#reflections-section")).to_contain_text("Vervoer regelen")
    decision = page.locator("#decisions-section li", has_text="Samen eten in de wijk")
    form = add_form(decision, "Besluit vastleggen")
    form.get_by_label("Besluit voor de volgende cyclus").select_option(label="Versterken")
    form.get_by_role("button", name="Toevoegen").click()
    decision = page.locator("#decisions-section li", has_text="Samen eten in de wijk")
    expect(decision).to_contain_text("Versterken")

    # The next cycle
    page.get_by_role("link", name="Volgende cyclus starten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Volgende cyclus starten")
    expect(page.get_by_role("row", name=re.compile("Samen eten in de wijk"))).to_contain_text(
        "Versterken"
    )
    choose_next_period(page, 2023, 2026)
    page.get_by_role("button", name="Start cyclus 2023–2026").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cyclus 2023–2026")
    new_cycle = page.url

    go_to_step(page, "Maatschappelijk resultaat")
    expect(page.locator("#results-section")).to_contain_text("vallen minder ouderen")
    expect(page.locator("#results-section")).to_contain_text("eten meer ouderen samen")
    go_to_step(page, "Activiteiten")
    activity = page.locator(
        "#activities-section li.kompas-record", has_text="Samen eten in de wijk"
    )
    expect(activity).to_contain_text("Versterken")
    expect(activity.get_by_text("Wie samen eet, beweegt en praat.")).to_have_count(2)
    go_to_step(page, "Monitoring & ambities")
    expect(page.locator("#ambition-section blockquote")).to_contain_text("gezond en zelfstandig")
    expect(page.locator("#ambition-section")).to_contain_text("Concept")

    # The previous cycle is still there, read-only
    page.goto(new_cycle)
    page.get_by_role("link", name="Vitaal").first.click()
    page.get_by_role("link", name="Cyclus 2019–2022", exact=True).click()
    expect(page.get_by_text("Deze cyclus is afgesloten")).to_be_visible()
    go_to_step(page, "Maatschappelijk resultaat")
    expect(page.get_by_text("Deze cyclus is afgesloten")).to_be_visible()
    expect(page.locator("#results-section")).to_contain_text("vallen minder ouderen")
    expect(page.get_by_text("Resultaat toevoegen")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Bewerken"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Hoger"))).to_have_count(0)
