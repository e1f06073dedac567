"""Pages that change themes, cycles, step status and the monitoring picture."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.cycles import service as cycles_service
from app.cycles.models import CycleStepBase
from app.cycles.resources import cycles, monitoring_items, themes
from app.cycles.steps import STEPS, step_url
from app.db import SessionDep
from app.forms import FormDep, FormInvalid, FormState, parse_form
from app.organisations.deps import CurrentOrganisation
from app.resources import NEXT_FIELD, add_form_routes, safe_next
from app.templating import render, render_invalid_form, see_other

router = APIRouter()

for resource in (themes, cycles, monitoring_items):
    add_form_routes(router, resource)

STEP_LABELS = {"status": "Status", "notes": "Aantekeningen"}


def _step_form(
    request: Request,
    session: SessionDep,
    organisation,
    step_id: int,
    state: FormState,
    next_url: str | None,
    *,
    invalid: bool = False,
) -> Response:
    cycle_step = cycles_service.get_step(session, organisation, step_id)
    cycle = cycles_service.get_cycle(session, organisation, cycle_step.cycle_id)
    state.id = f"step-{cycle_step.number}"
    state.labels = STEP_LABELS
    context = {
        "cycle": cycle,
        "cycle_step": cycle_step,
        "definition": STEPS[cycle_step.number],
        "form": state,
        "next": next_url or step_url(cycle.id, cycle_step.number),
    }
    if invalid:
        return render_invalid_form(request, "cycles/step_form.html", context, form_id=state.id)
    return render(request, "cycles/step_form.html", context)


@router.get("/stappen/{step_id}/bewerken", name="step:edit")
def edit_step(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, step_id: int
) -> Response:
    cycle_step = cycles_service.get_step(session, organisation, step_id)
    state = FormState.of(CycleStepBase.model_validate(cycle_step))
    return _step_form(
        request, session, organisation, step_id, state, safe_next(request.query_params.get("next"))
    )


@router.post("/stappen/{step_id}", name="step:update")
def update_step(
    request: Request,
    session: SessionDep,
    organisation: CurrentOrganisation,
    step_id: int,
    form: FormDep,
) -> Response:
    cycle_step = cycles_service.get_step(session, organisation, step_id)
    next_url = safe_next(form.get(NEXT_FIELD))
    try:
        data = parse_form(CycleStepBase, form)
    except FormInvalid as exc:
        return _step_form(
            request, session, organisation, step_id, exc.state, next_url, invalid=True
        )
    cycles_service.update_step(session, cycle_step, data)
    session.commit()
    return see_other(next_url or step_url(cycle_step.cycle_id, cycle_step.number))


def step_context(cycle, number: int) -> dict:
    """What every step page shows around its own content: the step, its status form, the cycle."""
    cycle_step = cycles_service.step_of(cycle, number)
    state = FormState.of(CycleStepBase.model_validate(cycle_step))
    state.id = f"step-{number}"
    state.labels = STEP_LABELS
    return {
        "cycle": cycle,
        "step_number": number,
        "cycle_step": cycle_step,
        "step_form": state,
        "next": step_url(cycle.id, number),
        "nav": "themes",
    }
