"""The report as an Excel workbook (.xlsx): one sheet per part, every figure a number (with a
number format), every date a date, so the council's staff can calculate with it. Text that a
spreadsheet would read as a formula is written as text.

Each sheet is ready to read and to print: columns as wide as their content (long text wraps),
the header row frozen, filtered and repeated on every printed page, A4, as wide as the page
(landscape when the sheet is wide)."""

import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from app.downloads import safe_cell
from app.formatting import format_euro
from app.reports.content import Figure, Report

EUROS = '"€" #,##0.00'
DATE = "dd-mm-yyyy"  # 31-12-2026, as dates are written in the Netherlands
# Column widths in characters (Excel's unit: the width of a digit): never so narrow that a
# date turns into ###, never wider than a screen's half; longer text wraps.
MIN_WIDTH = 8
MAX_WIDTH = 40
PADDING = 2
LINE_HEIGHT = 15  # points: a line of Calibri 11, Excel's default row
# Text is narrower than the digits a column's width counts: about 1.15 characters a digit.
TEXT_PER_DIGIT = 1.15
BOLD = Font(name="Calibri", size=11, bold=True)
# Sheets wider than this (in characters) print in landscape; either way they fit the width.
PORTRAIT_WIDTH = 95
PRIORITIES = "Zo zijn de prioriteiten gesteld"  # a sheet's name: at most 31 characters, no "?"


def _shown(value: Any, number_format: str | None) -> int:
    """How many characters a value takes in its cell, formatted."""
    if value is None:
        return 0
    if isinstance(value, date):
        return len("31-12-2026")
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if number_format == EUROS:
            return len(format_euro(value)) + 3  # "€ 1.234,56": the cents
        digits = len(f"{abs(int(value)):,}") + (1 if value < 0 else 0)
        return digits + (0 if float(value).is_integer() else 3)
    return max((len(line) for line in str(value).splitlines()), default=0)


def _fit(sheet: Worksheet, header: Sequence[str], formats: dict[int, str]) -> list[float]:
    """Each column as wide as its longest cell (the header in bold counts a little wider),
    between MIN_WIDTH and MAX_WIDTH; a column with longer text wraps it, and its rows are
    made as high as their lines (neither Excel nor LibreOffice does that on opening)."""
    widths: list[float] = []
    wrapped = {}
    for n, column in enumerate(sheet.iter_cols(min_row=2, values_only=True), start=1):
        longest = max((_shown(v, formats.get(n)) for v in column), default=0)
        wanted = max(longest, round(len(header[n - 1]) * 1.1)) + PADDING
        width = min(MAX_WIDTH, max(MIN_WIDTH, wanted))
        sheet.column_dimensions[get_column_letter(n)].width = width
        widths.append(width)
        if longest + PADDING > MAX_WIDTH:
            wrapped[n - 1] = (width - PADDING) * TEXT_PER_DIGIT
    if wrapped:
        wrap, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
        for row in sheet.iter_rows(min_row=2):
            lines = 1
            for cell in row:
                if cell.column - 1 in wrapped:
                    cell.alignment = wrap
                    lines = max(lines, _lines(cell.value, wrapped[cell.column - 1]))
                else:
                    cell.alignment = top
            if lines > 1:
                sheet.row_dimensions[row[0].row].height = LINE_HEIGHT * lines
    return widths


def _lines(value: Any, width: float) -> int:
    """How many lines a text takes when wrapped at `width` characters."""
    if not isinstance(value, str):
        return 1
    return sum(len(textwrap.wrap(part, int(width))) or 1 for part in value.splitlines()) or 1


def _print_setup(
    sheet: Worksheet, widths: Sequence[float], heading: str, header_row: bool = True
) -> None:
    """A4, as wide as one page and as long as it takes, the header row on every page."""
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if sum(widths) > PORTRAIT_WIDTH else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    if header_row:
        sheet.print_title_rows = "1:1"
    sheet.oddHeader.center.text = heading
    sheet.oddFooter.right.text = "Pagina &P van &N"


def _sheet(
    book: Workbook,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: dict[int, str] | None = None,
    heading: str | None = None,
) -> Worksheet:
    formats = formats or {}
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for column, number_format in formats.items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format
    widths = _fit(sheet, header, formats)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(rows)) + 1}"
    _print_setup(sheet, widths, heading or title)
    return sheet


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _figure_row(theme: str, owner: str, f: Figure) -> list[Any]:
    return [
        theme,
        owner,
        f.name,
        f.question or "Populatie",
        f.unit,
        _number(f.baseline),
        f.baseline_date,
        _number(f.target),
        f.target_date,
        _number(f.latest),
        f.latest_date,
        f.status.label,
        f.freshness.phrase,
        "ja" if f.freshness.stale else "nee",
        f.bbv_number,
        f.source,
    ]


