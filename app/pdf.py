"""Every PDF Kompas makes (the council report, the A4 summary, the paper ballots) as PDF/UA-1:
HTML laid out by WeasyPrint with its tagged variant, then finished with pikepdf where
WeasyPrint's tags fall short of the standard.

WeasyPrint 70 (`pdf_variant="pdf/ua-1"`) writes the structure tree from the HTML (headings,
paragraphs, lists, tables with their header cells, an image's alt text as its Figure's
alternative text), MarkInfo, the document's language from `<html lang>`, its title from
`<title>` with DisplayDocTitle, embedded fonts and the PDF/UA identification in its XMP
metadata. What it leaves to us, and `_finish` does:

- Header cells carry no Scope. In Kompas's tables a header cell in the table's head names
  its column and one in the body its row (as their `scope` says in the HTML).
- The text of the page margins ("pagina 3 van 46") is tagged content that belongs to no
  element of the tree; PDF/UA wants it marked as an artifact (pagination), so a screen
  reader does not read it between the paragraphs.
- A table's caption comes out wrapped in anonymous Table elements after the head; it becomes
  the table's first child.
- A link's description (Contents) is its target ("thema-3"); it becomes the link's text.
"""

import io
import re
from pathlib import Path
from typing import Any

# WeasyPrint writes each marked-content sequence of text as exactly this.
_MARKED_SPAN = re.compile(rb"/Span\n<</MCID (\d+)>>\nBDC")


def render_pdf(html: str, stylesheet: Path | None = None) -> bytes:
    """The HTML as a tagged PDF/UA-1 document; `stylesheet` adds a print stylesheet."""
    # WeasyPrint takes about a second to import: load it only when a PDF is asked for.
    from weasyprint import CSS, HTML

    stylesheets = [CSS(filename=str(stylesheet))] if stylesheet else None
    document = HTML(string=html).render(stylesheets=stylesheets)
    links = {
        target: " ".join("".join(box.element.itertext()).split())
        for page in document.pages
        for kind, target, _rectangle, box in page.links
        if kind in ("internal", "external")
    }
    return _finish(document.write_pdf(pdf_variant="pdf/ua-1"), links)  # type: ignore[arg-type]


def _finish(tagged: bytes, links: dict[str, str]) -> bytes:
    import pikepdf  # with WeasyPrint: only when a PDF is made

    with pikepdf.open(io.BytesIO(tagged)) as pdf:
        in_tree = _tidy_tree(pdf.Root.StructTreeRoot)
        _margins_as_artifacts(pdf, in_tree)
        for page in pdf.pages:
            for annotation in page.get("/Annots", ()):
                text = links.get(str(annotation.get("/Contents", "")))
                if annotation.get("/Subtype") == "/Link" and text:
                    annotation.Contents = pikepdf.String(text)
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def _tidy_tree(root: Any) -> set[tuple[int, int]]:
    """Give header cells their scope and captions their place; return every element in the
    tree (by object number)."""
    import pikepdf

    column, row = pikepdf.Name.Column, pikepdf.Name.Row
    seen: set[tuple[int, int]] = set()
    # (element, the table section it is in)
    stack = [(kid, None) for kid in root.K]
    while stack:
        element, section = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            continue  # a marked-content id or a link's annotation
        seen.add(element.objgen)
        kind = element.S
        if kind == "/Table":
            _caption_first(element)
        elif kind in ("/THead", "/TBody", "/TFoot"):
            section = kind
        elif kind == "/TH":
            element.A.Scope = column if section == "/THead" else row
        kids = element.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend((kid, section) for kid in kids)
    return seen


def _caption_first(table: Any) -> None:
    """WeasyPrint wraps a caption in anonymous Table elements: unwrap them and put the
    caption first."""
    import pikepdf

    kids = list(table.K)
    flat = []
    while kids:
        kid = kids.pop(0)
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == "/Table":
            for inner in kid.K:
                inner.P = table
            kids[:0] = list(kid.K)
        else:
            flat.append(kid)
    is_caption = [isinstance(k, pikepdf.Dictionary) and k.S == "/Caption" for k in flat]
    if any(is_caption) or len(flat) != len(table.K):
        captions = [k for k, caption in zip(flat, is_caption, strict=True) if caption]
        rest = [k for k, caption in zip(flat, is_caption, strict=True) if not caption]
        table.K = pikepdf.Array(captions + rest)


def _margins_as_artifacts(pdf: Any, in_tree: set[tuple[int, int]]) -> None:
    """Marked content whose element is not in the tree is the page margins' text: mark it as
    a pagination artifact and drop it from the parent tree."""
    import pikepdf

    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    parents_of = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for page in pdf.pages:
        parents = parents_of[int(page.StructParents)]
        outside = {
            mcid
            for mcid, element in enumerate(parents)
            if isinstance(element, pikepdf.Dictionary) and element.objgen not in in_tree
        }
        if not outside:
            continue
        for mcid in outside:
            parents[mcid] = None
        page.Contents.write(_as_artifacts(page.Contents.read_bytes(), outside))


def _as_artifacts(content: bytes, mcids: set[int]) -> bytes:
    def mark(found: re.Match[bytes]) -> bytes:
        if int(found.group(1)) in mcids:
            return b"/Artifact <</Type /Pagination>>\nBDC"
        return found.group(0)

    return _MARKED_SPAN.sub(mark, content)
