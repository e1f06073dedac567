"""Files people upload: a table from a CSV file or the first sheet of an .xlsx workbook, read
as rows of cells under a header, whatever a spreadsheet program made of it."""

import csv
import io
import math
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, Protocol, Self, TypeVar

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


# A workbook is a zip of XML parts: 2 MB can unpack to gigabytes, or to millions of tiny
# elements that take openpyxl minutes to parse. Before openpyxl sees it, every part's declared
# size is checked, and the XML parts are read (in C, as they unpack) for a DTD and for how
# many elements they open. The reading itself is bounded by rows and columns.
MAX_UNPACKED = 20_000_000  # bytes, all parts together, as their sizes are declared
MAX_ELEMENTS = 300_000  # element tags in all XML parts: at most about 3 s of openpyxl
MAX_STYLE_ELEMENTS = 30_000  # in the styles part, each tag costs openpyxl some 40 µs more
MAX_SHEET_ROWS = 2 * MAX_ROWS  # rows of the sheet read, blank ones included
MAX_COLUMNS = 50
XML_PARTS = (".xml", ".rels", ".vml")
CHUNK = 1 << 20

TOO_LARGE = (
    "Dit Excel-bestand is uitgepakt te groot (meer dan {mb} MB). Sla alleen de tabel op in "
    "een nieuw bestand, of als CSV."
)
TOO_MANY_ELEMENTS = (
    "Dit Excel-bestand bevat te veel cellen of opmaak om in te lezen. Sla alleen de tabel op "
    "in een nieuw bestand, of als CSV."
)
DTD = (
    "Dit Excel-bestand bevat een DTD (een <!DOCTYPE>- of <!ENTITY>-verklaring). Excel maakt "
    "die nooit en Kompas leest ze niet: sla het bestand opnieuw op als .xlsx of als CSV."
)
UNOPENABLE = "Dit Excel-bestand kan Kompas niet openen: sla het op als .xlsx (of als CSV)."
UNREADABLE = "Dit Excel-bestand kan Kompas niet lezen: sla het opnieuw op als .xlsx."


def _check_workbook(content: bytes) -> None:
    """Refuse a workbook that would cost too much to read, or that holds a DTD."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
        if sum(part.file_size for part in parts) > MAX_UNPACKED:
            raise UnreadableFile(TOO_LARGE.format(mb=MAX_UNPACKED // 1_000_000))
        elements = 0
        for part in parts:
            if not part.filename.lower().endswith(XML_PARTS):
                continue  # openpyxl does not parse images and the like when reading values
            count = _scan(archive, part)
            if part.filename.lower().endswith("styles.xml") and count > MAX_STYLE_ELEMENTS:
                raise UnreadableFile(TOO_MANY_ELEMENTS)
            elements += count
            if elements > MAX_ELEMENTS:
                raise UnreadableFile(TOO_MANY_ELEMENTS)
    except UnreadableFile:
        raise
    except Exception:
        # Not a zip, a damaged or encrypted one, or a part that unpacks to more than it says
        # (its CRC fails once the declared size is read): zipfile and zlib fail in many ways.
        raise UnreadableFile(UNOPENABLE) from None


def _scan(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> int:
    """The element tags one XML part opens; UnreadableFile when it declares a DTD. Reading
    stops at the part's declared size, which the caller has checked."""
    count = 0
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            window = tail + chunk
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                raise UnreadableFile(DTD)
            count += chunk.count(b"<") - chunk.count(b"</")
            tail = window[-16:]
    return count


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook  # only when someone uploads a workbook

    _check_workbook(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except DefusedXmlException:
        raise UnreadableFile(DTD) from None
    except Exception:  # not a workbook, or a damaged one: openpyxl fails in many ways
        raise UnreadableFile(UNOPENABLE) from None
    try:
        sheet = workbook.worksheets[0]
        # Not the range the sheet declares (A1:XFD1048576 makes every row 16,384 cells):
        # only the rows and cells that are there, up to the limits.
        sheet.reset_dimensions()
        rows: list[list[Any]] = []
        for values in sheet.iter_rows(
            max_row=MAX_SHEET_ROWS + 1, max_col=MAX_COLUMNS + 1, values_only=True
        ):
            if len(rows) == MAX_SHEET_ROWS:  # a row further down (its blank padding too)
                raise UnreadableFile(f"Het bestand heeft te veel rijen: hoogstens {MAX_ROWS}.")
            if len(values) > MAX_COLUMNS and values[MAX_COLUMNS] is not None:
                raise UnreadableFile(
                    f"Het bestand heeft te veel kolommen: hoogstens {MAX_COLUMNS}."
                )
            row = list(values[:MAX_COLUMNS])
            while row and row[-1] is None:
                row.pop()
            rows.append(row)
        return rows
    except UnreadableFile:
        raise
    except DefusedXmlException:
        raise UnreadableFile(DTD) from None
    except Exception:  # a damaged workbook can fail in many ways inside openpyxl
        raise UnreadableFile(UNREADABLE) from None
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
    rows: list[Row] = []
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
if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison
Sortable = TypeVar("Sortable", bound="SupportsRichComparison")


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


def in_chunks(keys: Iterable[Sortable], size: int = 500) -> Iterator[list[Sortable]]:
    """Keys in sorted groups, so each IN list of a query stays a reasonable size."""
    ordered = sorted(keys)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


class _Change(Protocol):
    @property
    def kind(self) -> "ChangeKind": ...


C = TypeVar("C", bound=_Change)  # what a good row would change


@dataclass
class Plan(Generic[C]):
    """What an import would do: a change per good row (each with a `kind`), an error per bad
    one. Saved only without errors."""

    changes: list[C] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for change in self.changes if change.kind is kind)

    @property
    def to_save(self) -> list[C]:
        return [c for c in self.changes if c.kind is not ChangeKind.SAME]

    def finish(self, nothing: str) -> Self:
        """`nothing` when the file held no filled-in row; errors in row order."""
        if not self.changes and not self.errors:
            self.errors.append(RowError(None, nothing))
        self.errors.sort(key=lambda e: e.row or 0)
        return self


