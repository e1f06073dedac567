"""Every page each demo account can reach, on a phone (375 px): no sideways scrolling, and every
visible text and control readable against the colour behind it (WCAG 1.4.3), also with its
forms in their error state. Plus screenshots for people to look at."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import ADMIN, ARTIFACTS, AuditRecorder, sign_in
from tests.browser.test_accessibility import (
    _add_links_by_kind,
    _edit_links_by_kind,
    _links,
    _submit_add_form_empty,
    _submit_edit_form_empty,
    _submit_every_add_form_empty,
    cycle_of,
)

SCREENSHOTS = ARTIFACTS / "screenshots"
PHONE = {"width": 375, "height": 800}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
CONTRAST = (Path(__file__).parent / "contrast.js").read_text()
ACCOUNTS = {
    "beheerder": ADMIN,
    "procesbegeleider": "procesbegeleider@kampen.example.org",
    "partner": "partner@kampen.example.org",
    "lezer": "lezer@kampen.example.org",
}
# One page per kind (every edit form of a result is the same template); the beheerder, who
# reaches every record, also visits every theme, cycle, step and indicator page, whose content
# differs in ways that matter on a narrow screen (long names and source texts, wide tables).
EVERY_RECORD = re.compile(
    r"^/(cycli/\d+(/stappen/\d|/matrix|/volgende-cyclus)?|themas/\d+|indicatoren/\d+)?$"
)
# Accounts whose inline forms (brought in by htmx on the step pages) are checked too.
INLINE_FORMS = {"beheerder", "partner"}
# Forms to submit empty, to see them with their messages: those that write text.
TEXT_FORM = (
    "main form:has(input[type=text], input[type=email], input[type=password], textarea)"
    ":not([action$='/uitloggen'])"
)
ERRORS = ".kompas-error-summary, .utrecht-form-field-error-message"


def _kind(path: str) -> str:
    """The page kind: the address without ids (but with the step number) and query."""
    return re.sub(r"(?<!/stappen/)\d+", "{id}", path.split("?")[0])


class Inspector:
    """Looks at the current page and keeps what it finds wrong."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.pages = 0
        self.overflow: list[str] = []
        self.contrast: list[str] = []

    def check(self, where: str) -> None:
        self.pages += 1
        sideways = self.page.evaluate(OVERFLOW)
        if sideways > 0:
            self.overflow.append(f"{where}: {sideways} px wider than the screen")
        self.contrast += [f"{where}: {problem}" for problem in self.page.evaluate(CONTRAST)]

    def assert_clean(self) -> None:
        assert not (self.overflow or self.contrast), "\n".join(
            [
                "Sideways scrolling at 375 px:",
                *self.overflow,
                "Too little contrast:",
                *self.contrast,
            ]
        )


def _text_forms_in_error_state(page: Page, url: str, inspector: Inspector, path: str) -> None:
    """Each form on the page that takes text and shows without a click, submitted with its
    fields emptied. (Forms behind a click are the inline ones, below.)"""
    forms = page.locator(TEXT_FORM)
    shown = [index for index in range(forms.count()) if forms.nth(index).is_visible()]
    for index in shown:
        page.goto(url)
        form = page.locator(TEXT_FORM).nth(index)
        for field in form.locator("input[type=text], input[type=email], textarea").all():
            field.fill("")
        for choice in form.locator("select:has(option[value=''])").all():
            choice.select_option("")
        form.locator("button[type=submit]").last.click()
        try:
            page.wait_for_selector(ERRORS, timeout=5_000)
        except PlaywrightError:
            continue  # a form whose fields may all be empty: nothing to show
        inspector.check(f"{path}, form {index + 1} in its error state")


def _inline_forms_in_error_state(page: Page, url: str, inspector: Inspector, path: str) -> None:
    """The forms htmx brings into a step page (add and edit), each in its error state."""
    page.goto(url)
    if _submit_every_add_form_empty(page):
        inspector.check(f"{path}, add forms in their error state")
    page.goto(url)
    for holder_id in _add_links_by_kind(page):
        page.goto(url)
        _submit_add_form_empty(page, holder_id)
        inspector.check(f"{path}, {holder_id} in its error state")
    page.goto(url)
    for href in _edit_links_by_kind(page):
        page.goto(url)
        _submit_edit_form_empty(page, href)
        inspector.check(f"{path}, {href} in its error state")


