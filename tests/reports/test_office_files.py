"""The Word and Excel files as a clerk opens them: the page, the language, the page numbers,
the contents, tables that fit and repeat their header, the curves as described pictures, the
headings of the print view; columns that show their content, sheets that print one page wide,
how the priorities were set, and who decided what when. Read back from the files themselves."""

import io
import re
import uuid
import zipfile
from datetime import date, datetime
from html.parser import HTMLParser

import pytest
from docx import Document
from lxml import etree
from openpyxl import load_workbook

from app.auth import Member
from app.choices import Perspective
from app.improvement import service as improvement_service
from app.improvement.models import ResultDecisionCreate, ResultDecisionKind
from app.organisations.models import Role
from app.reports import service as reports_service
from app.reports.pdf import print_html
from app.reports.spreadsheet import report_xlsx
from app.reports.word import report_docx
from app.scenarios import service as scenarios_service
from app.sessions import adoption, joining, running, voting
from tests import factories

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}
A4_TWIPS = (11906, 16838)
# Calibri at 9 pt, the tables' text: about 80 twips a character of a long word.
TWIPS_PER_CHARACTER = 80


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture
def report(session, organisation, filled):
    return reports_service.cycle_report(session, organisation, filled["cycle"])


@pytest.fixture
def docx_file(report) -> bytes:
    return report_docx(report)


