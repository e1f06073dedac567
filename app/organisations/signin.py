"""Proving who someone is: passwords, sign-in sessions, throttling, reset links, API tokens.

Secrets handed out (cookie tokens, reset links, API tokens) are random; only a keyed hash of
each is stored (app/secret_hashing.py), so a copy of the database does not let anyone in.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.orm import joinedload
from sqlmodel import Session, col, delete, select, update

from app import throttle
from app.config import settings
from app.db import reading, writing
from app.errors import AppError, Conflict, Forbidden, InvalidInput, NotFound
from app.organisations import second_factor
from app.organisations.models import (
    ApiToken,
    Membership,
    Organisation,
    PasswordReset,
    SignInAttempt,
    SignInMethod,
    SignInSession,
    SsoProvider,
    User,
)
from app.secret_hashing import (
    digest,
    hash_password,
    new_secret,
    password_usable,
    verify_password,
)
from app.tables import related, row_id, utc_now

MIN_PASSWORD_LENGTH = 12
RESET_VALID = timedelta(hours=24)
# Throttling: at most this many failed attempts per e-mail address (or per network address)
# within the window; then sign-in waits until the window has passed.
FAILURES_PER_EMAIL = 5
FAILURES_PER_ADDRESS = 20
THROTTLE_WINDOW = timedelta(minutes=15)
# An attempt kept out only by others still being checked (a room signing in at once from one
# network address) waits at most this long for them.
PENDING_WAIT = timedelta(seconds=15)
TOKEN_PREFIX = "kps_"
# After the right password, the code from the app is to come within this time.
CODE_STEP_VALID = timedelta(minutes=10)
CODE_PATH = "/inloggen/code"  # where a session awaiting its code is sent
SET_UP_PATH = "/tweestapsverificatie"  # where one that needs a second factor first sets it up


class TooManyAttempts(AppError):
    status_code = 429
    title = "Even geduld"


# Passwords


def check_new_password(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            {field: f"Kies een wachtwoord van minstens {MIN_PASSWORD_LENGTH} tekens."}
        )


def _too_many() -> TooManyAttempts:
    minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
    return TooManyAttempts(
        f"Te veel mislukte pogingen om in te loggen. Probeer het over {minutes} minuten opnieuw."
    )


def authenticate(session: Session, email: str, password: str, address: str) -> User:
    """The user with this e-mail and password. Failures are counted per e-mail address and
    network address together, and per network address: guessing is slowed down, but nobody
    can lock someone else out by failing on purpose from elsewhere.

    The attempt is recorded (pending) before its password is checked, in a write of its own,
    and counted with it (app/throttle.py): of any number of attempts at once, at most the
    limit is checked. A wrong password leaves it as a failure; the right one takes it back
    and clears the failures of this e-mail and network address, in the caller's transaction."""
    email, address = email.strip().lower()[:254], address[:64]
    attempt = throttle.reserve(
        session,
        SignInAttempt,
        {"email": email, "address": address, "pending": True},
        [
            throttle.Limit(
                FAILURES_PER_EMAIL,
                [SignInAttempt.email == email, SignInAttempt.address == address],
            ),
            throttle.Limit(FAILURES_PER_ADDRESS, [SignInAttempt.address == address]),
        ],
        THROTTLE_WINDOW,
        _too_many,
        wait=PENDING_WAIT,
    )
    with reading(session):  # the password check is slow: not while holding the write lock
        user = session.exec(select(User).where(User.email == email)).first()
        valid = verify_password(password, user.password_hash if user is not None else None)
    if not valid or user is None:
        throttle.failed(session, attempt)
        raise InvalidInput({"email": "Dit e-mailadres en wachtwoord horen niet bij elkaar."})
    session.exec(
        delete(SignInAttempt).where(
            col(SignInAttempt.email) == email,
            col(SignInAttempt.address) == address,
            (col(SignInAttempt.id) == attempt.id) | ~col(SignInAttempt.pending),
        )
    )
    return user


# Sessions


# Every signed-in request asks these (and _SIGNED_IN or _API_TOKEN below), so they are built
# once, with their SQLAlchemy cache keys: building and keying them again took about a fifth of
# a small page's time.
_MEMBERSHIPS = (
    select(Membership)
    .where(Membership.user_id == bindparam("user_id"))
    .options(joinedload(related(Membership.organisation)))
    .order_by(col(Membership.organisation_id))
)


def memberships_of(session: Session, user: User) -> list[Membership]:
    return list(session.exec(_MEMBERSHIPS, params={"user_id": user.id}).all())


class OwnAccountOnly(AppError):
    """A password sign-in to an organisation whose members sign in with its own account."""

    status_code = 403
    title = "Log in met het account van je organisatie"


def sso_only(organisation: Organisation) -> OwnAccountOnly:
    return OwnAccountOnly(
        f"Leden van {organisation.name} loggen in met hun {organisation.name}-account, niet met "
        f"een wachtwoord. Kies 'Inloggen met {organisation.name}-account'."
    )


