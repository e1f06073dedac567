"""Signing in with the organisation's own account: OpenID Connect, per organisation.

A beheerder (or the operator, `kompas sso set`) names the organisation's identity provider
(its issuer, from which the rest is discovered), Kompas's client id there, the e-mail domains
whose people may join, and how a claim (a group) maps to a role. The client secret is not
stored: the operator puts it in an environment variable `KOMPAS_OIDC_...` or a file, and the
settings name which (only the operator chooses another than the default).

The flow is the authorization code flow with PKCE (S256), state and nonce, as the NL GOV
profile for OpenID Connect asks, on Authlib (the client) and joserfc (the ID token). What the
answer must match is kept in the database (`SsoLogin`), not in a process, so any server
behind the load balancer takes the answer, and only once; a cookie (`kompas_sso`) holds the
state too, so the answer must come back to the browser that asked.

Who gets in: a member of the organisation; someone with an open invitation there (with the
invited role); or someone whose e-mail domain the organisation allows, with the role the
claim maps to. Nobody else, and then nothing is created. A session begun this way opens this
organisation only (its provider vouches for this organisation, not for others the person may
belong to) and asks no code from an app: the provider does the second factor.
"""

import os
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlmodel import Session, col, delete, select

from app.audit import events
from app.audit.models import AuditAction
from app.errors import AppError, InvalidInput, NotFound
from app.organisations import invitations
from app.organisations.members import add_member, create_user, get_user_by_email
from app.organisations.models import (
    Invitation,
    Membership,
    Organisation,
    Role,
    SignInMethod,
    SignInSession,
    SsoLogin,
    SsoProvider,
    User,
)
from app.secret_hashing import decrypt_or_none, digest, encrypt, new_secret, same
from app.tables import row_id, utc_now

