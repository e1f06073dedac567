"""The HTML part of every mail passes axe-core and fits a phone at 375 px."""

from pathlib import Path

from playwright.sync_api import Browser

from app import mail
from app.config import ROOT
from tests.browser.conftest import axe_violations

EXAMPLE = {
    "name": "Fatima el Amrani",
    "organisation": "Gemeente Kampen",
    "partner": "De Kern",
    "invited_by": "Sanne Visser",
    "made_by": "Sanne Visser",
    "role": "partner",
    "valid_until": "14 december 2026 om 15:02",
    "link": "https://kompas.example.org/uitnodiging/" + "x" * 43,
    "asked_by": "Joost Mulder",
    "asked_on": "7 december 2026",
    "due_on": "17 december 2026",
    "message": "Graag de metingen van 2026.\nEn de uitgaven per jaar.",
    "sign_in": "https://kompas.example.org/inloggen",
    "title": "Voortgangsrapportage Kampen Jong 2023–2026",
    "version": "2",
    "published_by": "Joost Mulder",
    "read": "https://kompas.example.org/publicaties",
    "scenario": "Bezuiniging 2027",
    "adopted_by": "Joost Mulder",
    "before": "€ 70.000",
    "after": "€ 55.000",
    "activities": "2",
}
MAILS = sorted(
    path.stem for path in Path(ROOT / "templates" / "mail").glob("*.html") if path.stem != "layout"
)


def test_every_mail_passes_axe_and_fits_a_phone(browser: Browser, browser_context_args: dict):
    page = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 375, "height": 800}}
    ).new_page()
    assert len(MAILS) == 6
    for name in MAILS:
        page.set_content(mail.html(name, EXAMPLE))
        assert axe_violations(page) == [], name
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not wide, f"{name} scrolls sideways at 375 px"
    page.close()