def _requiring_sso(session: Session) -> set[int]:
    return set(
        session.exec(
            select(SsoProvider.organisation_id).where(col(SsoProvider.required).is_(True))
        ).all()
    )


def start_session(
    session: Session,
    user: User,
    proven: SignInMethod | None = None,
    organisation_id: int | None = None,
) -> tuple[str, SignInSession]:
    """A new signed-in session in the person's first organisation (or the one given);
    returns the cookie token. Someone with a second factor has only given their password
    yet: the session awaits the code and opens nothing else, unless it continues one `proven`
    already (a new password, or the organisation's own account). Without the organisation's
    own account, organisations that require it are not opened."""
    memberships = memberships_of(session, user)
    if not memberships:
        raise Conflict("Dit account hoort (nog) bij geen enkele organisatie.")
    if proven is not SignInMethod.SSO:
        requiring = _requiring_sso(session)
        open_ = [m for m in memberships if m.organisation_id not in requiring]
        if not open_:
            raise sso_only(memberships[0].organisation)
        memberships = open_
    if organisation_id is not None:
        memberships = [m for m in memberships if m.organisation_id == organisation_id]
        if not memberships:
            raise NotFound("Je bent geen lid van deze organisatie.")
    token = new_secret()
    sign_in = SignInSession(
        token_hash=digest(token),
        user_id=row_id(user),
        organisation_id=memberships[0].organisation_id,
        csrf_token=new_secret(),
        method=proven or SignInMethod.PASSWORD,
        awaiting_code=proven is None and second_factor.enrolled(session, user),
    )
    session.add(sign_in)
    session.flush()
    return token, sign_in


def second_step(signed_in: "SignedIn") -> str | None:
    """Where a signed-in browser must go before anything else: the code from the app, or
    setting one up when its role or organisation requires it; None when it is done. The
    organisation's own account needs neither: its identity provider does the second factor."""
    if signed_in.sign_in.method is SignInMethod.SSO:
        return None
    if signed_in.sign_in.awaiting_code:
        return CODE_PATH
    if (
        second_factor.required(signed_in.membership)
        and signed_in.sign_in.method is not SignInMethod.PASSWORD_AND_CODE
    ):
        return SET_UP_PATH
    return None


def code_still_due(session: Session, signed_in: "SignedIn") -> bool:
    """A session that needs a second factor, of someone who has one, but that began without
    the code (their role changed since): it asks for the code now."""
    if signed_in.sign_in.method in (SignInMethod.PASSWORD_AND_CODE, SignInMethod.SSO):
        return False
    if not second_factor.enrolled(session, signed_in.user):
        return False
    with writing(session):
        signed_in.sign_in.awaiting_code = True
        session.add(signed_in.sign_in)
    return True


def complete_second_step(session: Session, sign_in: SignInSession) -> str:
    """The code was right: the session is whole, under a new cookie token (the one given
    before the code opens nothing any more)."""
    token = new_secret()
    sign_in.token_hash = digest(token)
    sign_in.awaiting_code = False
    sign_in.method = SignInMethod.PASSWORD_AND_CODE
    session.add(sign_in)
    session.flush()
    return token


@dataclass
class SignedIn:
    sign_in: SignInSession
    user: User
    membership: Membership


def _expired(sign_in: SignInSession, user: User, now: datetime) -> bool:
    return (
        now - sign_in.last_seen_at > timedelta(minutes=settings.session_idle_minutes)
        or now - sign_in.created_at > timedelta(hours=settings.session_max_hours)
        or sign_in.created_at < user.password_changed_at
        or (sign_in.awaiting_code and now - sign_in.created_at > CODE_STEP_VALID)
    )


def _with_member(credential: type[SignInSession] | type[ApiToken]) -> Any:
    """A sign-in session or API token with its person and their membership of the organisation
    it opened."""
    return (
        select(credential, User, Membership)
        .join(User, col(User.id) == credential.user_id)
        .join(
            Membership,
            (col(Membership.user_id) == credential.user_id)
            & (col(Membership.organisation_id) == credential.organisation_id),
        )
        .options(
            joinedload(related(Membership.organisation)), joinedload(related(Membership.partner))
        )
    )


_SIGNED_IN = _with_member(SignInSession).where(SignInSession.token_hash == bindparam("token_hash"))
_API_TOKEN = _with_member(ApiToken).where(
    ApiToken.token_hash == bindparam("token_hash"), col(ApiToken.revoked_at).is_(None)
)


def resolve_session(session: Session, token: str) -> SignedIn | None:
    """The live session behind a cookie token, or None when it is unknown or has expired."""
    row = session.exec(_SIGNED_IN, params={"token_hash": digest(token)}).first()
    if row is None:
        return None
    sign_in, user, membership = row
    now = utc_now()
    if _expired(sign_in, user, now):
        with writing(session):
            session.delete(sign_in)
        return None
    if now - sign_in.last_seen_at > timedelta(minutes=1):  # the idle clock, once a minute
        with writing(session):
            sign_in.last_seen_at = now
            session.add(sign_in)
    return SignedIn(sign_in, user, membership)


