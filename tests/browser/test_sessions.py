"""A live session in the browser: a facilitator, a projector and three phones (375 px) run an
inbreng round and a dot-voting round, and the facilitator adopts the outcome into the cycle.
The phones' pages pass axe-core, fit the screen, and stay light."""

from datetime import date
from uuid import uuid4

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import axe_violations, sign_in
from tests.browser.test_accessibility import cycle_of

PHONE = {"width": 375, "height": 800}
LIVE = 15_000  # ms: a change shows on other screens within this (it takes well under a second)
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


class Weight:
    """Bytes a phone transfers (compressed bodies and headers) since the last `reset`."""

    def __init__(self, page: Page) -> None:
        self.bytes = 0
        self.round_pages = 0  # fetches of the round page, made by its script
        page.on("requestfinished", self._add)

    def _add(self, request) -> None:
        if request.url.endswith("/live"):
            return  # the event stream stays open: not part of a page load
        self.round_pages += request.url.endswith("/ronde")
        sizes = request.sizes()
        self.bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    def reset(self) -> int:
        spent, self.bytes = self.bytes, 0
        return spent


def phone_joins(
    browser: Browser,
    live_server: str,
    code: str,
    perspective: str,
    title: str = "Werksessie in de browser",
) -> Page:
    context = browser.new_context(viewport=PHONE, bypass_csp=True, is_mobile=True)
    phone = context.new_page()
    phone.set_default_timeout(LIVE)
    weight = Weight(phone)
    phone.goto(f"{live_server}/doe-mee")
    phone.get_by_label("Code van de sessie").fill(code.lower())
    phone.get_by_role("button", name="Verder").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(title)
    first_load = weight.reset()
    assert first_load <= 100_000, f"first page load transferred {first_load} bytes"
    assert axe_violations(phone) == []
    phone.get_by_label(perspective).check()
    phone.get_by_role("button", name="Meedoen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Even wachten")
    assert phone.evaluate(OVERFLOW) <= 0
    phone.weight = weight  # type: ignore[attr-defined]
    weight.reset()
    return phone


def test_a_session_with_a_projector_and_three_phones(page: Page, browser: Browser, live_server):
    werk = cycle_of(page, live_server, "Werk")
    page.goto(f"{live_server}/cycli/{werk}")
    page.get_by_role("link", name="Sessies", exact=True).click()
    page.locator("summary", has_text="Sessie voorbereiden").click()
    form = page.locator(f"form#new-session-{werk}")
    form.get_by_label("Titel").fill("Werksessie in de browser")
    form.get_by_label("Stap van de cyclus").select_option(value="2")
    form.get_by_label("Datum").fill(date.today().isoformat())
    # three phones, one per perspective: each group shown apart is one person's vote, which
    # a real room would not do (default 3); this test room wants to see them
    form.get_by_label("Uitslag per perspectief vanaf").fill("1")
    form.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Werksessie in de browser")
    session_url = page.url.split("#")[0]

    def add_round(title: str, kind: str, target: str, **more: str) -> None:
        page.locator("summary", has_text="Ronde toevoegen").click()
        new = page.locator("form[id^=new-round]")
        new.get_by_label("Titel").fill(title)
        new.get_by_label("Werkvorm").select_option(label=kind)
        new.get_by_label("Uitkomst overnemen in").select_option(label=target)
        for label, value in more.items():
            field = new.get_by_label(label.replace("_", " "))
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(label=value)
            else:
                field.fill(value)
        new.get_by_role("button", name="Toevoegen").click()
        expect(page.locator("#rounds-section")).to_contain_text(title)

    add_round("Welke resultaten?", "Inbreng", "Nergens (alleen in het verslag)")
    add_round(
        "Welke eerst?",
        "Stippen plakken",
        "Maatschappelijke resultaten met hun prioriteit",
        Keuzes_uit_de_inbrengronde="1. Welke resultaten?",
        Stippen_per_deelnemer="2",
    )
    code = page.locator(".kompas-join__code").first.inner_text().replace("-", "")
    assert axe_violations(page) == []

    # A reader follows the results without the code: whoever holds it can join and vote
    reader = browser.new_context(bypass_csp=True).new_page()
    sign_in(reader, live_server, "lezer@kampen.example.org")
    reader.goto(session_url + "/scherm")
    expect(reader.locator("#scherm")).to_be_visible()
    expect(reader.locator(".kompas-join__code")).to_have_count(0)
    reader.context.close()

    # The projector, on a screen of its own, signed in as the facilitator
    screen = browser.new_context(bypass_csp=True).new_page()
    screen.set_default_timeout(LIVE)
    sign_in(screen, live_server, "procesbegeleider@kampen.example.org")
    screen.goto(session_url + "/scherm")
    expect(screen.locator(".kompas-join__code")).to_contain_text(code[:5])

    phones: list[Page] = []
    try:
        for label in ("Gemeente", "Aanbieder", "Inwoner of doelgroep"):
            phones.append(phone_joins(browser, live_server, code, label))
        run_the_rounds(page, screen, phones, werk, live_server)
    finally:  # open event streams would keep the server from stopping
        for context in {p.context for p in [*phones, screen]}:
            context.close()


