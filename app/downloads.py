"""Files people download: CSV that is safe to open in a spreadsheet, text that Word and Excel
files can hold, and file names that any browser accepts whatever a theme is called."""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

# A cell starting with one of these is read as a formula by Excel, LibreOffice and Google
# Sheets (OWASP "CSV injection"): a partner could rename an activity to =HYPERLINK(...).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# What XML 1.0 cannot hold, and so no .docx or .xlsx file: the control characters other than
# tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF. Text is checked when
# it comes in (app/text.py), but a file must open also with what was stored before that.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """The text without what XML cannot hold."""
    return NOT_IN_XML.sub("", text)


def safe_cell(value: Any) -> Any:
    """Text shown as text: a leading apostrophe keeps a spreadsheet from evaluating it, and
    what XML cannot hold is left out."""
    if isinstance(value, str):
        value = xml_text(value)
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV one line at a time, semicolon-separated as Dutch spreadsheets expect."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in _with_header(header, rows):
        writer.writerow([safe_cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A workbook of one sheet: numbers stay numbers and dates dates (so they can be summed and
    sorted), text is made safe as in CSV, and the header row stays in view."""
    from openpyxl import Workbook  # only when someone downloads a workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    sheet.append(list(header))

    def cell(value: Any) -> Any:
        if isinstance(value, date):
            dated = WriteOnlyCell(sheet, value=value)
            dated.number_format = "dd-mm-yyyy"
            return dated
        return safe_cell(value)

    for row in rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_header(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    yield header
    yield from rows


def attachment(filename: str) -> dict[str, str]:
    """A Content-Disposition header for a download (RFC 6266): a plain ASCII name for old
    clients and the real name, UTF-8 encoded, for the rest."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9._-]+", "-", plain).strip("-.") or "download"
    return {
        "Content-Disposition": f"attachment; filename=\"{plain}\"; filename*=UTF-8''"
        + quote(filename, safe="")
    }
