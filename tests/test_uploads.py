"""Uploaded spreadsheets are read within limits: what a workbook unpacks to, how many rows and
cells it has, and no DTD or entities. Every refusal is a Dutch message, never a 500."""

import io
import tracemalloc
import zipfile

import openpyxl
import pytest
from openpyxl import Workbook

from app import uploads
from app.uploads import UnreadableFile, read_table

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"


def workbook(*rows: list) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_shared_strings(content: bytes, strings: str) -> bytes:
    """The workbook with a sharedStrings part (as Excel writes one) holding `strings`."""
    source = zipfile.ZipFile(io.BytesIO(content))
    types = source.read("[Content_Types].xml").decode()
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    relations = source.read("xl/_rels/workbook.xml.rels").decode()
    relations = relations.replace(
        "</Relationships>",
        '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    return replaced(
        content,
        {
            "[Content_Types].xml": types,
            "xl/_rels/workbook.xml.rels": relations,
            "xl/sharedStrings.xml": strings,
        },
    )


def replaced(content: bytes, parts: dict[str, str | bytes]) -> bytes:
    """The workbook with some of its parts replaced (or added), deflated as usual."""
    source = zipfile.ZipFile(io.BytesIO(content))
    parts = dict(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            target.writestr(info.filename, parts.pop(info.filename, None) or source.read(info))
        for name, body in parts.items():
            target.writestr(name, body)
    return out.getvalue()


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_a_row_far_down_a_whole_sheet_costs_no_memory():
    """5 KB that claim every cell of a sheet (A1:XFD1048576) and fill its last row: reading
    it padded each of the first 5,001 rows to 16,384 empty cells, 700 MiB and 5 s of CPU."""
    sheet = (
        f'<worksheet xmlns="{NS}"><dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>indicatornummer</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>7</v></c></row>'
        "</sheetData></worksheet>"
    )
    content = replaced(workbook(["x"]), {SHEET: sheet})
    assert len(content) < 10_000
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableFile, match="te veel rijen"):
            read_table("metingen.xlsx", content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 30 * 2**20


def test_a_sheet_with_the_declared_range_of_a_whole_sheet_is_read_as_it_is():
    sheet = (
        f'<worksheet xmlns="{NS}"><dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>indicatornummer</t></is></c></row>'
        '<row r="3"><c r="A3"><v>7</v></c></row>'
        "</sheetData></worksheet>"
    )
    table = read_table("metingen.xlsx", replaced(workbook(["x"]), {SHEET: sheet}))
    assert table.columns == ["indicatornummer"]
    assert [(row.number, row.cells) for row in table.rows] == [(3, {"indicatornummer": 7})]


@pytest.fixture
def parsed(monkeypatch) -> list:
    """Whether openpyxl was asked to read the workbook at all."""
    calls: list = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: calls.append(a))
    return calls


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(parsed):
    sheet = f'<worksheet xmlns="{NS}">{" " * 30_000_000}<sheetData/></worksheet>'
    content = replaced(workbook(["x"]), {SHEET: sheet})
    assert len(content) < 100_000
    with pytest.raises(UnreadableFile, match="uitgepakt te groot"):
        read_table("metingen.xlsx", content)
    assert not parsed


def test_a_part_that_claims_a_smaller_size_than_it_unpacks_to_is_not_believed():
    sheet = f'<worksheet xmlns="{NS}">{" " * 30_000_000}<sheetData/></worksheet>'
    content = bytearray(replaced(workbook(["x"]), {SHEET: sheet}))
    entry = content.index(b"PK\x01\x02")  # the first central directory entry
    while content[entry + 46 : entry + 46 + len(SHEET)] != SHEET.encode():
        entry = content.index(b"PK\x01\x02", entry + 4)
    content[entry + 24 : entry + 28] = (1000).to_bytes(4, "little")  # its size, unpacked
    with pytest.raises(UnreadableFile, match="kan Kompas niet"):
        read_table("metingen.xlsx", bytes(content))


