"""Steps 3 to 5: activities and their links to results, input kwaliteit, and outcome."""

from typing import Any

from fastapi import Request
from starlette.responses import Response

from app.activities import service as activities_service
from app.activities import spending_import
from app.activities.models import ActivityEvidence
from app.activities.resources import (
    activities,
    activity_indicators,
    activity_stories,
    co_performers,
    links,
    measurements,
    quality_conditions,
    spending,
    working_elements,
)
from app.auth import CurrentMember, CurrentOrganisation, require_partner_work
from app.cycles import service as cycles_service
from app.cycles.step_page import step_context
from app.cycles.steps import step_url
from app.db import SessionDep
from app.forms import FormDep, FormInvalid, parse_form
from app.ids import RecordId
from app.imports import add_import_routes
from app.organisations import service as organisations_service
from app.resources import NEXT_FIELD, Resource, add_form_routes, safe_next
from app.results import service as results_service
from app.results.models import Indicator
from app.results.resources import indicators
from app.results.trend_chart import trend_chart
from app.routing import SectionRouter
from app.templating import render, see_other

router = SectionRouter()
for resource in (
    activities,
    links,
    working_elements,
    quality_conditions,
    activity_indicators,
    measurements,
    co_performers,
    activity_stories,
    spending,
):
    add_form_routes(router, resource)
add_import_routes(router, spending_import.SHEET)


@router.get("/cycli/{cycle_id:int}/stappen/3", name="step:3")
def step_3(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, cycle_id: RecordId
) -> Response:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    matrix = activities_service.matrix(session, cycle)
    return render(
        request,
        "activities/step_3.html",
        {
            **step_context(cycle, 3),
            "matrix": matrix,
            "results": matrix.results,
            "partners": organisations_service.list_partners(session, organisation),
            "resource": activities,
            "form": activities.blank_form(cycle.id),
            "links": links,
            "co_performers": co_performers,
            "spending": spending,
        },
    )


@router.get("/cycli/{cycle_id:int}/matrix", name="cycle:matrix")
def matrix_page(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, cycle_id: RecordId
) -> Response:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    return render(
        request,
        "activities/matrix.html",
        {
            "cycle": cycle,
            "matrix": activities_service.matrix(session, cycle),
            "nav": "themes",
        },
    )


@router.get("/cycli/{cycle_id:int}/stappen/4", name="step:4")
def step_4(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, cycle_id: RecordId
) -> Response:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    return render(
        request,
        "activities/step_4.html",
        {
            **step_context(cycle, 4),
            "activities": activities_service.list_activities(session, cycle),
            "working_elements": working_elements,
            "quality_conditions": quality_conditions,
        },
    )


@router.post("/activiteiten/{activity_id:int}/erkenning", name="activity:evidence")
def set_evidence(
    session: SessionDep, member: CurrentMember, activity_id: RecordId, form: FormDep
) -> Response:
    activity = activities_service.get_activity(session, member.organisation, activity_id)
    require_partner_work(member, activity.partner_id)
    organisation = member.organisation
    activity = activities_service.get_activity(session, organisation, activity_id)
    next_url = safe_next(form.get(NEXT_FIELD)) or step_url(
        activity.cycle_id, 4, f"kwaliteit-{activity.id}"
    )
    try:
        data = parse_form(ActivityEvidence, form)
    except FormInvalid:
        # The select offers only valid levels; anything else is a tampered request.
        return see_other(next_url)
    activities_service.set_evidence_level(session, activity, data.evidence_level)
    session.commit()
    return see_other(next_url)


@router.get("/cycli/{cycle_id:int}/stappen/5", name="step:5")
def step_5(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, cycle_id: RecordId
) -> Response:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    return render(
        request,
        "activities/step_5.html",
        {
            **step_context(cycle, 5),
            "activities": activities_service.list_activities(session, cycle),
            "results": results_service.list_results(session, cycle),
            "activity_indicators": activity_indicators,
            "indicators": indicators,
            "measurement_resource": measurements,
            "stories": results_service.list_stories(session, cycle),
            "activity_stories": activity_stories,
        },
    )


@router.get("/indicatoren/{indicator_id:int}", name="indicator:page")
def indicator_page(
    request: Request, session: SessionDep, member: CurrentMember, indicator_id: RecordId
) -> Response:
    """One indicator with all its measurements: the curve, and the story behind it."""
    organisation = member.organisation
    indicator = results_service.get_indicator(session, organisation, indicator_id)
    cycle = cycles_service.get_cycle(session, organisation, indicator.cycle_id)
    resource: Resource[Any, Indicator]
    if indicator.result_id is not None:
        result = results_service.get_result(session, organisation, indicator.result_id)
        owner_label = f"Indicator bij resultaat {result.code or result.rank}: {result.text}"
        resource, step, anchor = indicators, 2, f"resultaat-{result.id}"
        can_measure = member.runs_cycles
    else:
        assert indicator.activity_id is not None  # an indicator has one owner
        activity = activities_service.get_activity(session, organisation, indicator.activity_id)
        owner_label = f"Indicator bij activiteit {activity.name}"
        resource, step, anchor = activity_indicators, 5, f"outcome-{activity.id}"
        can_measure = member.works_for(activity.partner_id)
    form = measurements.blank_form(indicator.id)
    series = results_service.indicator_series(session, indicator)
    return render(
        request,
        "results/indicator.html",
        {
            "cycle": cycle,
            "indicator": indicator,
            "series": series,
            "chart": trend_chart(
                indicator, [m for part in series for m in part.indicator.measurements]
            ),
            "owner_label": owner_label,
            "can_measure": can_measure,
            "resource": resource,
            "measurements": measurements,
            "form": form,
            "next": request.url.path,
            "step": step,
            "back": step_url(cycle.id, step, anchor),
            "back_label": f"stap {step}",
            "nav": "themes",
        },
    )
