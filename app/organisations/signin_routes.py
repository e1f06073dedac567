"""Signing in and out, setting a password through a reset link, switching organisation, and
one's own account with its API tokens."""

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from app.config import settings
from app.db import SessionDep
from app.errors import InvalidInput
from app.forms import FormDep, FormState
from app.organisations import signin
from app.organisations.deps import (
    SESSION_COOKIE,
    SIGN_IN_CSRF_COOKIE,
    CurrentMember,
    verify_sign_in_csrf,
)
from app.resources import safe_next
from app.templating import render, render_invalid_form, see_other

# Reachable without signing in.
public_router = APIRouter(dependencies=[Depends(verify_sign_in_csrf)])
router = APIRouter()

SIGN_IN_LABELS = {"email": "E-mailadres", "password": "Wachtwoord"}
PASSWORD_LABELS = {"password": "Nieuw wachtwoord", "repeat": "Herhaal het wachtwoord"}


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _with_sign_in_csrf(request: Request, response: Response, token: str) -> Response:
    response.set_cookie(
        SIGN_IN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        max_age=3600,
    )
    return response


def _sign_in_page(
    request: Request, state: FormState, next_url: str | None, status_code: int = 200
) -> Response:
    token = request.cookies.get(SIGN_IN_CSRF_COOKIE) or signin.new_secret()
    request.state.csrf_token = token
    state.id, state.labels = "sign-in", SIGN_IN_LABELS
    context = {"form": state, "next": next_url or "/", "nav": None}
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
    return _with_sign_in_csrf(request, response, token)


@public_router.get("/inloggen", name="sign-in")
def sign_in_form(request: Request) -> Response:
    state = FormState(autofocus="email")
    return _sign_in_page(request, state, safe_next(request.query_params.get("volgende")))


@public_router.post("/inloggen", name="sign-in:submit")
def sign_in(request: Request, session: SessionDep, form: FormDep) -> Response:
    next_url = safe_next(form.get("_next")) or "/"
    email, password = form.get("email", ""), form.get("password", "")
    address = request.client.host if request.client else "?"
    try:
        user = signin.authenticate(session, email, password, address)
        token, _ = signin.start_session(session, user)
    except InvalidInput as exc:
        session.commit()  # the failed attempt counts
        state = FormState(values={"email": email}, errors=exc.errors, autofocus="password")
        return _sign_in_page(request, state, next_url, status_code=422)
    except signin.TooManyAttempts as exc:
        state = FormState(values={"email": email}, errors={"__all__": exc.message})
        return _sign_in_page(request, state, next_url, status_code=429)
    session.commit()
    response = see_other(next_url)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        max_age=settings.session_max_hours * 3600,
    )
    response.delete_cookie(SIGN_IN_CSRF_COOKIE)
    return response


@public_router.get("/wachtwoord-instellen/{token}", name="password:form")
def password_form(request: Request, session: SessionDep, token: str) -> Response:
    _, user = signin.find_reset(session, token)
    return _password_page(request, user, token, FormState(autofocus="password"))


def _password_page(
    request: Request, user, token: str, state: FormState, status_code: int = 200
) -> Response:
    csrf = request.cookies.get(SIGN_IN_CSRF_COOKIE) or signin.new_secret()
    request.state.csrf_token = csrf
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
    return _with_sign_in_csrf(request, response, csrf)


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


@router.post("/uitloggen", name="sign-out")
def sign_out(request: Request, session: SessionDep, member: CurrentMember) -> Response:
    signin.end_session(session, request.state.sign_in)
    session.commit()
    response = see_other("/inloggen")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/organisatie", name="organisation:switch")
def switch_organisation(
    request: Request, session: SessionDep, member: CurrentMember, form: FormDep
) -> Response:
    value = form.get("organisation_id", "")
    if value.isdigit():
        signin.switch_organisation(session, request.state.sign_in, int(value))
        session.commit()
    return see_other("/")


@router.get("/account", name="account:page")
def account_page(request: Request, session: SessionDep, member: CurrentMember) -> Response:
    return _account(request, session, member, FormState(id="new-token", labels=TOKEN_LABELS))


TOKEN_LABELS = {"name": "Naam van het token"}


def _account(request, session, member, state, *, new_token: str | None = None, status_code=200):
    context = {
        "memberships": signin.memberships_of(session, member.user),
        "tokens": signin.list_api_tokens(session, member.membership),
        "form": state,
        "new_token": new_token,
        "nav": "account",
    }
    if status_code != 200:
        return render_invalid_form(
            request,
            "organisations/account.html",
            context,
            form_id="new-token",
            status_code=status_code,
        )
    return render(request, "organisations/account.html", context)


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
def revoke_token(session: SessionDep, member: CurrentMember, token_id: int) -> Response:
    signin.revoke_api_token(session, member.membership, token_id)
    session.commit()
    return see_other("/account#tokens")
