"""Step 6: reflections, improvement actions, decisions per activity, and the next cycle."""

from collections.abc import Mapping

from fastapi import Request
from starlette.responses import Response

from app.activities import service as activities_service
from app.auth import CurrentMember, CurrentOrganisation, require_cycle_runner
from app.cycles import service as cycles_service
from app.cycles.models import Cycle, CyclePeriod
from app.cycles.step_page import step_context
from app.cycles.steps import cycle_url
from app.db import SessionDep
from app.errors import InvalidInput
from app.forms import FormDep, FormInvalid, FormState, parse_form
from app.ids import RecordId
from app.improvement import rollover
from app.improvement import service as improvement_service
from app.improvement.resources import actions, decisions, reflections, result_decisions
from app.resources import add_form_routes
from app.results import service as results_service
from app.results.models import IndicatorTargets
from app.routing import SectionRouter
from app.tables import utc_now
from app.templating import render, see_other

router = SectionRouter()
for resource in (reflections, actions, decisions, result_decisions):
    add_form_routes(router, resource)


@router.get("/cycli/{cycle_id:int}/stappen/6", name="step:6")
def step_6(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, cycle_id: RecordId
) -> Response:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    activity_list = activities_service.list_activities(session, cycle)
    decided = improvement_service.decisions_by_activity(session, cycle)
    return render(
        request,
        "improvement/step_6.html",
        {
            **step_context(cycle, 6),
            "reflections": improvement_service.list_reflections(session, cycle),
            "carried_forward": improvement_service.carried_forward(session, cycle)
            if cycle.is_closed
            else set(),
            "activities": activity_list,
            "results": results_service.list_results(session, cycle),
            "decided": decided,
            "decided_results": improvement_service.decisions_by_result(session, cycle),
            "result_decisions": result_decisions,
            "next_statuses": rollover.next_statuses(activity_list, decided),
            "resource": reflections,
            "form": reflections.blank_form(cycle.id),
            "actions": actions,
            "decisions": decisions,
        },
    )


TARGET_LABELS = {
    "baseline_value": "Nulmeting",
    "baseline_date": "Datum nulmeting",
    "target_value": "Streefwaarde",
    "target_date": "Streefdatum",
}


PERIOD_LABELS = {"start_year": "Beginjaar", "end_year": "Eindjaar"}


def _handover_form(handover: rollover.Handover) -> FormState:
    """One form for the period and all indicators; field names carry the indicator id:
    `target_date-12`."""
    state = FormState(id="overdracht")
    state.values.update(
        start_year=str(handover.period.start_year), end_year=str(handover.period.end_year)
    )
    for row in handover.indicators:
        for name, value in FormState.of(row.proposal).values.items():
            state.values[f"{name}-{row.indicator.id}"] = value
    state.labels = dict(PERIOD_LABELS) | {
        f"{name}-{row.indicator.id}": f"{row.indicator.name}: {label.lower()}"
        for row in handover.indicators
        for name, label in TARGET_LABELS.items()
    }
    return state


def _chosen_period(cycle: Cycle, given: Mapping[str, str]) -> tuple[CyclePeriod | None, dict]:
    """The period typed on the hand-over form (None: the proposal) and the messages."""
    if not any(given.get(name, "").strip() for name in PERIOD_LABELS):
        return None, {}
    fields = {name: given.get(name, "") for name in PERIOD_LABELS}
    try:
        period = parse_form(CyclePeriod, fields, horizon_years=cycle.horizon_years)
        cycles_service.check_next_period(cycle, period, utc_now().date())
    except FormInvalid as exc:
        return None, exc.state.errors
    except InvalidInput as exc:
        return None, exc.errors
    return period, {}


def _read_targets(
    handover: rollover.Handover, form: dict[str, str], state: FormState
) -> dict[int, IndicatorTargets]:
    """The confirmed nulmeting and streefwaarde per indicator id; messages land in `state`.

    An indicator whose fields were not sent keeps the proposal (a client without the form).
    """
    targets: dict[int, IndicatorTargets] = {}
    for row in handover.indicators:
        suffix = f"-{row.indicator.id}"
        if not any(name + suffix in form for name in TARGET_LABELS):
            continue
        fields = {name: form.get(name + suffix, "") for name in TARGET_LABELS}
        try:
            chosen = parse_form(IndicatorTargets, fields)
            results_service.check_targets(row.indicator, chosen)
        except FormInvalid as exc:
            state.errors.update({name + suffix: m for name, m in exc.state.errors.items()})
            continue
        except InvalidInput as exc:
            state.errors.update({name + suffix: m for name, m in exc.errors.items()})
            continue
        assert row.indicator.id is not None  # a stored row
        targets[row.indicator.id] = chosen
    return targets


def _handover_page(
    request: Request, handover: rollover.Handover, form: FormState, status_code: int = 200
) -> Response:
    return render(
        request,
        "improvement/next_cycle.html",
        {"handover": handover, "cycle": handover.cycle, "form": form, "nav": "themes"},
        status_code=status_code,
    )


@router.get("/cycli/{cycle_id:int}/volgende-cyclus", name="cycle:next-confirm")
def confirm_next_cycle(
    request: Request, session: SessionDep, member: CurrentMember, cycle_id: RecordId
) -> Response:
    require_cycle_runner(member)
    cycle = cycles_service.get_cycle(session, member.organisation, cycle_id)
    handover = rollover.plan_handover(session, cycle)
    return _handover_page(request, handover, _handover_form(handover))


@router.post("/cycli/{cycle_id:int}/volgende-cyclus", name="cycle:next")
def start_next_cycle(
    request: Request, session: SessionDep, member: CurrentMember, cycle_id: RecordId, form: FormDep
) -> Response:
    """Starts the next cycle; with `_periode` (the period's own button) it only plans the
    chosen period again, so the proposed streefdata follow it."""
    require_cycle_runner(member)
    cycle = cycles_service.get_cycle(session, member.organisation, cycle_id)
    period, period_errors = _chosen_period(cycle, form)
    handover = rollover.plan_handover(session, cycle, period)
    state = _handover_form(handover)
    if "_periode" in form:
        state.values.update({k: v for k, v in form.items() if k in PERIOD_LABELS})
        state.errors.update(period_errors)
        return _handover_page(request, handover, state, status_code=422 if period_errors else 200)
    state.values.update({k: v for k, v in form.items() if k in state.labels})
    state.errors.update(period_errors)
    targets = _read_targets(handover, form, state)
    if state.errors:
        return _handover_page(request, handover, state, status_code=422)
    try:
        new_cycle = rollover.start_next_cycle(session, cycle, targets, handover.period)
    except InvalidInput as exc:  # a proposal from a meting out of range; nothing was written
        state.errors.update(exc.errors)
        return _handover_page(request, handover, state, status_code=422)
    session.commit()
    return see_other(cycle_url(new_cycle.id))
