"""Signing in and out, setting a password through a reset link, switching organisation, and
one's own account with its API tokens."""

from fastapi import Depends, Request
from sqlmodel import Session
from starlette.responses import Response

from app.audit import events
from app.audit.models import AuditAction, AuditResult
from app.auth import (
    PRE_SESSION_COOKIE,
    SESSION_COOKIE,
    CurrentMember,
    client_address,
    pre_session_csrf,
    secure_cookies,
    signed_in_browser,
    start_pre_session,
    verify_sign_in_csrf,
    with_pre_session,
)
from app.config import settings
from app.db import SessionDep
from app.errors import InvalidInput
from app.forms import FormDep, FormState
from app.ids import RecordId, parse_id
from app.organisations import invitations, second_factor, signin, sso
from app.organisations import members as members_service
from app.resources import safe_next
from app.routing import SectionRouter
from app.templating import render, render_invalid_form, see_other

# Reachable without signing in.
public_router = SectionRouter(dependencies=[Depends(verify_sign_in_csrf)])
router = SectionRouter()

SIGN_IN_LABELS = {"email": "E-mailadres", "password": "Wachtwoord"}
PASSWORD_LABELS = {"password": "Nieuw wachtwoord", "repeat": "Herhaal het wachtwoord"}


def sign_in_page(
    request: Request,
    session: Session,
    state: FormState,
    next_url: str | None,
    status_code: int = 200,
    refusal: str | None = None,
) -> Response:
    """The sign-in page: a password, or the organisation's own account; `refusal` is why a
    sign-in with the organisation's account did not go through."""
    start_pre_session(request)
    state.id, state.labels = "sign-in", SIGN_IN_LABELS
    context = {
        "form": state,
        "next": next_url or "/",
        "nav": None,
        "own_accounts": sso.sign_in_options(session),
        "refusal": refusal,
    }
    if status_code == 200:
        response = render(request, "organisations/sign_in.html", context)
    else:
        response = render_invalid_form(
            request,
            "organisations/sign_in.html",
            context,
            form_id="sign-in",
            status_code=status_code,
        )
    return with_pre_session(request, response)


@public_router.get("/inloggen", name="sign-in")
def sign_in_form(request: Request, session: SessionDep) -> Response:
    state = FormState(autofocus="email")
    return sign_in_page(request, session, state, safe_next(request.query_params.get("volgende")))


@public_router.post("/inloggen", name="sign-in:submit")
def sign_in(request: Request, session: SessionDep, form: FormDep) -> Response:
    next_url = safe_next(form.get("_next")) or "/"
    email, password = form.get("email", ""), form.get("password", "")
    address = client_address(request)
    try:
        user = signin.authenticate(session, email, password, address)
        token, sign_in = signin.start_session(session, user)
    except (InvalidInput, signin.TooManyAttempts, signin.OwnAccountOnly) as exc:
        session.commit()  # ends the read; the failure was recorded in a write of its own
        refused = not isinstance(exc, InvalidInput)
        events.account_event(
            session,
            AuditAction.SIGN_IN,
            members_service.get_user_by_email(session, email[:254]),
            address,
            AuditResult.REFUSED if refused else AuditResult.FAILED,
            apart=True,
        )
        if refused:
            state = FormState(values={"email": email}, errors={"__all__": exc.message})
            return sign_in_page(request, session, state, next_url, status_code=exc.status_code)
        errors = exc.errors if isinstance(exc, InvalidInput) else {}
        state = FormState(values={"email": email}, errors=errors, autofocus="password")
        return sign_in_page(request, session, state, next_url, status_code=422)
    events.account_event(
        session, AuditAction.SIGN_IN, user, address, organisation_id=sign_in.organisation_id
    )
    session.commit()
    return signed_in(request, see_other(next_url), token)


def signed_in(request: Request, response: Response, cookie: str) -> Response:
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        max_age=settings.session_max_hours * 3600,
    )
    response.delete_cookie(PRE_SESSION_COOKIE)
    return response


