"""The accessibility statement at /toegankelijkheid: public, in the parts of the government's
model, claiming only what the recorded test run covered."""

import json
import re
from html import unescape

import pytest
from pydantic import ValidationError

from app import accessibility
from app.config import Settings, settings

MODEL_PARTS = [
    "Nalevingsstatus",
    "Hoe is de toegankelijkheid onderzocht?",
    "Bekende tekortkomingen",
    "Feedback en contact",
    "Handhavingsprocedure",
    "Wettelijke basis",
    "Over deze verklaring",
]
RECORD = {
    "tested_on": "2026-11-30",
    "browser": "Chromium 156.0.8078.129",
    "axe_core": "4.14.1",
    "playwright": "1.65.2",
    "checks": {"axe": {"pages": 87}, "phone": {"views": 212}},
}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


@pytest.fixture
def recorded(tmp_path, monkeypatch):
    """The statement reads a record of our making."""

    def record(content: dict | None) -> None:
        path = tmp_path / "accessibility-audit.json"
        if content is not None:
            path.write_text(json.dumps(content))
        monkeypatch.setattr(accessibility, "AUDIT_FILE", path)
        accessibility.recorded_audit.cache_clear()

    yield record
    accessibility.recorded_audit.cache_clear()


def test_the_statement_is_public_and_has_the_parts_of_the_model(anonymous):
    response = anonymous.get("/toegankelijkheid")
    assert response.status_code == 200
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", response.text)
    assert headings == MODEL_PARTS
    text = _text(response.text)
    assert "EN 301 549" in text and "WCAG 2.1 niveau A en AA" in text
    assert "Besluit digitale toegankelijkheid overheid" in text and "2016/2102" in text
    assert "Nationale ombudsman" in text


def test_it_says_when_and_with_what_it_was_tested_from_the_record(anonymous, recorded):
    recorded(RECORD)
    text = _text(anonymous.get("/toegankelijkheid").text)
    assert "Kompas voldoet gedeeltelijk aan de eisen" in text
    assert (
        "Onderzocht op 30 november 2026, met axe-core 4.14.1 in Chromium 156.0.8078.129, "
        "bestuurd door Playwright 1.65.2" in text
    )
    assert "87 pagina's, elke soort pagina die een beheerder via de links bereikt" in text
    assert "212 weergaven" in text
    assert "opgesteld op 30 november 2026" in text
    # what the run did not cover is not claimed
    assert "Met alleen het toetsenbord" not in text
    assert "formulieren leeg verstuurd" not in text


def test_a_newer_axe_core_than_the_one_tested_with_is_said(anonymous, recorded):
    recorded({**RECORD, "axe_core": "4.13.0"})
    text = _text(anonymous.get("/toegankelijkheid").text)
    assert "met axe-core 4.13.0" in text
    assert f"Kompas gebruikt inmiddels axe-core {accessibility.locked_version('axe-core')}" in text


def test_without_a_record_it_claims_no_status(anonymous, recorded):
    recorded(None)
    text = _text(anonymous.get("/toegankelijkheid").text)
    assert "nog geen onderzoek vastgelegd" in text
    assert "gedeeltelijk" not in text and "Onderzocht op" not in text


def test_the_known_shortcomings_say_what_is_done_about_them(anonymous):
    text = _text(anonymous.get("/toegankelijkheid").text)
    assert "getagd volgens PDF/UA-1" in text and "niet met een validator" in text
    assert "niet door een onafhankelijke deskundige" in text
    assert text.count("Wat we eraan doen:") == len(accessibility.SHORTCOMINGS) >= 2


def test_the_committed_record_covers_every_check_with_the_locked_axe_core():
    """A new axe-core in package-lock.json asks for a new run: `make audit-accessibility`."""
    accessibility.recorded_audit.cache_clear()
    audit = accessibility.recorded_audit()
    assert audit is not None, "docs/accessibility-audit.json is missing"
    assert audit.axe_core == accessibility.locked_version("axe-core")
    assert set(audit.checks) == accessibility.CHECK_IDS
    for check, claim in audit.claims():
        assert "{" not in claim, check.id


def test_reports_go_to_the_configured_contact(anonymous, monkeypatch):
    monkeypatch.setattr(settings, "operator", "Gemeente Kampen")
    monkeypatch.setattr(settings, "accessibility_contact", "toegankelijkheid@kampen.nl")
    page = anonymous.get("/toegankelijkheid").text
    assert 'href="mailto:toegankelijkheid@kampen.nl"' in page
    assert "Gemeente Kampen wil dat iedereen Kompas kan gebruiken" in _text(page)
    monkeypatch.setattr(settings, "accessibility_contact", "https://www.kampen.nl/contact")
    assert 'href="https://www.kampen.nl/contact"' in anonymous.get("/toegankelijkheid").text


def test_without_a_configured_contact_it_names_the_organisations_beheerder(anonymous):
    assert settings.accessibility_contact is None
    text = _text(anonymous.get("/toegankelijkheid").text)
    assert "Meld het bij de beheerder van Kompas in je organisatie" in text
    assert "De organisatie die deze installatie van Kompas beheert wil" in text


@pytest.mark.parametrize("contact", ["geen adres", "http://onveilig.example.org", "a@b"])
def test_a_contact_must_be_an_address_or_a_secure_page(contact):
    with pytest.raises(ValidationError):
        Settings(accessibility_contact=contact)


@pytest.mark.parametrize("path", ["/inloggen", "/doe-mee", "/api-documentatie"])
def test_public_pages_link_to_the_statement_in_their_footer(anonymous, path):
    page = anonymous.get(path).text
    footer = page[page.index("<footer") :]
    assert 'href="/toegankelijkheid"' in footer


def test_signed_in_pages_link_to_the_statement_in_their_footer(client):
    for path in ("/", "/account", "/partners"):
        page = client.get(path).text
        assert 'href="/toegankelijkheid"' in page[page.index("<footer") :], path
