"""The report as an editable Word document (.docx): real headings (Kop 1 to 4) and tables, so
a policy officer can rework it into a council letter. Word cannot show the SVG curves; each
curve is given as its description and its figures as a table."""

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from app.downloads import xml_text
from app.formatting import format_date, format_euro, format_quantity
from app.reports.content import STATUS_RULE, ActivityPart, Decided, Figure, Report, ThemeReport
from app.results.trend_chart import FORECAST_RULE


def _table(doc: DocxDocument, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    # Straight to the XML rows: python-docx's row.cells rebuilds every cell of the table on
    # each call, which makes a long table quadratic.
    rows_xml = table._tbl.tr_lst
    for tc, text in zip(rows_xml[0].tc_lst, header, strict=True):
        cell = _Cell(tc, table)
        cell.text = xml_text(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for tr, row in zip(rows_xml[1:], rows, strict=True):
        for tc, value in zip(tr.tc_lst, row, strict=True):
            _Cell(tc, table).text = "" if value is None else xml_text(str(value))
    doc.add_paragraph()


def _figures(figs: list[Figure]) -> str:
    return "\n".join(f"{f.name}: {_latest(f)}" for f in figs) or "–"


def _latest(f: Figure) -> str:
    return format_quantity(f.latest, f.unit) if f.latest is not None else "nog geen meting"


def _decided(d: Decided) -> str:
    text = d.label + (f": “{d.new_text}”" if d.new_text else "")
    who = ", ".join(filter(None, [d.by, format_date(d.on) if d.on else None]))
    return text + (f" ({who})" if who else "") + (f". {d.rationale}" if d.rationale else "")


def _money(value: Any) -> str:
    return format_euro(value) if value is not None else "–"


class _XmlText:
    """The document, taking text only as XML can hold it (`downloads.xml_text`): text stored
    before control characters were refused (an escape from a phone) still makes a file. All
    text goes in through these two and `_table`."""

    def __init__(self, doc: DocxDocument) -> None:
        self._doc = doc

    def add_paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        return self._doc.add_paragraph(xml_text(text), style)

    def add_heading(self, text: str = "", level: int = 1) -> Paragraph:
        return self._doc.add_heading(xml_text(text), level)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._doc, name)


def report_docx(report: Report) -> bytes:
    document = Document()
    doc: DocxDocument = _XmlText(document)  # type: ignore[assignment]
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title = xml_text(f"{report.title}: {report.scope}")
    doc.core_properties.author = xml_text(report.organisation)
    doc.core_properties.language = "nl-NL"
    doc.add_heading(report.title, level=0)
    doc.add_paragraph(
        f"{report.organisation} · {report.scope} · gemaakt op {format_date(report.made_on)}"
    )
    doc.add_paragraph(
        "Dit verslag volgt de vragen die de raad kent: wat wilden we bereiken, wat hebben we "
        "gedaan en wat heeft het gekost. Per resultaat staan de status, de cijfers en het verhaal "
        "achter de cijfers."
    )
    doc.add_paragraph(STATUS_RULE)
    doc.add_paragraph(FORECAST_RULE)
    for theme in report.themes:
        _theme(doc, theme)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _theme(doc: DocxDocument, t: ThemeReport) -> None:
    doc.add_page_break()
    doc.add_heading(f"Thema {t.theme}, cyclus {t.period}", level=1)

    doc.add_heading("Wat wilden we bereiken?", level=2)
    if t.ambition:
        doc.add_paragraph(t.ambition, style="Intense Quote")
        doc.add_paragraph(
            f"Ambitie: {(t.ambition_status or '').lower()}. {t.ambition_adopted or ''}"
        )
    else:
        doc.add_paragraph("Er is nog geen ambitie vastgelegd.")
    doc.add_paragraph("De maatschappelijke resultaten, in volgorde van prioriteit:")
    for r in t.results:
        doc.add_paragraph(f"{r.code} {r.text} ({r.status.label})", style="List Number")

    doc.add_heading("Wat hebben we gedaan?", level=2)
    for r in t.results:
        doc.add_heading(f"{r.code}. {r.text}", level=3)
        if not r.activities:
            doc.add_paragraph("Geen activiteit draagt bij aan dit resultaat.")
            continue
        _table(
            doc,
            [
                "Activiteit",
                "Uitvoerder",
                "Hoeveel deden we?",
                "Hoe goed deden we het?",
                "Is iemand er beter van geworden?",
                "Budget per jaar",
            ],
            [_activity_row(a) for a in r.activities],
        )

    doc.add_heading("Wat heeft het gekost?", level=2)
    c = t.costs
    doc.add_paragraph(
        f"Begroot per jaar: {format_euro(c.annual_budget)}."
        + (f" Gepland: {format_euro(c.planned)}." if c.planned is not None else "")
        + (f" Werkelijk uitgegeven: {format_euro(c.actual)}." if c.actual is not None else "")
        + (
            f" Verschil in de jaren met bekende uitgaven: {format_euro(c.difference)}."
            if c.difference is not None
            else ""
        )
    )
    _table(
        doc,
        [
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
                line.activity,
                line.partner,
                line.results,
                _money(line.annual_budget),
                _money(line.planned),
                _money(line.actual),
                _money(line.difference),
            ]
            for line in c.lines
        ],
    )

    doc.add_heading("De resultaten één voor één", level=2)
    for r in t.results:
        doc.add_heading(f"{r.code}. {r.text}: {r.status.label.lower()}", level=3)
        doc.add_paragraph(f"Prioriteit {r.rank} · {r.kind.lower()} resultaat")
        for f in r.figures:
            doc.add_heading(f"{f.name} ({f.status.label.lower()})", level=4)
            doc.add_paragraph(f.chart.description)
            doc.add_paragraph(
                f"Actualiteit: {f.freshness.phrase}" + (" (verouderd)" if f.freshness.stale else "")
            )
            _table(
                doc,
                ["Wat", "Datum", "Waarde"],
                [[row.label, row.on, row.value] for row in f.chart.rows],
            )
            if f.story:
                doc.add_paragraph(f"Het verhaal achter de cijfers: {f.story}")
        for s in r.stories:
            doc.add_paragraph(f"{s.text} — {s.source}, {format_date(s.told_on)}", style="Quote")
        if r.decision:
            doc.add_paragraph(f"Besluit voor de volgende cyclus: {_decided(r.decision)}")

    doc.add_heading("Hoe zijn de prioriteiten gesteld?", level=2)
    p = t.priorities
    if p.empty:
        doc.add_paragraph("Er is nog niets vastgelegd over hoe de prioriteiten zijn gesteld.")
    for s in p.sessions:
        doc.add_heading(s.title, level=3)
        doc.add_paragraph(s.summary)
        for line in s.lines:
            doc.add_paragraph(line, style="List Bullet")
    for code, origin in p.origins:
        doc.add_paragraph(f"{code}: {origin}", style="List Bullet")
    for b in p.budget_decisions:
        doc.add_heading(f"Bezuinigingsscenario “{b.name}”", level=3)
        doc.add_paragraph(
            f"Vastgesteld{f' door {b.adopted_by}' if b.adopted_by else ''}"
            f"{f' op {format_date(b.adopted_on)}' if b.adopted_on else ''}: van "
            f"{format_euro(round(b.total_before))} naar "
            f"{format_euro(round(b.total_after))} per jaar."
        )
        for label, names in (
            ("Behouden", b.kept),
            ("Verminderd", b.reduced),
            ("Gestopt", b.stopped),
        ):
            if names:
                doc.add_paragraph(f"{label}: {', '.join(names)}", style="List Bullet")

    doc.add_heading("Verbetercyclus: wat leren we?", level=2)
    imp = t.improvement
    if imp.empty:
        doc.add_paragraph("Nog geen reflecties of besluiten.")
    for refl in imp.reflections:
        doc.add_heading(
            f"Reflectie van {format_date(refl.on)}" + (f" over {refl.about}" if refl.about else ""),
            level=3,
        )
        if refl.went_well:
            doc.add_paragraph(f"Wat gaat goed: {refl.went_well}")
        if refl.could_improve:
            doc.add_paragraph(f"Wat kan beter: {refl.could_improve}")
        for a in refl.actions:
            due = f", uiterlijk {format_date(a.due)}" if a.due else ""
            owner = f" — {a.owner}" if a.owner else ""
            doc.add_paragraph(
                f"{a.description}{owner}{due} ({'gedaan' if a.done else 'open'})",
                style="List Bullet",
            )
    if imp.activity_decisions:
        doc.add_heading("Besluiten over activiteiten", level=3)
        _table(
            doc,
            ["Activiteit", "Besluit"],
            [[row.activity, _decided(row.decided)] for row in imp.activity_decisions],
        )
    if imp.result_decisions:
        doc.add_heading("Besluiten over resultaten", level=3)
        _table(
            doc,
            ["Resultaat", "Besluit"],
            [[label, _decided(d)] for label, d in imp.result_decisions],
        )

    doc.add_heading("Verhalen: wat vertellen inwoners en uitvoerders?", level=2)
    for s in t.stories:
        doc.add_paragraph(f"{s.text} — {s.source}, {format_date(s.told_on)}", style="Quote")
    if not t.stories:
        doc.add_paragraph("Nog geen verhalen vastgelegd.")

    doc.add_heading("Bijlage: BBV-beleidsindicatoren", level=2)
    if t.bbv:
        _table(
            doc,
            ["Nr.", "Indicator", "Nulmeting", "Laatste meting", "Bron"],
            [
                [
                    f.bbv_number,
                    f.name,
                    format_quantity(f.baseline, f.unit),
                    format_quantity(f.latest, f.unit),
                    f.source,
                ]
                for f in sorted(t.bbv, key=lambda f: f.bbv_number or 0)
            ],
        )
    else:
        doc.add_paragraph("Dit thema volgt geen wettelijke BBV-beleidsindicatoren.")

    doc.add_heading("Hoe actueel zijn de cijfers?", level=2)
    _table(
        doc,
        ["Indicator", "Laatste meting", "Verwacht", "Actualiteit"],
        [
            [
                f.name,
                format_date(f.freshness.last_update) if f.freshness.last_update else "–",
                f.freshness.expected or "niet vastgelegd",
                f.freshness.phrase + (" (verouderd)" if f.freshness.stale else ""),
            ]
            for f in t.figures
        ],
    )


def _activity_row(a: ActivityPart) -> list[str]:
    return [
        f"{a.name} ({a.status.lower()})",
        a.partner + (f" met {', '.join(a.co_performers)}" if a.co_performers else ""),
        _figures(a.how_much + a.other),
        _figures(a.how_well),
        _figures(a.better_off),
        _money(a.annual_budget),
    ]
