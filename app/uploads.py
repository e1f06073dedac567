"""Files people upload: a table from a CSV file or the first sheet of an .xlsx workbook, read
as rows of cells under a header, whatever a spreadsheet program made of it."""

import csv
import io
import math
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from app.choices import Choice
from app.formatting import parse_number

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


# Checking rows: what every import shares


class ChangeKind(Choice):
    NEW = "new", "Nieuw"
    CHANGED = "changed", "Gewijzigd"
    SAME = "same", "Ongewijzigd"


@dataclass(frozen=True)
class RowError:
    row: int | None  # None: about the whole file
    message: str


DATE_HINT = "schrijf bijvoorbeeld 31-12-2024 of 2024-12-31"


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value: Any) -> str:
    """A cell's content as a message quotes it: on one line and not too long."""
    text = " ".join(str(value).split())
    return text if len(text) <= 40 else text[:39] + "…"


def sentence(problems: list[str]) -> str:
    """Everything wrong with one row, as one Dutch sentence."""
    text = "; ".join(problems)
    return text[0].upper() + text[1:] + "."


def parse_date(value: Any) -> date:
    """A date as a spreadsheet hands it over, or as people type it; ValueError otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if " " in text:  # "2024-03-01 00:00:00" from a date cell saved as text
        text = text.split(" ", 1)[0]
    parts = text.replace("/", "-").replace(".", "-").split("-")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError
    if len(parts[0]) == 4:
        year, month, day = (int(p) for p in parts)
    elif len(parts[2]) == 4:
        day, month, year = (int(p) for p in parts)
    else:
        raise ValueError
    return date(year, month, day)  # whether it is in range is the schema's to say


def parse_value(value: Any) -> Decimal:
    """A number from a cell: a real number from a workbook, or Dutch or English text."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError
        number = Decimal(str(value))
    else:
        number = parse_number(str(value))
    if not number.is_finite():
        raise ValueError
    return number


def lower_first(message: str) -> str:
    """A message of a form ("Vul 2000 of meer in.") as a part of a row's sentence."""
    return message[:1].lower() + message[1:].rstrip(".")


T = TypeVar("T")
K = TypeVar("K")


def missing_columns(table: Table, required: Iterable[str]) -> RowError | None:
    missing = [name for name in required if name not in table.columns]
    if not missing:
        return None
    names = ", ".join(f"‘{name}’" for name in missing)
    return RowError(None, f"In de kopregel ontbreekt {names}. Gebruik het sjabloon.")


def any_filled(*names: str) -> Callable[[Row], bool]:
    """Whether a row has something in one of these columns (an unfilled template row has not)."""
    return lambda row: not all(blank(row.cells.get(name)) for name in names)


def parse_rows(
    table: Table, *, filled: Callable[[Row], bool], parse: Callable[[Row], T | RowError]
) -> tuple[list[T], list[RowError]]:
    """Every filled-in row parsed, or the reason it cannot be; unfilled template rows are
    skipped."""
    parsed: list[T] = []
    errors: list[RowError] = []
    for row in table.rows:
        if not filled(row):
            continue
        outcome = parse(row)
        if isinstance(outcome, RowError):
            errors.append(outcome)
        else:
            parsed.append(outcome)
    return parsed, errors


def in_chunks(keys: Iterable[K], size: int = 500) -> Iterator[list[K]]:
    """Keys in sorted groups, so each IN list of a query stays a reasonable size."""
    ordered = sorted(keys)  # type: ignore[type-var]
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


@dataclass
class Plan(Generic[T]):
    """What an import would do: a change per good row (each with a `kind`), an error per bad
    one. Saved only without errors."""

    changes: list[T] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for change in self.changes if change.kind is kind)  # type: ignore[attr-defined]

    @property
    def to_save(self) -> list[T]:
        return [c for c in self.changes if c.kind is not ChangeKind.SAME]  # type: ignore[attr-defined]

    def finish(self, nothing: str) -> "Plan[T]":
        """`nothing` when the file held no filled-in row; errors in row order."""
        if not self.changes and not self.errors:
            self.errors.append(RowError(None, nothing))
        self.errors.sort(key=lambda e: e.row or 0)
        return self