def run_the_rounds(
    page: Page, screen: Page, phones: list[Page], werk: int, live_server: str
) -> None:
    expect(screen.locator("#scherm")).to_contain_text("3 deelnemers")

    # Round 1: inbreng, sent from the phones, shown on the projector without reloading
    page.get_by_role("button", name="Starten Welke resultaten?").click()
    proposals = [
        "Minder terugval in de bijstand",
        "Minder mensen vallen terug in de uitkering",
        "Meer inwoners doen mee naar vermogen",
    ]
    for phone, text in zip(phones, proposals, strict=True):
        expect(phone.get_by_role("heading", level=1)).to_have_text("Welke resultaten?")
        phone.weight.reset()  # type: ignore[attr-defined]
        phone.get_by_label("Jouw voorstel").fill(text)
        phone.get_by_role("button", name="Insturen").click()
        expect(phone.locator("#melding")).to_have_text("Je inbreng is opgeslagen.")
        expect(phone.locator(".kompas-saved-item")).to_contain_text(text)
    assert axe_violations(phones[0]) == []
    for text in proposals:
        expect(screen.locator("#scherm")).to_contain_text(text)

    # The facilitator merges the duplicate, closes the round and starts the dot voting
    page.reload()
    duplicate = page.locator("li[id^=voorstel-]").filter(
        has=page.locator("p", has_text=proposals[1])
    )
    duplicate.get_by_label("Samenvoegen met nummer").fill("1")  # the first proposal
    duplicate.get_by_role("button", name="Samenvoegen").click()
    expect(page.locator("#voorstellen")).to_contain_text("samengevoegd met")
    page.get_by_role("button", name="Sluiten Welke resultaten?").click()
    # the buttons post through htmx: each change must land before the next click or navigation
    expect(page.get_by_role("button", name="Sluiten Welke resultaten?")).to_have_count(0)
    for phone in phones:  # each sent a proposal in the round: its own page shows it closed
        expect(phone.locator("#ronde")).to_contain_text("Deze ronde is gesloten")
        expect(phone.locator(".kompas-saved-item")).to_have_count(1)
        phone.weight.round_pages = 0  # type: ignore[attr-defined]
    page.get_by_role("button", name="Starten Welke eerst?").click()
    expect(page.get_by_role("button", name="Starten Welke eerst?")).to_have_count(0)

    for n, phone in enumerate(phones):
        expect(phone.get_by_role("heading", level=1)).to_have_text("Welke eerst?")
        # the new round came with the live event: no phone fetched its page for it
        assert phone.weight.round_pages == 0  # type: ignore[attr-defined]
        assert phone.evaluate(OVERFLOW) <= 0
        later = phone.weight.reset()  # type: ignore[attr-defined]
        assert later <= 15_000, f"a later round transferred {later} bytes"
        choices = phone.locator(".kompas-choice")
        expect(choices).to_have_count(2)
        choices.nth(1).get_by_role("button", name="Stip plakken").click()
        expect(phone.locator("#melding")).to_have_text("Je stip is opgeslagen.")
        if n == 0:
            choices.nth(0).get_by_role("button", name="Stip plakken").click()
            expect(phone.locator("#melding")).to_have_text("Je stip is opgeslagen.")
            expect(phone.locator("#stippen")).to_contain_text("0 van de 2")
    assert axe_violations(phones[0]) == []
    first_row = screen.locator(".kompas-results tbody tr").first
    expect(first_row).to_contain_text(proposals[2])
    expect(first_row).to_contain_text("3")
    screen.get_by_role("link", name="Per perspectief").click()  # a view of its own
    expect(screen.locator(".kompas-screen__perspectives")).to_contain_text("Gemeente")

    # Adopt: the ranking becomes the results' priority, with the evidence on the result page
    page.reload()
    page.get_by_role("button", name="Sluiten Welke eerst?").click()
    expect(page.get_by_role("button", name="Sluiten Welke eerst?")).to_have_count(0)
    page.get_by_role("link", name="2. Welke eerst?").click()
    assert axe_violations(page) == []  # the adoption form with its preview
    page.get_by_label("De volgorde vervangen: deze resultaten bovenaan, de andere erna").check()
    page.get_by_role("button", name="Overnemen als maatschappelijke resultaten").click()
    expect(page.locator("#overgenomen")).to_contain_text("Bewijs: 3 deelnemers")
    page.goto(f"{live_server}/cycli/{werk}/stappen/2")
    first = page.locator("#results-section .kompas-record").first
    expect(first).to_contain_text(proposals[2])
    expect(first).to_contain_text("Zo kwam deze prioriteit tot stand")
    expect(first).to_contain_text("Werksessie in de browser")


