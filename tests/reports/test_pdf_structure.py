"""The report and the A4 summary are PDF/UA-1, read back as assistive technology meets them: the
structure tree with its headings, lists, tables and figures, the language, title and
identification (the ballots and the finishing itself: tests/test_pdf.py)."""

import itertools
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from app.reports import service as reports_service
from app.reports.chart_image import chart_svg
from app.reports.pdf import print_html, report_pdf, summary_pdf
from tests.tagged_pdf import (
    HEADINGS,
    assert_pdf_ua,
    assert_tables_have_scoped_headers,
    read,
    squeeze,
)


class _Headings(HTMLParser):
    """The headings of an HTML document, in order: (level tag, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag.upper() in HEADINGS:
            self._open = tag.upper()
            self.found.append((self._open, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag.upper() == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            kind, text = self.found[-1]
            self.found[-1] = (kind, text + data)


def html_headings(html: str) -> list[tuple[str, str]]:
    parser = _Headings()
    parser.feed(html)
    return [(kind, squeeze(text)) for kind, text in parser.found]


@pytest.fixture
def report(session, organisation, filled):
    return reports_service.cycle_report(session, organisation, filled["cycle"])


@pytest.fixture
def doc(report):
    return read(report_pdf(report))


def test_the_report_is_pdf_ua_with_its_title_language_and_identification(report, doc):
    assert_pdf_ua(doc, f"Voortgangsrapportage · {report.scope} · {report.organisation}")


def test_the_report_s_headings_are_the_print_view_s_in_order(report, doc):
    tagged = [(h.kind, squeeze(h.text)) for h in doc.root.find_all(*HEADINGS)]
    assert tagged == html_headings(print_html(report))
    levels = [int(kind[1]) for kind, _ in tagged]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), "a level skipped"
    theme = report.themes[0]
    assert tagged[:4] == [
        ("H1", "Voortgangsrapportage"),
        ("H2", "Inhoud"),
        ("H2", squeeze(f"Thema {theme.theme}, cyclus {theme.period}")),
        ("H3", squeeze("Wat wilden we bereiken?")),
    ]
    first = theme.results[0]
    assert first.text == "Minder inwoners voelen zich eenzaam"
    assert ("H4", squeeze(f"{first.code}. {first.text}")) in tagged


def test_the_report_s_tables_have_header_cells_with_their_scope(doc):
    assert_tables_have_scoped_headers(doc)
    costs = next(t for t in doc.root.find_all("Table") if t.kids[0].text == "Kosten per activiteit")
    assert [squeeze(th.text) for th in costs.kids[1].find_all("TH")] == [
        "Activiteit",
        "Uitvoerder",
        "Resultaten",
        squeeze("Begroot per jaar"),
        "Gepland",
        "Werkelijk",
        "Verschil",
    ]
    (row,) = costs.kids[2].find_all("TR")
    header, *cells = row.kids
    assert header.kind == "TH" and header.attributes["Scope"] == "Row"
    assert header.text.startswith("Maatje bij werkhervatting")
    assert [c.kind for c in cells] == ["TD"] * 6 and "De Kern" in cells[0].text


def test_each_curve_is_a_figure_described_as_its_svg_describes_it(report, doc):
    charts = [
        f.chart for t in report.themes for r in t.results for f in r.figures if not f.chart.empty
    ]
    assert charts
    svg = "{http://www.w3.org/2000/svg}"
    descriptions = [ET.fromstring(chart_svg(c)).find(f"{svg}desc").text for c in charts]
    assert [f.alt for f in doc.root.find_all("Figure")] == descriptions
    assert "Streefwaarde 60%" in descriptions[0]


def test_lists_are_lists_and_the_table_of_contents_links_say_where_they_go(report, doc):
    results = next(lst for lst in doc.root.find_all("L") if "Minder inwoners voelen" in lst.text)
    items = [kid for kid in results.kids if kid.kind == "LI"]
    assert len(items) == 2
    assert [kid.kind for kid in items[0].kids] == ["Lbl", "LBody"]
    assert items[0].kids[0].text.strip() == "1."
    theme = report.themes[0]
    assert doc.links == [f"Thema {theme.theme}, cyclus {theme.period}"]


def test_page_numbers_and_running_footers_are_artifacts_not_text(report, doc):
    # Each page's number, and from the second page on the running footer.
    assert doc.artifacts["Pagination"] == 2 * doc.pages - 1
    everything = squeeze(doc.root.text)
    assert "pagina1van" not in everything
    assert squeeze(f"{report.organisation} · Voortgangsrapportage") not in everything


def test_the_summary_is_pdf_ua_with_its_headings_and_table(session, organisation, filled):
    report = reports_service.cycle_report(session, organisation, filled["cycle"])
    doc = read(summary_pdf(report))
    assert_pdf_ua(doc, f"Voortgangsrapportage · {report.scope} · {report.organisation}")
    tagged = [(h.kind, squeeze(h.text)) for h in doc.root.find_all(*HEADINGS)]
    assert tagged == html_headings(print_html(report, "reports/summary_print.html"))
    assert tagged[0][0] == "H1"
    assert_tables_have_scoped_headers(doc)
    assert doc.root.find_all("L")
