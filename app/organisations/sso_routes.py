"""Signing in with the organisation's own account (OpenID Connect, app/organisations/sso.py),
and the beheerder's page that sets it up."""

from fastapi import Depends, Request
from starlette.responses import RedirectResponse, Response

from app.audit import events
from app.audit.models import AuditAction, AuditResult
from app.auth import (
    CurrentMember,
    client_address,
    require_manager,
    secure_cookies,
    verify_sign_in_csrf,
)
from app.config import settings
from app.db import SessionDep
from app.errors import InvalidInput, NotFound
from app.forms import FormDep, FormState
from app.organisations import service as organisations_service
from app.organisations import signin, sso
from app.organisations.models import Role, SignInMethod, SsoProvider
from app.organisations.signin_routes import sign_in_page, signed_in
from app.resources import safe_next
from app.routing import SectionRouter
from app.templating import render, render_invalid_form, see_other

public_router = SectionRouter(dependencies=[Depends(verify_sign_in_csrf)])
router = SectionRouter()

# The state of the sign-in under way, so that the answer must come back to this browser.
# SameSite=Lax: the provider's redirect back is a top-level navigation from another site.
SSO_COOKIE = "kompas_sso"
SSO_COOKIE_PATH = "/inloggen/sso"
CALLBACK_PATH = "/inloggen/sso/terug"
SETTINGS_URL = "/leden/sso"


def _redirect_uri(request: Request) -> str:
    """Where the provider sends the browser back: under the public address when set (the
    address registered at the provider), else as this request reached Kompas."""
    if settings.public_url:
        return settings.base_url + CALLBACK_PATH
    return str(request.url_for("sso:callback"))


def _refused(
    request: Request,
    session: SessionDep,
    exc: sso.SsoRefused,
    organisation_id: int | None,
    next_url: str | None = None,
) -> Response:
    """The sign-in page with why; the refusal goes into the audit log. Every refusal comes
    before anything is written (sso.member_for checks first), so there is nothing to undo."""
    events.record_apart(
        session,
        AuditAction.SIGN_IN_SSO,
        organisation_id=organisation_id,
        actor_id=None,
        origin=client_address(request),
        result=AuditResult.REFUSED,
        label=f"geweigerd: {exc.reason}",
    )
    response = sign_in_page(
        request, session, FormState(), next_url, status_code=exc.status_code, refusal=exc.message
    )
    response.delete_cookie(SSO_COOKIE, path=SSO_COOKIE_PATH)
    return response


@public_router.post("/inloggen/sso/{slug}", name="sso:start")
def start(request: Request, session: SessionDep, slug: str, form: FormDep) -> Response:
    """Off to the organisation's identity provider, with state, nonce and PKCE."""
    organisation = organisations_service.get_by_slug(session, slug)
    if organisation is None:
        raise NotFound("Deze organisatie bestaat niet (meer).")
    next_url = safe_next(form.get("_next")) or "/"
    try:
        url, state = sso.begin(session, organisation, next_url, _redirect_uri(request))
    except sso.SsoRefused as exc:
        return _refused(request, session, exc, organisation.id, next_url)
    session.commit()
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        SSO_COOKIE,
        state,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        max_age=int(sso.LOGIN_VALID.total_seconds()),
        path=SSO_COOKIE_PATH,
    )
    return response


@public_router.get(CALLBACK_PATH, name="sso:callback")
def callback(request: Request, session: SessionDep) -> Response:
    """The provider's answer: checked, then the person is signed in to the organisation."""
    params = request.query_params
    try:
        login = sso.take_login(session, params.get("state"), request.cookies.get(SSO_COOKIE))
    except sso.SsoRefused as exc:
        return _refused(request, session, exc, None)
    session.commit()  # the state counts once, whatever follows
    try:
        organisation, answer = sso.finish(
            session,
            login,
            code=params.get("code"),
            error=params.get("error"),
            issuer=params.get("iss"),
            redirect_uri=_redirect_uri(request),
        )
        user = sso.member_for(session, organisation, answer)
        cookie, _ = signin.start_session(session, user, SignInMethod.SSO, organisation.id)
    except sso.SsoRefused as exc:
        return _refused(request, session, exc, login.organisation_id, login.next_url)
    except InvalidInput as exc:  # a name the provider gave that Kompas cannot keep
        refused = sso.SsoRefused(" ".join(exc.errors.values()), "ongeldige gegevens")
        return _refused(request, session, refused, login.organisation_id, login.next_url)
    events.account_event(
        session,
        AuditAction.SIGN_IN_SSO,
        user,
        client_address(request),
        organisation_id=organisation.id,
    )
    session.commit()
    response = signed_in(request, see_other(login.next_url), cookie)
    response.delete_cookie(SSO_COOKIE, path=SSO_COOKIE_PATH)
    return response