def demo_join_code(page: Page, live_server: str) -> str:
    """The code of the demo's prepared session (Werk), read off its control screen."""
    page.goto(f"{live_server}/cycli/{cycle_of(page, live_server, 'Werk')}/sessies")
    page.get_by_role("link", name="Oefensessie: activiteiten bij de resultaten").click()
    return page.locator(".kompas-join__code").first.inner_text().replace("-", "")


def walk_the_phone_pages(browser: Browser, live_server: str, code: str, check) -> None:
    """Every page a phone sees before the first round, also with its forms' messages;
    `check(where, phone)` looks at each."""
    context = browser.new_context(viewport=PHONE, bypass_csp=True, is_mobile=True)
    phone = context.new_page()
    phone.set_default_timeout(LIVE)
    try:
        phone.goto(f"{live_server}/doe-mee")
        check("/doe-mee", phone)
        phone.get_by_label("Code van de sessie").fill("HK7P3-MXR4Q")
        phone.get_by_role("button", name="Verder").click()
        expect(phone.locator(".utrecht-form-field-error-message")).to_contain_text("kennen we niet")
        check("/doe-mee with a wrong code", phone)
        phone.goto(f"{live_server}/doe-mee/{code}")
        check("/doe-mee/{code}", phone)
        phone.get_by_role("button", name="Meedoen").click()
        expect(phone.locator(".utrecht-form-field-error-message")).to_contain_text("perspectief")
        check("/doe-mee/{code} without a perspective", phone)
        phone.get_by_label("Inwoner of doelgroep").check()
        phone.get_by_role("button", name="Meedoen").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Even wachten")
        check("/doe-mee/{code}/ronde", phone)
    finally:
        context.close()


# Choices as long as a room writes them: the per-perspective view must still fit one screen.
LONG_CHOICES = [
    "Minder inwoners die na een traject binnen een jaar terugvallen in de bijstand",
    "Meer jongeren met een startkwalificatie voordat zij de jeugdhulp verlaten",
    "Mantelzorgers die het zwaar hebben vinden sneller een vaste plek voor respijtzorg",
    "Ouderen wonen langer zelfstandig thuis met hulp uit de eigen buurt en wijk",
    "Minder wachttijd voor de eerste afspraak bij het sociaal wijkteam in elke kern",
    "Meer inwoners met een beperking hebben betaald werk of een zinvolle dagbesteding",
]
SCREEN = {"width": 1366, "height": 768}


