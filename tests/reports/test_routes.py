"""Rapportage pages and downloads: reachable from the cycle, theme and organisation, readable
and exportable by a lezer, closed to other organisations."""

import html
import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook
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


def _report_texts(member, cycle_id: int) -> dict[str, str]:
    """The cycle's report as `member` reads it, in every format, as plain text."""
    base = f"/cycli/{cycle_id}/rapportage"
    docx = Document(io.BytesIO(member.get(f"{base}/docx/bestand").content))
    workbook = load_workbook(io.BytesIO(member.get(f"{base}/xlsx/bestand").content))
    pdf = PdfReader(io.BytesIO(member.get(f"{base}/pdf/bestand").content))
    return {
        "html": html.unescape(member.get(base).text),
        "organisatie": html.unescape(member.get("/rapportage/organisatie").text),
        "docx": "\n".join(p.text for p in docx.paragraphs),
        "xlsx": "\n".join(
            str(cell)
            for sheet in workbook
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        ),
        "pdf": " ".join(" ".join(page.extract_text().split()) for page in pdf.pages),
    }


def test_a_partner_reads_only_their_own_part_of_a_budget_decision_in_every_format(
    session, organisation, client, client_as
):
    cycle = factories.make_cycle(session, organisation)
    first = factories.make_result(session, cycle, "Minder terugval in de bijstand")
    second = factories.make_result(session, cycle, "Meer inwoners doen mee")
    kern = factories.make_partner(session, organisation, "De Kern")
    maatje = factories.make_activity(
        session, cycle, name="Maatje bij werkhervatting", partner=kern, budget="60000"
    )
    factories.make_link(session, maatje, first)
    bingo = factories.make_activity(session, cycle, name="Bingomiddag", budget="40000")
    factories.make_link(session, bingo, second)
    form = {"name": "Taakstelling", "cycle_id": str(cycle.id), "made_on": "01-10-2019"}
    url = client.post(
        "/scenarios", data={**form, "cut_kind": "percent", "cut_value": "30"}
    ).url.path
    client.post(f"{url}/vaststellen", data={"rationale": "Terugval gaat voor.", "bevestigd": "1"})
    # an alternative never adopted stays inside the municipality: no report shows it
    client.post(
        "/scenarios",
        data={**form, "name": "Zonder grenzen", "cut_kind": "percent", "cut_value": "9"},
    )
    whole, own = "van € 100.000 naar € 60.000", "van € 60.000 naar € 60.000"
    for role in (Role.ADMIN, Role.FACILITATOR):  # the page is enough: the files share its model
        page = html.unescape(client_as(role).get(f"/cycli/{cycle.id}/rapportage").text)
        assert whole in page and "Gestopt: Bingomiddag" in page, role
    text = _report_texts(client_as(Role.READER), cycle.id)
    for fmt in ("html", "organisatie", "docx", "pdf"):
        assert whole in text[fmt] and "Gestopt: Bingomiddag" in text[fmt], fmt
    assert "Gestopt: Bingomiddag" in text["xlsx"] and "Meer inwoners doen mee" in text["xlsx"]
    for fmt, found in text.items():  # partners included, results by code and text
        assert "Zonder grenzen" not in found, fmt
        assert "Geen uitvoerder: € 40.000 naar € 0 (100% minder)" in found, fmt
        assert re.search(r"Zonder activiteit na de bezuiniging: \w+\d+\. Meer inwoners", found), fmt
    text = _report_texts(client_as(Role.PARTNER, partner=kern), cycle.id)
    for fmt in ("html", "organisatie", "docx", "pdf"):
        assert own in text[fmt] and whole not in text[fmt], fmt
    for fmt, found in text.items():
        assert "Behouden: Maatje bij werkhervatting" in found, fmt
        assert "De Kern: € 60.000 naar € 60.000 (0% minder)" in found, fmt
        assert "Geen uitvoerder: € 40.000 naar" not in found, fmt
        assert "Gestopt: Bingomiddag" not in found and "Zonder activiteit na" not in found, fmt