class _InCycle(Protocol):
    @property
    def is_closed(self) -> bool: ...


class _Parsed(Protocol):
    @property
    def row(self) -> int: ...


P = TypeVar("P", bound=_Parsed)  # a row as parsed
R = TypeVar("R")  # the record a row is about (an indicator, an activity)
S = TypeVar("S")  # what is stored under a row's key (a meting, a year's amounts)
ThePlan = TypeVar("ThePlan", bound=Plan[Any])  # the import's own Plan, which shows its content


@dataclass(frozen=True, kw_only=True)
class Planner(Generic[P, R, K, S, C, ThePlan]):
    """The loop every import shares: read the rows, find the records they are about in the
    organisation (in one query), refuse a closed cycle, a row outside its cycle and a second
    row for the same key, and describe what each good row would change. A new import is one
    of these and a row parser; nothing is written."""

    required: tuple[str, ...]  # columns without which the file is refused
    filled: tuple[str, ...]  # a row counts when one of these is filled in
    parse: Callable[["Row"], P | "RowError"]
    record_id: Callable[[P], int]
    key: Callable[[P], K]
    records: Callable[[Any, Any, set[int]], Mapping[int, tuple[R, _InCycle]]]  # in the organisation
    stored: Callable[[Any, set[K]], dict[K, S]]
    unknown: str  # "Onbekende indicator {id}: ..."
    closed: Callable[[R, Any], str]
    outside: Callable[[P, R, Any], str | None] = lambda item, record, cycle: None
    duplicate: Callable[[P, R, int], str]  # (row, record, the earlier row's number)
    change: Callable[[P, R, Any, S | None], C]
    nothing: str  # the file held no filled-in row
    plan: Callable[[list[C], list["RowError"]], ThePlan]

    def __call__(self, session: Any, organisation: Any, table: "Table") -> ThePlan:
        if (missing := missing_columns(table, self.required)) is not None:
            return self.plan([], [missing])
        parsed, errors = parse_rows(table, filled=any_filled(*self.filled), parse=self.parse)
        records = self.records(session, organisation, {self.record_id(p) for p in parsed})
        stored = self.stored(session, {self.key(p) for p in parsed})
        seen: dict[K, int] = {}
        changes: list[C] = []
        for item in parsed:
            found = records.get(self.record_id(item))
            if found is None:
                errors.append(RowError(item.row, self.unknown.format(id=self.record_id(item))))
                continue
            record, cycle = found
            key = self.key(item)
            problem = (
                self.closed(record, cycle)
                if cycle.is_closed
                else self.outside(item, record, cycle)
                or (self.duplicate(item, record, seen[key]) if key in seen else None)
            )
            if problem:
                errors.append(RowError(item.row, problem))
                continue
            seen[key] = item.row
            changes.append(self.change(item, record, cycle, stored.get(key)))
        return self.plan(changes, errors).finish(self.nothing)
