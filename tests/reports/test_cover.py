"""A report a clerk can file: its status, the date it was made, its version and its scope on
the cover of the PDF, the Word file and the workbook; file names with scope and date; and text
pieces joined without doubled punctuation."""

import io
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
import time_machine
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from app.formatting import format_date, format_datetime
from app.improvement import service as improvement_service
from app.improvement.models import ResultDecisionCreate, ResultDecisionKind
from app.organisations.models import Role
from app.reports import service as reports_service
from app.reports.pdf import report_pdf
from app.reports.spreadsheet import report_xlsx
from app.reports.word import report_docx
from app.tables import utc_now
from tests import factories
from tests.reports.test_office_files import _adopt_a_session_round


@pytest.fixture
def moment():
    """A minute from now, to the second: later than every change the fixtures made, and soon
    enough for a signed-in session to last."""
    return (utc_now() + timedelta(minutes=1)).replace(microsecond=0)


@pytest.fixture
def report(session, organisation, filled, moment):
    with time_machine.travel(moment, tick=False):
        factories.make_result(session, filled["cycle"], "Meer jongeren sporten")
        return reports_service.cycle_report(session, organisation, filled["cycle"])


def test_the_cover_holds_status_date_version_and_scope(report, filled, moment):
    cycle = filled["cycle"]
    cover = report.cover
    assert cover.status == "Concept"
    assert cover.made_on == moment.date()
    assert cover.version == f"stand van {format_datetime(moment)}"  # the last change
    assert cover.scope == f"Thema {cycle.theme.name}, cyclus {cycle.period}"
    expected = [
        "Status: Concept",
        f"Gemaakt op: {format_date(moment.date())}",
        f"Versie: {cover.version}",
        f"Over: {cover.scope}",
    ]

    first_page = PdfReader(io.BytesIO(report_pdf(report))).pages[0].extract_text()
    lines = [" ".join(line.split()) for line in first_page.splitlines()]
    assert all(line in lines for line in expected), lines

    document = Document(io.BytesIO(report_docx(report)))
    assert [p.text for p in document.paragraphs[1:5]] == expected
    assert [p.runs[0].bold for p in document.paragraphs[1:5]] == [True] * 4
    properties = document.core_properties
    assert (properties.content_status, properties.version) == ("Concept", cover.version)
    assert properties.subject == cover.scope
    assert document.sections[0].header.paragraphs[0].text.endswith(f"{cover.scope} · concept")

    sheet = load_workbook(io.BytesIO(report_xlsx(report)))["Verslag"]
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Status"] == "Concept" and rows["Versie"] == cover.version
    assert rows["Over"] == cover.scope and rows["Gemaakt op"].date() == moment.date()


def test_the_whole_organisation_s_report_says_so(session, organisation, filled):
    report = reports_service.organisation_report(session, organisation)
    assert report.cover.scope == "Hele organisatie" and report.cover.status == "Concept"
    assert report.file_name() == (
        f"Voortgangsrapportage {organisation.name.removeprefix('Gemeente ')} "
        f"{report.cover.made_on.isoformat()}"
    )


def _download_name(response) -> str:
    """The file name a browser saves: the UTF-8 one (RFC 5987), after checking that the
    header is plain ASCII with a fallback name (RFC 6266)."""
    header = response.headers["content-disposition"]
    assert header.isascii()
    fallback = re.fullmatch(r'attachment; filename="([A-Za-z0-9._-]+)"; filename\*=(.+)', header)
    assert fallback, header
    encoding, _, quoted = fallback.group(2).partition("''")
    assert encoding == "UTF-8"
    return unquote(quoted)


def test_files_are_named_by_scope_and_date(client_as, session, organisation, filled, moment):
    cycle = filled["cycle"]
    place = organisation.name.removeprefix("Gemeente ")
    start, end = cycle.period.split("–")
    reader = client_as(Role.READER)
    with time_machine.travel(moment, tick=False):
        day = moment.date().isoformat()
        for fmt in ("pdf", "docx", "xlsx"):
            response = reader.get(f"/cycli/{cycle.id}/rapportage/{fmt}/bestand")
            assert _download_name(response) == (
                f"Voortgangsrapportage {place} {cycle.theme.name} {start}-{end} {day}.{fmt}"
            )
            whole = reader.get(f"/rapportage/organisatie/{fmt}/bestand")
            assert _download_name(whole) == f"Voortgangsrapportage {place} {day}.{fmt}"
        summary = reader.get(f"/cycli/{cycle.id}/samenvatting/pdf/bestand")
        assert _download_name(summary) == (
            f"Samenvatting {place} {cycle.theme.name} {start}-{end} {day}.pdf"
        )


def test_texts_that_end_in_punctuation_get_none_added(session, organisation, filled):
    cycle = filled["cycle"]
    filled["work"].text = "Meer inwoners vinden duurzaam werk."
    session.add(filled["work"])
    session.flush()
    live = _adopt_a_session_round(session, organisation, cycle)
    (round_,) = live.rounds
    round_.title = "Welke resultaten gaan voor?"
    session.add(round_)
    improvement_service.create_result_decision(
        session, filled["work"], ResultDecisionCreate(decision=ResultDecisionKind.KEEP)
    )
    session.flush()
    report = reports_service.cycle_report(session, organisation, cycle)
    (evidence,) = report.themes[0].priorities.sessions
    assert evidence.heading == (
        f"{live.title}, ronde 1: Welke resultaten gaan voor? ({format_date(live.held_on)})"
    )

    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(report_pdf(report))).pages)
    text = " ".join(pdf.split())
    assert f"Welke resultaten gaan voor? ({format_date(live.held_on)})" in text
    assert "Meer inwoners vinden duurzaam werk. (2 stemmen)" in text
    assert "duurzaam werk. Houden" in text  # the decision about it, without a colon
    assert not re.search(r"[.?!][,:;]", text), re.findall(r".{30}[.?!][,:;].{10}", text)

    document = Document(io.BytesIO(report_docx(report)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert evidence.heading in headings