@pytest.mark.parametrize("bomb", ["cells", "strings", "styles"])
def test_a_workbook_with_too_much_to_parse_is_refused_before_it_is_read(parsed, bomb):
    """Small parts that take long to parse: 125 KB of tiny cells took 22 s of CPU."""
    content = workbook(["x"])
    if bomb == "cells":
        rows = "".join(f'<row r="{n}"><c><v>1</v></c></row>' for n in range(1, 300_000))
        content = replaced(
            content, {SHEET: f'<worksheet xmlns="{NS}"><sheetData>{rows}</sheetData></worksheet>'}
        )
    elif bomb == "strings":
        strings = f'<sst xmlns="{NS}">' + "<si><t>a</t></si>" * 600_000 + "</sst>"
        content = with_shared_strings(content, strings)
    else:
        styles = zipfile.ZipFile(io.BytesIO(content)).read("xl/styles.xml").decode()
        formats = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * 100_000
        styles = styles.replace("<cellXfs", f"<cellXfs>{formats}</cellXfs><cellXfs", 1)
        content = replaced(content, {"xl/styles.xml": styles})
    assert len(content) < uploads.MAX_BYTES
    with pytest.raises(UnreadableFile, match="te veel cellen of opmaak"):
        read_table("metingen.xlsx", content)
    assert not parsed


def test_a_row_with_too_many_cells_is_refused():
    cells = "".join(f'<c r="{_column(n)}1"><v>{n}</v></c>' for n in range(1, 16_385))
    sheet = f'<worksheet xmlns="{NS}"><sheetData><row r="1">{cells}</row></sheetData></worksheet>'
    content = replaced(workbook(["x"]), {SHEET: sheet})
    with pytest.raises(UnreadableFile, match="te veel kolommen"):
        read_table("metingen.xlsx", content)


def _column(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE sst [<!ENTITY a SYSTEM "file:///etc/hostname">]>',
        '<!DOCTYPE sst [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        "<!DOCTYPE sst>",
    ],
)
def test_a_workbook_with_a_dtd_is_refused_in_dutch(doctype):
    strings = f'<?xml version="1.0"?>{doctype}<sst xmlns="{NS}"><si><t>&b;</t></si></sst>'
    strings = strings if "ENTITY b" in doctype else strings.replace("&b;", "&a;")
    strings = strings if "ENTITY" in doctype else strings.replace("&a;", "a")
    sheet = (
        f'<worksheet xmlns="{NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        "</sheetData></worksheet>"
    )
    content = with_shared_strings(replaced(workbook(["x"]), {SHEET: sheet}), strings)
    with pytest.raises(UnreadableFile, match="DTD"):
        read_table("metingen.xlsx", content)


def test_an_upload_with_a_dtd_is_answered_next_to_the_field(client):
    strings = (
        '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a SYSTEM "file:///etc/hostname">]>'
        f'<sst xmlns="{NS}"><si><t>&a;</t></si></sst>'
    )
    sheet = (
        f'<worksheet xmlns="{NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        "</sheetData></worksheet>"
    )
    content = with_shared_strings(replaced(workbook(["x"]), {SHEET: sheet}), strings)
    for path in ("/metingen/importeren", "/bestedingen/importeren"):
        response = client.post(
            path, files={"bestand": ("cijfers.xlsx", content, "application/octet-stream")}
        )
        assert response.status_code == 422, path
        assert "DTD" in response.text and "Er is niets opgeslagen" in response.text


def test_a_damaged_part_is_explained():
    content = bytearray(workbook(["x"]))
    part = zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo(SHEET)
    start = part.header_offset + 30 + len(part.filename) + len(part.extra)
    for offset in range(start + 5, start + 40):  # the sheet's deflated bytes, garbled
        content[offset] ^= 0x5A
    with pytest.raises(UnreadableFile, match="kan Kompas niet openen"):
        read_table("metingen.xlsx", bytes(content))