@public_router.get("/wachtwoord-instellen/{token}", name="password:form")
def password_form(request: Request, session: SessionDep, token: str) -> Response:
    _, user = signin.find_reset(session, token)
    return _password_page(request, user, token, FormState(autofocus="password"))


def _password_page(
    request: Request, user, token: str, state: FormState, status_code: int = 200
) -> Response:
    start_pre_session(request)
    state.id, state.labels = "set-password", PASSWORD_LABELS
    context = {"form": state, "user": user, "token": token, "nav": None}
    if status_code == 200:
        response = render(request, "organisations/set_password.html", context)
    else:
        response = render_invalid_form(
            request,
            "organisations/set_password.html",
            context,
            form_id="set-password",
            status_code=status_code,
        )
    return with_pre_session(request, response)


@public_router.post("/wachtwoord-instellen/{token}", name="password:set")
def set_password(request: Request, session: SessionDep, token: str, form: FormDep) -> Response:
    _, user = signin.find_reset(session, token)
    password, repeat = form.get("password", ""), form.get("repeat", "")
    try:
        if password != repeat:
            raise InvalidInput({"repeat": "De twee wachtwoorden zijn niet gelijk."})
        signin.use_reset(session, token, password)
    except InvalidInput as exc:
        return _password_page(request, user, token, FormState(errors=exc.errors), 422)
    session.commit()
    return see_other("/inloggen?wachtwoord=ingesteld")


INVITATION_LABELS = {
    "name": "Je naam",
    "password": "Kies een wachtwoord",
    "repeat": "Herhaal het wachtwoord",
}


def _invitation_page(
    request: Request, session, token: str, state: FormState, status_code: int = 200
) -> Response:
    found = invitations.find(session, token)
    start_pre_session(request)
    signed_in = signed_in_browser(request, session)
    if signed_in is not None:  # the accept form is a signed-in one, with the session's token
        request.state.csrf_token = signed_in.sign_in.csrf_token
    state.id, state.labels = "new-account", INVITATION_LABELS
    context = {
        "invitation": found.invitation,
        "invited_to": found.organisation,
        "user": signed_in.user if signed_in else None,
        "token": token,
        "form": state,
        "pre_session_csrf": pre_session_csrf(request.state.pre_session),
        "nav": None,
    }
    if status_code == 200:
        response = render(request, "organisations/invitation.html", context)
    else:
        response = render_invalid_form(
            request,
            "organisations/invitation.html",
            context,
            form_id="new-account",
            status_code=status_code,
        )
    return with_pre_session(request, response)


@public_router.get("/uitnodiging/{token}", name="invitation:page")
def invitation_page(request: Request, session: SessionDep, token: str) -> Response:
    state = FormState(values={"name": invitations.find(session, token).invitation.name})
    return _invitation_page(request, session, token, state)


@public_router.post("/uitnodiging/{token}", name="invitation:new-account")
def accept_as_new_account(
    request: Request, session: SessionDep, token: str, form: FormDep
) -> Response:
    """Someone new to Kompas: their account, their membership, and they are signed in."""
    name, password = form.get("name", ""), form.get("password", "")
    try:
        if password != form.get("repeat", ""):
            raise InvalidInput({"repeat": "De twee wachtwoorden zijn niet gelijk."})
        user = invitations.accept_as_new_account(session, token, name, password)
        cookie, _ = signin.start_session(session, user)
    except InvalidInput as exc:
        state = FormState(values={"name": name}, errors=exc.errors)
        return _invitation_page(request, session, token, state, 422)
    session.commit()
    return signed_in(request, see_other("/"), cookie)


@router.post("/uitnodiging/{token}/aannemen", name="invitation:accept")
def accept_invitation(
    request: Request, session: SessionDep, member: CurrentMember, token: str
) -> Response:
    """A signed-in person joins the organisation that invited them, and works there now."""
    try:
        membership = invitations.accept(session, token, member.user)
    except InvalidInput as exc:
        return _invitation_page(request, session, token, FormState(errors=exc.errors), 422)
    signin.switch_organisation(session, request.state.sign_in, membership.organisation_id)
    session.commit()
    return see_other("/")