def phone_votes(browser: Browser, live_server: str, code: str, perspective: str, first: int):
    """A phone without JavaScript: it joins and puts its dots through the plain forms."""
    phone = browser.new_context().request
    join = phone.get(f"{live_server}/doe-mee/{code}").text()
    token = join.split('name="_csrf" value="')[1].split('"')[0]
    page = phone.post(
        f"{live_server}/doe-mee/{code}", form={"_csrf": token, "perspectief": perspective}
    ).text()
    token = page.split('name="kompas-csrf" content="')[1].split('"')[0]
    round_id = page.split('name="ronde" value="')[1].split('"')[0]
    choices = page.split('name="keuze" value="')[1:]
    for choice in (choices * 2)[first : first + 4]:
        answer = phone.post(
            f"{live_server}/doe-mee/{code}/stemmen",
            form={
                "_csrf": token,
                "ronde": round_id,
                "keuze": choice.split('"')[0],
                "sleutel": str(uuid4()),
            },
        )
        assert answer.ok, answer.text()
    phone.dispose()


def test_the_projector_is_a_screen_of_its_own(page: Page, browser: Browser, live_server):
    werk = cycle_of(page, live_server, "Werk")
    page.goto(f"{live_server}/cycli/{werk}/sessies")
    page.locator("summary", has_text="Sessie voorbereiden").click()
    form = page.locator(f"form#new-session-{werk}")
    form.get_by_label("Titel").fill("Zaal met een beamer")
    form.get_by_label("Datum").fill(date.today().isoformat())
    form.get_by_label("Uitslag per perspectief vanaf").fill("2")
    form.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zaal met een beamer")
    session_url = page.url.split("#")[0]
    page.locator("summary", has_text="Ronde toevoegen").click()
    new = page.locator("form[id^=new-round]")
    new.get_by_label("Titel").fill("Wat eerst?")
    new.get_by_label("Werkvorm").select_option(label="Stippen plakken")
    new.get_by_label("Stippen per deelnemer").fill("4")
    new.get_by_role("button", name="Toevoegen").click()
    page.get_by_role("link", name="1. Wat eerst?").click()
    for text in LONG_CHOICES:
        page.get_by_label("Keuze toevoegen").fill(text)
        page.get_by_role("button", name="Toevoegen").click()
        expect(page.locator("#keuzes")).to_contain_text(text)
    page.goto(session_url)
    code = page.locator(".kompas-join__code").first.inner_text().replace("-", "")
    page.get_by_role("button", name="Starten Wat eerst?").click()
    # two phones per perspective, and one "anders": too small a group to show apart; each
    # perspective puts dots on five or six choices
    for n, perspective in enumerate(["municipality", "provider", "resident"] * 2 + ["other"]):
        phone_votes(browser, live_server, code, perspective, first=n)

    context = browser.new_context(viewport=SCREEN, bypass_csp=True)
    screen = context.new_page()
    screen.set_default_timeout(LIVE)
    try:
        sign_in(screen, live_server, "procesbegeleider@kampen.example.org")
        screen.goto(session_url + "/scherm")
        # none of the app around it: no menu, organisation or name of who is signed in
        expect(screen.locator("header, nav[aria-label=Hoofdmenu], footer")).to_have_count(0)
        expect(screen.get_by_text("procesbegeleider", exact=False)).to_have_count(0)
        # the code and the QR code for latecomers, beside the round
        aside = screen.get_by_role("complementary", name="Meedoen")
        expect(aside).to_contain_text(code[:5])
        expect(aside.locator("svg")).to_be_visible()
        expect(screen.locator(".kompas-results tbody tr")).to_have_count(6)
        assert screen.evaluate(OVERFLOW) <= 0
        font = screen.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('#scherm')).fontSize)"
        )
        assert font >= 22, f"projector text is {font}px"
        # each rank number sits in the middle of its circle, its item code apart from it
        offsets = screen.evaluate(
            """() => [...document.querySelectorAll('#scherm .kompas-rank')].map(circle => {
                const c = circle.getBoundingClientRect();
                const range = document.createRange(); range.selectNodeContents(circle);
                const t = range.getBoundingClientRect();
                return Math.max(Math.abs((c.left + c.right) - (t.left + t.right)) / 2,
                                Math.abs((c.top + c.bottom) - (t.top + t.bottom)) / 2,
                                Math.abs(c.width - c.height));
            })"""
        )
        assert offsets and max(offsets) <= 1.5, offsets
        first = screen.locator(".kompas-results tbody tr").first
        assert first.locator("td").first.inner_text().strip().isdigit()

        # per perspective: a view of its own that fits the screen
        screen.get_by_role("link", name="Per perspectief").click()
        expect(screen.get_by_role("heading", level=2)).to_have_count(3)
        expect(screen.locator("#scherm")).to_contain_text("minder dan 2 deelnemers")
        expect(screen.get_by_role("complementary", name="Meedoen")).to_contain_text(code[:5])
        fits = (
            "[document.documentElement.scrollWidth - innerWidth,"
            " document.documentElement.scrollHeight - innerHeight]"
        )
        assert screen.evaluate(fits) == [0, 0]
        # a vote arriving changes this view as well, without reloading
        phone_votes(browser, live_server, code, "other", first=0)
        expect(screen.get_by_role("heading", level=2)).to_have_count(4)
        assert screen.evaluate(fits) == [0, 0]

        # on a phone-sized window both views pass axe and do not scroll sideways
        screen.set_viewport_size(PHONE)
        for view in ("uitslag", "perspectieven"):
            screen.goto(f"{session_url}/scherm?weergave={view}")
            assert axe_violations(screen) == []
            assert screen.evaluate(OVERFLOW) <= 0
    finally:
        context.close()