def report_xlsx(report: Report) -> bytes:
    book = Workbook()
    _cover(book, report)
    for part in PARTS:
        _sheet(book, part.name, part.header, part.rows(report), part.formats, part.heading)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cover(book: Workbook, report: Report) -> None:
    cover = book.active
    assert cover is not None
    cover.title = "Verslag"
    cover.append([safe_cell(report.title)])  # every cell through safe_cell, as in _sheet
    for row in (
        ["Organisatie", report.organisation],
        ["Over", report.scope],
        ["Gemaakt op", report.cover.made_on],
        ["Status", report.cover.status],
        ["Versie", report.cover.version],
        ["Cijfers", report.figure_count],
        ["Verouderd", report.stale_figures],
    ):
        cover.append([safe_cell(v) for v in row])
    cover["A1"].font = Font(name="Calibri", size=14, bold=True)
    cover["B4"].number_format = DATE
    cover.column_dimensions["A"].width = 14
    cover.column_dimensions["B"].width = min(
        MAX_WIDTH,
        max(len(report.organisation), len(report.scope), len(report.cover.version), 12) + PADDING,
    )
    _print_setup(cover, [14, MAX_WIDTH], report.title, header_row=False)


def _result_rows(report: Report) -> list[list[Any]]:
    return [
        [
            t.theme,
            t.period,
            r.rank,
            r.code,
            r.text,
            r.kind,
            r.status.label,
            t.ambition if r.rank == 1 else None,
        ]
        for t in report.themes
        for r in t.results
    ]


def _activity_rows(report: Report) -> list[list[Any]]:
    return [
        [
            t.theme,
            r.code,
            a.name,
            a.partner,
            a.status,
            a.contribution,
            a.evidence,
            _number(a.annual_budget),
            a.decision.label if a.decision else None,
            a.decision.by if a.decision else None,
            a.decision.on if a.decision else None,
        ]
        for t in report.themes
        for r in t.results
        for a in r.activities
    ]


def _cost_rows(report: Report) -> list[list[Any]]:
    return [
        [
            t.theme,
            line.activity,
            line.partner,
            line.results,
            _number(line.annual_budget),
            _number(line.planned),
            _number(line.actual),
            _number(line.difference),
        ]
        for t in report.themes
        for line in t.costs.lines
    ]


def _cost_per_year_rows(report: Report) -> list[list[Any]]:
    return [
        [
            t.theme,
            line.activity,
            m.year,
            _number(m.planned),
            _number(m.actual),
            _number(m.difference),
        ]
        for t in report.themes
        for line in t.costs.lines
        for m in line.money
    ]


def _figure_rows(report: Report) -> list[list[Any]]:
    rows = []
    for t in report.themes:
        # what each figure belongs to: a result's code, or else the activity's name
        owners = {f.id: r.code for r in t.results for f in r.figures}
        for r in t.results:
            for a in r.activities:
                for f in a.how_much + a.how_well + a.better_off + a.other:
                    owners.setdefault(f.id, a.name)
        rows += [_figure_row(t.theme, owners.get(f.id, ""), f) for f in t.figures]
    return rows


def _measurement_rows(report: Report) -> list[list[Any]]:
    return [
        [t.theme, f.name, on, float(value), f.unit]
        for t in report.themes
        for f in t.figures
        for on, value in f.measurements
    ]


def _story_rows(report: Report) -> list[list[Any]]:
    return [
        [t.theme, s.told_on, s.source, s.about, s.text] for t in report.themes for s in t.stories
    ]


def _bbv_rows(report: Report) -> list[list[Any]]:
    return [
        [
            t.theme,
            f.bbv_number,
            f.name,
            _number(f.baseline),
            _number(f.latest),
            f.latest_date,
            f.source,
        ]
        for t in report.themes
        for f in sorted(t.bbv, key=lambda f: f.bbv_number or 0)
    ]


def _decision_rows(report: Report) -> list[list[Any]]:
    """Per theme its decisions about activities, then about results: what, who, when."""
    rows = []
    for t in report.themes:
        imp = t.improvement
        decided = [(row.activity, row.decided) for row in imp.activity_decisions]
        for about, d in decided + imp.result_decisions:
            rows.append([t.theme, about, d.label, d.by, d.on, d.new_text, d.rationale])
    return rows


