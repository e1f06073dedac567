"""Every PDF Kompas makes (the council report, the A4 summary, the paper ballots) as PDF/UA-1:
HTML laid out by WeasyPrint as its tagged variant, finished where WeasyPrint's tags fall short
of the standard.

WeasyPrint 70 (`pdf_variant="pdf/ua-1"`) writes the structure tree from the HTML (headings,
paragraphs, lists, tables with their header cells, an image's alt text as its Figure's
alternative text), MarkInfo, the language from `<html lang>`, the title from `<title>` with
DisplayDocTitle, embedded fonts and the PDF/UA identification in the XMP metadata. What it
leaves to us, done by `_finish` on WeasyPrint's own objects just before they are written (its
`finisher` hook: nothing is parsed or written twice):

- Header cells carry no Scope. In Kompas's tables a header cell in the table's head names
  its column and one in the body its row (as their `scope` says in the HTML).
- The text of the page margins ("pagina 3 van 46", the running footer) is tagged content
  that belongs to no element of the tree; PDF/UA wants it marked as a pagination artifact,
  so that a screen reader does not read it between the paragraphs.
- A table's caption comes out wrapped in anonymous Table elements after the table's head;
  it becomes the table's first child.
- A link's description (Contents) is its target ("thema-3"); it becomes the link's text.

And one repair for time: pydyf 0.13, WeasyPrint's PDF writer, builds the tuple of every
page's reference each time it is asked for one, and the tagging asks once per element, which
made the tags quadratic in the pages (1.6 s of 5.0 for the 4x report, 185 pages; about 25 s
at 16x). `_keep_page_references` makes pydyf keep the tuple while the pages stay the same.
"""

from functools import cache
from pathlib import Path
from typing import Any

VARIANT = "pdf/ua-1"


def render_pdf(html: str, stylesheet: Path | None = None) -> bytes:
    """The HTML as a tagged PDF/UA-1 document; `stylesheet` adds a print stylesheet."""
    # WeasyPrint takes about a second to import: load it only when a PDF is asked for.
    from weasyprint import CSS, HTML

    _keep_page_references()
    stylesheets = [CSS(filename=str(stylesheet))] if stylesheet else None
    return HTML(string=html).write_pdf(
        stylesheets=stylesheets, pdf_variant=VARIANT, finisher=_finish
    )


@cache  # once per process
def _keep_page_references() -> None:
    import pydyf

    build = pydyf.PDF.page_references.fget

    def page_references(pdf: Any) -> tuple[bytes, ...]:
        pages = len(pdf.pages["Kids"])
        kept = pdf.__dict__.get("_kompas_page_references")
        if kept is None or kept[0] != pages:
            kept = pdf.__dict__["_kompas_page_references"] = (pages, build(pdf))
        return kept[1]

    pydyf.PDF.page_references = property(page_references)


def _finish(document: Any, pdf: Any) -> None:
    """WeasyPrint's finisher: `document` is the laid-out document, `pdf` its pydyf objects."""
    import pydyf  # WeasyPrint's PDF writer

    def resolve(reference: Any) -> Any:
        return pdf.objects[int(reference.split(b" ", 1)[0])]

    tree = resolve(pdf.catalog["StructTreeRoot"])
    in_tree = _tidy_tree(tree, resolve)
    _margins_as_artifacts(tree, pdf.page_references, in_tree, resolve)
    for page in document.pages:
        for _kind, _target, _rectangle, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            text = " ".join("".join(box.element.itertext()).split())
            if annotation is not None and text:
                annotation["Contents"] = pydyf.String(text)


def _tidy_tree(tree: Any, resolve: Any) -> set[int]:
    """Give header cells their scope and captions their place; return every element of the
    tree (by object number)."""
    seen: set[int] = set()
    stack = [(resolve(kid), None) for kid in tree["K"]]  # (element, its table section)
    while stack:
        element, section = stack.pop()
        kind = element.get("S")
        if kind is None:
            continue  # a link's annotation
        seen.add(element.number)
        if kind == "/Table":
            _caption_first(element, resolve)
        elif kind in ("/THead", "/TBody", "/TFoot"):
            section = kind
        elif kind == "/TH":
            element["A"]["Scope"] = "/Column" if section == "/THead" else "/Row"
        # Children are references; numbers are marked content on the element's page.
        stack.extend((resolve(kid), section) for kid in element["K"] if isinstance(kid, bytes))
    return seen


def _caption_first(table: Any, resolve: Any) -> None:
    """Unwrap the anonymous Table elements WeasyPrint puts around a caption, and put the
    caption first."""
    kids = list(table["K"])
    flat: list[Any] = []
    while kids:
        kid = kids.pop(0)
        element = resolve(kid) if isinstance(kid, bytes) else None
        if element is not None and element.get("S") == "/Table":
            for inner in element["K"]:
                if isinstance(inner, bytes):
                    resolve(inner)["P"] = table.reference
            kids[:0] = element["K"]
        else:
            flat.append(kid)
    captions = [k for k in flat if isinstance(k, bytes) and resolve(k).get("S") == "/Caption"]
    table["K"][:] = captions + [k for k in flat if k not in captions]


def _margins_as_artifacts(tree: Any, pages: list[bytes], in_tree: set[int], resolve: Any) -> None:
    """Marked content whose element is not in the tree is the page margins' text: mark it as
    a pagination artifact, and take it out of the parent tree."""
    import pydyf

    nums = resolve(tree["ParentTree"])["Nums"]
    # The parent tree holds per page (by its number) the parent of each marked-content id.
    page_parents = {nums[i]: nums[i + 1] for i in range(0, len(nums), 2)}
    for number, page_reference in enumerate(pages):
        parents = page_parents[number]
        outside = {
            mcid
            for mcid, parent in enumerate(parents)
            if isinstance(parent, bytes) and resolve(parent).number not in in_tree
        }
        if not outside:
            continue
        for mcid in outside:
            parents[mcid] = b"null"
        stream = resolve(resolve(page_reference)["Contents"]).stream
        # pydyf keeps marked content as the tag, its property list and the operator.
        for i, item in enumerate(stream):
            if isinstance(item, pydyf.Dictionary) and item.get("MCID") in outside:
                stream[i - 1] = "/Artifact"
                stream[i] = pydyf.Dictionary({"Type": "/Pagination"})