@router.post("/uitloggen", name="sign-out")
def sign_out(request: Request, session: SessionDep, member: CurrentMember) -> Response:
    signin.end_session(session, request.state.sign_in)
    events.account_event(
        session,
        AuditAction.SIGN_OUT,
        member.user,
        client_address(request),
        organisation_id=member.organisation.id,
    )
    session.commit()
    response = see_other("/inloggen")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/organisatie", name="organisation:switch")
def switch_organisation(
    request: Request, session: SessionDep, member: CurrentMember, form: FormDep
) -> Response:
    organisation_id = parse_id(form.get("organisation_id", ""))
    if organisation_id is not None:
        signin.switch_organisation(session, request.state.sign_in, organisation_id)
        session.commit()
    return see_other("/")


@router.get("/account", name="account:page")
def account_page(request: Request, session: SessionDep, member: CurrentMember) -> Response:
    return _account(request, session, member, FormState(id="new-token", labels=TOKEN_LABELS))


TOKEN_LABELS = {"name": "Naam van het token"}


def _account(
    request,
    session,
    member,
    state,
    *,
    new_token: str | None = None,
    password_form: FormState | None = None,
    status_code=200,
):
    context = {
        "memberships": signin.memberships_of(session, member.user),
        "tokens": signin.list_api_tokens(session, member.membership),
        "form": state,
        "password_form": password_form or FormState(id="password", labels=PASSWORD_CHANGE_LABELS),
        "new_token": new_token,
        "second_factor": {
            "enrolled": second_factor.enrolled(session, member.user),
            "codes_left": second_factor.recovery_codes_left(session, member.user),
        },
        "nav": "account",
    }
    if status_code != 200:
        # The password form is a plain (boosted) form: its errors come with the whole page.
        return render_invalid_form(
            request,
            "organisations/account.html",
            context,
            form_id="new-token",
            status_code=status_code,
        )
    return render(request, "organisations/account.html", context)


PASSWORD_CHANGE_LABELS = {
    "current": "Huidig wachtwoord",
    "password": "Nieuw wachtwoord",
    "repeat": "Herhaal het nieuwe wachtwoord",
}


@router.post("/account/wachtwoord", name="account:password")
def change_password(
    request: Request, session: SessionDep, member: CurrentMember, form: FormDep
) -> Response:
    """A new password of one's own: every other session and every API token ends; this
    browser stays signed in with a fresh session."""
    password = form.get("password", "")
    try:
        if password != form.get("repeat", ""):
            raise InvalidInput({"repeat": "De twee wachtwoorden zijn niet gelijk."})
        signin.change_password(session, member.user, form.get("current", ""), password)
        cookie, sign_in = signin.start_session(session, member.user, member.method)
        signin.switch_organisation(session, sign_in, member.membership.organisation_id)
    except InvalidInput as exc:
        failed = FormState(id="password", labels=PASSWORD_CHANGE_LABELS, errors=exc.errors)
        blank = FormState(id="new-token", labels=TOKEN_LABELS)
        return _account(request, session, member, blank, password_form=failed, status_code=422)
    session.commit()
    response = see_other("/account?wachtwoord=gewijzigd")
    return signed_in(request, response, cookie)


@router.post("/account/tokens", name="account:create-token")
def create_token(
    request: Request, session: SessionDep, member: CurrentMember, form: FormDep
) -> Response:
    try:
        secret, _ = signin.create_api_token(session, member.membership, form.get("name", ""))
    except InvalidInput as exc:
        state = FormState(id="new-token", labels=TOKEN_LABELS, values=dict(form), errors=exc.errors)
        return _account(request, session, member, state, status_code=422)
    session.commit()
    # Shown once, on this response only; it is stored as a keyed hash.
    return _account(
        request, session, member, FormState(id="new-token", labels=TOKEN_LABELS), new_token=secret
    )


@router.post("/account/tokens/{token_id:int}/intrekken", name="account:revoke-token")
def revoke_token(session: SessionDep, member: CurrentMember, token_id: RecordId) -> Response:
    signin.revoke_api_token(session, member.membership, token_id)
    session.commit()
    return see_other("/account#tokens")
