"""Files people upload: a table from a CSV file or the first sheet of an .xlsx workbook, read
as rows of cells under a header, whatever a spreadsheet program made of it."""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

MAX_BYTES = 2_000_000
MAX_ROWS = 5_000
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UnreadableFile(Exception):
    """A file Kompas cannot read as a table; the message says why, in Dutch."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet shows it: the header is row 1
    cells: dict[str, Any]  # by the header's name, lower case; empty cells are ""

    def text(self, name: str) -> str:
        value = self.cells.get(name, "")
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[Row]


def read_table(filename: str, content: bytes) -> Table:
    """The table in an uploaded .csv or .xlsx file; UnreadableFile otherwise."""
    if not content:
        raise UnreadableFile("Het bestand is leeg.")
    if len(content) > MAX_BYTES:
        raise UnreadableFile(
            f"Het bestand is te groot: hoogstens {MAX_BYTES // 1_000_000} MB. Splits het op."
        )
    if content.startswith(b"PK") or filename.lower().endswith(".xlsx"):
        grid = _xlsx_rows(content)
    else:
        grid = _csv_rows(_decode(content))
    return _table(grid)


def _decode(content: bytes) -> str:
    # Excel in Dutch saves "CSV" as Windows-1252 unless asked for UTF-8.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise UnreadableFile("Dit is geen tekstbestand: kies een .csv- of .xlsx-bestand.")


def _csv_rows(text: str) -> list[list[Any]]:
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error:
        raise UnreadableFile(
            "Dit CSV-bestand is niet goed gevormd (bijvoorbeeld een aanhalingsteken dat niet "
            "wordt gesloten). Sla het opnieuw op als CSV."
        ) from None


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook  # only when someone uploads a workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise UnreadableFile(
            "Dit Excel-bestand kan Kompas niet openen: sla het op als .xlsx (of als CSV)."
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[Any]] = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(list(values))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except Exception:  # a damaged workbook can fail in many ways inside openpyxl
        raise UnreadableFile(
            "Dit Excel-bestand kan Kompas niet lezen: sla het opnieuw op als .xlsx."
        ) from None
    finally:
        workbook.close()


def _is_empty(values: list[Any]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _table(grid: list[list[Any]]) -> Table:
    while grid and _is_empty(grid[0]):
        grid = grid[1:]
    if not grid:
        raise UnreadableFile("Het bestand bevat geen kopregel en geen rijen.")
    columns = [_column_name(value) for value in grid[0]]
    rows = []
    for offset, values in enumerate(grid[1:], start=2):
        if _is_empty(values):
            continue
        if len(rows) >= MAX_ROWS:
            raise UnreadableFile(f"Het bestand heeft te veel rijen: hoogstens {MAX_ROWS}.")
        cells = {
            name: "" if value is None else value
            for name, value in zip(columns, values, strict=False)
            if name
        }
        rows.append(Row(number=offset, cells=cells))
    return Table(columns=[c for c in columns if c], rows=rows)


def _column_name(value: Any) -> str:
    if value is None or isinstance(value, date | datetime):
        return ""
    return " ".join(str(value).replace("\ufeff", "").split()).lower()
