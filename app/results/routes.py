"""Step 2: maatschappelijke resultaten in priority order, with their indicators."""

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from app.cycles import service as cycles_service
from app.cycles.routes import step_context
from app.cycles.steps import step_url
from app.db import SessionDep
from app.downloads import attachment, csv_lines, xlsx_bytes
from app.errors import NotFound
from app.forms import FormDep
from app.ids import RecordId
from app.organisations.deps import CurrentMember, CurrentOrganisation
from app.organisations.permissions import require_cycle_runner
from app.resources import NEXT_FIELD, add_form_routes, commit_or_conflict, safe_next
from app.results import catalogue, measurement_import
from app.results import service as results_service
from app.results.measurement_import import ImportPlan, RowError
from app.results.resources import indicators, result_stories, results
from app.templating import render, see_other
from app.uploads import MAX_BYTES, XLSX_MEDIA_TYPE, UnreadableFile, read_table

router = APIRouter()
for resource in (results, indicators, result_stories):
    add_form_routes(router, resource)


@router.get("/cycli/{cycle_id:int}/stappen/2", name="step:2")
def step_2(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, cycle_id: RecordId
) -> Response:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    return render(
        request,
        "results/step_2.html",
        {
            **step_context(cycle, 2),
            "results": results_service.list_results(session, cycle),
            "resource": results,
            "form": results.blank_form(cycle.id),
            "indicators": indicators,
            "stories": results_service.list_stories(session, cycle),
            "result_stories": result_stories,
            "bbv_options": catalogue.options(),
        },
    )


@router.post("/resultaten/{result_id:int}/verplaatsen", name="result:move")
def move_result(
    session: SessionDep, member: CurrentMember, result_id: RecordId, form: FormDep
) -> Response:
    """Move a result one place up or down in the priority list (buttons work without JS)."""
    require_cycle_runner(member)
    organisation = member.organisation
    result = results_service.get_result(session, organisation, result_id)
    step = -1 if form.get("richting") == "omhoog" else 1
    results_service.move_result(session, result, result.rank + step)
    session.commit()
    return see_other(
        safe_next(form.get(NEXT_FIELD)) or step_url(result.cycle_id, 2, f"resultaat-{result.id}")
    )


# Measurements in and out as a spreadsheet

IMPORT_PAGE = "results/measurement_import.html"
CSV_TYPE = "text/csv; charset=utf-8"


def _import_context(organisation, **extra) -> dict:
    return {"nav": "themes", "columns": measurement_import.COLUMNS, "saved": None, **extra}


@router.get("/metingen/importeren", name="measurements:import")
def import_page(request: Request, member: CurrentMember) -> Response:
    saved = request.query_params.get("opgeslagen", "")
    return render(
        request,
        IMPORT_PAGE,
        _import_context(
            member.organisation, saved=int(saved) if saved.isdigit() and len(saved) < 7 else None
        ),
    )


def _download(session, organisation, *, kind: str, fmt: str) -> Response:
    if kind == "sjabloon":
        rows = list(measurement_import.template_rows(session, organisation))
        name = f"Kompas metingen sjabloon {organisation.name}"
    else:
        rows = list(measurement_import.export_rows(session, organisation))
        name = f"Kompas metingen {organisation.name}"
    header = list(measurement_import.COLUMNS)
    if fmt == "xlsx":
        return Response(
            xlsx_bytes("Metingen", header, rows),
            media_type=XLSX_MEDIA_TYPE,
            headers=attachment(f"{name}.xlsx"),
        )
    body = "\ufeff" + "".join(
        csv_lines(header, (measurement_import.as_csv_cells(row) for row in rows))
    )
    return Response(body, media_type=CSV_TYPE, headers=attachment(f"{name}.csv"))


@router.get("/metingen/sjabloon.{fmt}", name="measurements:template")
def download_template(session: SessionDep, organisation: CurrentOrganisation, fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        raise NotFound("Het sjabloon is er als .csv en als .xlsx.")
    return _download(session, organisation, kind="sjabloon", fmt=fmt)


@router.get("/metingen/export.{fmt}", name="measurements:export")
def download_export(session: SessionDep, organisation: CurrentOrganisation, fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        raise NotFound("De export is er als .csv en als .xlsx.")
    return _download(session, organisation, kind="export", fmt=fmt)


def _plan_page(request, organisation, plan, *, status_code: int) -> Response:
    return render(
        request,
        IMPORT_PAGE,
        _import_context(organisation, plan=plan, kinds=measurement_import.ChangeKind),
        status_code=status_code,
    )


@router.post("/metingen/importeren", name="measurements:preview")
async def preview_import(request: Request, session: SessionDep, member: CurrentMember) -> Response:
    """Check an uploaded file and show what it would change; nothing is saved yet."""
    require_cycle_runner(member)
    form = await request.form()
    upload = form.get("bestand")
    if not isinstance(upload, UploadFile) or not upload.filename:
        plan = ImportPlan([], [RowError(None, "Kies een .csv- of .xlsx-bestand.")])
        return _plan_page(request, member.organisation, plan, status_code=422)
    content = await upload.read(MAX_BYTES + 1)
    try:
        table = read_table(upload.filename, content)
    except UnreadableFile as exc:
        plan = ImportPlan([], [RowError(None, exc.message)])
        return _plan_page(request, member.organisation, plan, status_code=422)
    plan = measurement_import.plan_import(session, member.organisation, table)
    return _plan_page(request, member.organisation, plan, status_code=422 if plan.errors else 200)


@router.post("/metingen/importeren/bevestigen", name="measurements:import-confirm")
def confirm_import(
    request: Request, session: SessionDep, member: CurrentMember, form: FormDep
) -> Response:
    """Save the previewed rows, checked once more, all at once or not at all."""
    require_cycle_runner(member)
    content = form.get("inhoud", "")
    try:
        table = read_table("import.csv", content.encode())
    except UnreadableFile as exc:
        plan = ImportPlan([], [RowError(None, exc.message)])
        return _plan_page(request, member.organisation, plan, status_code=422)
    plan = measurement_import.plan_import(session, member.organisation, table)
    if plan.errors:
        return _plan_page(request, member.organisation, plan, status_code=422)
    saved = measurement_import.apply_import(session, plan)
    commit_or_conflict(session)
    return see_other(f"/metingen/importeren?opgeslagen={saved}")
