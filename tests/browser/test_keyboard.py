"""The core of the journey by keyboard alone: tab order, visible focus, no traps."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import AuditRecorder

FOCUSED = r"""() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    return {
        text: (el.innerText || el.value || el.getAttribute("aria-label") || "")
            .replace(/\s+/g, " ").trim(),
        tag: el.tagName.toLowerCase(),
        id: el.id,
        visible: el.matches(":focus-visible")
            && (parseFloat(style.outlineWidth) > 0 || style.boxShadow !== "none"),
    };
}"""


def tab_to(page: Page, pattern: str, limit: int = 400, key: str = "Tab") -> dict:
    """Press Tab (or `key`) until the focused element's text matches; every stop must show
    its focus."""
    wanted = re.compile(pattern)
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        assert focused["visible"], f"focus not visible on {focused}"
        if wanted.search(focused["text"]):
            return focused
    raise AssertionError(f"{pattern!r} not reached with Tab")


def test_skip_link_comes_first_and_leads_to_the_content(
    page: Page, live_server: str, audit: AuditRecorder
):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Direct naar de inhoud"
    expect(page.get_by_role("link", name="Direct naar de inhoud")).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    audit.add("keyboard", tests=1)


def test_add_and_prioritise_a_result_by_keyboard(
    page: Page, live_server: str, audit: AuditRecorder
):
    page.goto(live_server + "/")
    tab_to(page, r"^Vitaal$")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thema Vitaal")
    tab_to(page, r"^Cyclus 2019–2022$")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cyclus 2019–2022")
    tab_to(page, r"Maatschappelijk resultaat$")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maatschappelijk resultaat")

    tab_to(page, r"^Resultaat toevoegen$")
    page.keyboard.press("Enter")  # opens the disclosure
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["id"].endswith("-text")
    page.keyboard.type("Over 3 jaar doen meer ouderen mee aan de valpreventiecursus.")
    tab_to(page, r"^Toevoegen$")
    page.keyboard.press("Enter")
    last = page.locator(".kompas-ranked > li").last
    expect(last).to_contain_text("valpreventiecursus")
    rank = last.locator(".kompas-rank").inner_text()

    tab_to(page, r"^Hoger in prioriteit: Over 3 jaar doen meer ouderen", key="Shift+Tab")
    page.keyboard.press("Enter")
    moved = page.locator(".kompas-ranked > li", has_text="valpreventiecursus")
    expect(moved.locator(".kompas-rank")).to_have_text(str(int(rank) - 1))
    # focus stays where the person was: on the move buttons of the same result
    focused = page.evaluate(FOCUSED)
    assert focused is None or "valpreventiecursus" in focused["text"] or focused["tag"] == "button"
    audit.add("keyboard", tests=1)


def test_no_keyboard_trap_on_a_step_page(page: Page, live_server: str, audit: AuditRecorder):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Meedoen", exact=True).click()
    page.get_by_role("link", name="Cyclus 2019–2022", exact=True).click()
    page.get_by_role("link", name="3 Activiteiten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activiteiten")
    first, stops = None, 0
    for _ in range(1500):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        stops += 1
        where = (focused["tag"], focused["id"], focused["text"])
        if first is None:
            first = where
        elif where == first:
            break  # Tab went all the way round: nothing held the focus
    else:
        raise AssertionError("Tab never returned to the first element")
    assert stops > 20
    audit.add("keyboard", tests=1)


def test_the_api_documentation_by_keyboard(page: Page, live_server: str, audit: AuditRecorder):
    """From the contents to a group of operations, and to a schema whose example opens."""
    page.goto(live_server + "/api-documentatie")
    tab_to(page, r"^Partners$")
    page.keyboard.press("Enter")
    assert page.url.endswith("#groep-partners")
    # Tab goes on from the group into its first operation (the list: a page, the input, a partner)
    tab_to(page, r"^Partner$", limit=4)
    page.keyboard.press("Enter")
    assert page.url.endswith("#schema-Partner")
    example = page.locator("#schema-Partner").locator("xpath=..").locator("pre")
    expect(example).to_be_hidden()
    tab_to(page, r"^Voorbeeld van Partner$", limit=3)
    page.keyboard.press("Enter")
    expect(example).to_be_visible()
    expect(example).to_contain_text('"soortPartner": "gemeente"')
    audit.add("keyboard", tests=1)