def end_session(session: Session, sign_in: SignInSession) -> None:
    session.delete(sign_in)
    session.flush()


def switch_organisation(
    session: Session, sign_in: SignInSession, organisation_id: int
) -> Organisation:
    membership = session.exec(
        select(Membership).where(
            Membership.user_id == sign_in.user_id, Membership.organisation_id == organisation_id
        )
    ).first()
    if membership is None:
        raise NotFound("Je bent geen lid van deze organisatie.")
    organisation = session.get_one(Organisation, organisation_id)
    if sign_in.method is SignInMethod.SSO and organisation_id != sign_in.organisation_id:
        # The provider vouched for its own organisation only.
        raise Forbidden(
            f"Je bent ingelogd met het account van een andere organisatie dan "
            f"{organisation.name}. Log uit en log opnieuw in om daar te werken."
        )
    if sign_in.method is not SignInMethod.SSO and organisation_id in _requiring_sso(session):
        raise sso_only(organisation)
    sign_in.organisation_id = organisation_id
    session.add(sign_in)
    session.flush()
    return organisation


# Reset links


def create_reset(session: Session, user: User, created_by: User | None) -> str:
    """A one-time link token, valid for a day; earlier unused links for the user stop working."""
    session.exec(
        delete(PasswordReset).where(
            col(PasswordReset.user_id) == user.id, col(PasswordReset.used_at).is_(None)
        )
    )
    token = new_secret()
    session.add(
        PasswordReset(
            token_hash=digest(token),
            user_id=row_id(user),
            created_by_id=created_by.id if created_by else None,
            expires_at=utc_now() + RESET_VALID,
        )
    )
    session.flush()
    return token


def find_reset(session: Session, token: str) -> tuple[PasswordReset, User]:
    row = session.exec(
        select(PasswordReset, User)
        .join(User, col(User.id) == PasswordReset.user_id)
        .where(PasswordReset.token_hash == digest(token))
    ).first()
    if row is None or row[0].used_at is not None or row[0].expires_at < utc_now():
        raise NotFound(
            "Deze link werkt niet (meer): hij is al gebruikt of verlopen. Vraag een beheerder om "
            "een nieuwe link."
        )
    return row[0], row[1]


def use_reset(session: Session, token: str, password: str) -> User:
    reset, user = find_reset(session, token)
    check_new_password(password)
    now = utc_now()
    user.password_hash = hash_password(password)
    reset.used_at = now
    session.add_all([user, reset])
    end_everything(session, user, now)
    return user


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """Someone changes their own password; every session and token of theirs ends."""
    with reading(session):  # both hashes are slow: not while holding the write lock
        if not (
            password_usable(user.password_hash) and verify_password(current, user.password_hash)
        ):
            raise InvalidInput({"current": "Dit is niet je huidige wachtwoord."})
        check_new_password(new)
        new_hash = hash_password(new)
    user.password_hash = new_hash  # written once the write transaction has begun
    session.add(user)
    end_everything(session, user, utc_now())


def end_everything(session: Session, user: User, now: datetime) -> None:
    """After a new password: every session and API token of the person ends."""
    user.password_changed_at = now  # sessions started before no longer count
    session.add(user)
    session.exec(delete(SignInSession).where(col(SignInSession.user_id) == user.id))
    session.exec(
        update(ApiToken)
        .where(col(ApiToken.user_id) == user.id, col(ApiToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    session.flush()


# API tokens


def create_api_token(session: Session, membership: Membership, name: str) -> tuple[str, ApiToken]:
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput({"name": "Geef het token een naam van hoogstens 100 tekens."})
    secret = TOKEN_PREFIX + new_secret()
    token = ApiToken(
        user_id=membership.user_id,
        organisation_id=membership.organisation_id,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=digest(secret),
    )
    session.add(token)
    session.flush()
    return secret, token


def list_api_tokens(session: Session, membership: Membership) -> list[ApiToken]:
    return list(
        session.exec(
            select(ApiToken)
            .where(
                ApiToken.user_id == membership.user_id,
                ApiToken.organisation_id == membership.organisation_id,
            )
            .order_by(col(ApiToken.created_at).desc())
        ).all()
    )


def revoke_api_token(session: Session, membership: Membership, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != membership.user_id:
        raise NotFound("Dit token bestaat niet (meer).")
    token.revoked_at = token.revoked_at or utc_now()
    session.add(token)
    session.flush()


def resolve_api_token(session: Session, secret: str) -> tuple[User, Membership] | None:
    row = session.exec(_API_TOKEN, params={"token_hash": digest(secret)}).first()
    if row is None:
        return None
    token, user, membership = row
    now = utc_now()
    if token.created_at < user.password_changed_at:
        return None  # made before the password was last reset
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        with writing(session):
            token.last_used_at = now
            session.add(token)
    return user, membership