SCOPE = "openid email profile"
# The answer is to come back within this time; older sign-ins under way are cleared.
LOGIN_VALID = timedelta(minutes=10)
TIMEOUT_SECONDS = 10.0
ALGORITHMS = ["RS256", "PS256", "ES256"]
LEEWAY_SECONDS = 60  # clocks differ a little between Kompas and the provider
ROLES_ALLOWED = (Role.ADMIN, Role.FACILITATOR, Role.READER)  # a partner needs a partner
SECRET_ENV = re.compile(r"^KOMPAS_OIDC_[A-Z0-9_]{1,80}$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class SsoRefused(AppError):
    """A sign-in with the organisation's account that does not go through; nothing was
    created. `reason` is what the audit log says (never a token or an unknown address)."""

    status_code = 403
    title = "Inloggen niet gelukt"

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


# Settings


def default_secret_env(organisation: Organisation) -> str:
    return f"KOMPAS_OIDC_{re.sub(r'[^A-Z0-9]', '_', organisation.slug.upper())}_SECRET"


@dataclass
class SsoSettings:
    issuer: str
    client_id: str
    domains: list[str] = field(default_factory=list)
    role_claim: str = "groups"
    role_map: list[tuple[str, str]] = field(default_factory=list)  # (claim value, role)
    default_role: Role | None = None
    required: bool = False
    # Where the client secret is: None keeps what was set (or the default variable).
    secret_env: str | None = None
    secret_file: str | None = None


def role_from_text(text: str) -> Role:
    """A role as someone types it: its Dutch name or its value (beheerder, admin)."""
    typed = text.strip().lower()
    for role in Role:
        if typed in (role.value, role.label.lower()):
            return role
    raise ValueError(typed)


def parse_role_map(lines: list[str]) -> list[tuple[str, str]]:
    """`groep=rol` per line (empty lines skipped), in order: the first that fits counts."""
    pairs = []
    for line in lines:
        if not line.strip():
            continue
        group, equals, role = line.partition("=")
        if not equals or not group.strip() or not role.strip():
            raise InvalidInput(
                {"role_map": f"Schrijf elke regel als groep=rol; dit klopt niet: {line[:80]}"}
            )
        pairs.append((group.strip(), role.strip()))
    return pairs


def parse_domains(text: str) -> list[str]:
    return [d for d in re.split(r"[\s,;]+", text.strip().lower()) if d]


def _check_issuer(issuer: str) -> None:
    parts = urlsplit(issuer)
    local = parts.scheme == "http" and parts.hostname in LOCAL_HOSTS
    if (
        not (parts.scheme == "https" or local)
        or not parts.hostname
        or parts.query
        or parts.fragment
        or len(issuer) > 500
    ):
        raise InvalidInput(
            {
                "issuer": "Vul de issuer in als https-adres, zoals https://login.microsoftonline"
                ".com/<tenant-id>/v2.0 of https://sso.gemeente.nl/realms/medewerkers."
            }
        )


def _validated(organisation: Organisation, data: SsoSettings, current: SsoProvider | None):
    errors: dict[str, str] = {}
    data.issuer = data.issuer.strip()
    data.client_id = data.client_id.strip()
    data.role_claim = data.role_claim.strip() or "groups"
    try:
        _check_issuer(data.issuer)
    except InvalidInput as exc:
        errors |= exc.errors
    if not data.client_id or len(data.client_id) > 255:
        errors["client_id"] = "Vul de client-id in die de inlogdienst aan Kompas gaf."
    domains = [d.strip().lower().lstrip("@") for d in data.domains if d.strip()]
    bad = [d for d in domains if not DOMAIN.match(d)]
    if bad:
        errors["domains"] = f"Dit is geen domeinnaam: {bad[0][:80]}. Bijvoorbeeld: kampen.nl."
    if len(data.role_claim) > 100 or not re.match(r"^[\w:./-]+$", data.role_claim):
        errors["role_claim"] = "Vul de naam van een claim in, bijvoorbeeld groups of roles."
    role_map: list[list[str]] = []
    for group, role_text in data.role_map:
        try:
            role = role_from_text(role_text)
        except ValueError:
            errors["role_map"] = (
                f"Onbekende rol: {role_text[:40]}. Kies beheerder, procesbegeleider of lezer."
            )
            break
        if role not in ROLES_ALLOWED:
            errors["role_map"] = (
                "De rol partner hoort bij één partnerorganisatie; nodig partners uit."
            )
            break
        role_map.append([group[:200], role.value])
    if data.default_role is not None and data.default_role not in ROLES_ALLOWED:
        errors["default_role"] = "Kies beheerder, procesbegeleider, lezer of geen."
    secret_env, secret_file = data.secret_env, data.secret_file
    if secret_env is None and secret_file is None:  # kept, or the default
        if current is not None:
            secret_env, secret_file = current.secret_env, current.secret_file
        else:
            secret_env = default_secret_env(organisation)
    if secret_env is not None and not SECRET_ENV.match(secret_env):
        errors["secret"] = (
            "De omgevingsvariabele met het clientgeheim begint met KOMPAS_OIDC_ (hoofdletters, "
            "cijfers en _), zodat geen ander geheim van Kompas naar de inlogdienst gaat."
        )
    if secret_file is not None and not Path(secret_file).is_absolute():
        errors["secret"] = "Geef het bestand met het clientgeheim als absoluut pad."
    if errors:
        raise InvalidInput(errors)
    return domains, role_map, secret_env, secret_file


def _shown(provider: SsoProvider | None) -> dict[str, Any] | None:
    """The settings as the audit log keeps them: where the secret is, never the secret."""
    if provider is None:
        return None
    return {
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "secret_env": provider.secret_env,
        "secret_file": provider.secret_file,
        "domains": list(provider.domains),
        "role_claim": provider.role_claim,
        "role_map": [list(pair) for pair in provider.role_map],
        "default_role": provider.default_role.value if provider.default_role else None,
        "required": provider.required,
    }


def get_provider(session: Session, organisation: Organisation) -> SsoProvider | None:
    return session.get(SsoProvider, organisation.id)


def configure(
    session: Session,
    organisation: Organisation,
    data: SsoSettings,
    *,
    actor_id: int | None,
    origin: str,
    actor_label: str | None = None,
) -> SsoProvider:
    """Set the organisation's identity provider (the beheerder's page and `kompas sso set`);
    the change goes into the audit log without the secret."""
    current = get_provider(session, organisation)
    domains, role_map, secret_env, secret_file = _validated(organisation, data, current)
    before = _shown(current)
    provider = current or SsoProvider(
        organisation_id=row_id(organisation),
        issuer=data.issuer,
        client_id=data.client_id,
    )
    provider.issuer, provider.client_id = data.issuer, data.client_id
    provider.secret_env, provider.secret_file = secret_env, secret_file
    provider.domains, provider.role_claim, provider.role_map = domains, data.role_claim, role_map
    provider.default_role, provider.required = data.default_role, data.required
    provider.updated_at = utc_now()
    session.add(provider)
    session.flush()
    _end_password_sessions(session, provider)
    _log_setting(session, organisation, before, _shown(provider), actor_id, origin, actor_label)
    return provider


def _end_password_sessions(session: Session, provider: SsoProvider) -> None:
    """Once the own account is required, sessions begun with a password in the organisation
    end (the person signs in again, this time with the organisation's account)."""
    if provider.required:
        session.exec(
            delete(SignInSession).where(
                col(SignInSession.organisation_id) == provider.organisation_id,
                col(SignInSession.method) != SignInMethod.SSO,
            )
        )


def set_required(
    session: Session,
    organisation: Organisation,
    required: bool,
    *,
    actor_id: int | None,
    origin: str,
    actor_label: str | None = None,
) -> SsoProvider:
    """Only this way, or a password too (the operator's way back when the provider is down)."""
    provider = get_provider(session, organisation)
    if provider is None:
        raise NotFound(f"{organisation.name} heeft geen inlogdienst ingesteld.")
    before = _shown(provider)
    provider.required = required
    provider.updated_at = utc_now()
    session.add(provider)
    session.flush()
    _end_password_sessions(session, provider)
    _log_setting(session, organisation, before, _shown(provider), actor_id, origin, actor_label)
    return provider


def remove(
    session: Session,
    organisation: Organisation,
    *,
    actor_id: int | None,
    origin: str,
    actor_label: str | None = None,
) -> None:
    provider = get_provider(session, organisation)
    if provider is None:
        return
    before = _shown(provider)
    session.delete(provider)
    session.flush()
    _log_setting(session, organisation, before, None, actor_id, origin, actor_label)


def _log_setting(session, organisation, before, after, actor_id, origin, actor_label) -> None:
    events.record(
        session,
        AuditAction.SETTING,
        organisation_id=organisation.id,
        actor_id=actor_id,
        actor_label=actor_label,
        origin=origin,
        entity="sso_provider",
        entity_id=organisation.id,
        label="Inloggen met het account van de eigen organisatie (SSO)",
        before=before,
        after=after,
    )


def sign_in_options(session: Session) -> list[Organisation]:
    """The organisations whose people can sign in with their own account."""
    return list(
        session.exec(
            select(Organisation)
            .join(SsoProvider, col(SsoProvider.organisation_id) == Organisation.id)
            .order_by(col(Organisation.name))
        ).all()
    )


# The flow


def _refused_by_provider(organisation: Organisation, reason: str) -> SsoRefused:
    return SsoRefused(
        f"De inlogdienst van {organisation.name} gaf geen geldig antwoord, dus je bent niet "
        "ingelogd en er is niets aangemaakt. Probeer het opnieuw; lukt het weer niet, vraag "
        "dan een beheerder om de instelling na te kijken.",
        reason,
    )


def _provider_of(session: Session, organisation: Organisation) -> SsoProvider:
    provider = get_provider(session, organisation)
    if provider is None:
        raise NotFound(f"{organisation.name} heeft geen inloggen met een eigen account ingesteld.")
    return provider


def client_secret(provider: SsoProvider, organisation: Organisation) -> str:
    """The secret from the file or environment variable the settings name."""
    secret = None
    if provider.secret_file:
        try:
            secret = Path(provider.secret_file).read_text().strip()
        except OSError:
            secret = None
    elif provider.secret_env:
        secret = os.environ.get(provider.secret_env, "").strip()
    if not secret:
        raise SsoRefused(
            f"Inloggen met het account van {organisation.name} is nog niet klaar: het "
            "clientgeheim ontbreekt op de server. Log in met je wachtwoord, of vraag de "
            "beheerder van de installatie het geheim in te stellen.",
            "clientgeheim ontbreekt",
        )
    return secret


def _discover(provider: SsoProvider, organisation: Organisation) -> dict[str, Any]:
    """The provider's metadata; it must name the issuer the settings name (exactly), or an
    answer signed by another provider could pass for this one."""
    url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = httpx.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
    except (httpx.HTTPError, ValueError):
        raise SsoRefused(
            f"De inlogdienst van {organisation.name} is nu niet bereikbaar. Probeer het later "
            "opnieuw of log in met je wachtwoord.",
            "inlogdienst niet bereikbaar",
        ) from None
    if not isinstance(document, dict) or document.get("issuer") != provider.issuer:
        raise SsoRefused(
            f"De inlogdienst van {organisation.name} noemt zich anders dan ingesteld (een "
            "andere issuer), dus Kompas vertrouwt hem niet. Je bent niet ingelogd en er is "
            "niets aangemaakt; vraag een beheerder de instelling na te kijken.",
            "andere issuer",
        )
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(key), str):
            raise _refused_by_provider(organisation, f"metadata zonder {key}")
    return document


