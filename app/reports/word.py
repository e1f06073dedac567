"""The report as an editable Word document (.docx), so a policy officer can rework it into a
council letter: A4 in Dutch (nl-NL), the same headings in the same order as the print view and
the PDF (Kop 1 to 4 for its h2 to h5), a table of contents of Kop 1 to 3, page numbers in the
footer, tables with fixed column widths that fit the page and a header row that repeats on
every page, and each curve as a picture with the chart's description as its alternative text.

The table of contents is a TOC field: Word fills in the page numbers when it opens the file
(`w:updateFields`); until then its entries are the headings, each a link to its place."""

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline, CT_NonVisualDrawingProps
from docx.shared import Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph
from lxml import etree

from app.downloads import xml_text
from app.formatting import format_date, format_euro, format_quantity
from app.reports.chart_image import chart_png
from app.reports.content import (
    STATUS_RULE,
    ActivityPart,
    Decided,
    Figure,
    Report,
    ResultPart,
    ThemeReport,
)
from app.results.trend_chart import FORECAST_RULE

LANGUAGE = "nl-NL"
# A4 in twips (twentieths of a point), with margins of 2 cm.
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN = 1134
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
TOC_LEVELS = 3  # Kop 1 to 3 in the table of contents
TABLE_STYLE = "Tabeltekst"
TABLE_FONT = Pt(9)
HEADER_FILL = "DCE6F0"
ACTIVITY_HEADER = (
    "Activiteit",
    "Uitvoerder",
    "Hoeveel deden we?",
    "Hoe goed deden we het?",
    "Is iemand er beter van geworden?",
    "Budget per jaar",
)
CHART_LEGEND = (
    "Lijn: metingen · groen: streefwaarde en streefdatum · stippellijn: als er niets verandert "
    "(rechte lijn door de laatste metingen)."
)

# Estimated widths at 9 pt, in twips: an average character, a character of a long word (wide
# enough that it fits on one line), and a cell's left and right margins together.
CHAR = 90
WORD_CHAR = 100
CELL_MARGINS = 2 * 108
NBSP = "\u00a0"
_SPACES = re.compile(r"[ \t\n]+")  # not the no-break space: "€ 60.000" is one word


def _figures(figs: list[Figure]) -> str:
    return "\n".join(f"{f.name}: {_latest(f)}" for f in figs) or "–"


def _latest(f: Figure) -> str:
    return format_quantity(f.latest, f.unit) if f.latest is not None else "nog geen meting"


def _decided(d: Decided) -> str:
    text = d.label + (f": “{d.new_text}”" if d.new_text else "")
    who = ", ".join(filter(None, [d.by, format_date(d.on) if d.on else None]))
    return text + (f" ({who})" if who else "") + (f". {d.rationale}" if d.rationale else "")


def _money(value: Any) -> str:
    """An amount that stays on one line in a narrow column."""
    return format_euro(value).replace(" ", NBSP) if value is not None else "–"


