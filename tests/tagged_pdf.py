"""A tagged PDF read back as a reader's assistive technology meets it: the structure tree
(pikepdf) with the text each element holds (pdfplumber: the characters of each piece of
marked content), the document's language, title and metadata."""

import io
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
import pikepdf

XMP_UA_PART = "pdfuaid:part"
HEADINGS = ("H1", "H2", "H3", "H4", "H5", "H6")


@dataclass
class Element:
    kind: str  # "H1", "Table", "TH"
    text: str  # every character it holds, in order, without spaces between its pieces
    attributes: dict[str, str]  # "Scope": "Column"
    alt: str | None
    kids: list["Element"] = field(default_factory=list)

    def find_all(self, *kinds: str) -> list["Element"]:
        found = []
        for kid in self.kids:
            if kid.kind in kinds:
                found.append(kid)
            found.extend(kid.find_all(*kinds))
        return found


@dataclass
class TaggedPdf:
    root: Element
    lang: str | None
    title: str | None
    display_doc_title: bool
    marked: bool
    xmp: dict[str, str]
    fonts_embedded: bool
    links: list[str]  # each link annotation's description
    untagged: list[str]  # content that is neither in an element of the tree nor an artifact
    artifacts: dict[str, int]  # text shown as an artifact, by its type ("Pagination")
    pages: int


def squeeze(text: str) -> str:
    """Text without spaces, to compare what is split into pieces across lines and spans."""
    return "".join(text.split())


def read(data: bytes) -> TaggedPdf:
    texts = _marked_texts(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        catalog = pdf.Root
        assert "/StructTreeRoot" in catalog, "no structure tree"
        page_of = {page.objgen: number for number, page in enumerate(pdf.pages)}
        tree = catalog.StructTreeRoot
        in_tree: set[tuple[int, int]] = set()
        root = Element("StructTreeRoot", "", {}, None)
        for kid in tree.K:
            root.kids.append(_element(kid, page_of, texts, in_tree))
        preferences = catalog.get("/ViewerPreferences", {})
        metadata = pdf.open_metadata()
        return TaggedPdf(
            root=root,
            lang=str(catalog.Lang) if "/Lang" in catalog else None,
            title=str(pdf.docinfo.Title) if "/Title" in pdf.docinfo else None,
            display_doc_title=bool(preferences.get("/DisplayDocTitle", False)),
            marked=bool(catalog.get("/MarkInfo", {}).get("/Marked", False)),
            xmp={key: str(metadata.get(key)) for key in (XMP_UA_PART, "dc:title")},
            fonts_embedded=_fonts_embedded(pdf),
            links=[
                str(annotation.get("/Contents"))
                for page in pdf.pages
                for annotation in page.get("/Annots", ())
                if annotation.get("/Subtype") == "/Link"
            ],
            **_content(pdf, tree, in_tree),
            pages=len(pdf.pages),
        )


def _marked_texts(data: bytes) -> dict[tuple[int, int], str]:
    """The text of each marked-content sequence, by page number and MCID."""
    texts: dict[tuple[int, int], str] = {}
    with pdfplumber.open(io.BytesIO(data)) as document:
        for number, page in enumerate(document.pages):
            for char in page.chars:
                if char.get("mcid") is not None:
                    key = (number, char["mcid"])
                    texts[key] = texts.get(key, "") + char["text"]
    return texts


def _element(
    obj: Any,
    page_of: dict[tuple[int, int], int],
    texts: dict[tuple[int, int], str],
    in_tree: set[tuple[int, int]],
) -> Element:
    in_tree.add(obj.objgen)
    attributes = {
        str(key).lstrip("/"): str(value).lstrip("/")
        for key, value in obj.get("/A", {}).items()
        if key != "/Headers"
    }
    if "/Headers" in obj.get("/A", {}):
        attributes["Headers"] = " ".join(str(h) for h in obj.A.Headers)
    element = Element(
        kind=str(obj.S).lstrip("/"),
        text="",
        attributes=attributes,
        alt=str(obj.Alt) if "/Alt" in obj else None,
    )
    page = page_of.get(obj.Pg.objgen) if "/Pg" in obj else None
    kids = obj.get("/K", [])
    pieces = []
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int) and page is not None:
            pieces.append(texts.get((page, kid), ""))
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            child = _element(kid, page_of, texts, in_tree)
            element.kids.append(child)
            pieces.append(child.text)
    element.text = "".join(pieces)
    return element


