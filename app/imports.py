"""The pages every spreadsheet import shares: the template and the export (CSV and .xlsx),
the upload that is checked and previewed, and the confirmation that saves it all at once.

A package describes its import as a `SheetImport` and adds the routes with
`add_import_routes`; the page is `import_page.html`, its preview table made of the
import's `PreviewColumn`s. How rows become changes is `uploads.Planner`, the same for every import.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from fastapi import APIRouter, Request
from sqlmodel import Session
from starlette.datastructures import UploadFile
from starlette.responses import Response

from app.auth import CurrentMember, require_cycle_runner
from app.db import SessionDep
from app.downloads import attachment, csv_lines, xlsx_bytes
from app.errors import NotFound
from app.formatting import format_date, input_number
from app.forms import FormDep
from app.organisations.models import Organisation
from app.resources import commit_or_conflict
from app.templating import render, see_other
from app.uploads import (
    MAX_BYTES,
    XLSX_MEDIA_TYPE,
    ChangeKind,
    RowError,
    Table,
    UnreadableFile,
    read_table,
)

CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = ("csv", "xlsx")


class Plan(Protocol):
    errors: list[RowError]

    def content(self) -> str: ...

    @property
    def to_save(self) -> list[Any]: ...


@dataclass(frozen=True)
class _Unreadable:
    """A plan for a file that could not be read at all."""

    errors: list[RowError]
    changes: tuple[()] = ()
    to_save: tuple[()] = ()

    def content(self) -> str:
        return ""


@dataclass(frozen=True, kw_only=True)
class PreviewColumn:
    """A column of the preview table: what a row will store and, where it replaces something
    else, what is stored now (struck through)."""

    header: str
    cell: Callable[[Any], str]
    before: Callable[[Any], str | None] | None = None  # None: nothing replaced
    detail: Callable[[Any], str] | None = None  # muted, after the cell (theme and period)
    numeric: bool = False


@dataclass(frozen=True, kw_only=True)
class SheetImport:
    name: str  # route names: "measurements" -> measurements:import
    path: str  # "/metingen"
    title: str  # "Metingen importeren en exporteren"
    what: str  # "metingen": used in messages
    one: str  # "meting"
    columns: tuple[str, ...]
    required: tuple[str, ...]
    preview: tuple[PreviewColumn, ...]
    intro_template: str
    plan: Callable[[Session, Organisation, Table], Plan]
    apply: Callable[[Session, Any], int]
    template_rows: Callable[[Session, Organisation], Iterator[list[Any]]]
    export_rows: Callable[[Session, Organisation], Iterator[list[Any]]]


def csv_cells(row: list[Any]) -> list[Any]:
    """Dates and numbers the way a Dutch spreadsheet reads them back (31-12-2024, 12,5)."""
    cells: list[Any] = []
    for value in row:
        if isinstance(value, date):
            cells.append(format_date(value, "short"))
        elif isinstance(value, Decimal):
            cells.append(input_number(value))
        elif value is None:
            cells.append("")
        else:
            cells.append(value)
    return cells


def add_import_routes(router: APIRouter, sheet: SheetImport) -> None:
    def context(**extra: Any) -> dict[str, Any]:
        return {"nav": "themes", "sheet": sheet, "saved": None, "kinds": ChangeKind, **extra}

    def plan_page(request: Request, plan: Any, status_code: int) -> Response:
        return render(request, "import_page.html", context(plan=plan), status_code=status_code)

    @router.get(f"{sheet.path}/importeren", name=f"{sheet.name}:import")
    def import_page(request: Request, member: CurrentMember) -> Response:
        saved = request.query_params.get("opgeslagen", "")
        count = int(saved) if saved.isascii() and saved.isdigit() and len(saved) < 7 else None
        return render(request, "import_page.html", context(saved=count))

    def download(session: Session, organisation: Organisation, kind: str, fmt: str) -> Response:
        if fmt not in FORMATS:
            raise NotFound("Dit bestand is er als .csv en als .xlsx.")
        rows_of = sheet.template_rows if kind == "sjabloon" else sheet.export_rows
        rows = list(rows_of(session, organisation))
        name = f"Kompas {sheet.what} {kind} {organisation.name}.{fmt}"
        header = list(sheet.columns)
        if fmt == "xlsx":
            body = xlsx_bytes(sheet.what.capitalize(), header, rows)
            return Response(body, media_type=XLSX_MEDIA_TYPE, headers=attachment(name))
        text = "\ufeff" + "".join(csv_lines(header, (csv_cells(row) for row in rows)))
        return Response(text, media_type=CSV_TYPE, headers=attachment(name))

    @router.get(f"{sheet.path}/sjabloon.{{fmt}}", name=f"{sheet.name}:template")
    def download_template(session: SessionDep, member: CurrentMember, fmt: str) -> Response:
        return download(session, member.organisation, "sjabloon", fmt)

    @router.get(f"{sheet.path}/export.{{fmt}}", name=f"{sheet.name}:export")
    def download_export(session: SessionDep, member: CurrentMember, fmt: str) -> Response:
        return download(session, member.organisation, "export", fmt)

    @router.post(f"{sheet.path}/importeren", name=f"{sheet.name}:preview")
    async def preview(request: Request, session: SessionDep, member: CurrentMember) -> Response:
        """Check an uploaded file and show what it would change; nothing is saved yet."""
        require_cycle_runner(member)
        upload = (await request.form()).get("bestand")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return plan_page(
                request, _Unreadable([RowError(None, "Kies een .csv- of .xlsx-bestand.")]), 422
            )
        try:
            table = read_table(upload.filename, await upload.read(MAX_BYTES + 1))
        except UnreadableFile as exc:
            return plan_page(request, _Unreadable([RowError(None, exc.message)]), 422)
        plan = sheet.plan(session, member.organisation, table)
        return plan_page(request, plan, 422 if plan.errors else 200)

    @router.post(f"{sheet.path}/importeren/bevestigen", name=f"{sheet.name}:import-confirm")
    def confirm(
        request: Request, session: SessionDep, member: CurrentMember, form: FormDep
    ) -> Response:
        """Save the previewed rows, checked once more, all at once or not at all."""
        require_cycle_runner(member)
        try:
            table = read_table("import.csv", form.get("inhoud", "").encode())
        except UnreadableFile as exc:
            return plan_page(request, _Unreadable([RowError(None, exc.message)]), 422)
        plan = sheet.plan(session, member.organisation, table)
        if plan.errors:
            return plan_page(request, plan, 422)
        saved = sheet.apply(session, plan)
        commit_or_conflict(session)
        return see_other(f"{sheet.path}/importeren?opgeslagen={saved}")
