"""The report on paper: the A4 summary fits one A4 per theme with nothing overlapping, read back
from the PDF, for each theme of the demo and for a theme whose every text is as long as Kompas
takes; a heading never ends a page apart from what it heads.

Overlap is checked per character, not per word: text that runs into the next cell gets
merged with that cell's text into one "word" by pdfplumber, and two words never overlap."""

import io
import string
from datetime import date
from decimal import Decimal

import pdfplumber
import pytest
from sqlmodel import Session

from app import migrate
from app.activities.models import SpendingCreate
from app.activities.spending import create_spending
from app.cycles import service as cycles_service
from app.db import make_engine
from app.demo.load import load_demo
from app.organisations import service as organisations_service
from app.pdf import render_pdf
from app.reports import service as reports_service
from app.reports.content import SUMMARY_RESULTS
from app.reports.pdf import PRINT_CSS, summary_pdf
from app.results import service as results_service
from app.results.freshness import Frequency
from app.results.models import IndicatorCreate, MeasurementCreate
from tests import factories
from tests.conftest import fresh_database

TOLERANCE = 0.5  # points: glyphs of one line touch, kerned ones overlap a little


def overlapping_characters(page: pdfplumber.page.Page) -> list[str]:
    """Pairs of visible characters whose boxes intersect, other than neighbours in the order
    they were drawn (kerning)."""
    chars = sorted(
        ((n, c) for n, c in enumerate(page.chars) if c["text"].strip()),
        key=lambda nc: nc[1]["x0"],
    )
    found = []
    for i, (n, a) in enumerate(chars):
        for m, b in chars[i + 1 :]:
            if b["x0"] >= a["x1"] - TOLERANCE:
                break
            over = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if over > TOLERANCE and abs(n - m) > 1:
                found.append(f"{a['text']!r} and {b['text']!r} at {a['x0']:.0f}, {a['top']:.0f}")
    return found


def read(pdf: bytes) -> tuple[int, list[str], str]:
    """Pages, overlapping characters and the text of the first page."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        overlaps = [hit for page in document.pages for hit in overlapping_characters(page)]
        return len(document.pages), overlaps, document.pages[0].extract_text()


def test_the_overlap_check_sees_text_running_into_the_next_cell():
    html = (
        '<html lang="nl-NL"><title>t</title><table style="table-layout: fixed; width: 60mm">'
        '<tr><td style="width: 15mm; white-space: nowrap">18% van 12-18 jaar (verouderd)</td>'
        "<td>13% van 12-18 jaar</td></tr></table>"
    )
    assert read(render_pdf(html))[1]


@pytest.fixture
def demo(backend, tmp_path):
    with fresh_database(backend, str(tmp_path)) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        load_demo(engine)
        yield engine
        engine.dispose()


def test_each_demo_theme_fits_one_a4_without_overlap(demo):
    with Session(demo) as session:
        kampen = organisations_service.get_by_slug(session, "kampen")
        assert kampen is not None
        cycles = reports_service.report_cycles(session, kampen)
        assert len(cycles) == 4
        for chosen in cycles:
            cycle = cycles_service.get_cycle(session, kampen, chosen.id)  # type: ignore[arg-type]
            report = reports_service.cycle_report(session, kampen, cycle)
            pages, overlaps, text = read(summary_pdf(report))
            assert (cycle.theme.name, pages, overlaps) == (cycle.theme.name, 1, [])
            assert "In cijfers" in text and "Onze ambitie" in text


def _long(words: str, length: int) -> str:
    """Text of exactly `length` characters, the words repeated."""
    return (words * (length // len(words) + 1))[:length].strip()


def test_a_theme_with_the_longest_texts_and_twelve_results_fits_one_a4(session, organisation):
    theme = factories.make_theme(session, organisation, _long("Jeugd en onderwijs ", 80))
    cycle = factories.make_cycle(session, organisation, theme=theme)
    factories.make_ambition(
        session, cycle, _long("Alle kinderen groeien veilig op met jeugdhulpvoorzieningen. ", 2000)
    )
    letters = string.ascii_uppercase
    for n in range(12):
        result = factories.make_result(
            session,
            cycle,
            f"{letters[n]} "
            + _long("Meer jongeren krijgen tijdig ondersteuningsvoorzieningen ", 990),
        )
        indicator = results_service.create_result_indicator(
            session,
            result,
            IndicatorCreate(
                name=_long("Percentage jeugdhulptrajecten afgesloten zonder herhaling ", 200),
                unit=_long("jongeren tussen twaalf en achttien ", 40),
                baseline_value=Decimal("1234567.89"),
                baseline_date=date(2019, 1, 1),
                target_value=Decimal("9876543.21"),
                target_date=date(2022, 12, 31),
                expected_frequency=Frequency.MONTHLY,
            ),
        )
        results_service.create_measurement(
            session,
            indicator,
            MeasurementCreate(measured_on=date(2020, 1, 1), value=Decimal("2345678.91")),
        )
    partner = factories.make_partner(session, organisation, _long("Stichting Welzijn ", 80))
    activity = factories.make_activity(
        session, cycle, partner=partner, name="Jongerenwerk", budget="987654321"
    )
    create_spending(
        session,
        activity,
        SpendingCreate(year=2020, planned=Decimal("987654321"), actual=Decimal("876543210")),
    )
    report = reports_service.cycle_report(session, organisation, cycle)
    assert all(f.freshness.stale for f in report.themes[0].figures)

    pages, overlaps, text = read(summary_pdf(report))

    assert pages == 1
    assert overlaps == []
    squeezed = "".join(text.split())
    assert "Incijfers" in squeezed and "(verouderd)" in squeezed
    shown = report.themes[0].results[SUMMARY_RESULTS - 1]
    assert f"{shown.code}." in squeezed
    assert "Ennog2resultatenmeteenlagereprioriteit" in squeezed


def test_a_heading_and_a_table_s_header_row_stay_with_its_first_row():
    """Whatever precedes it, the BBV annex's heading is never the last thing on a page (it
    was, with the table's header row, and the rows on the next page)."""
    table = (
        '<table class="kompas-report-table"><caption class="kompas-visually-hidden">BBV'
        '</caption><thead><tr><th scope="col">Nr.</th>'
        '<th scope="col">Indicator</th></tr></thead><tbody>'
        + "".join(f'<tr><td>{n}</td><th scope="row">Indicator {n}</th></tr>' for n in range(5))
        + "</tbody></table>"
    )
    for lines in range(28, 42):  # the heading lands near the foot of the first page
        html = (
            '<html lang="nl-NL"><title>t</title>'
            + "".join(f"<p>Regel {n}</p>" for n in range(lines))
            + '<h3>Bijlage: BBV-beleidsindicatoren</h3><div class="kompas-scroll">'
            + table
            + "</div>"
        )
        with pdfplumber.open(io.BytesIO(render_pdf(html, PRINT_CSS))) as document:
            pages = [page.extract_text() for page in document.pages]
        (page,) = [p for p in pages if "Bijlage" in p]
        assert "Nr. Indicator" in page and "Indicator 0" in page, (lines, page[-80:])
