"""Rapportage pages and downloads: reachable from the cycle, theme and organisation, readable
and exportable by a lezer, closed to other organisations."""

import html
import io
import re

import pytest
from pypdf import PdfReader

from app.organisations.models import Role
from tests import factories


@pytest.fixture
def reader(client_as):
    return client_as(Role.READER)


def test_rapportage_is_in_the_navigation_and_on_the_cycle_and_theme_pages(reader, filled):
    cycle = filled["cycle"]
    assert 'href="/rapportage"' in reader.get("/").text
    assert f'href="/cycli/{cycle.id}/rapportage"' in reader.get(f"/cycli/{cycle.id}").text
    assert f'href="/cycli/{cycle.id}/rapportage"' in reader.get(f"/themas/{cycle.theme_id}").text
    index = reader.get("/rapportage").text
    assert "De hele organisatie" in index and f"/cycli/{cycle.id}/samenvatting" in index


def test_a_lezer_reads_the_print_view_with_its_curves(reader, filled):
    page = reader.get(f"/cycli/{filled['cycle'].id}/rapportage")
    assert page.status_code == 200
    text = page.text
    assert "Wat wilden we bereiken?" in text and "Wat heeft het gekost?" in text
    assert (
        f'aria-labelledby="curve-{filled["outflow"].id}-title curve-{filled["outflow"].id}-desc"'
        in text
    )
    assert "Mo werkt weer, 24 uur." in text
    organisation = reader.get("/rapportage/organisatie")
    assert organisation.status_code == 200 and "Hele organisatie" in organisation.text


def test_an_export_shows_progress_and_then_starts_the_download(reader, filled):
    base = f"/cycli/{filled['cycle'].id}/rapportage"
    page = reader.get(f"{base}/pdf")
    assert page.status_code == 200
    assert f'<meta http-equiv="refresh" content="0;url={base}/pdf/bestand?rij=' in page.text
    assert "wordt gemaakt" in page.text and "<progress" in page.text
    pdf = reader.get(f"{base}/pdf/bestand")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "attachment" in pdf.headers["content-disposition"]
    assert "Wat wilden we bereiken?" in PdfReader(io.BytesIO(pdf.content)).pages[1].extract_text()
    for fmt, kind in (("docx", "wordprocessingml"), ("xlsx", "spreadsheetml")):
        response = reader.get(f"{base}/{fmt}/bestand")
        assert response.status_code == 200 and kind in response.headers["content-type"]
        assert response.headers["content-disposition"].endswith(f".{fmt}")
    organisation = reader.get("/rapportage/organisatie/xlsx/bestand")
    assert organisation.status_code == 200


def test_an_unknown_format_is_not_found(reader, filled):
    assert reader.get(f"/cycli/{filled['cycle'].id}/rapportage/odt").status_code == 404
    assert reader.get(f"/cycli/{filled['cycle'].id}/rapportage/odt/bestand").status_code == 404
    assert reader.get("/rapportage/organisatie/exe/bestand").status_code == 404


def test_the_summary_fits_on_one_a4(reader, filled):
    cycle = filled["cycle"]
    page = reader.get(f"/cycli/{cycle.id}/samenvatting").text
    assert "Resultaten in volgorde van prioriteit" in page and "Uitstroom naar werk" in page
    assert f'href="/cycli/{cycle.id}/samenvatting/pdf"' in page
    export = reader.get(f"/cycli/{cycle.id}/samenvatting/pdf")
    assert "Samenvatting als PDF wordt gemaakt" in export.text
    file_url = html.unescape(re.search(r'content="0;url=([^"]+)"', export.text)[1])
    assert file_url.startswith(f"/cycli/{cycle.id}/samenvatting/pdf/bestand?rij=")
    pdf = reader.get(file_url)
    document = PdfReader(io.BytesIO(pdf.content))
    assert len(document.pages) == 1
    assert "Onze ambitie" in document.pages[0].extract_text()


def test_another_organisations_report_is_not_found(session, client, filled):
    other = factories.make_organisation(session)
    cycle = factories.make_cycle(session, other)
    for path in ("rapportage", "rapportage/pdf/bestand", "samenvatting", "vergelijking"):
        assert client.get(f"/cycli/{cycle.id}/{path}").status_code == 404


def test_the_comparison_page_without_a_neighbour_says_so(client, filled):
    response = client.get(f"/cycli/{filled['cycle'].id}/vergelijking")
    assert response.status_code == 404
    assert "geen vorige of volgende cyclus" in response.text


def test_the_print_view_links_to_its_own_exports(reader, filled):
    base = f"/cycli/{filled['cycle'].id}/rapportage"
    page = reader.get(base).text
    for fmt in ("pdf", "docx", "xlsx"):
        assert f'href="{base}/{fmt}"' in page
    assert 'href="/rapportage/organisatie/pdf"' in reader.get("/rapportage/organisatie").text
