"""Who is asking, by which method, in which organisation, and what they may do.

Every route except sign-in needs a member. Pages are signed in with a session cookie and
protected against cross-site requests with a token per session (form field `_csrf` or header
`X-CSRF-Token`, which htmx sends); forms shown before signing in (sign-in, invitations, joining
a live session) carry one bound to a pre-session cookie. The JSON API takes a personal API
token (`Authorization: Bearer kps_...`) and no cookies, so it needs no CSRF token.

Who may do what: every member reads everything of their organisation; writing depends on the
role:

- beheerder: manages members, partners and themes, and may do all a procesbegeleider does;
- procesbegeleider: runs the cycles and edits everything in the organisation's themes;
- partner: edits the activities of their own partner organisation, their input kwaliteit and
  the measurements of their indicators (creating and removing activities is for the cycle's
  procesbegeleider);
- lezer: reads, changes nothing.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.responses import Response

from app.db import UNSAFE_METHODS, SessionDep
from app.errors import AppError, Forbidden
from app.organisations import signin
from app.organisations.models import Membership, Organisation, Role, SignInMethod, User
from app.secret_hashing import digest, new_secret, same

SESSION_COOKIE = "kompas_sessie"
# Before signing in, a pre-session: a random id in a cookie, to which the forms' token is bound.
PRE_SESSION_COOKIE = "kompas_voorsessie"
PRE_SESSION_SECONDS = 3600

ACTOR = "actor"  # key in Session.info: the member whose request this session serves
# key in Session.info for a request without an account (a partner's link): a LinkActor
LINK_ACTOR = "link_actor"
ORIGIN = "origin"  # key in Session.info: the network address the request came from
FLUSHED = "flushed"  # key in Session.info: the request has written something (app.main)


@dataclass(frozen=True)
class LinkActor:
    organisation_id: int
    label: str  # how the audit log names them: "De Kern (via partnerlink)"


@dataclass(frozen=True)
class Member:
    """The person making a request, in the organisation they are working in, and how they
    proved who they are."""

    user: User
    membership: Membership
    method: SignInMethod = SignInMethod.API_TOKEN

    @property
    def organisation(self) -> Organisation:
        return self.membership.organisation

    @property
    def role(self) -> Role:
        return self.membership.role

    @property
    def manages(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def runs_cycles(self) -> bool:
        return self.role in (Role.ADMIN, Role.FACILITATOR)

    def works_for(self, partner_id: int | None) -> bool:
        """May edit the work of this partner organisation (its activities, quality, figures)."""
        if self.runs_cycles:
            return True
        return (
            self.role is Role.PARTNER
            and partner_id is not None
            and partner_id == self.membership.partner_id
        )


class NotSignedIn(AppError):
    status_code = 401
    title = "Log eerst in"

    def __init__(self) -> None:
        super().__init__("Log in om Kompas te gebruiken.")


class SecondStepNeeded(AppError):
    """The password was right, but the code from the app (or setting one up) is still to
    come: pages send the browser there."""

    status_code = 401
    title = "Nog één stap"

    def __init__(self, path: str) -> None:
        super().__init__("Vul eerst de code uit je app in.")
        self.path = path


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def client_address(request: Request) -> str:
    """The network address a request came from (as the proxy in front reports it)."""
    return request.client.host if request.client else "?"


def secure_cookies(request: Request) -> bool:
    return request.url.scheme == "https"


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def signed_in_browser(request: Request, session: SessionDep) -> signin.SignedIn | None:
    """The live sign-in session behind the browser's cookie, whatever step it is at."""
    cookie = request.cookies.get(SESSION_COOKIE)
    return signin.resolve_session(session, cookie) if cookie else None


def current_member(request: Request, session: SessionDep) -> Member:
    session.info[ORIGIN] = client_address(request)
    if is_api(request):
        token = _bearer(request)
        found = signin.resolve_api_token(session, token) if token else None
        if found is None:
            raise NotSignedIn()
        member = Member(*found)
    else:
        signed_in = signed_in_browser(request, session)
        if signed_in is None:
            raise NotSignedIn()
        if (step := signin.second_step(signed_in)) is not None:
            raise SecondStepNeeded(step)
        member = Member(signed_in.user, signed_in.membership, signed_in.sign_in.method)
        request.state.sign_in = signed_in.sign_in
        request.state.csrf_token = signed_in.sign_in.csrf_token
        request.state.memberships = signin.memberships_of(session, signed_in.user)
    request.state.member = member
    request.state.organisation = member.organisation
    request.state.db = session  # for the log of a refused write (app.main)
    session.info[ACTOR] = member  # for the audit log, written when the session flushes
    session.info[FLUSHED] = False
    return member


CurrentMember = Annotated[Member, Depends(current_member)]


def current_organisation(member: CurrentMember) -> Organisation:
    return member.organisation


CurrentOrganisation = Annotated[Organisation, Depends(current_organisation)]


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
    if not same(given, getattr(request.state, "csrf_token", None)):
        raise Forbidden(CSRF_MESSAGE)


SignedInPage = [Depends(current_member), Depends(verify_csrf)]


# Before signing in


def pre_session_csrf(pre_session: str) -> str:
    """The token the pre-session forms carry: bound to the pre-session by the server's key, so
    a cookie planted by someone else does not come with a token that fits it."""
    return digest("sign-in-form:" + pre_session)


def start_pre_session(request: Request) -> str:
    """The browser's pre-session (a new one if it has none), and its forms' token."""
    pre_session = request.cookies.get(PRE_SESSION_COOKIE) or new_secret()
    request.state.pre_session = pre_session
    request.state.csrf_token = pre_session_csrf(pre_session)
    return pre_session


def with_pre_session(request: Request, response: Response) -> Response:
    """A page with pre-session forms keeps (or sets) the cookie their token is bound to."""
    response.set_cookie(
        PRE_SESSION_COOKIE,
        request.state.pre_session,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(request),
        max_age=PRE_SESSION_SECONDS,
    )
    return response


def check_pre_session(request: Request, given: str | None) -> None:
    """The form's token must belong to the browser's pre-session."""
    pre_session = request.cookies.get(PRE_SESSION_COOKIE)
    if not same(given, pre_session_csrf(pre_session) if pre_session else None):
        raise Forbidden(CSRF_MESSAGE)


async def verify_sign_in_csrf(request: Request) -> None:
    """Before anyone is signed in: unsafe requests carry the pre-session's token."""
    if request.method not in UNSAFE_METHODS:
        return
    value = (await request.form()).get("_csrf")
    check_pre_session(request, value if isinstance(value, str) else None)


# Role checks


def _role_name(member: Member) -> str:
    return member.role.label.lower()


def require_manager(member: Member) -> None:
    if not member.manages:
        raise Forbidden(
            f"Alleen een beheerder mag dit wijzigen. Jouw rol in {member.organisation.name} is "
            f"{_role_name(member)}."
        )


def require_cycle_runner(member: Member) -> None:
    if not member.runs_cycles:
        raise Forbidden(
            "Alleen een procesbegeleider of beheerder mag dit wijzigen. Jouw rol in "
            f"{member.organisation.name} is {_role_name(member)}."
        )


def require_partner_work(member: Member, partner_id: int | None) -> None:
    if member.works_for(partner_id):
        return
    if member.role is Role.PARTNER:
        partner = member.membership.partner
        whose = partner.name if partner else "je eigen organisatie"
        raise Forbidden(
            f"Als partner mag je alleen het werk van {whose} wijzigen: activiteiten, hun input "
            "kwaliteit en hun metingen."
        )
    require_cycle_runner(member)