def test_dividing_100_points_on_a_phone(page: Page, browser: Browser, live_server):
    """The werkvorm 100 punten verdelen: the round page, the paper tally and the phone's form
    pass axe-core at 375 px; a division that does not add up is refused in Dutch."""
    werk = cycle_of(page, live_server, "Werk")
    page.goto(f"{live_server}/cycli/{werk}/sessies")
    page.locator("summary", has_text="Sessie voorbereiden").click()
    form = page.locator(f"form#new-session-{werk}")
    form.get_by_label("Titel").fill("Bezuinigen in de browser")
    form.get_by_label("Datum").fill(date.today().isoformat())
    form.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bezuinigen in de browser")
    session_url = page.url.split("#")[0]
    page.locator("summary", has_text="Ronde toevoegen").click()
    new = page.locator("form[id^=new-round]")
    new.get_by_label("Titel").fill("Waar gaat het geld heen?")
    new.get_by_label("Werkvorm").select_option(label="100 punten verdelen")
    new.get_by_role("button", name="Toevoegen").click()
    code = page.locator(".kompas-join__code").first.inner_text().replace("-", "")
    page.get_by_role("link", name="1. Waar gaat het geld heen?").click()
    for choice in ("Schuldhulp", "Buurtwerk"):
        page.get_by_label("Keuze toevoegen").fill(choice)
        page.get_by_role("button", name="Toevoegen", exact=True).click()
        expect(page.locator("#keuzes")).to_contain_text(choice)
    page.set_viewport_size(PHONE)
    assert axe_violations(page) == []
    page.get_by_role("link", name="Papieren stemmen invoeren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Papieren stemmen")
    assert axe_violations(page) == []
    phone = phone_joins(
        browser, live_server, code, "Inwoner of doelgroep", "Bezuinigen in de browser"
    )
    try:
        page.goto(session_url)
        page.get_by_role("button", name="Starten Waar gaat het geld heen?").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Waar gaat het geld heen?")
        assert axe_violations(phone) == []
        phone.get_by_label("Schuldhulp").fill("60")
        phone.get_by_label("Buurtwerk").fill("30")
        phone.get_by_role("button", name="Verdeling insturen").click()
        expect(phone.locator("#melding")).to_contain_text("10 te weinig")
        phone.get_by_label("Buurtwerk").fill("40")
        phone.get_by_role("button", name="Verdeling insturen").click()
        expect(phone.locator("#melding")).to_have_text("Je verdeling is opgeslagen.")
        assert phone.evaluate(OVERFLOW) <= 0
        assert axe_violations(phone) == []
    finally:
        phone.context.close()