@pytest.mark.parametrize("account", ACCOUNTS)
def test_every_page_fits_a_phone_and_is_readable(
    browser: Browser, live_server: str, account, audit: AuditRecorder
):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server, ACCOUNTS[account])
    inline_forms_of = f"/cycli/{cycle_of(page, live_server, 'Meedoen')}/stappen/"
    inspector = Inspector(page)
    queue, kinds, visited = ["/"], set(), set()
    while queue:
        path = queue.pop(0)
        kind = _kind(path)
        every = account == "beheerder" and EVERY_RECORD.match(path)
        if path in visited or (kind in kinds and not every):
            continue
        first_of_kind = kind not in kinds
        kinds.add(kind)
        visited.add(path)
        url = live_server + path
        response = page.goto(url)
        assert response is not None and response.ok, (
            f"{path} answered {response and response.status}"
        )
        inspector.check(path)
        queue += [p for p in _links(page, live_server) if p not in visited]
        if first_of_kind:
            _text_forms_in_error_state(page, url, inspector, path)
        if account in INLINE_FORMS and path.startswith(inline_forms_of):
            _inline_forms_in_error_state(page, url, inspector, path)
    context.close()
    assert len(visited) > 12, sorted(visited)  # every step, the matrix, indicators, forms, ...
    # every page links to these two in its footer
    assert {"/toegankelijkheid", "/api-documentatie"} <= visited
    inspector.assert_clean()
    audit.add("phone", views=inspector.pages)


def test_the_account_page_with_its_tokens_fits_a_phone(
    browser: Browser, live_server: str, audit: AuditRecorder
):
    """The tokens table has four columns: with a token or two it scrolls in its own region,
    the page does not."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server, ACCOUNTS["procesbegeleider"])
    page.goto(f"{live_server}/account")
    for name in ("Koppeling met de kwartaalrapportage van de gemeente", "Dashboard"):
        page.get_by_label("Naam van het token").fill(name)
        page.get_by_role("button", name="Token maken").click()
        expect(page.get_by_role("cell", name=name, exact=True)).to_be_visible()
    expect(page.locator(".kompas-token")).to_be_visible()  # the new one, shown once
    inspector = Inspector(page)
    inspector.check("/account with a new token and two in the table")
    page.goto(f"{live_server}/account")
    inspector.check("/account with two tokens")
    inspector.assert_clean()
    region = page.get_by_role("region", name="Jouw API-tokens")  # reachable by keyboard
    expect(region).to_have_attribute("tabindex", "0")
    expect(region.get_by_role("button", name=re.compile("^Intrekken.*Dashboard$"))).to_be_attached()
    context.close()
    audit.add("phone", views=inspector.pages)


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots(browser: Browser, live_server: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    sign_in(page, live_server, ADMIN)
    cycle = cycle_of(page, live_server, "Werk")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in {
        "overzicht": "/",
        "cyclus": f"/cycli/{cycle}",
        "stap-2": f"/cycli/{cycle}/stappen/2",
        "scenario": "/scenarios/1",  # the demo's 8% cut of 2019
    }.items():
        page.goto(live_server + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
    context.close()


def test_the_phone_pages_fit_and_are_readable(
    browser: Browser, live_server: str, audit: AuditRecorder
):
    from tests.browser.test_sessions import demo_join_code, walk_the_phone_pages

    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server, ACCOUNTS["procesbegeleider"])
    code = demo_join_code(page, live_server)
    context.close()
    found: list[Inspector] = []

    def check(where: str, phone: Page) -> None:
        inspector = Inspector(phone)
        inspector.check(where)
        found.append(inspector)

    walk_the_phone_pages(browser, live_server, code, check)
    assert len(found) == 5
    for inspector in found:
        inspector.assert_clean()
    audit.add("phone", views=len(found))
