"""Step 0 (begrippen and partners) and step 1 (monitoring picture and the ambition)."""

from fastapi import Request
from starlette.responses import Response

from app.ambitions import service as ambitions_service
from app.ambitions.models import AmbitionWrite
from app.ambitions.resources import table_members, terms
from app.auth import CurrentMember, CurrentOrganisation, require_cycle_runner
from app.cycles import service as cycles_service
from app.cycles.models import Cycle
from app.cycles.resources import monitoring_items
from app.cycles.step_page import step_context
from app.cycles.steps import step_url
from app.db import SessionDep
from app.forms import FormDep, FormInvalid, FormState, parse_form
from app.ids import RecordId
from app.organisations import service as organisations_service
from app.resources import (
    NEXT_FIELD,
    SECTION_FIELD,
    VERSION_FIELD,
    add_form_routes,
    commit_or_conflict,
    opened_version,
    safe_next,
)
from app.routing import SectionRouter
from app.templating import inline_section, render, render_invalid_form, see_other

router = SectionRouter()
add_form_routes(router, terms)
add_form_routes(router, table_members)

AMBITION_LABELS = {
    "text": "Ambitie",
    "status": "Status",
    "origin": "Uit welke sessie?",
    "perspective": "Vanuit welk perspectief?",
    "adopted_by": "Vastgesteld door",
    "agreed_on": "Vastgesteld op",
}


@router.get("/cycli/{cycle_id:int}/stappen/0", name="step:0")
def step_0(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, cycle_id: RecordId
) -> Response:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    return render(
        request,
        "ambitions/step_0.html",
        {
            **step_context(cycle, 0),
            "terms": ambitions_service.list_terms(session, cycle),
            "table": ambitions_service.list_table(session, cycle),
            "table_members": table_members,
            "partners": organisations_service.list_partners(session, organisation),
            "resource": terms,
            "form": terms.blank_form(cycle.id),
        },
    )


def _ambition_form(ambition) -> FormState:
    if ambition is None:
        return FormState(id="ambition", labels=AMBITION_LABELS)
    state = FormState.of(ambition, list(AmbitionWrite.model_fields))  # as stored, unchecked
    state.id, state.labels = "ambition", AMBITION_LABELS
    return state


def _step_1_context(session, cycle: Cycle, ambition_form: FormState | None = None) -> dict:
    ambition = ambitions_service.get_ambition(session, cycle)
    return {
        **step_context(cycle, 1),
        "ambition": ambition,
        "ambition_form": ambition_form or _ambition_form(ambition),
        "version": ambition.version if ambition else None,
        "monitoring": cycles_service.list_monitoring_items(session, cycle),
        "resource": monitoring_items,
        "form": monitoring_items.blank_form(cycle.id),
    }


@router.get("/cycli/{cycle_id:int}/stappen/1", name="step:1")
def step_1(
    request: Request, session: SessionDep, organisation: CurrentOrganisation, cycle_id: RecordId
) -> Response:
    cycle = cycles_service.get_cycle(session, organisation, cycle_id)
    return render(request, "ambitions/step_1.html", _step_1_context(session, cycle))


AMBITION_STALE = (
    "Iemand anders heeft de ambitie intussen gewijzigd. Er is niets overschreven; hieronder staat "
    "wat nu is opgeslagen."
)


def _ambition_page(
    request: Request,
    cycle,
    state: FormState,
    next_url: str,
    section: str | None,
    *,
    version: int | None,
    status_code: int = 200,
    stored=None,
) -> Response:
    context = {
        "cycle": cycle,
        "form": state,
        "next": next_url,
        "section": section,
        "version": version,
        "stored": stored,
    }
    if status_code != 200:
        return render_invalid_form(
            request,
            "ambitions/ambition_form.html",
            context,
            form_id="ambition",
            status_code=status_code,
        )
    return render(request, "ambitions/ambition_form.html", context)


@router.get("/cycli/{cycle_id:int}/ambitie/bewerken", name="ambition:edit")
def edit_ambition(
    request: Request, session: SessionDep, member: CurrentMember, cycle_id: RecordId
) -> Response:
    require_cycle_runner(member)
    cycle = cycles_service.get_cycle(session, member.organisation, cycle_id)
    ambition = ambitions_service.get_ambition(session, cycle)
    return _ambition_page(
        request,
        cycle,
        _ambition_form(ambition),
        safe_next(request.query_params.get("next")) or step_url(cycle.id, 1),
        inline_section(request),
        version=ambition.version if ambition else None,
    )


@router.post("/cycli/{cycle_id:int}/ambitie", name="ambition:save")
def save_ambition(
    request: Request,
    session: SessionDep,
    member: CurrentMember,
    cycle_id: RecordId,
    form: FormDep,
) -> Response:
    require_cycle_runner(member)
    cycle = cycles_service.get_cycle(session, member.organisation, cycle_id)
    next_url = safe_next(form.get(NEXT_FIELD)) or step_url(cycle.id, 1, "ambition-section")
    section = form.get(SECTION_FIELD)
    stored = ambitions_service.get_ambition(session, cycle)
    # A form opened before there was an ambition carries no version: it is stale once there is.
    opened_blank = form.get(VERSION_FIELD, "").strip() == ""
    if stored is not None and (opened_blank or opened_version(form) != stored.version):
        state = FormState(
            id="ambition",
            labels=AMBITION_LABELS,
            values=dict(form),
            errors={"__all__": AMBITION_STALE},
        )
        return _ambition_page(
            request,
            cycle,
            state,
            next_url,
            section,
            version=stored.version,
            status_code=409,
            stored=stored,
        )
    try:
        data = parse_form(AmbitionWrite, form)
    except FormInvalid as exc:
        exc.state.id, exc.state.labels = "ambition", AMBITION_LABELS
        return _ambition_page(
            request,
            cycle,
            exc.state,
            next_url,
            section,
            version=stored.version if stored else None,
            status_code=422,
        )
    ambitions_service.save_ambition(session, cycle, data)
    commit_or_conflict(session)
    return see_other(next_url)


@router.post("/ambitie-versies/{draft_id:int}/terugzetten", name="ambition:restore")
def restore_draft(session: SessionDep, member: CurrentMember, draft_id: RecordId) -> Response:
    require_cycle_runner(member)
    draft = ambitions_service.get_draft(session, member.organisation, draft_id)
    ambition = ambitions_service.restore_draft(session, draft)
    commit_or_conflict(session)
    return see_other(step_url(ambition.cycle_id, 1, "ambition-section"))