def phone_sends(live_server: str, code: str, texts: list[str]) -> None:
    """A phone without JavaScript: it joins and sends its proposals through the plain form."""
    phone = httpx.Client(base_url=live_server)
    try:
        join = phone.get(f"/doe-mee/{code}").text
        token = join.split('name="_csrf" value="')[1].split('"')[0]
        page = phone.post(
            f"/doe-mee/{code}",
            data={"_csrf": token, "perspectief": "resident"},
            follow_redirects=True,
        ).text
        token = page.split('name="kompas-csrf" content="')[1].split('"')[0]
        round_id = page.split('name="ronde" value="')[1].split('"')[0]
        for text in texts:
            sent = phone.post(
                f"/doe-mee/{code}/inbreng",
                data={"_csrf": token, "ronde": round_id, "tekst": text, "sleutel": str(uuid4())},
            )
            assert sent.status_code in (200, 303), sent.text
    finally:
        phone.close()


def test_moderating_a_room_live_and_finishing_the_verslag(page: Page, live_server):
    """At 375 px: proposals wait for approval and appear on the control screen as they come
    (no reload), several are clustered at once, and the verslag takes the afspraken; every
    page, in its error state too, passes axe."""
    page.set_viewport_size(PHONE)
    problems: list[str] = []

    def audit(where: str) -> None:
        if violations := axe_violations(page):
            problems.append(f"{where}: {violations}")
        assert page.evaluate(OVERFLOW) <= 0, where

    werk = cycle_of(page, live_server, "Werk")
    page.goto(f"{live_server}/cycli/{werk}/sessies")
    page.locator("summary", has_text="Sessie voorbereiden").click()
    form = page.locator(f"form#new-session-{werk}")
    form.get_by_label("Titel").fill("Moderatie in de browser")
    form.get_by_label("Stap van de cyclus").select_option(value="2")
    form.get_by_label("Datum").fill(date.today().isoformat())
    form.get_by_role("button", name="Toevoegen").click()
    page.locator("summary", has_text="Ronde toevoegen").click()
    new = page.locator("form[id^=new-round]")
    new.get_by_label("Titel").fill("Ideeën")
    new.get_by_label("Werkvorm").select_option(label="Inbreng")
    new.get_by_label("Voorstellen eerst goedkeuren").check()
    new.get_by_role("button", name="Toevoegen").click()
    page.get_by_role("button", name="Starten Ideeën").click()
    expect(page.locator("#moderatie")).to_contain_text("Nog geen voorstellen")
    code = page.locator(".kompas-join__code").first.inner_text().replace("-", "")

    phone_sends(live_server, code, ["Taalcafé", "Een taalcafé", "Buurtcoach"])
    moderation = page.locator("#moderatie")
    expect(moderation).to_contain_text("3 voorstellen wachten op goedkeuring", timeout=LIVE)
    expect(moderation).to_contain_text("Buurtcoach")
    audit("control screen with proposals waiting")

    page.get_by_label("Kiezen voorstel 1", exact=True).check()
    page.get_by_role("button", name="Gekozen samenvoegen…").click()
    expect(page.locator("#voorstel-fout")).to_contain_text("minstens twee")
    audit("control screen, one proposal chosen to cluster")

    page.get_by_label("Kiezen voorstel 2", exact=True).check()
    page.get_by_role("button", name="Gekozen samenvoegen…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Voorstellen samenvoegen")
    audit("cluster form")
    page.get_by_role("button", name="Samenvoegen").click()
    expect(page.locator("#doel-fout")).to_contain_text("Kies welk voorstel blijft staan")
    audit("cluster form without a choice")
    page.get_by_label("Taalcafé", exact=False).first.check()
    page.get_by_role("button", name="Samenvoegen").click()
    expect(page.locator("#moderatie")).to_contain_text("samengevoegd met 1")
    expect(page.locator("#moderatie")).to_contain_text("1 voorstel wacht op goedkeuring")

    page.goto(page.url.split("#")[0] + "/verslag")
    audit("verslag")
    page.locator("#afspraken-afspraken").fill("Stop \u202e hier")
    page.get_by_role("button", name="Afspraken opslaan").click()
    expect(page.locator("#afspraken .utrecht-form-field-error-message")).to_be_visible()
    audit("verslag, afspraken refused")
    page.locator("#afspraken-afspraken").fill("Het wijkteam start een taalcafé.")
    page.get_by_role("button", name="Afspraken opslaan").click()
    expect(page.locator("#afspraken-afspraken")).to_have_value("Het wijkteam start een taalcafé.")
    assert not problems, "\n".join(problems)
