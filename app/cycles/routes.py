"""Pages that change themes, cycles, step status and the monitoring picture."""

from fastapi import Request
from starlette.responses import Response

from app.auth import CurrentMember, Member, require_cycle_runner
from app.cycles import service as cycles_service
from app.cycles.models import CycleStep, CycleStepBase
from app.cycles.resources import cycles, monitoring_items, themes
from app.cycles.step_page import STEP_LABELS
from app.cycles.steps import STEPS, step_url
from app.db import SessionDep
from app.forms import FormDep, FormInvalid, FormState, parse_form
from app.ids import RecordId
from app.resources import (
    NEXT_FIELD,
    add_form_routes,
    commit_or_conflict,
    opened_version,
    safe_next,
)
from app.routing import SectionRouter
from app.templating import render, render_invalid_form, see_other

router = SectionRouter()

for resource in (themes, cycles, monitoring_items):
    add_form_routes(router, resource)

STEP_STALE = (
    "Iemand anders heeft de status of aantekeningen van deze stap intussen gewijzigd. Er is "
    "niets overschreven; hieronder staat wat nu is opgeslagen."
)


def _step_form(
    request: Request,
    session: SessionDep,
    member: Member,
    cycle_step: CycleStep,
    state: FormState,
    next_url: str | None,
    *,
    status_code: int = 200,
    stored: CycleStep | None = None,
) -> Response:
    cycle = cycles_service.get_cycle(session, member.organisation, cycle_step.cycle_id)
    state.id = f"step-{cycle_step.number}"
    state.labels = STEP_LABELS
    context = {
        "cycle": cycle,
        "cycle_step": cycle_step,
        "definition": STEPS[cycle_step.number],
        "form": state,
        "next": next_url or step_url(cycle.id, cycle_step.number),
        "stored": stored,
    }
    if status_code != 200:
        return render_invalid_form(
            request, "cycles/step_form.html", context, form_id=state.id, status_code=status_code
        )
    return render(request, "cycles/step_form.html", context)


@router.get("/stappen/{step_id}/bewerken", name="step:edit")
def edit_step(
    request: Request, session: SessionDep, member: CurrentMember, step_id: RecordId
) -> Response:
    require_cycle_runner(member)
    cycle_step = cycles_service.get_step(session, member.organisation, step_id)
    state = FormState.of(CycleStepBase.model_validate(cycle_step))
    next_url = safe_next(request.query_params.get("next"))
    return _step_form(request, session, member, cycle_step, state, next_url)


@router.post("/stappen/{step_id}", name="step:update")
def update_step(
    request: Request,
    session: SessionDep,
    member: CurrentMember,
    step_id: RecordId,
    form: FormDep,
) -> Response:
    require_cycle_runner(member)
    cycle_step = cycles_service.get_step(session, member.organisation, step_id)
    next_url = safe_next(form.get(NEXT_FIELD))
    if opened_version(form) != cycle_step.version:
        state = FormState(values=dict(form), errors={"__all__": STEP_STALE})
        return _step_form(
            request,
            session,
            member,
            cycle_step,
            state,
            next_url,
            status_code=409,
            stored=cycle_step,
        )
    try:
        data = parse_form(CycleStepBase, form)
    except FormInvalid as exc:
        return _step_form(
            request, session, member, cycle_step, exc.state, next_url, status_code=422
        )
    cycles_service.update_step(session, cycle_step, data)
    commit_or_conflict(session)
    return see_other(next_url or step_url(cycle_step.cycle_id, cycle_step.number))
