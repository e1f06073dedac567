"""axe-core (WCAG 2.1 A and AA) on every page reachable from the overview, and on forms in
their error state: zero violations."""

import re
from urllib.parse import urldefrag, urlparse

from playwright.sync_api import Browser, Page, expect

from app.demo.kampen.figures import REQUEST_TOKEN
from tests.browser.conftest import AuditRecorder, axe_violations

# One address per kind of page is enough for pages that differ only by the record they show
# (every edit form of a result is the same template); the step and cycle pages of every theme
# are all visited, because their content differs.
ALWAYS_VISIT = re.compile(r"^/(cycli/\d+(/stappen/\d|/matrix|/volgende-cyclus)?|themas/\d+)?$")


def _kind(path: str) -> str:
    return re.sub(r"\d+", "{id}", path)


def _links(page: Page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]:not([download])", "links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        url, _ = urldefrag(href)
        parsed = urlparse(url)
        if f"{parsed.scheme}://{parsed.netloc}" == origin and not parsed.path.startswith(
            ("/static/", "/api/")
        ):
            paths.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return paths


def _report(path: str, violations: list[dict]) -> str:
    return f"{path}: " + "; ".join(f"{v['id']} ({v['help']}): {v['nodes'][:3]}" for v in violations)


def test_every_reachable_page_has_no_violations(page: Page, live_server: str, audit: AuditRecorder):
    queue, seen_kinds, visited, problems = ["/"], set(), [], []
    while queue:
        path = queue.pop(0)
        bare = path.split("?")[0]
        kind = _kind(bare)
        if kind in seen_kinds and not ALWAYS_VISIT.match(bare):
            continue
        if path in visited:
            continue
        seen_kinds.add(kind)
        visited.append(path)
        response = page.goto(live_server + path)
        assert response.status == 200, path
        violations = axe_violations(page)
        if violations:
            problems.append(_report(path, violations))
        queue.extend(p for p in _links(page, live_server) if p not in visited)
    assert len(visited) > 40  # overview, partners, 4 themes, their cycles, steps and forms
    # every page links to these two in its footer
    assert {"/toegankelijkheid", "/api-documentatie"} <= set(visited)
    assert not problems, "\n".join(problems)
    audit.add("axe", pages=len(visited))


def cycle_of(page: Page, live_server: str, theme_name: str) -> int:
    """The id of the running cycle of a demo theme, read off the overview."""
    page.goto(live_server + "/")
    card = page.locator(".kompas-card", has=page.get_by_role("link", name=theme_name, exact=True))
    href = card.locator("p", has_text="Lopende cyclus").locator("a").get_attribute("href")
    return int(href.rsplit("/", 1)[1])


def _submit_every_add_form_empty(page: Page) -> int:
    additions = page.locator("details.kompas-add")
    for index in range(additions.count()):
        details = additions.nth(index)
        details.locator("summary").click()
        form = details.locator("form")
        for field in form.locator("input[type=text], input[type=date], textarea").all():
            field.fill("")
        form.locator("button[type=submit]").click()
        expect(details.locator(".kompas-error-summary")).to_be_visible()
    return additions.count()


def _htmx_idle(page: Page) -> None:
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def _add_links_by_kind(page: Page) -> list[str]:
    """One "add" link per kind of record (measurement, link, action, ...), by holder id."""
    kinds: dict[str, str] = {}
    for holder in page.locator(".kompas-add-link").all():
        holder_id = holder.get_attribute("id") or ""
        kinds.setdefault(holder_id.rsplit("-", 1)[0], holder_id)
    return list(kinds.values())


def _submit_add_form_empty(page: Page, holder_id: str) -> None:
    page.locator(f"#{holder_id} a").click()
    form = page.locator(f"#{holder_id} form")
    expect(form).to_be_visible()
    _htmx_idle(page)
    for field in form.locator("input[type=text], input[type=date], textarea").all():
        field.fill("")
    for choice in form.locator("select:has(option[value=''])").all():
        choice.select_option("")
    form.locator("button[type=submit]").click()
    expect(form.locator(".kompas-error-summary")).to_be_visible()


def _edit_links_by_kind(page: Page) -> list[str]:
    kinds: dict[str, str] = {}
    for link in page.locator(".kompas-record-actions a:has-text('Bewerken')").all():
        href = link.get_attribute("href") or ""
        kinds.setdefault(_kind(href.split("?")[0]), href)
    return list(kinds.values())


