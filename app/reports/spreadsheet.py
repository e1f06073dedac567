"""The report as an Excel workbook (.xlsx): one sheet per part, every figure a number (with a
number format), every date a date, so the council's staff can calculate with it. Text that a
spreadsheet would read as a formula is written as text."""

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.downloads import safe_cell
from app.reports.content import Figure, Report

EUROS = '"€" #,##0.00'
DATE = "dd-mm-yyyy"


def _sheet(
    book: Workbook,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: dict[int, str] | None = None,
) -> Worksheet:
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for column, number_format in (formats or {}).items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format
    for n, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = max(12, min(60, len(name) + 4))
    sheet.freeze_panes = "A2"
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
    cover = book.active
    assert cover is not None
    cover.title = "Verslag"
    for row in (
        [report.title],
        [report.organisation],
        [report.scope],
        ["Gemaakt op", report.made_on],
        ["Cijfers", report.figure_count],
        ["Verouderd", report.stale_figures],
    ):
        cover.append([safe_cell(value) for value in row])  # as every cell: see _sheet
    cover["A1"].font = Font(bold=True, size=14)
    cover["B4"].number_format = DATE
    cover.column_dimensions["A"].width = 40

    themes = report.themes
    _sheet(
        book,
        "Ambitie en resultaten",
        ["Thema", "Cyclus", "Prioriteit", "Code", "Resultaat", "Soort", "Status", "Ambitie"],
        [
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
            for t in themes
            for r in t.results
        ],
    )
    _sheet(
        book,
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
        ],
        [
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
            ]
            for t in themes
            for r in t.results
            for a in r.activities
        ],
        {8: EUROS},
    )
    _sheet(
        book,
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
        [
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
            for t in themes
            for line in t.costs.lines
        ],
        {5: EUROS, 6: EUROS, 7: EUROS, 8: EUROS},
    )
    _sheet(
        book,
        "Kosten per jaar",
        ["Thema", "Activiteit", "Jaar", "Gepland", "Werkelijk", "Verschil"],
        [
            [
                t.theme,
                line.activity,
                m.year,
                _number(m.planned),
                _number(m.actual),
                _number(m.difference),
            ]
            for t in themes
            for line in t.costs.lines
            for m in line.money
        ],
        {4: EUROS, 5: EUROS, 6: EUROS},
    )
    figure_rows = []
    measurement_rows = []
    for t in themes:
        owners = {f.id: f"{r.code}" for r in t.results for f in r.figures}
        for r in t.results:
            for a in r.activities:
                for f in a.how_much + a.how_well + a.better_off + a.other:
                    owners.setdefault(f.id, a.name)
        for f in t.figures:
            figure_rows.append(_figure_row(t.theme, owners.get(f.id, ""), f))
            measurement_rows += [
                [t.theme, f.name, on, float(value), f.unit] for on, value in f.measurements
            ]
    _sheet(
        book,
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
        figure_rows,
        {7: DATE, 9: DATE, 11: DATE},
    )
    _sheet(
        book,
        "Metingen",
        ["Thema", "Indicator", "Datum", "Waarde", "Eenheid"],
        measurement_rows,
        {3: DATE},
    )
    _sheet(
        book,
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
        _reflection_rows(report),
        {2: DATE, 8: DATE},
    )
    _sheet(
        book,
        "Besluiten",
        ["Thema", "Over", "Besluit", "Door", "Op", "Toelichting"],
        [
            [
                t.theme,
                row.activity,
                row.decided.label,
                row.decided.by,
                row.decided.on,
                row.decided.rationale,
            ]
            for t in themes
            for row in t.improvement.activity_decisions
        ]
        + [
            [t.theme, label, d.label, d.by, d.on, d.rationale]
            for t in themes
            for label, d in t.improvement.result_decisions
        ],
        {5: DATE},
    )
    _sheet(
        book,
        "Verhalen",
        ["Thema", "Datum", "Bron", "Over", "Verhaal"],
        [[t.theme, s.told_on, s.source, s.about, s.text] for t in themes for s in t.stories],
        {2: DATE},
    )
    _sheet(
        book,
        "BBV-bijlage",
        ["Thema", "Nr.", "Indicator", "Nulmeting", "Laatste meting", "Datum", "Bron"],
        [
            [
                t.theme,
                f.bbv_number,
                f.name,
                _number(f.baseline),
                _number(f.latest),
                f.latest_date,
                f.source,
            ]
            for t in themes
            for f in sorted(t.bbv, key=lambda f: f.bbv_number or 0)
        ],
        {6: DATE},
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _reflection_rows(report: Report) -> list[list[Any]]:
    """One row per improvement action, with its reflection; a reflection without actions
    gets a row of its own."""
    rows = []
    for t in report.themes:
        for refl in t.improvement.reflections:
            for a in refl.actions or [None]:
                rows.append(
                    [t.theme, refl.on, refl.about, refl.went_well, refl.could_improve]
                    + (
                        [a.description, a.owner, a.due, "ja" if a.done else "nee"]
                        if a
                        else [None] * 4
                    )
                )
    return rows