# The beheerder's page

LABELS = {
    "issuer": "Issuer (adres van de inlogdienst)",
    "client_id": "Client-id",
    "domains": "Toegelaten e-maildomeinen",
    "role_claim": "Claim met de groepen",
    "role_map": "Groep en rol",
    "default_role": "Rol als geen groep past",
    "required": "Leden loggen alleen zo in (niet met een wachtwoord)",
}


def _values(provider: SsoProvider | None) -> dict[str, str]:
    if provider is None:
        return {"role_claim": "groups", "default_role": ""}
    return {
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "domains": "\n".join(provider.domains),
        "role_claim": provider.role_claim,
        "role_map": "\n".join(
            f"{group}={sso.role_from_text(role).label.lower()}" for group, role in provider.role_map
        ),
        "default_role": provider.default_role.value if provider.default_role else "",
        "required": "on" if provider.required else "",
    }


def _settings_page(request, session, member, state: FormState, status_code: int = 200):
    provider = sso.get_provider(session, member.organisation)
    context = {
        "provider": provider,
        "secret_env": provider.secret_env
        if provider
        else sso.default_secret_env(member.organisation),
        "secret_file": provider.secret_file if provider else None,
        "callback_url": _redirect_uri(request),
        "roles": [(r.value, r.label) for r in sso.ROLES_ALLOWED],
        "signed_in_with_sso": member.method is SignInMethod.SSO,
        "form": state,
        "nav": "members",
    }
    if status_code != 200:
        return render_invalid_form(
            request, "organisations/sso.html", context, form_id="sso", status_code=status_code
        )
    return render(request, "organisations/sso.html", context)


@router.get(SETTINGS_URL, name="sso:settings")
def settings_page(request: Request, session: SessionDep, member: CurrentMember) -> Response:
    require_manager(member)
    provider = sso.get_provider(session, member.organisation)
    return _settings_page(
        request, session, member, FormState(id="sso", labels=LABELS, values=_values(provider))
    )


@router.post(SETTINGS_URL, name="sso:save")
def save_settings(
    request: Request, session: SessionDep, member: CurrentMember, form: FormDep
) -> Response:
    require_manager(member)
    required = "required" in form
    try:
        if required and member.method is not SignInMethod.SSO:
            raise InvalidInput(
                {
                    "required": f"Log eerst zelf in met je {member.organisation.name}-account; "
                    "zo weet je dat het werkt voordat wachtwoorden niet meer gelden."
                }
            )
        default_role = form.get("default_role", "")
        data = sso.SsoSettings(
            issuer=form.get("issuer", ""),
            client_id=form.get("client_id", ""),
            domains=sso.parse_domains(form.get("domains", "")),
            role_claim=form.get("role_claim", ""),
            role_map=sso.parse_role_map(form.get("role_map", "").splitlines()),
            default_role=_role_or_none(default_role),
            required=required,
        )
        sso.configure(
            session,
            member.organisation,
            data,
            actor_id=member.user.id,
            origin=client_address(request),
        )
    except InvalidInput as exc:
        state = FormState(id="sso", labels=LABELS, values=dict(form), errors=exc.errors)
        return _settings_page(request, session, member, state, status_code=422)
    session.commit()
    return see_other(f"{SETTINGS_URL}?opgeslagen=1")


def _role_or_none(value: str) -> Role | None:
    if not value:
        return None
    try:
        return sso.role_from_text(value)
    except ValueError:
        raise InvalidInput(
            {"default_role": "Kies beheerder, procesbegeleider, lezer of geen."}
        ) from None


@router.post(f"{SETTINGS_URL}/verwijderen", name="sso:remove")
def remove_settings(request: Request, session: SessionDep, member: CurrentMember) -> Response:
    require_manager(member)
    sso.remove(
        session, member.organisation, actor_id=member.user.id, origin=client_address(request)
    )
    session.commit()
    return see_other(SETTINGS_URL)
