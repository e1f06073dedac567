"""Partner update requests: the policy officer's page (`router`, signed in) and the partner's
link (`public_router`, no account: the token in the path is the only key)."""

from collections.abc import Callable

from fastapi import Request
from starlette.responses import Response

from app import mail, secret_hashing
from app.activities.models import SpendingCreate
from app.auth import (
    CSRF_MESSAGE,
    LINK_ACTOR,
    ORIGIN,
    CurrentMember,
    LinkActor,
    client_address,
    require_cycle_runner,
)
from app.db import SessionDep
from app.errors import Forbidden, InvalidInput
from app.forms import FormDep, FormInvalid, FormState, invalid_input_state, parse_form
from app.ids import RecordId
from app.organisations import service as organisations_service
from app.partner_requests import service
from app.partner_requests.models import PartnerRequestCreate
from app.resources import commit_or_conflict
from app.results.models import MeasurementCreate
from app.routing import SectionRouter
from app.tables import row_id, utc_now
from app.templating import render, see_other

router = SectionRouter()
public_router = SectionRouter()

REQUEST_LABELS = {
    "partner_id": "Partner",
    "due_on": "Graag uiterlijk op",
    "message": "Bericht aan de partner",
}
MEASUREMENT_LABELS = {
    "measured_on": "Datum",
    "value": "Waarde",
    "story": "Verhaal achter de cijfers",
}
SPENDING_LABELS = {
    "year": "Jaar",
    "planned": "Begroot (euro)",
    "actual": "Werkelijk uitgegeven (euro)",
    "note": "Toelichting",
}


# The policy officer's side


def _list_page(
    request: Request,
    session: SessionDep,
    member: CurrentMember,
    *,
    form: FormState | None = None,
    link: str | None = None,
    status_code: int = 200,
) -> Response:
    organisation = member.organisation
    state = form or FormState()
    state.id, state.labels = "new-partner-request", REQUEST_LABELS
    return render(
        request,
        "partner_requests/list.html",
        {
            "nav": "partners",
            "requests": service.list_requests(session, organisation),
            "partners": organisations_service.list_partners(session, organisation),
            "form": state,
            "link": link,
            "mailed": mail.enabled(),
            "now": utc_now(),
        },
        status_code=status_code,
    )


@router.get("/partnerverzoeken", name="partner_requests:list")
def list_requests(request: Request, session: SessionDep, member: CurrentMember) -> Response:
    require_cycle_runner(member)
    return _list_page(request, session, member)


@router.post("/partnerverzoeken", name="partner_requests:create")
def create_request(
    request: Request, session: SessionDep, member: CurrentMember, form: FormDep
) -> Response:
    """Make the request; its link is shown this once (only its hash is kept)."""
    require_cycle_runner(member)
    try:
        data = parse_form(PartnerRequestCreate, form)
        token, _ = service.create_request(
            session, member.organisation, data, member.user.name, reply_to=member.user.email
        )
    except (FormInvalid, InvalidInput) as exc:
        state = exc.state if isinstance(exc, FormInvalid) else invalid_input_state(exc, form)
        return _list_page(request, session, member, form=state, status_code=422)
    commit_or_conflict(session)
    link = str(request.url_for("partner_link:page", token=token))
    return _list_page(request, session, member, link=link)


@router.post("/partnerverzoeken/{request_id:int}/intrekken", name="partner_requests:revoke")
def revoke_request(session: SessionDep, member: CurrentMember, request_id: RecordId) -> Response:
    require_cycle_runner(member)
    found = service.get_request(session, member.organisation, request_id)
    service.revoke_request(session, found, member.user.name)
    commit_or_conflict(session)
    return see_other(f"/partnerverzoeken#verzoek-{found.id}")


# The partner's side


def _scope(request: Request, session: SessionDep, token: str) -> service.LinkScope:
    return service.open_link(session, token, client_address(request))


def _form_token(token: str) -> str:
    return secret_hashing.digest("partner-link-form:" + token)


def _check_form(token: str, form: dict[str, str]) -> None:
    if not secret_hashing.same(form.get("_csrf"), _form_token(token)):
        raise Forbidden(CSRF_MESSAGE)


