"""The second step of signing in (the code from the app), setting up the app, and new
recovery codes. These pages serve a browser whose password was right but whose sign-in is not
yet whole, so they resolve the session themselves instead of asking for a member."""

from fastapi import Request
from starlette.responses import Response

from app.audit import events
from app.audit.models import AuditAction, AuditResult
from app.auth import (
    CSRF_MESSAGE,
    SESSION_COOKIE,
    NotSignedIn,
    client_address,
    secure_cookies,
    signed_in_browser,
)
from app.config import settings
from app.db import SessionDep
from app.errors import Forbidden, InvalidInput
from app.forms import FormDep, FormState
from app.organisations import second_factor, signin
from app.organisations.models import SignInMethod
from app.qr import qr_svg
from app.resources import safe_next
from app.routing import SectionRouter
from app.secret_hashing import same
from app.templating import render, render_invalid_form, see_other

router = SectionRouter()

CODE_LABELS = {"code": "Code"}
QR_TITLE = "QR-code om Kompas aan je authenticator-app toe te voegen"


def _browser(request: Request, session: SessionDep) -> signin.SignedIn | None:
    signed_in = signed_in_browser(request, session)
    if signed_in is not None:
        request.state.csrf_token = signed_in.sign_in.csrf_token
    return signed_in


def _check_csrf(signed_in: signin.SignedIn, form: dict[str, str]) -> None:
    if not same(form.get("_csrf"), signed_in.sign_in.csrf_token):
        raise Forbidden(CSRF_MESSAGE)


def _next(request: Request, form: dict[str, str] | None = None) -> str:
    given = form.get("_next") if form is not None else request.query_params.get("volgende")
    return safe_next(given) or "/"


def _with_cookie(request: Request, response: Response, token: str) -> Response:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        max_age=settings.session_max_hours * 3600,
    )
    return response


def _log(
    session: SessionDep,
    signed_in: signin.SignedIn,
    action: AuditAction,
    address: str,
    failure: Exception | None = None,
) -> None:
    """In the request's transaction when it succeeded; a failure in a write of its own."""
    result = (
        AuditResult.SUCCESS
        if failure is None
        else AuditResult.FAILED
        if isinstance(failure, InvalidInput)
        else AuditResult.REFUSED
    )
    events.account_event(
        session,
        action,
        signed_in.user,
        address,
        result,
        apart=failure is not None,
        organisation_id=signed_in.sign_in.organisation_id,
    )


# The code at sign-in


def _code_page(request: Request, state: FormState, next_url: str, status_code: int = 200):
    state.id, state.labels = "second-step", CODE_LABELS
    context = {"form": state, "next": next_url, "nav": None}
    if status_code == 200:
        return render(request, "organisations/second_step.html", context)
    return render_invalid_form(
        request,
        "organisations/second_step.html",
        context,
        form_id="second-step",
        status_code=status_code,
    )


@router.get(signin.CODE_PATH, name="second-step")
def code_form(request: Request, session: SessionDep) -> Response:
    signed_in = _browser(request, session)
    if signed_in is None or not signed_in.sign_in.awaiting_code:
        return see_other("/inloggen" if signed_in is None else _next(request))
    return _code_page(request, FormState(autofocus="code"), _next(request))


@router.post(signin.CODE_PATH, name="second-step:submit")
def code_submit(request: Request, session: SessionDep, form: FormDep) -> Response:
    signed_in = _browser(request, session)
    next_url = _next(request, form)
    if signed_in is None or not signed_in.sign_in.awaiting_code:
        return see_other("/inloggen" if signed_in is None else next_url)
    _check_csrf(signed_in, form)
    address = client_address(request)
    try:
        second_factor.check(session, signed_in.user, form.get("code", ""), address)
    except (InvalidInput, second_factor.TooManyCodes) as exc:
        session.commit()  # ends the read; the failure was recorded in a write of its own
        _log(session, signed_in, AuditAction.SECOND_STEP, address, exc)
        if isinstance(exc, InvalidInput):
            state = FormState(errors=exc.errors, autofocus="code")
            return _code_page(request, state, next_url, 422)
        return _code_page(request, FormState(errors={"__all__": exc.message}), next_url, 429)
    token = signin.complete_second_step(session, signed_in.sign_in)
    _log(session, signed_in, AuditAction.SECOND_STEP, address)
    session.commit()
    return _with_cookie(request, see_other(next_url), token)