def _client(provider: SsoProvider, redirect_uri: str, secret: str | None = None) -> OAuth2Client:
    return OAuth2Client(
        provider.client_id,
        secret,
        scope=SCOPE,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        timeout=TIMEOUT_SECONDS,
    )


def begin(
    session: Session, organisation: Organisation, next_url: str, redirect_uri: str
) -> tuple[str, str]:
    """Start signing in at the organisation's provider: the address to send the browser to,
    and the state for its cookie. The sign-in under way is added to the caller's
    transaction."""
    provider = _provider_of(session, organisation)
    client_secret(provider, organisation)  # refuse now, not after the person signed in there
    document = _discover(provider, organisation)
    state, nonce, verifier = new_secret(), new_secret(), generate_token(64)
    with _client(provider, redirect_uri) as client:
        url, _ = client.create_authorization_url(
            document["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier
        )
    session.exec(delete(SsoLogin).where(col(SsoLogin.created_at) < utc_now() - LOGIN_VALID))
    session.add(
        SsoLogin(
            state_hash=digest(state),
            organisation_id=row_id(organisation),
            nonce=nonce,
            encrypted_verifier=encrypt(verifier),
            next_url=next_url[:500],
        )
    )
    session.flush()
    return url, state


STATE_REFUSED = (
    "Deze inlogpoging is al gebruikt, verlopen of niet in deze browser begonnen, dus je bent "
    "niet ingelogd en er is niets aangemaakt. Begin opnieuw met inloggen."
)


def take_login(session: Session, state: str | None, cookie_state: str | None) -> SsoLogin:
    """The sign-in under way that this answer belongs to, taken out so that it counts once
    (in the caller's transaction, which the caller commits whatever follows)."""
    if not state or not same(state, cookie_state):
        raise SsoRefused(STATE_REFUSED, "state onbekend of van een andere browser")
    login = session.exec(select(SsoLogin).where(SsoLogin.state_hash == digest(state))).first()
    if login is None:
        raise SsoRefused(STATE_REFUSED, "state al gebruikt of onbekend")
    taken = session.exec(delete(SsoLogin).where(col(SsoLogin.id) == login.id))
    if taken.rowcount != 1:  # another request took it first
        raise SsoRefused(STATE_REFUSED, "state al gebruikt")
    if login.created_at < utc_now() - LOGIN_VALID:
        raise SsoRefused(STATE_REFUSED, "state verlopen")
    return login


@dataclass
class Answer:
    """What the provider vouched for."""

    email: str
    name: str
    claims: dict[str, Any]


def finish(
    session: Session,
    login: SsoLogin,
    *,
    code: str | None,
    error: str | None,
    issuer: str | None,
    redirect_uri: str,
) -> tuple[Organisation, Answer]:
    """Check the provider's answer: the code is exchanged (with the PKCE verifier), and the
    ID token must be signed by the provider's published key, for this client, with the
    nonce of this sign-in."""
    organisation = session.get_one(Organisation, login.organisation_id)
    provider = _provider_of(session, organisation)
    if error or not code:
        raise SsoRefused(
            f"Inloggen bij {organisation.name} is afgebroken of geweigerd, dus je bent niet "
            "ingelogd. Begin opnieuw met inloggen.",
            f"inlogdienst antwoordde {error or 'zonder code'}"[:100],
        )
    verifier = decrypt_or_none(login.encrypted_verifier)
    if verifier is None:  # begun on a server with another KOMPAS_SECRET_KEY
        raise SsoRefused(STATE_REFUSED, "PKCE-verifier niet te ontsleutelen")
    secret = client_secret(provider, organisation)
    document = _discover(provider, organisation)
    if issuer is not None and issuer != provider.issuer:  # RFC 9207: the answer names its sender
        raise _refused_by_provider(organisation, "antwoord van een andere issuer")
    try:
        with _client(provider, redirect_uri, secret) as client:
            token = client.fetch_token(
                document["token_endpoint"],
                code=code,
                code_verifier=verifier,
            )
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise _refused_by_provider(organisation, "geen ID-token")
        keys = KeySet.import_key_set(httpx.get(document["jwks_uri"], timeout=10).json())
        claims = jwt.decode(id_token, keys, algorithms=ALGORITHMS).claims
        jwt.JWTClaimsRegistry(
            leeway=LEEWAY_SECONDS,
            iss={"essential": True, "value": provider.issuer},
            aud={"essential": True, "value": provider.client_id},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": login.nonce},
        ).validate(claims)
    except AuthlibBaseError as exc:  # the provider refused the code
        raise SsoRefused(
            f"De inlogdienst van {organisation.name} nam de inlogcode niet aan (verlopen of al "
            "gebruikt), dus je bent niet ingelogd en er is niets aangemaakt. Begin opnieuw met "
            "inloggen.",
            f"code geweigerd: {getattr(exc, 'error', '')}"[:100],
        ) from None
    except JoseError as exc:
        raise _refused_by_provider(organisation, f"ID-token ongeldig: {exc.error}"[:100]) from None
    except (httpx.HTTPError, ValueError, KeyError):
        raise _refused_by_provider(organisation, "ID-token niet te controleren") from None
    audience = claims.get("aud")
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != provider.client_id:
        raise _refused_by_provider(organisation, "ID-token voor een andere client")
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or claims.get("email_verified") is False:
        raise SsoRefused(
            f"De inlogdienst van {organisation.name} gaf geen (bevestigd) e-mailadres, dus "
            "Kompas weet niet wie je bent. Vraag een beheerder de instelling na te kijken.",
            "geen bevestigd e-mailadres",
        )
    name = claims.get("name") if isinstance(claims.get("name"), str) else None
    return organisation, Answer(email.strip().lower()[:254], (name or email)[:200], claims)


def _mapped_role(provider: SsoProvider, claims: dict[str, Any]) -> Role | None:
    value = claims.get(provider.role_claim)
    values = {value} if isinstance(value, str) else {str(v) for v in value or []}
    for group, role in provider.role_map:
        if group in values:
            return role_from_text(role)
    return provider.default_role


def member_for(session: Session, organisation: Organisation, answer: Answer) -> User:
    """The person the provider vouched for, a member of the organisation: already, through
    an open invitation, or through an allowed domain with the mapped role. Anyone else is
    refused and nothing is created."""
    provider = _provider_of(session, organisation)
    user = get_user_by_email(session, answer.email)
    if user is not None and _is_member(session, user, organisation):
        return user
    invitation = session.exec(
        select(Invitation).where(
            Invitation.organisation_id == organisation.id,
            Invitation.email == answer.email,
            col(Invitation.accepted_at).is_(None),
            Invitation.expires_at > utc_now(),
        )
    ).first()
    if invitation is not None:
        user = user or create_user(session, email=answer.email, name=answer.name, password=None)
        invitations.join(session, invitation, user)
        return user
    domain = answer.email.rpartition("@")[2]
    if domain not in provider.domains:
        raise SsoRefused(
            f"Je e-mailadres hoort niet bij een domein dat {organisation.name} toelaat, en er "
            f"is geen uitnodiging voor je. Er is niets aangemaakt; vraag een beheerder van "
            f"{organisation.name} om een uitnodiging.",
            "domein niet toegelaten, geen uitnodiging",
        )
    role = _mapped_role(provider, answer.claims)
    if role is None:
        raise SsoRefused(
            f"Je account bij {organisation.name} heeft geen groep die toegang geeft tot Kompas. "
            "Er is niets aangemaakt; vraag een beheerder om een uitnodiging of om de groep.",
            "geen groep die bij een rol hoort",
        )
    user = user or create_user(session, email=answer.email, name=answer.name, password=None)
    add_member(session, organisation, user, role)
    return user


def _is_member(session: Session, user: User, organisation: Organisation) -> bool:
    return (
        session.exec(
            select(Membership.id).where(
                Membership.user_id == user.id, Membership.organisation_id == organisation.id
            )
        ).first()
        is not None
    )