def _fonts_embedded(pdf: pikepdf.Pdf) -> bool:
    fonts = [font for page in pdf.pages for font in page.Resources.get("/Font", {}).values()]
    descriptors = [
        (font.DescendantFonts[0] if "/DescendantFonts" in font else font).get("/FontDescriptor")
        for font in fonts
    ]
    return bool(fonts) and all(
        d is not None and any(key in d for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        for d in descriptors
    )


TEXT_OPERATORS = ("Tj", "TJ", "'", '"')


def _content(pdf: pikepdf.Pdf, tree: Any, in_tree: set[tuple[int, int]]) -> dict[str, Any]:
    """Walk each page's content: every piece of text must be marked content that belongs to
    an element of the tree, or an artifact."""
    nums = tree.ParentTree.Nums
    parents_of = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    untagged: list[str] = []
    artifacts: dict[str, int] = {}
    for number, page in enumerate(pdf.pages):
        parents = parents_of.get(int(page.get("/StructParents", -1)), [])
        stack: list[str] = []  # "tagged", "artifact" or "other", innermost last
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                tag = operands[0]
                if tag == pikepdf.Name.Artifact:
                    kind = "other"
                    if op == "BDC" and "/Type" in operands[1]:
                        kind = str(operands[1].Type).lstrip("/")
                    stack.append(f"artifact:{kind}")
                elif op == "BDC" and "/MCID" in operands[1]:
                    mcid = int(operands[1].MCID)
                    parent = parents[mcid] if mcid < len(parents) else None
                    owned = isinstance(parent, pikepdf.Dictionary) and parent.objgen in in_tree
                    if not owned:
                        untagged.append(f"page {number + 1}, MCID {mcid}")
                    stack.append("tagged")
                else:
                    stack.append("other")
            elif op == "EMC":
                stack.pop()
            elif op in TEXT_OPERATORS:
                marks = [m for m in stack if m != "other"]
                if not marks:
                    untagged.append(f"page {number + 1}, text outside marked content")
                elif marks[-1].startswith("artifact:"):
                    kind = marks[-1].removeprefix("artifact:")
                    artifacts[kind] = artifacts.get(kind, 0) + 1
    return {"untagged": untagged, "artifacts": artifacts}


def assert_pdf_ua(doc: TaggedPdf, title: str) -> None:
    """What PDF/UA-1 asks of every document, beyond its structure."""
    assert doc.marked
    assert doc.lang == "nl-NL"
    assert doc.title == title and doc.display_doc_title
    assert doc.xmp == {"pdfuaid:part": "1", "dc:title": title}
    assert doc.fonts_embedded
    assert doc.untagged == []
    assert doc.root.kids and doc.root.kids[0].kind == "Document"


def assert_tables_have_scoped_headers(doc: TaggedPdf) -> None:
    tables = doc.root.find_all("Table")
    assert tables
    for table in tables:
        kinds = [kid.kind for kid in table.kids]
        assert set(kinds) <= {"Caption", "THead", "TBody", "TFoot", "TR"}, kinds
        assert "Caption" not in kinds[1:], "a caption comes first"
        for head in [k for k in table.kids if k.kind == "THead"]:
            for th in head.find_all("TH"):
                assert th.attributes["Scope"] == "Column", th.text
        for body in [k for k in table.kids if k.kind == "TBody"]:
            for th in body.find_all("TH"):
                assert th.attributes["Scope"] == "Row", th.text
            for td in body.find_all("TD"):
                assert td.attributes.get("Headers"), td.text
