"""Step 2: maatschappelijke resultaten in priority order, with their indicators."""

from fastapi import Request
from starlette.responses import Response

from app.auth import CurrentMember, CurrentOrganisation, require_cycle_runner
from app.cycles import service as cycles_service
from app.cycles.step_page import step_context
from app.cycles.steps import step_url
from app.db import SessionDep
from app.forms import FormDep
from app.ids import RecordId
from app.imports import add_import_routes
from app.resources import NEXT_FIELD, add_form_routes, safe_next
from app.results import catalogue, measurement_import
from app.results import service as results_service
from app.results.resources import indicators, result_stories, results
from app.routing import SectionRouter
from app.templating import render, see_other

router = SectionRouter()
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
            "evidence": results_service.evidence_of_cycle(session, cycle),
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


add_import_routes(router, measurement_import.SHEET)