def _submit_edit_form_empty(page: Page, href: str) -> None:
    link = page.locator(f".kompas-record-actions a[href='{href}']")
    # The form is looked for where the link brings it: other edit forms on the page (hidden, or
    # earlier in the page) must not catch the fills while the new one is still on its way.
    holder = link.get_attribute("hx-target") or "main"
    link.click()
    form = page.locator(f"{holder} form[id^='edit-']")
    expect(form).to_be_visible()
    _htmx_idle(page)
    for field in form.locator("input[type=text], input[type=date], textarea").all():
        field.fill("")
        expect(field).to_have_value("")
    for choice in form.locator("select:has(option[value=''])").all():
        choice.select_option("")
    form.locator("button[type=submit]").click()
    expect(form.locator(".utrecht-form-field-error-message").first).to_be_visible()


def test_forms_in_their_error_state_have_no_violations(
    page: Page, live_server: str, audit: AuditRecorder
):
    """Every add form on the step pages (inline or brought in by its link), and the edit form of
    every kind of record, submitted with its fields emptied, so each shows its Dutch messages in
    place."""
    cycle = cycle_of(page, live_server, "Meedoen")
    pages = ["/", "/partners"] + [f"/cycli/{cycle}/stappen/{n}" for n in range(7)]
    forms, problems = 0, []
    for path in pages:
        page.goto(live_server + path)
        forms += _submit_every_add_form_empty(page)
        if violations := axe_violations(page):
            problems.append(_report(f"{path}, add forms", violations))
        page.goto(live_server + path)
        for holder_id in _add_links_by_kind(page):
            page.goto(live_server + path)
            _submit_add_form_empty(page, holder_id)
            forms += 1
            if violations := axe_violations(page):
                problems.append(_report(f"{path}, {holder_id}", violations))
        page.goto(live_server + path)
        for href in _edit_links_by_kind(page):
            page.goto(live_server + path)
            _submit_edit_form_empty(page, href)
            forms += 1
            if violations := axe_violations(page):
                problems.append(_report(f"{path}, {href}", violations))
    assert forms >= 25  # every kind of form, new and edit
    assert not problems, "\n".join(problems)
    audit.add("forms", forms=forms)


def test_the_pages_people_without_javascript_get_have_no_violations(
    page: Page, live_server: str, audit: AuditRecorder
):
    """Without JavaScript a form opens on a page of its own and a delete asks on one: both, with
    the form in its error state."""
    cycle = cycle_of(page, live_server, "Jong")
    page.goto(f"{live_server}/cycli/{cycle}/stappen/3")
    edit = page.locator(".kompas-record-actions a:has-text('Bewerken')").first
    edit_page = edit.get_attribute("href").split("?")[0]
    delete = page.locator(".kompas-record-actions a:has-text('Verwijderen')").first
    delete = delete.get_attribute("href")
    pages = [
        f"/cycli/{cycle}/activiteiten/nieuw",
        f"/cycli/{cycle}/resultaten/nieuw",
        "/themas/nieuw",
        edit_page,
    ]
    problems = []
    for path in pages:
        page.goto(live_server + path)
        for field in page.locator("main form input[type=text], main form textarea").all():
            field.fill("")
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".kompas-error-summary")).to_be_visible()
        if violations := axe_violations(page):
            problems.append(_report(path, violations))
    page.goto(live_server + delete)
    expect(page.get_by_role("button", name="Ja, verwijderen")).to_be_visible()
    if violations := axe_violations(page):
        problems.append(_report(delete, violations))
    assert not problems, "\n".join(problems)
    audit.add("axe", pages=len(pages) + 1)
    audit.add("forms", forms=len(pages))


def test_the_phone_pages_have_no_violations(
    page: Page, browser: Browser, live_server: str, audit: AuditRecorder
):
    from tests.browser.test_sessions import demo_join_code, walk_the_phone_pages

    problems, checked = [], []

    def check(where: str, phone: Page) -> None:
        checked.append(where)
        if violations := axe_violations(phone):
            problems.append(_report(where, violations))

    walk_the_phone_pages(browser, live_server, demo_join_code(page, live_server), check)
    assert not problems, "\n".join(problems)
    audit.add("public", pages=len(checked))


# Open without an account (the phone pages are walked above).
PUBLIC_PAGES = (
    "/inloggen",
    "/toegankelijkheid",
    "/api-documentatie",
    f"/partnerlink/{REQUEST_TOKEN}",  # the demo's link for De Kern's figures
)


def test_the_pages_without_an_account_have_no_violations(
    browser: Browser, live_server: str, audit: AuditRecorder
):
    context = browser.new_context(bypass_csp=True)  # for axe-core's script
    page = context.new_page()
    problems = []
    for path in PUBLIC_PAGES:
        response = page.goto(live_server + path)
        assert response is not None and response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator("footer").get_by_role("link", name="Toegankelijkheid")).to_be_visible()
        if violations := axe_violations(page):
            problems.append(_report(path, violations))
    context.close()
    assert not problems, "\n".join(problems)
    audit.add("public", pages=len(PUBLIC_PAGES))