def _priority_rows(report: Report) -> list[list[Any]]:
    """How the priorities were set, as the report tells it: per live-session round whose
    outcome was adopted a row per adopted item, where each result's wording came from, and
    each adopted budget scenario with what it kept, reduced and stopped."""
    rows: list[list[Any]] = []
    for t in report.themes:
        p = t.priorities
        for s in p.sessions:
            for n, line in enumerate(s.lines or [None]):
                summary = s.summary if n == 0 else None  # once per round
                rows.append(
                    [t.theme, "Live sessie", s.title, s.held_on, None, line, None, None, summary]
                )
        for code, origin in p.origins:
            rows.append([t.theme, "Herkomst", code, None, None, origin, None, None, None])
        for b in p.budget_decisions:
            outcome = "\n".join(
                f"{label}: {joiner.join(names)}"
                for label, names, joiner in (
                    ("Behouden", b.kept, ", "),
                    ("Verminderd", b.reduced, ", "),
                    ("Gestopt", b.stopped, ", "),
                    ("Zonder activiteit na de bezuiniging", b.uncovered, "; "),
                    ("Per partner", b.partner_lines, "; "),
                )
                if names
            )
            rows.append(
                [
                    t.theme,
                    "Bezuinigingsscenario",
                    b.name,
                    b.adopted_on,
                    b.adopted_by,
                    outcome or None,
                    round(b.total_before, 2),
                    round(b.total_after, 2),
                    b.rationale,
                ]
            )
    return rows


def _reflection_rows(report: Report) -> list[list[Any]]:
    """One row per improvement action, with its reflection; a reflection without actions
    gets a row of its own."""
    rows = []
    for t in report.themes:
        for refl in t.improvement.reflections:
            for a in refl.actions if refl.actions else [None]:
                rows.append(
                    [t.theme, refl.on, refl.about, refl.went_well, refl.could_improve]
                    + (
                        [a.description, a.owner, a.due, "ja" if a.done else "nee"]
                        if a
                        else [None] * 4
                    )
                )
    return rows


@dataclass(frozen=True)
class _Part:
    """One sheet of the workbook: its columns, its rows from the report, the number formats
    of its columns (1-based), and its printed heading when that differs from its name."""

    name: str
    header: list[str]
    rows: Callable[[Report], list[list[Any]]]
    formats: dict[int, str] = field(default_factory=dict)
    heading: str | None = None


PARTS = (
    _Part(
        "Ambitie en resultaten",
        ["Thema", "Cyclus", "Prioriteit", "Code", "Resultaat", "Soort", "Status", "Ambitie"],
        _result_rows,
    ),
    _Part(
        "Activiteiten",
        [
            "Thema",
            "Resultaat",
            "Activiteit",
            "Uitvoerder",
            "Status",
            "Bijdrage",
            "Bewijs",
            "Budget per jaar",
            "Besluit",
            "Besluit door",
            "Besluit op",
        ],
        _activity_rows,
        {8: EUROS, 11: DATE},
    ),
    _Part(
        "Kosten",
        [
            "Thema",
            "Activiteit",
            "Uitvoerder",
            "Resultaten",
            "Begroot per jaar",
            "Gepland",
            "Werkelijk",
            "Verschil",
        ],
        _cost_rows,
        {5: EUROS, 6: EUROS, 7: EUROS, 8: EUROS},
    ),
    _Part(
        "Kosten per jaar",
        ["Thema", "Activiteit", "Jaar", "Gepland", "Werkelijk", "Verschil"],
        _cost_per_year_rows,
        {4: EUROS, 5: EUROS, 6: EUROS},
    ),
    _Part(
        "Indicatoren",
        [
            "Thema",
            "Bij",
            "Indicator",
            "Vraag",
            "Eenheid",
            "Nulmeting",
            "Datum nulmeting",
            "Streefwaarde",
            "Streefdatum",
            "Laatste meting",
            "Datum laatste meting",
            "Status",
            "Actualiteit",
            "Verouderd",
            "BBV-nummer",
            "Bron",
        ],
        _figure_rows,
        {7: DATE, 9: DATE, 11: DATE},
    ),
    _Part(
        "Metingen",
        ["Thema", "Indicator", "Datum", "Waarde", "Eenheid"],
        _measurement_rows,
        {3: DATE},
    ),
    _Part(
        "Verbetercyclus",
        [
            "Thema",
            "Datum",
            "Over",
            "Wat gaat goed",
            "Wat kan beter",
            "Actie",
            "Eigenaar",
            "Uiterlijk",
            "Gedaan",
        ],
        _reflection_rows,
        {2: DATE, 8: DATE},
    ),
    _Part(
        "Besluiten",
        ["Thema", "Over", "Besluit", "Door", "Op", "Nieuwe tekst", "Toelichting"],
        _decision_rows,
        {5: DATE},
    ),
    _Part(
        PRIORITIES,
        [
            "Thema",
            "Hoe",
            "Wat",
            "Datum",
            "Door",
            "Uitkomst",
            "Budget voor",
            "Budget na",
            "Toelichting",
        ],
        _priority_rows,
        {4: DATE, 7: EUROS, 8: EUROS},
        heading="Hoe zijn de prioriteiten gesteld?",
    ),
    _Part("Verhalen", ["Thema", "Datum", "Bron", "Over", "Verhaal"], _story_rows, {2: DATE}),
    _Part(
        "BBV-bijlage",
        ["Thema", "Nr.", "Indicator", "Nulmeting", "Laatste meting", "Datum", "Bron"],
        _bbv_rows,
        {6: DATE},
    ),
)