def _xml(data: bytes, pattern: str) -> list[etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [
            etree.fromstring(package.read(name))
            for name in sorted(package.namelist())
            if re.fullmatch(pattern, name)
        ]


def test_the_word_file_is_a4_in_dutch_with_page_numbers(docx_file):
    doc = Document(io.BytesIO(docx_file))
    section = doc.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == A4_TWIPS
    [body] = _xml(docx_file, r"word/document\.xml")
    [size] = body.iterfind(".//w:sectPr/w:pgSz", NS)
    assert (int(size.get(_w("w"))), int(size.get(_w("h")))) == A4_TWIPS

    [styles] = _xml(docx_file, r"word/styles\.xml")
    default = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert default.get(_w("val")) == "nl-NL"
    assert {lang.get(_w("val")) for lang in styles.iterfind(".//w:lang", NS)} == {"nl-NL"}
    assert doc.core_properties.language == "nl-NL"

    footers = _xml(docx_file, r"word/footer\d*\.xml")
    fields = [t.text.split()[0] for f in footers for t in f.iterfind(".//w:instrText", NS)]
    assert "PAGE" in fields


def test_the_word_file_has_a_table_of_contents_of_its_headings(docx_file):
    doc = Document(io.BytesIO(docx_file))
    [body] = _xml(docx_file, r"word/document\.xml")
    [toc] = [t.text for t in body.iterfind(".//w:instrText", NS) if "TOC" in t.text]
    assert toc.split()[:3] == ["TOC", "\\o", '"1-3"']
    [settings] = _xml(docx_file, r"word/settings\.xml")
    assert settings.find("w:updateFields", NS).get(_w("val")) == "true"  # Word fills it in

    # Written out too, so it is not empty before Word has updated it: Kop 1 to 3 in order.
    entries = [
        "".join(t.text for t in p.iterfind(".//w:t", NS))
        for p in body.iterfind(".//w:p", NS)
        if (style := p.find("w:pPr/w:pStyle", NS)) is not None
        and style.get(_w("val")) in ("TOC1", "TOC2", "TOC3")
    ]
    kop_1_to_3 = [
        p.text for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2", "Heading 3")
    ]
    assert entries == kop_1_to_3
    assert "Wat heeft het gekost?" in entries and "Hoe zijn de prioriteiten gesteld?" in entries


class _Headings(HTMLParser):
    """The headings of the print view, as a reader sees them: without the status badges, and
    without the cover's own list of contents."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[int, str]] = []
        self._level: int | None = None
        self._text: list[str] = []
        self._skip = 0  # inside a badge or the contents' <nav>

    def handle_starttag(self, tag: str, attrs: list) -> None:
        classes = dict(attrs).get("class") or ""
        if self._skip or tag == "nav" or "kompas-badge" in classes:
            self._skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self._level, self._text = int(tag[1]), []

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            self._skip -= 1
        elif self._level is not None and tag == f"h{self._level}":
            self.found.append((self._level, " ".join("".join(self._text).split())))
            self._level = None

    def handle_data(self, data: str) -> None:
        if self._level is not None and not self._skip:
            self._text.append(data)


def _word_headings(doc) -> list[tuple[int, str]]:
    found = []
    for p in doc.paragraphs:
        if p.style.name == "Title":
            found.append((0, p.text))
        elif p.style.name.startswith("Heading "):
            found.append((int(p.style.name.split()[1]), p.text))
    return found


def test_the_word_file_has_the_headings_of_the_print_view_in_its_order(
    session, organisation, filled
):
    _adopt_a_session_round(session, organisation, filled["cycle"])
    report = reports_service.cycle_report(session, organisation, filled["cycle"])
    parser = _Headings()
    parser.feed(print_html(report))
    # The print view's h1 is Word's title, its h2 to h5 are Kop 1 to 4.
    expected = [(level - 1, text) for level, text in parser.found]
    assert expected[0] == (0, "Voortgangsrapportage")
    assert (4, "Uitstroom naar werk") in expected
    assert any(level == 3 and text.startswith("Werksessie") for level, text in expected)
    assert _word_headings(Document(io.BytesIO(report_docx(report)))) == expected


def test_every_word_table_fits_the_page_and_repeats_its_header(docx_file):
    [body] = _xml(docx_file, r"word/document\.xml")
    [section] = body.iterfind(".//w:sectPr", NS)
    margins = section.find("w:pgMar", NS)
    text_width = (
        int(section.find("w:pgSz", NS).get(_w("w")))
        - int(margins.get(_w("left")))
        - int(margins.get(_w("right")))
    )
    tables = list(body.iterfind(".//w:tbl", NS))
    assert len(tables) >= 4
    for table in tables:
        rows = table.findall("w:tr", NS)
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
        assert table.find("w:tblPr/w:tblLayout", NS).get(_w("type")) == "fixed"
        widths = [int(c.get(_w("w"))) for c in table.iterfind("w:tblGrid/w:gridCol", NS)]
        assert sum(widths) == text_width
        for row in rows:
            cells = row.findall("w:tc", NS)
            assert [int(c.find("w:tcPr/w:tcW", NS).get(_w("w"))) for c in cells] == widths
            # No word is broken in the middle: each column holds its longest word.
            for cell, width in zip(cells, widths, strict=True):
                text = "".join(cell.itertext())
                longest = max((len(w) for w in re.split(r"[ \n]+", text)), default=0)
                assert longest * TWIPS_PER_CHARACTER < width, text


def test_every_curve_is_a_picture_with_its_description(report, docx_file):
    [body] = _xml(docx_file, r"word/document\.xml")
    pictures = list(body.iterfind(".//wp:docPr", NS))
    # As in the print view: the curve of each indicator of a result.
    charts = [
        f.chart for t in report.themes for r in t.results for f in r.figures if not f.chart.empty
    ]
    assert charts and len(pictures) == len(charts)
    assert all(p.get("descr") for p in pictures)
    assert {p.get("descr") for p in pictures} == {c.description for c in charts}
    assert "Verloop van Uitstroom naar werk" in {p.get("title") for p in pictures}
    with zipfile.ZipFile(io.BytesIO(docx_file)) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert media and all(package.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in media)


def test_every_sheet_shows_its_content_and_prints_one_page_wide(report):
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert int(setup.paperSize) == int(sheet.PAPERSIZE_A4), sheet.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        if sheet.title == "Verslag":
            continue
        assert sheet.print_title_rows == "$1:$1", sheet.title  # the header on every page
        for column in sheet.iter_cols():
            width = sheet.column_dimensions[column[0].column_letter].width
            assert 8 <= width <= 50, (sheet.title, column[0].value)
            for cell in column:
                if isinstance(cell.value, datetime):
                    # A date in Dutch order, wide enough not to show as ###.
                    assert cell.number_format == "dd-mm-yyyy" and width >= 12
                elif isinstance(cell.value, str) and len(cell.value) > width:
                    assert cell.alignment.wrap_text, (sheet.title, cell.value)
    assert book["Indicatoren"].page_setup.orientation == "landscape"  # 16 columns
    assert book["Kosten per jaar"].page_setup.orientation == "portrait"
    cover = book["Verslag"]
    assert isinstance(cover["B4"].value, datetime) and cover.column_dimensions["B"].width >= 12


def _adopt_a_session_round(session, organisation, cycle):
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "dots", target="results", dots=2)
    running.items_from_results(session, round_)
    running.start_round(session, round_)
    [work] = [i for i in running.items_of(session, round_) if "werk" in i.text]
    for perspective in (Perspective.RESIDENT, Perspective.PROVIDER):
        _, person = joining.join(session, live, perspective, None)
        voting.cast_dot(session, person, round_.id, work.id, str(uuid.uuid4()))
    running.close_round(session, round_)
    adoption.adopt(session, round_, organisation, "Joost Mulder")
    return live


def test_the_workbook_tells_how_the_priorities_were_set(session, organisation, filled):
    cycle = filled["cycle"]
    live = _adopt_a_session_round(session, organisation, cycle)
    scenario = factories.make_scenario(session, organisation, cycle, cut="10")
    member = Member(
        factories.make_user(session, "Evi Kuipers"),
        factories.make_member(session, organisation, Role.FACILITATOR),
    )
    scenarios_service.adopt(session, scenario, "De maatjes houden we.", member)
    report = reports_service.cycle_report(session, organisation, cycle)

    book = load_workbook(io.BytesIO(report_xlsx(report)))
    sheet = book["Zo zijn de prioriteiten gesteld"]  # a sheet's name cannot hold "?"
    assert sheet.oddHeader.center.text == "Hoe zijn de prioriteiten gesteld?"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Thema",
        "Hoe",
        "Wat",
        "Datum",
        "Door",
        "Uitkomst",
        "Budget voor",
        "Budget na",
        "Toelichting",
    )
    first, *others = [r for r in rows if r[1] == "Live sessie"]  # a row per adopted item
    assert first[2].startswith(live.title) and first[3].date() == live.held_on
    assert first[5] == "1. Meer inwoners vinden duurzaam werk (2 stemmen)"
    assert "door Joost Mulder" in first[8]
    assert [r[5][:2] for r in others] == ["2."] and others[0][8] is None  # told once
    [cut] = [r for r in rows if r[1] == "Bezuinigingsscenario"]
    assert cut[2] == scenario.name and cut[4] == "Evi Kuipers"
    assert cut[3].date() == scenario.adopted_at.date()
    assert cut[6] == 60000 and cut[7] < cut[6]
    assert "Maatje bij werkhervatting" in cut[5] and cut[8] == "De maatjes houden we."
    assert sheet.cell(rows.index(cut) + 1, 7).number_format.startswith('"€"')
    # The decisions the scenario took say who took them and when.
    decisions = list(book["Besluiten"].iter_rows(values_only=True))
    maatje = next(row for row in decisions if row[1] == "Maatje bij werkhervatting")
    assert maatje[3] == "Evi Kuipers" and maatje[4].date() == scenario.adopted_at.date()


def test_every_decision_says_who_took_it_and_when(session, organisation, filled):
    [decision] = improvement_service.list_decisions(session, filled["maatje"])
    decision.decided_by, decision.decided_on = "college", date(2022, 11, 8)
    improvement_service.create_result_decision(
        session,
        filled["work"],
        ResultDecisionCreate(
            decision=ResultDecisionKind.REWORD,
            new_text="Meer inwoners vinden en houden werk",
            decided_by="gemeenteraad",
            decided_on=date(2022, 12, 15),
        ),
    )
    session.flush()
    report = reports_service.cycle_report(session, organisation, filled["cycle"])
    book = load_workbook(io.BytesIO(report_xlsx(report)))

    decisions = list(book["Besluiten"].iter_rows(values_only=True))
    assert decisions[0][:6] == ("Thema", "Over", "Besluit", "Door", "Op", "Nieuwe tekst")
    about = {row[1]: row for row in decisions[1:]}
    assert about["Maatje bij werkhervatting"][2:5] == (
        "Versterken",
        "college",
        datetime(2022, 11, 8),
    )
    reworded = next(row for label, row in about.items() if "duurzaam werk" in label)
    assert reworded[2:6] == (
        "Herformuleren",
        "gemeenteraad",
        datetime(2022, 12, 15),
        "Meer inwoners vinden en houden werk",
    )
    activities = list(book["Activiteiten"].iter_rows(values_only=True))
    maatje = next(row for row in activities if row[2] == "Maatje bij werkhervatting")
    assert dict(zip(activities[0], maatje, strict=True))["Besluit door"] == "college"
    assert dict(zip(activities[0], maatje, strict=True))["Besluit op"] == datetime(2022, 11, 8)


def test_a_curve_whose_name_holds_a_control_character_still_makes_its_picture(
    session, organisation, filled
):
    """Stored before such characters were refused: the picture and its description leave
    it out (an SVG and a .docx are XML)."""
    filled["outflow"].name = "Uitstroom \x1b naar werk"
    session.flush()
    report = reports_service.cycle_report(session, organisation, filled["cycle"])
    [body] = _xml(report_docx(report), r"word/document\.xml")
    [picture] = body.iterfind(".//wp:docPr", NS)
    assert picture.get("title") == "Verloop van Uitstroom  naar werk"
    assert "\x1b" not in picture.get("descr")
