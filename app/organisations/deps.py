"""Who is asking, and in which organisation: every route except sign-in needs a member.

Pages are signed in with a session cookie and protected against cross-site requests with a
token per session (form field `_csrf` or header `X-CSRF-Token`, which htmx sends). The JSON API
takes a personal API token (`Authorization: Bearer kps_...`) and no cookies, so it needs no
CSRF token.
"""

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from app.db import UNSAFE_METHODS, SessionDep
from app.errors import AppError, Forbidden
from app.organisations import signin
from app.organisations.models import Organisation
from app.organisations.permissions import Member

SESSION_COOKIE = "kompas_sessie"
# Before signing in, a pre-session: a random id in a cookie, to which the forms' token is bound.
PRE_SESSION_COOKIE = "kompas_voorsessie"

ACTOR = "actor"  # key in Session.info: the member whose request this session serves
# key in Session.info for a request without an account (a partner's link): a LinkActor
LINK_ACTOR = "link_actor"


@dataclass(frozen=True)
class LinkActor:
    organisation_id: int
    label: str  # how the audit log names them: "De Kern (via partnerlink)"


class NotSignedIn(AppError):
    status_code = 401
    title = "Log eerst in"

    def __init__(self) -> None:
        super().__init__("Log in om Kompas te gebruiken.")


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_member(request: Request, session: SessionDep) -> Member:
    if is_api(request):
        token = _bearer(request)
        found = signin.resolve_api_token(session, token) if token else None
        if found is None:
            raise NotSignedIn()
        member = Member(*found)
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        signed_in = signin.resolve_session(session, cookie) if cookie else None
        if signed_in is None:
            raise NotSignedIn()
        member = Member(signed_in.user, signed_in.membership)
        request.state.sign_in = signed_in.sign_in
        request.state.csrf_token = signed_in.sign_in.csrf_token
        request.state.memberships = signin.memberships_of(session, signed_in.user)
    request.state.member = member
    request.state.organisation = member.organisation
    session.info[ACTOR] = member  # for the audit log, written when the session flushes
    return member


CurrentMember = Annotated[Member, Depends(current_member)]


def current_organisation(member: CurrentMember) -> Organisation:
    return member.organisation


CurrentOrganisation = Annotated[Organisation, Depends(current_organisation)]


def _same(given: str | None, expected: str | None) -> bool:
    return bool(given and expected and hmac.compare_digest(given, expected))


CSRF_MESSAGE = (
    "Deze pagina was verlopen of kwam niet van Kompas zelf, dus er is niets opgeslagen. "
    "Laad de pagina opnieuw en probeer het nog eens."
)


async def verify_csrf(request: Request, member: CurrentMember) -> None:
    """Unsafe requests from a browser must carry the session's own token."""
    if request.method not in UNSAFE_METHODS or is_api(request):
        return
    given = request.headers.get("X-CSRF-Token")
    if given is None:
        form = await request.form()
        value = form.get("_csrf")
        given = value if isinstance(value, str) else None
    if not _same(given, getattr(request.state, "csrf_token", None)):
        raise Forbidden(CSRF_MESSAGE)


def pre_session_csrf(pre_session: str) -> str:
    """The token the sign-in forms carry: bound to the pre-session by the server's key, so a
    cookie planted by someone else does not come with a token that fits it."""
    return signin.digest("sign-in-form:" + pre_session)


async def verify_sign_in_csrf(request: Request) -> None:
    """Before anyone is signed in: the form's token must belong to the browser's pre-session."""
    if request.method not in UNSAFE_METHODS:
        return
    form = await request.form()
    value = form.get("_csrf")
    pre_session = request.cookies.get(PRE_SESSION_COOKIE)
    expected = pre_session_csrf(pre_session) if pre_session else None
    if not _same(value if isinstance(value, str) else None, expected):
        raise Forbidden(CSRF_MESSAGE)


SignedInPage = [Depends(current_member), Depends(verify_csrf)]
