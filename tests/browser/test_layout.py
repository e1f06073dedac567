"""Phone and desktop: screenshots for people to look at, and no sideways scrolling on a phone."""

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import ADMIN, ARTIFACTS, sign_in
from tests.browser.test_accessibility import cycle_of

SCREENSHOTS = ARTIFACTS / "screenshots"
WIDTHS = {"telefoon": 375, "desktop": 1280}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("device", WIDTHS)
def test_pages_fit_the_screen(browser: Browser, live_server: str, device: str):
    context = browser.new_context(viewport={"width": WIDTHS[device], "height": 800})
    page = context.new_page()
    sign_in(page, live_server, ADMIN)
    cycle = cycle_of(page, live_server, "Werk")
    pages = {
        "overzicht": "/",
        "cyclus": f"/cycli/{cycle}",
        "stap-2": f"/cycli/{cycle}/stappen/2",
        "scenario": "/scenarios/1",  # the demo's 8% cut of 2019
    }
    checked = {
        **pages,
        **{f"stap-{n}": f"/cycli/{cycle}/stappen/{n}" for n in range(7)},
        "matrix": f"/cycli/{cycle}/matrix",
        "partners": "/partners",
        "scenarios": "/scenarios",
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in checked.items():
        page.goto(live_server + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if name in pages:
            page.screenshot(path=SCREENSHOTS / f"{name}-{device}.png", full_page=True)
        if device == "telefoon":
            assert page.evaluate(OVERFLOW) <= 0, f"{path} scrolls sideways at 375 px"
    context.close()