def column_widths(
    header: Sequence[str], rows: Sequence[Sequence[str]], total: int = TEXT_WIDTH
) -> list[int]:
    """Widths in twips that add up to `total`: each column at least as wide as its longest
    word (so no word is broken in the middle), the room that is left shared out after how
    much text each column holds."""
    columns = list(zip(header, *rows, strict=True)) if rows else [(h,) for h in header]
    least, wanted = [], []
    for column in columns:
        words = [len(word) for text in column for word in _SPACES.split(text)]
        lines = [len(line) for text in column for line in text.splitlines()]
        least.append(min(total // 2, max(words, default=1) * WORD_CHAR + CELL_MARGINS))
        wanted.append(min(total, max(lines, default=1) * CHAR + CELL_MARGINS))
    wanted = [max(w, m) for w, m in zip(wanted, least, strict=True)]
    if sum(wanted) <= total:  # everything fits on one line: widen in proportion
        widths = [total * w / sum(wanted) for w in wanted]
    elif sum(least) <= total:  # the longest words fit: share the rest after the text
        extra = [w - m for w, m in zip(wanted, least, strict=True)]
        room = total - sum(least)
        widths = [m + room * e / sum(extra) for m, e in zip(least, extra, strict=True)]
    else:  # even the longest words do not fit (hyphenation will break them)
        widths = [total * m / sum(least) for m in least]
    rounded = [int(w) for w in widths]
    rounded[rounded.index(max(rounded))] += total - sum(rounded)
    return rounded


@dataclass(frozen=True)
class About:
    """What a document says about itself: its properties and the running header."""

    title: str
    subject: str
    author: str
    header: str
    status: str | None = None
    version: str | None = None

    @classmethod
    def of_report(cls, report: Report) -> "About":
        cover = report.cover
        return cls(
            title=f"{report.title}: {report.scope}",
            subject=report.scope,
            author=report.organisation,
            header=(
                f"{report.organisation} · {report.title} · {report.scope} · {cover.status.lower()}"
            ),
            status=cover.status,
            version=cover.version,
        )


class Writer:
    """Builds the document and remembers its headings for the table of contents. Used for the
    report and for other documents in the same house style (a session's verslag)."""

    def __init__(self, about: About) -> None:
        self.doc: DocxDocument = Document()
        self.headings: list[tuple[int, str, str]] = []  # level, text, bookmark
        self.pictures = 0  # the number of the last picture (unique among drawings)
        _set_up(self.doc, about)
        self._end = self.doc.element.body.sectPr  # the section's properties end the body

    def heading(self, text: str, level: int) -> Paragraph:
        text = xml_text(text)
        paragraph = self.paragraph(text, f"Heading{level}" if level else "Title")
        if 1 <= level <= TOC_LEVELS:
            name = f"_Toc{len(self.headings) + 1:06d}"
            self.headings.append((level, text, name))
            start = OxmlElement("w:bookmarkStart")
            start.set(qn("w:id"), str(len(self.headings)))
            start.set(qn("w:name"), name)
            end = OxmlElement("w:bookmarkEnd")
            end.set(qn("w:id"), str(len(self.headings)))
            p = paragraph._p
            p.insert(1 if p.pPr is not None else 0, start)
            p.append(end)
        return paragraph

    def paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        """A paragraph in the style with this id ("ListBullet", not "ListBullet": looking a
        style up by its name takes python-docx a walk through all of them)."""
        paragraph = self._new_paragraph(xml_text(text))
        if style:
            paragraph._p.style = style
        return paragraph

    def _new_paragraph(self, text: str = "") -> Paragraph:
        """A paragraph at the end. python-docx's add_paragraph looks for the end by walking
        the whole document each time, which grows with the square of the report's size."""
        p = OxmlElement("w:p")
        self._end.addprevious(p)
        paragraph = Paragraph(p, self.doc._body)
        if text:
            paragraph.add_run(text)
        return paragraph

    def numbered(self, items: Sequence[str]) -> None:
        """A numbered list that starts at 1 (Word's List Number would go on counting across
        the themes)."""
        for n, text in enumerate(items, start=1):
            paragraph = self._new_paragraph(f"{n}.\t{xml_text(text)}")
            paragraph.paragraph_format.left_indent = Twips(425)
            paragraph.paragraph_format.first_line_indent = Twips(-425)
            paragraph.paragraph_format.tab_stops.add_tab_stop(Twips(425))
            paragraph.paragraph_format.space_after = Pt(3)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        numeric: Sequence[int] = (),
        caption: str | None = None,
        widths: list[int] | None = None,
    ) -> None:
        """A table with fixed column widths that fill the text width, its header row shaded
        and repeated on every page. Written as XML directly: python-docx's table and cell
        objects take most of the time of a long report."""
        texts = _texts(rows)
        if caption:
            self.paragraph(caption, "Caption").paragraph_format.keep_with_next = True
        widths = widths or column_widths(header, texts)
        tbl = OxmlElement("w:tbl")
        properties = _sub(tbl, "w:tblPr")
        _sub(properties, "w:tblStyle", val="TableGrid")
        _sub(properties, "w:tblW", w=str(TEXT_WIDTH), type="dxa")
        _sub(properties, "w:tblLayout", type="fixed")  # the widths decide, not the text
        _sub(properties, "w:tblLook", val="04A0", firstRow="1", firstColumn="1", noVBand="1")
        grid = _sub(tbl, "w:tblGrid")
        for width in widths:
            _sub(grid, "w:gridCol", w=str(width))
        for n, row in enumerate([list(header), *texts]):
            tr = _sub(tbl, "w:tr")
            row_properties = _sub(tr, "w:trPr")
            _sub(row_properties, "w:cantSplit")
            if n == 0:
                _sub(row_properties, "w:tblHeader")
            for column, (text, width) in enumerate(zip(row, widths, strict=True)):
                _cell(tr, text, width, right=column in numeric, header=n == 0)
        self._end.addprevious(tbl)
        self._new_paragraph()

    def chart(self, f: Figure) -> None:
        """The curve as a picture, its description as the alternative text."""
        paragraph = self._new_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        r_id, image = self.doc.part.get_or_add_image(io.BytesIO(chart_png(f.chart)))
        width, height = image.scaled_dimensions(Twips(TEXT_WIDTH), None)
        # Numbered here: python-docx's add_picture finds the next number by searching the
        # whole document, which made the 16x report's curves take 29 of its 54 seconds.
        self.pictures += 1
        inline = CT_Inline.new_pic_inline(self.pictures, r_id, image.filename, width, height)
        paragraph.add_run()._r.add_drawing(inline)
        for properties in (inline.docPr, inline.graphic.graphicData.pic.nvPicPr.cNvPr):
            # python-docx types cNvPr as its descriptor too; the element is a cNvPr
            assert isinstance(properties, CT_NonVisualDrawingProps)
            properties.set("descr", xml_text(f.chart.description))
            properties.set("title", xml_text(f.chart.title))
        self.paragraph(CHART_LEGEND, "Caption")

    def finish(self, toc_at: Paragraph | None = None) -> bytes:
        if toc_at is not None:
            _table_of_contents(toc_at, self.headings)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _texts(rows: Sequence[Sequence[Any]]) -> list[list[str]]:
    """The cells' texts, as XML can hold them (`downloads.xml_text`)."""
    return [["" if value is None else xml_text(str(value)) for value in row] for row in rows]


def _sub(parent: Any, tag: str, **attributes: str) -> Any:
    element = etree.SubElement(parent, qn(tag))
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _cell(tr: Any, text: str, width: int, right: bool, header: bool) -> None:
    tc = _sub(tr, "w:tc")
    properties = _sub(tc, "w:tcPr")
    _sub(properties, "w:tcW", w=str(width), type="dxa")
    if header:
        _sub(properties, "w:shd", val="clear", color="auto", fill=HEADER_FILL)
    p = _sub(tc, "w:p")
    paragraph = _sub(p, "w:pPr")
    _sub(paragraph, "w:pStyle", val=TABLE_STYLE)
    if right:
        _sub(paragraph, "w:jc", val="right")
    if not text:
        return
    run = _sub(p, "w:r")
    if header:
        _sub(_sub(run, "w:rPr"), "w:b")
    for n, line in enumerate(text.split("\n")):
        if n:
            _sub(run, "w:br")
        t = _sub(run, "w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = line


def _set_up(doc: DocxDocument, about: About) -> None:
    """A4, Dutch, the styles the report uses, and page numbers in the footer."""
    section = doc.sections[0]
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Twips(MARGIN))

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    _language(styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")))
    _language(normal.element.get_or_add_rPr())
    caption = styles["Caption"]
    caption.font.bold = False
    caption.font.color.rgb = RGBColor(0x4B, 0x55, 0x63)
    table_text = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = TABLE_FONT
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0
    for level in range(1, TOC_LEVELS + 1):
        _toc_style(styles.element, level)

    settings = doc.settings.element
    theme_language = settings.find(qn("w:themeFontLang"))
    if theme_language is not None:
        theme_language.set(qn("w:val"), LANGUAGE)
    # Fill in the table of contents' page numbers on opening; hyphenate Dutch words in the
    # narrow table columns.
    # (Word wants the settings in the schema's order.)
    for name, neighbour, before in (
        ("w:autoHyphenation", "w:defaultTabStop", False),
        ("w:updateFields", "w:compat", True),
    ):
        element = OxmlElement(name)
        element.set(qn("w:val"), "true")
        found = settings.find(qn(neighbour))
        if before:
            found.addprevious(element)
        else:
            found.addnext(element)
    for name, value in (("w:decimalSymbol", ","), ("w:listSeparator", ";")):
        found = settings.find(qn(name))
        if found is not None:
            found.set(qn("w:val"), value)

    properties = doc.core_properties
    properties.title = xml_text(about.title)
    properties.subject = xml_text(about.subject)
    properties.author = xml_text(about.author)
    properties.language = LANGUAGE
    if about.status:
        properties.content_status = about.status
    if about.version:
        properties.version = xml_text(about.version)

    header = section.header.paragraphs[0]
    header.text = xml_text(about.header)
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Pagina ")
    _field(footer, "PAGE", "1")
    footer.add_run(" van ")
    _field(footer, "NUMPAGES", "1")
    for paragraph in (header, footer):
        for run in paragraph.runs:
            run.font.size = Pt(8.5)


def _language(rpr: Any) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


def _toc_style(styles: Any, level: int) -> None:
    """Word's built-in "toc n" paragraph style (its table of contents uses it)."""
    style = OxmlElement("w:style")
    style.set(qn("w:type"), "paragraph")
    style.set(qn("w:styleId"), f"TOC{level}")
    for tag, value in (
        ("w:name", f"toc {level}"),
        ("w:basedOn", "Normal"),
        ("w:next", "Normal"),
        ("w:uiPriority", "39"),
    ):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        style.append(element)
    style.append(OxmlElement("w:unhideWhenUsed"))
    ppr = OxmlElement("w:pPr")
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:after"), "60")
    ppr.append(spacing)
    indent = OxmlElement("w:ind")
    indent.set(qn("w:left"), str(220 * (level - 1)))
    ppr.append(indent)
    style.append(ppr)
    styles.append(style)


def _field_char(kind: str) -> Any:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def _instruction(text: str) -> Any:
    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {text} "
    run.append(instr)
    return run


def _text_run(text: str) -> Any:
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    return run


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A field (PAGE, NUMPAGES) with the text it shows until Word updates it."""
    p = paragraph._p
    for element in (
        _field_char("begin"),
        _instruction(instruction),
        _field_char("separate"),
        _text_run(shown),
        _field_char("end"),
    ):
        p.append(element)


def _table_of_contents(at: Paragraph, headings: list[tuple[int, str, str]]) -> None:
    """A TOC field over Kop 1 to 3, put where `at` stands (which it replaces). Its entries are
    written out too, each a link to its heading, so the contents are there before Word has
    updated the field (and in programs that do not update it)."""
    paragraphs = []
    for level, text, bookmark in headings:
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        style = OxmlElement("w:pStyle")
        style.set(qn("w:val"), f"TOC{level}")
        ppr.append(style)
        p.append(ppr)
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), bookmark)
        link.set(qn("w:history"), "1")
        link.append(_text_run(text))
        p.append(link)
        paragraphs.append(p)
    if not paragraphs:
        p = OxmlElement("w:p")
        p.append(_text_run("Dit verslag heeft nog geen thema's."))
        paragraphs.append(p)
    first = paragraphs[0]
    position = 1 if first.find(qn("w:pPr")) is not None else 0
    instruction = _instruction(f'TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u')
    for offset, element in enumerate((_field_char("begin"), instruction, _field_char("separate"))):
        first.insert(position + offset, element)
    paragraphs[-1].append(_field_char("end"))
    for p in paragraphs:
        at._p.addprevious(p)
    at._p.getparent().remove(at._p)


def report_docx(report: Report) -> bytes:
    w = Writer(About.of_report(report))
    w.heading(report.title, level=0)
    cover = report.cover
    for label, value in (
        ("Status", cover.status),
        ("Gemaakt op", format_date(cover.made_on)),
        ("Versie", cover.version),
        ("Over", cover.scope),
    ):
        line = w.paragraph(f"{label}: ")
        line.runs[0].bold = True
        line.add_run(xml_text(value))
    stale = report.stale_figures
    w.paragraph(
        "Dit verslag volgt de vragen die de raad kent: wat wilden we bereiken, wat hebben we "
        "gedaan en wat heeft het gekost. Per resultaat staan de curve, de status en het verhaal "
        f"achter de cijfers. {report.figure_count} cijfers; "
        + (
            f"{stale} daarvan {'is' if stale == 1 else 'zijn'} verouderd "
            "(zie “Hoe actueel zijn de cijfers?”)."
            if stale
            else "geen daarvan is verouderd."
        )
    )
    w.paragraph("Zo lees je de status en de stippellijn").runs[0].bold = True
    w.paragraph(STATUS_RULE)
    w.paragraph(FORECAST_RULE)
    w.paragraph("Inhoud", "TOCHeading")
    toc_at = w.paragraph()
    for theme in report.themes:
        _theme(w, theme)
    return w.finish(toc_at)


def _theme(w: Writer, t: ThemeReport) -> None:
    heading = w.heading(
        f"Thema {t.theme}, cyclus {t.period}" + (" (afgesloten)" if t.closed else ""), level=1
    )
    heading.paragraph_format.page_break_before = True

    w.heading("Wat wilden we bereiken?", level=2)
    if t.ambition:
        w.paragraph(t.ambition, "IntenseQuote")
        w.paragraph(
            f"Ambitie: {(t.ambition_status or '').lower()}"
            + (f". {t.ambition_adopted}" if t.ambition_adopted else "")
            + "."
        )
    else:
        w.paragraph("Er is nog geen ambitie vastgelegd.")
    if t.results:
        w.paragraph("De maatschappelijke resultaten, in volgorde van prioriteit:")
        w.numbered([f"{r.code} {r.text} ({r.status.label.lower()})" for r in t.results])
    else:
        w.paragraph("Nog geen resultaten.")

    w.heading("Wat hebben we gedaan?", level=2)
    # One set of column widths for all the theme's activity tables, so they line up.
    everything = _texts([_activity_row(a) for r in t.results for a in r.activities])
    widths = column_widths(ACTIVITY_HEADER, everything) if everything else None
    for r in t.results:
        w.heading(f"{r.code}. {r.text}", level=3)
        if not r.activities:
            w.paragraph("Geen activiteit draagt bij aan dit resultaat.")
            continue
        w.table(
            ACTIVITY_HEADER,
            [_activity_row(a) for a in r.activities],
            numeric=[5],
            widths=widths,
        )
    if t.unlinked_activities:
        w.heading("Activiteiten zonder gekoppeld resultaat", level=3)
        for a in t.unlinked_activities:
            w.paragraph(f"{a.name} ({a.partner})", "ListBullet")

    _costs(w, t)

    w.heading("De resultaten één voor één", level=2)
    for r in t.results:
        _result(w, r)

    _priorities(w, t)
    _improvement(w, t)

    w.heading("Verhalen: wat vertellen inwoners en uitvoerders?", level=2)
    for s in t.stories:
        about = f" · over {s.about}" if s.about else ""
        w.paragraph(f"{s.text} — {s.source}, {format_date(s.told_on)}{about}", "Quote")
    if not t.stories:
        w.paragraph("Nog geen verhalen vastgelegd.")

    w.heading("Bijlage: BBV-beleidsindicatoren", level=2)
    if t.bbv:
        w.table(
            ["Nr.", "Indicator", "Nulmeting", "Laatste meting", "Bron"],
            [
                [
                    f.bbv_number,
                    f.name,
                    format_quantity(f.baseline, f.unit) if f.baseline is not None else "–",
                    f"{format_quantity(f.latest, f.unit)} ({format_date(f.latest_date)})"
                    if f.latest is not None and f.latest_date
                    else "–",
                    f.source,
                ]
                for f in sorted(t.bbv, key=lambda f: f.bbv_number or 0)
            ],
            numeric=[2, 3],
        )
    else:
        w.paragraph("Dit thema volgt geen wettelijke BBV-beleidsindicatoren.")

    w.heading("Hoe actueel zijn de cijfers?", level=2)
    if t.figures:
        w.table(
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
    else:
        w.paragraph("Nog geen indicatoren.")


def _costs(w: Writer, t: ThemeReport) -> None:
    w.heading("Wat heeft het gekost?", level=2)
    c = t.costs
    text = f"Begroot per jaar: {format_euro(c.annual_budget)}"
    if c.planned is not None:
        text += f" · gepland over de jaren met cijfers: {format_euro(c.planned)}"
    if c.actual is not None:
        text += f" · werkelijk uitgegeven: {format_euro(c.actual)}"
    text += "."
    if c.actual is None:
        text += " Van de werkelijke uitgaven is nog niets vastgelegd."
    elif c.difference is not None:
        more = "meer" if c.difference > 0 else "minder"
        text += (
            f" In de jaren waarvan de uitgaven bekend zijn, is {format_euro(abs(c.difference))} "
            f"{more} uitgegeven dan gepland."
        )
    w.paragraph(text)
    w.table(
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
                line.results or "–",
                _money(line.annual_budget),
                _money(line.planned),
                _money(line.actual),
                _money(line.difference),
            ]
            for line in c.lines
        ],
        numeric=[3, 4, 5, 6],
    )
    w.paragraph(
        "Gepland: over alle jaren van de cyclus met een plan. Verschil: uitgegeven min gepland, "
        "alleen over de jaren waarvan de uitgaven bekend zijn."
    )
    if c.by_partner:
        w.heading("Per uitvoerder", level=3)
        for name, budget, actual in c.by_partner:
            spent = f", {format_euro(actual)} uitgegeven" if actual is not None else ""
            w.paragraph(f"{name}: {format_euro(budget)} per jaar begroot{spent}", "ListBullet")


def _result(w: Writer, r: ResultPart) -> None:
    w.heading(f"{r.code}. {r.text}", level=3)
    w.paragraph(
        f"Status: {r.status.label.lower()} · prioriteit {r.rank} · {r.kind.lower()} resultaat"
        + (f" · doelgroep: {r.target_group}" if r.target_group else "")
    )
    for f in r.figures:
        _figure(w, f)
    if not r.figures:
        w.paragraph("Dit resultaat heeft nog geen indicator: hoe maken we zichtbaar of het lukt?")
    for s in r.stories:
        w.paragraph(f"{s.text} — {s.source}, {format_date(s.told_on)}", "Quote")
    if r.decision:
        w.paragraph(f"Besluit voor de volgende cyclus: {_decided(r.decision)}")


def _figure(w: Writer, f: Figure) -> None:
    w.heading(f.name, level=4)
    facts = [f"Status: {f.status.label.lower()}"]
    if f.baseline is not None:
        when = f" ({format_date(f.baseline_date)})" if f.baseline_date else ""
        facts.append(f"nulmeting {format_quantity(f.baseline, f.unit)}{when}")
    if f.target is not None:
        when = f" ({format_date(f.target_date)})" if f.target_date else ""
        facts.append(f"streefwaarde {format_quantity(f.target, f.unit)}{when}")
    if f.latest is not None and f.latest_date:
        facts.append(
            f"laatste meting {format_quantity(f.latest, f.unit)} ({format_date(f.latest_date)})"
        )
    else:
        facts.append("nog geen meting")
    facts.append(
        f"actualiteit: {f.freshness.phrase}" + (" (verouderd)" if f.freshness.stale else "")
    )
    if f.source:
        facts.append(f"bron: {f.source}")
    w.paragraph(" · ".join(facts) + ".").paragraph_format.keep_with_next = not f.chart.empty
    if not f.chart.empty:
        w.chart(f)
        w.table(
            ["Wat", "Datum", "Waarde"],
            [[row.label, row.on, row.value] for row in f.chart.rows],
            numeric=[2],
            caption=f"De cijfers van {f.chart.title.lower()}",
        )
    if f.story:
        w.paragraph(f"Het verhaal achter de cijfers: {f.story}")


def _priorities(w: Writer, t: ThemeReport) -> None:
    w.heading("Hoe zijn de prioriteiten gesteld?", level=2)
    p = t.priorities
    if p.empty:
        w.paragraph("Er is nog niets vastgelegd over hoe de prioriteiten zijn gesteld.")
    for s in p.sessions:
        w.heading(s.heading, level=3)
        w.paragraph(s.summary)
        for line in s.lines:
            w.paragraph(line, "ListBullet")
    if p.origins:
        w.paragraph("Waar de resultaten vandaan komen:")
        for code, origin in p.origins:
            w.paragraph(f"{code}: {origin}", "ListBullet")
    for b in p.budget_decisions:
        w.heading(f"Bezuinigingsscenario “{b.name}”", level=3)
        w.paragraph(
            f"Vastgesteld{f' door {b.adopted_by}' if b.adopted_by else ''}"
            f"{f' op {format_date(b.adopted_on)}' if b.adopted_on else ''}: van "
            f"{format_euro(round(b.total_before))} naar "
            f"{format_euro(round(b.total_after))} per jaar voor dit thema."
            + (f" {b.rationale}" if b.rationale else "")
        )
        for label, names, joiner in (
            ("Behouden", b.kept, ", "),
            ("Verminderd", b.reduced, ", "),
            ("Gestopt", b.stopped, ", "),
            ("Zonder activiteit na de bezuiniging", b.uncovered, "; "),
            ("Per partner", b.partner_lines, "; "),
        ):
            if names:
                w.paragraph(f"{label}: {joiner.join(names)}", "ListBullet")


def _improvement(w: Writer, t: ThemeReport) -> None:
    w.heading("Verbetercyclus: wat leren we?", level=2)
    imp = t.improvement
    if imp.empty:
        w.paragraph("Nog geen reflecties of besluiten.")
    for refl in imp.reflections:
        w.heading(
            f"Reflectie van {format_date(refl.on)}" + (f" over {refl.about}" if refl.about else ""),
            level=3,
        )
        if refl.went_well:
            w.paragraph(f"Wat gaat goed: {refl.went_well}")
        if refl.could_improve:
            w.paragraph(f"Wat kan beter: {refl.could_improve}")
        for a in refl.actions:
            due = f", uiterlijk {format_date(a.due)}" if a.due else ""
            owner = f" — {a.owner}" if a.owner else ""
            w.paragraph(
                f"{a.description}{owner}{due} ({'gedaan' if a.done else 'open'})",
                "ListBullet",
            )
    if imp.activity_decisions:
        w.heading("Besluiten over activiteiten, voor de volgende cyclus", level=3)
        w.table(
            ["Activiteit", "Besluit"],
            [[row.activity, _decided(row.decided)] for row in imp.activity_decisions],
        )
    if imp.result_decisions:
        w.heading("Besluiten over resultaten", level=3)
        w.table(
            ["Resultaat", "Besluit"],
            [[label, _decided(d)] for label, d in imp.result_decisions],
        )


def _activity_row(a: ActivityPart) -> list[str]:
    return [
        f"{a.name} (in deze cyclus {a.status.lower()})",
        a.partner + (f" met {', '.join(a.co_performers)}" if a.co_performers else ""),
        _figures(a.how_much + a.other),
        _figures(a.how_well),
        _figures(a.better_off),
        _money(a.annual_budget),
    ]