def _link_page(
    request: Request,
    session: SessionDep,
    scope: service.LinkScope,
    token: str,
    *,
    states: dict[str, FormState] | None = None,
    saved: str | None = None,
    status_code: int = 200,
) -> Response:
    activities = service.partner_activities(session, scope)
    forms: dict[str, FormState] = {}
    for activity in activities:
        forms[f"besteding-{activity.id}"] = FormState(
            id=f"besteding-{activity.id}", labels=SPENDING_LABELS
        )
        for indicator in activity.indicators:
            forms[f"meting-{indicator.id}"] = FormState(
                id=f"meting-{indicator.id}", labels=MEASUREMENT_LABELS
            )
    for key, state in (states or {}).items():
        state.id = key
        state.labels = forms[key].labels if key in forms else {}
        forms[key] = state
    return render(
        request,
        "partner_requests/link.html",
        {
            "scope": scope,
            "activities": activities,
            "cycles": service.cycles_of(session, activities),
            "forms": forms,
            "token": token,
            "form_token": _form_token(token),
            "saved": saved,
            "organisation": scope.organisation,
        },
        status_code=status_code,
    )


@public_router.get("/partnerlink/{token}", name="partner_link:page")
def link_page(request: Request, session: SessionDep, token: str) -> Response:
    scope = _scope(request, session, token)
    saved = request.query_params.get("opgeslagen")
    return _link_page(request, session, scope, token, saved=saved)


def _as_partner(request: Request, session: SessionDep, scope: service.LinkScope) -> None:
    session.info[LINK_ACTOR] = LinkActor(row_id(scope.organisation), scope.actor)
    session.info[ORIGIN] = client_address(request)


def _save(
    request: Request,
    session: SessionDep,
    scope: service.LinkScope,
    token: str,
    form: dict[str, str],
    *,
    key: str,
    save: Callable[[], object],
    saved: str,
) -> Response:
    """One save through the link: as the partner, in one transaction; or the page again, with
    Dutch messages and the typed values at the form (`key`) that was sent."""
    _as_partner(request, session, scope)
    try:
        save()
    except (FormInvalid, InvalidInput) as exc:
        state = exc.state if isinstance(exc, FormInvalid) else invalid_input_state(exc, form)
        status = getattr(exc, "status_code", 422)
        return _link_page(request, session, scope, token, states={key: state}, status_code=status)
    commit_or_conflict(session)
    return see_other(f"/partnerlink/{token}?opgeslagen={saved}#{key}")


@public_router.post(
    "/partnerlink/{token}/metingen/{indicator_id:int}", name="partner_link:measurement"
)
def add_measurement(
    request: Request, session: SessionDep, token: str, indicator_id: RecordId, form: FormDep
) -> Response:
    scope = _scope(request, session, token)
    _check_form(token, form)
    indicator = service.link_indicator(session, scope, indicator_id)
    return _save(
        request,
        session,
        scope,
        token,
        form,
        key=f"meting-{indicator.id}",
        save=lambda: service.record_measurement(
            session, scope, indicator, parse_form(MeasurementCreate, form)
        ),
        saved="meting",
    )


@public_router.post(
    "/partnerlink/{token}/bestedingen/{activity_id:int}", name="partner_link:spending"
)
def add_spending(
    request: Request, session: SessionDep, token: str, activity_id: RecordId, form: FormDep
) -> Response:
    scope = _scope(request, session, token)
    _check_form(token, form)
    activity = service.link_activity(session, scope, activity_id)
    return _save(
        request,
        session,
        scope,
        token,
        form,
        key=f"besteding-{activity.id}",
        save=lambda: service.record_spending(
            session, scope, activity, parse_form(SpendingCreate, form)
        ),
        saved="bedragen",
    )


@public_router.post("/partnerlink/{token}/klaar", name="partner_link:done")
def mark_done(request: Request, session: SessionDep, token: str, form: FormDep) -> Response:
    scope = _scope(request, session, token)
    _check_form(token, form)
    _as_partner(request, session, scope)
    service.mark_answered(session, scope)
    commit_or_conflict(session)
    return see_other(f"/partnerlink/{token}?opgeslagen=klaar")
