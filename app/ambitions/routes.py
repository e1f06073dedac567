"""Step 0 (begrippen and partners) and step 1 (monitoring picture and the ambition)."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.ambitions import service as ambitions_service
from app.ambitions.models import AmbitionWrite
from app.ambitions.resources import terms
from app.cycles import service as cycles_service
from app.cycles.models import Cycle
from app.cycles.resources import monitoring_items
from app.cycles.routes import step_context
from app.cycles.steps import step_url
from app.db import SessionDep
from app.forms import FormDep, FormInvalid, FormState, parse_form
from app.organisations import service as organisations_service
from app.organisations.deps import CurrentOrganisation
from app.resources import NEXT_FIELD, SECTION_FIELD, add_form_routes, safe_next
from app.templating import render, render_invalid_form, see_other

router = APIRouter()
add_form_routes(router, terms)

AMBITION_LABELS = {
    "text": "Ambitie",
    "status": "Status",
    "agreed_on": "Vastgesteld op",
}


@router.get("/cycli/{cycle_id:int}/stappen/0", name="step:0")
def step_0(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, cycle_id: int
) -> Response:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    return render(
        request,
        "ambitions/step_0.html",
        {
            **step_context(cycle, 0),
            "terms": ambitions_service.list_terms(session, cycle),
            "partners": organisations_service.list_partners(session, organisation),
            "resource": terms,
            "form": terms.blank_form(cycle.id),
        },
    )


def _ambition_form(ambition) -> FormState:
    if ambition is None:
        return FormState(id="ambition", labels=AMBITION_LABELS)
    state = FormState.of(AmbitionWrite.model_validate(ambition))
    state.id, state.labels = "ambition", AMBITION_LABELS
    return state


def _step_1_context(session, cycle: Cycle, ambition_form: FormState | None = None) -> dict:
    ambition = ambitions_service.get_ambition(session, cycle)
    return {
        **step_context(cycle, 1),
        "ambition": ambition,
        "ambition_form": ambition_form or _ambition_form(ambition),
        "monitoring": cycles_service.list_monitoring_items(session, cycle),
        "resource": monitoring_items,
        "form": monitoring_items.blank_form(cycle.id),
    }


@router.get("/cycli/{cycle_id:int}/stappen/1", name="step:1")
def step_1(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, cycle_id: int
) -> Response:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    return render(request, "ambitions/step_1.html", _step_1_context(session, cycle))


@router.get("/cycli/{cycle_id:int}/ambitie/bewerken", name="ambition:edit")
def edit_ambition(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, cycle_id: int
) -> Response:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    return render(
        request,
        "ambitions/ambition_form.html",
        {
            "cycle": cycle,
            "form": _ambition_form(ambitions_service.get_ambition(session, cycle)),
            "next": safe_next(request.query_params.get("next")) or step_url(cycle.id, 1),
            "section": request.query_params.get("sectie"),
        },
    )


@router.post("/cycli/{cycle_id:int}/ambitie", name="ambition:save")
def save_ambition(
    request: Request,
    session: SessionDep,
    organisation: CurrentOrganisation,
    cycle_id: int,
    form: FormDep,
) -> Response:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    next_url = safe_next(form.get(NEXT_FIELD)) or step_url(cycle.id, 1, "ambition-section")
    try:
        data = parse_form(AmbitionWrite, form)
    except FormInvalid as exc:
        exc.state.id, exc.state.labels = "ambition", AMBITION_LABELS
        return render_invalid_form(
            request,
            "ambitions/ambition_form.html",
            {
                "cycle": cycle,
                "form": exc.state,
                "next": next_url,
                "section": form.get(SECTION_FIELD),
            },
            form_id="ambition",
        )
    ambitions_service.save_ambition(session, cycle, data)
    session.commit()
    return see_other(next_url)


@router.post("/ambitie-versies/{draft_id:int}/terugzetten", name="ambition:restore")
def restore_draft(
    session: SessionDep, organisation: CurrentOrganisation, draft_id: int
) -> Response:
    draft = ambitions_service.get_draft(session, organisation, draft_id)
    ambition = ambitions_service.restore_draft(session, draft)
    session.commit()
    return see_other(step_url(ambition.cycle_id, 1, "ambition-section"))
