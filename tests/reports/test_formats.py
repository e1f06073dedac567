"""Each format opened and read back: PDF text, Word headings and tables, Excel numbers."""

import io
import uuid
from datetime import datetime

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from app.choices import Perspective
from app.reports import service as reports_service
from app.reports.pdf import report_pdf
from app.reports.spreadsheet import report_xlsx
from app.reports.word import report_docx
from app.results.models import Result
from app.sessions import adoption, joining, running, voting
from tests import factories


@pytest.fixture
def report(session, organisation, filled):
    return reports_service.cycle_report(session, organisation, filled["cycle"])


def test_the_pdf_holds_the_three_questions_and_the_figures(report):
    reader = PdfReader(io.BytesIO(report_pdf(report)))
    text = " ".join(page.extract_text() for page in reader.pages)
    for heading in (
        "Voortgangsrapportage",
        "Wat wilden we bereiken?",
        "Wat hebben we gedaan?",
        "Wat heeft het gekost?",
        "De resultaten één voor één",
        "Hoe zijn de prioriteiten gesteld?",
        "Verbetercyclus",
        "Bijlage: BBV-beleidsindicatoren",
        "Hoe actueel zijn de cijfers?",
    ):
        assert heading in text, heading
    assert "Iedereen in Kampen doet mee" in text
    assert "Maatje bij werkhervatting" in text and "De Kern" in text
    assert "€ 57.250" in text  # spent, against € 60.000 planned
    assert "streefwaarde 60%" in text  # drawn in the curve
    assert "Mo werkt weer, 24 uur." in text
    assert len(reader.pages) >= 4  # a page per theme and per result


def test_the_word_document_has_real_headings_and_tables(report):
    doc = Document(io.BytesIO(report_docx(report)))
    headings = [
        (p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")
    ]
    level_2 = [text for style, text in headings if style == "Heading 2"]
    assert level_2[:3] == [
        "Wat wilden we bereiken?",
        "Wat hebben we gedaan?",
        "Wat heeft het gekost?",
    ]
    assert ("Heading 1", f"Thema {report.themes[0].theme}, cyclus 2019–2022") in headings
    assert ("Heading 3", "2. Meer inwoners vinden duurzaam werk") not in headings
    assert any(
        style == "Heading 4" and text.startswith("Uitstroom naar werk") for style, text in headings
    )
    cells = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    assert [
        "Activiteit",
        "Uitvoerder",
        "Resultaten",
        "Begroot per jaar",
        "Gepland",
        "Werkelijk",
        "Verschil",
    ] in cells
    maatje = next(row for row in cells if row[:2] == ["Maatje bij werkhervatting", "De Kern"])
    # An amount keeps € and its number together (a no-break space) in a narrow column.
    assert maatje[3:] == ["€\xa060.000", "€\xa060.000", "€\xa057.250", "-€\xa02.750"]
    assert any("Na een jaar nog aan het werk: 62" in cell for row in cells for cell in row)


def test_the_workbook_has_a_sheet_per_part_with_numbers_as_numbers(report):
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    assert {
        "Ambitie en resultaten",
        "Activiteiten",
        "Kosten",
        "Indicatoren",
        "Metingen",
        "Verbetercyclus",
        "Verhalen",
        "BBV-bijlage",
    } <= set(book.sheetnames)
    costs = list(book["Kosten"].iter_rows(values_only=True))
    assert costs[0][:5] == ("Thema", "Activiteit", "Uitvoerder", "Resultaten", "Begroot per jaar")
    row = next(r for r in costs if r[1] == "Maatje bij werkhervatting")
    assert row[4:8] == (60000, 60000, 57250, -2750)
    assert book["Kosten"]["E2"].number_format.startswith('"€"')
    measurements = list(book["Metingen"].iter_rows(min_row=2, values_only=True))
    outflow = [r for r in measurements if r[1] == "Uitstroom naar werk"]
    assert [(r[2], r[3]) for r in outflow] == [
        (datetime(2020, 1, 1), 44),
        (datetime(2021, 1, 1), 47),
    ]
    bbv = list(book["BBV-bijlage"].iter_rows(min_row=2, values_only=True))
    assert bbv[0][1:5] == (27, "Uitstroom naar werk", 40, 47)


def test_a_name_that_looks_like_a_formula_stays_text(session, organisation, filled):
    filled["maatje"].name = '=HYPERLINK("x")'
    session.flush()
    report = reports_service.cycle_report(session, organisation, filled["cycle"])
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    assert book["Kosten"]["B2"].value == '\'=HYPERLINK("x")'


def test_control_characters_stored_before_they_were_refused_still_make_every_file(
    client, session, organisation, filled
):
    """An escape from a phone, adopted from a live session: the result's text, and the
    evidence snapshot that keeps it after the text is mended. Word and Excel (XML) cannot hold
    it; the files leave it out."""
    cycle = filled["cycle"]
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "dots", target="results", dots=1)
    item = running.add_item(session, round_, "Meer maatjes")
    running.start_round(session, round_)
    _, person = joining.join(session, live, Perspective.RESIDENT, None)
    voting.cast_dot(session, person, round_.id, item.id, str(uuid.uuid4()))
    running.close_round(session, round_)
    item.text = "Meer \x1b[31mmaatjes\x07"  # past every check, as old data (no NUL: PostgreSQL)
    session.flush()
    [adopted] = adoption.adopt(session, round_, organisation, "Joost Mulder")
    session.get(Result, adopted.result_id).text = "Meer maatjes"  # mended; the evidence keeps it
    filled["work"].text = "Meer inwoners \x1b vinden werk\ufffe"
    session.flush()
    assert "\x1b" in adopted.label

    for fmt in ("docx", "xlsx", "pdf"):
        response = client.get(f"/cycli/{cycle.id}/rapportage/{fmt}/bestand")
        assert response.status_code == 200, (fmt, response.text[-1000:])
    doc = Document(io.BytesIO(client.get(f"/cycli/{cycle.id}/rapportage/docx/bestand").content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Meer [31mmaatjes" in text and "\x1b" not in text
    book = load_workbook(
        io.BytesIO(client.get(f"/cycli/{cycle.id}/rapportage/xlsx/bestand").content)
    )
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert "Meer inwoners  vinden werk" in cells and not any("\x1b" in c for c in cells)
    assert client.get(f"/cycli/{cycle.id}/rapportage").status_code == 200