# Setting up the app, and new recovery codes


def _set_up_page(
    request: Request,
    session: SessionDep,
    signed_in: signin.SignedIn,
    state: FormState,
    next_url: str,
    *,
    codes: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    user = signed_in.user
    context: dict = {
        "form": state,
        "next": next_url,
        "nav": None,
        "codes": codes,
        "required": second_factor.required(signed_in.membership),
        "enrolled": second_factor.enrolled(session, user),
    }
    if codes is None and not context["enrolled"]:
        key = second_factor.pending_key(session, user)
        session.commit()  # the key shown is the one a code will be checked against
        context |= {
            "qr": qr_svg(second_factor.provisioning_uri(user, key), QR_TITLE, 4),
            "key": second_factor.show_key(key),
        }
    state.id, state.labels = "set-up", CODE_LABELS
    if status_code == 200:
        return render(request, "organisations/set_up_second_factor.html", context)
    return render_invalid_form(
        request,
        "organisations/set_up_second_factor.html",
        context,
        form_id="set-up",
        status_code=status_code,
    )


def _signed_in(request: Request, session: SessionDep) -> signin.SignedIn:
    signed_in = _browser(request, session)
    if signed_in is None or signed_in.sign_in.awaiting_code:
        raise NotSignedIn()
    return signed_in


@router.get(signin.SET_UP_PATH, name="second-factor")
def set_up_form(request: Request, session: SessionDep) -> Response:
    signed_in = _browser(request, session)
    if signed_in is None or signed_in.sign_in.awaiting_code:
        return see_other("/inloggen")
    if signin.code_still_due(session, signed_in):
        return see_other(f"{signin.CODE_PATH}?volgende={_next(request)}")
    return _set_up_page(request, session, signed_in, FormState(), _next(request))


@router.post(signin.SET_UP_PATH, name="second-factor:confirm")
def set_up_confirm(request: Request, session: SessionDep, form: FormDep) -> Response:
    signed_in = _signed_in(request, session)
    _check_csrf(signed_in, form)
    next_url = _next(request, form)
    address = client_address(request)
    try:
        codes = second_factor.confirm(session, signed_in.user, form.get("code", ""), address)
    except (InvalidInput, second_factor.TooManyCodes) as exc:
        session.commit()
        _log(session, signed_in, AuditAction.SECOND_FACTOR_SET_UP, address, exc)
        if isinstance(exc, InvalidInput):
            state = FormState(errors=exc.errors, autofocus="code")
        else:
            state = FormState(errors={"__all__": exc.message})
        status_code = 422 if isinstance(exc, InvalidInput) else 429
        return _set_up_page(request, session, signed_in, state, next_url, status_code=status_code)
    token = signin.complete_second_step(session, signed_in.sign_in)
    _log(session, signed_in, AuditAction.SECOND_FACTOR_SET_UP, address)
    session.commit()
    response = _set_up_page(request, session, signed_in, FormState(), next_url, codes=codes)
    return _with_cookie(request, response, token)


@router.post(f"{signin.SET_UP_PATH}/herstelcodes", name="second-factor:recovery-codes")
def new_recovery_codes(request: Request, session: SessionDep, form: FormDep) -> Response:
    """Ten new recovery codes, shown once; only from a sign-in that gave a code."""
    signed_in = _signed_in(request, session)
    _check_csrf(signed_in, form)
    if signed_in.sign_in.method is not SignInMethod.PASSWORD_AND_CODE:
        raise Forbidden("Log opnieuw in met je code om nieuwe herstelcodes te maken.")
    codes = second_factor.new_recovery_codes(session, signed_in.user)
    session.commit()
    return _set_up_page(request, session, signed_in, FormState(), "/account", codes=codes)
