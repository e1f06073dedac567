"""Rapportage: the council report per theme cycle or for the whole organisation, as a print
view and as PDF, Word and Excel; the A4 summary per theme; the comparison of two cycles.

Long exports: a download link opens a page that says the file is being made and starts the
download itself (a meta refresh, no script); the file is made on request in that second
request, so no job lives in one process's memory and any worker can serve it. That request
waits its turn at the export gate, and meanwhile the page shows its place in line
(app/exports.py). Every member, lezer included, may read and export.
"""

from fastapi import Request
from starlette.responses import Response

from app.auth import CurrentMember, CurrentOrganisation
from app.cycles import service as cycles_service
from app.db import SessionDep
from app.downloads import attachment
from app.exports import export_page
from app.ids import RecordId
from app.reports import comparison, pdf
from app.reports import service as reports_service
from app.reports.content import STATUS_RULE, Report
from app.reports.formats import export_format
from app.results.trend_chart import FORECAST_RULE
from app.routing import SectionRouter
from app.scenarios import service as scenarios_service
from app.templating import render

router = SectionRouter()


def _file(report: Report, fmt: str) -> Response:
    made = export_format(fmt)
    return Response(
        made.make(report),
        media_type=made.media_type,
        headers=attachment(f"{report.file_name()}.{fmt}"),
    )


def _cycle_report(session: SessionDep, member: CurrentMember, cycle_id: int) -> Report:
    """The cycle's report as `member` may read it (a partner: their own part of a cut)."""
    cycle = cycles_service.get_cycle(session, member.organisation, cycle_id)
    return reports_service.cycle_report(
        session, member.organisation, cycle, scenarios_service.own_part(member)
    )


def _export_page(request: Request, fmt: str, scope: str, back: str) -> Response:
    return export_page(
        request,
        label=f"{export_format(fmt).label} van het verslag",
        scope=scope,
        crumbs=[("Rapportage", "/rapportage")],
        back=("Terug naar het verslag", back),
        nav="reports",
    )


@router.get("/rapportage", name="reports:index")
def index(request: Request, session: SessionDep, organisation: CurrentOrganisation) -> Response:
    themes = cycles_service.list_themes(session, organisation)
    return render(
        request,
        "reports/index.html",
        {
            "themes": themes,
            "chosen": {c.id for c in reports_service.report_cycles(session, organisation)},
            "nav": "reports",
        },
    )


@router.get("/rapportage/organisatie", name="reports:organisation")
def organisation_report(request: Request, session: SessionDep, member: CurrentMember) -> Response:
    return render(
        request,
        "reports/report.html",
        {
            "report": reports_service.organisation_report(
                session, member.organisation, scenarios_service.own_part(member)
            ),
            "cycle": None,
            "status_rule": STATUS_RULE,
            "forecast_rule": FORECAST_RULE,
            "nav": "reports",
        },
    )


@router.get("/rapportage/organisatie/{fmt}", name="reports:organisation-export")
def organisation_export(request: Request, organisation: CurrentOrganisation, fmt: str) -> Response:
    return _export_page(request, fmt, "Hele organisatie", "/rapportage/organisatie")


@router.get("/rapportage/organisatie/{fmt}/bestand", name="reports:organisation-file")
def organisation_file(session: SessionDep, member: CurrentMember, fmt: str) -> Response:
    export_format(fmt)
    report = reports_service.organisation_report(
        session, member.organisation, scenarios_service.own_part(member)
    )
    return _file(report, fmt)


@router.get("/cycli/{cycle_id:int}/rapportage", name="reports:cycle")
def cycle_report(
    request: Request, session: SessionDep, member: CurrentMember, cycle_id: RecordId
) -> Response:
    report = _cycle_report(session, member, cycle_id)
    cycle = cycles_service.get_cycle(session, member.organisation, cycle_id)
    return render(
        request,
        "reports/report.html",
        {
            "report": report,
            "cycle": cycle,
            "compare": cycle.previous_cycle_id is not None,
            "status_rule": STATUS_RULE,
            "forecast_rule": FORECAST_RULE,
            "nav": "reports",
        },
    )


@router.get("/cycli/{cycle_id:int}/rapportage/{fmt}", name="reports:cycle-export")
def cycle_export(
    request: Request,
    session: SessionDep,
    organisation: CurrentOrganisation,
    cycle_id: RecordId,
    fmt: str,
) -> Response:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    scope = f"Thema {cycle.theme.name}, cyclus {cycle.period}"
    return _export_page(request, fmt, scope, f"/cycli/{cycle.id}/rapportage")


@router.get("/cycli/{cycle_id:int}/rapportage/{fmt}/bestand", name="reports:cycle-file")
def cycle_file(
    session: SessionDep, member: CurrentMember, cycle_id: RecordId, fmt: str
) -> Response:
    export_format(fmt)
    return _file(_cycle_report(session, member, cycle_id), fmt)


@router.get("/cycli/{cycle_id:int}/samenvatting", name="reports:summary")
def summary(
    request: Request, session: SessionDep, member: CurrentMember, cycle_id: RecordId
) -> Response:
    report = _cycle_report(session, member, cycle_id)
    cycle = cycles_service.get_cycle(session, member.organisation, cycle_id)
    return render(
        request,
        "reports/summary.html",
        {
            "report": report,
            "cycle": cycle,
            "nav": "reports",
        },
    )


@router.get("/cycli/{cycle_id:int}/samenvatting/pdf", name="reports:summary-pdf")
def summary_export(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, cycle_id: RecordId
) -> Response:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    summary_url = f"/cycli/{cycle.id}/samenvatting"
    return export_page(
        request,
        label="Samenvatting als PDF",
        scope=f"Thema {cycle.theme.name}, cyclus {cycle.period}",
        crumbs=[("Rapportage", "/rapportage"), ("Samenvatting", summary_url)],
        back=("Terug naar de samenvatting", summary_url),
        nav="reports",
    )


@router.get("/cycli/{cycle_id:int}/samenvatting/pdf/bestand", name="reports:summary-file")
def summary_file(session: SessionDep, member: CurrentMember, cycle_id: RecordId) -> Response:
    report = _cycle_report(session, member, cycle_id)
    return Response(
        pdf.summary_pdf(report),
        media_type="application/pdf",
        headers=attachment(f"{report.file_name('Samenvatting')}.pdf"),
    )


@router.get("/cycli/{cycle_id:int}/vergelijking", name="reports:compare")
def compare(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, cycle_id: RecordId
) -> Response:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    return render(
        request,
        "reports/compare.html",
        {
            "cycle": cycle,
            "comparison": comparison.compare(session, organisation, cycle),
            "nav": "reports",
        },
    )
