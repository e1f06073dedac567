"""The second factor of a password account: a code from an authenticator app (TOTP, RFC 6238,
30-second steps, six digits), or one of ten one-time recovery codes.

Required for beheerders, and for every member of an organisation that says so; anyone else
may set it up on "Mijn account". Wrong codes are throttled as passwords are, per person and
network address together (5 in 15 minutes), per network address (20) and per person from
anywhere (10): whoever holds a password cannot try the million codes. A code is taken once:
the time step of the last one accepted is kept, and only later steps count.

Losing the app: a recovery code signs in once; a beheerder of every organisation the person
belongs to (as for password links) or the operator (`kompas user reset-mfa`) resets the
second factor, which ends the person's sessions; at the next sign-in they set it up again.

A key that cannot be decrypted (the server runs with another `KOMPAS_SECRET_KEY` than the one
it was stored under) takes no code: the code step says so in Dutch and points to a recovery
code or a reset, and a key still being set up is replaced by a new one.
"""

import logging
from datetime import timedelta

import pyotp
from sqlmodel import Session, col, delete, select

from app import throttle
from app.db import reading
from app.errors import AppError, Conflict, InvalidInput
from app.organisations.models import (
    Membership,
    RecoveryCode,
    Role,
    SecondFactor,
    SecondFactorAttempt,
    SignInSession,
    User,
)
from app.secret_hashing import (
    decrypt_or_none,
    digest,
    encrypt,
    normalise_code,
    readable_code,
    show_code,
)
from app.tables import row_id, utc_now

ISSUER = "Kompas"
RECOVERY_CODES = 10
RECOVERY_CODE_LENGTH = 10  # 25^10, about 1e14
STEPS_ACCEPTED = 1  # a code of the step before or after is accepted too (clocks drift)
FAILURES_PER_PERSON_AND_ADDRESS = 5
FAILURES_PER_ADDRESS = 20
FAILURES_PER_PERSON = 10
THROTTLE_WINDOW = timedelta(minutes=15)
CODE_FIELD = "code"


KEY_UNREADABLE = (
    "Kompas kan de sleutel van je authenticator-app op deze server niet lezen, dus een code "
    "uit je app werkt nu niet. Vul een herstelcode in; werkt die ook niet, vraag dan een "
    "beheerder of de beheerder van de installatie je tweestapsverificatie opnieuw in te "
    "stellen."
)
log = logging.getLogger("kompas.second_factor")


class TooManyCodes(AppError):
    status_code = 429
    title = "Even geduld"


def required(membership: Membership) -> bool:
    """Whether working in this organisation, in this role, needs a second factor."""
    return membership.role is Role.ADMIN or membership.organisation.second_factor_required


def _factor(session: Session, user: User) -> SecondFactor | None:
    return session.get(SecondFactor, user.id)


def enrolled(session: Session, user: User) -> bool:
    factor = _factor(session, user)
    return factor is not None and factor.confirmed_at is not None


def pending_key(session: Session, user: User) -> str:
    """The key being set up (a new one the first time): shown as a QR code and as text until
    a code from it is confirmed."""
    factor = _factor(session, user)
    if factor is not None and factor.confirmed_at is not None:
        raise Conflict("Tweestapsverificatie is al ingesteld.")
    key = decrypt_or_none(factor.encrypted_key) if factor is not None else None
    if key is None:  # the first time, or a key kept under another KOMPAS_SECRET_KEY: a new one
        key = pyotp.random_base32()
        if factor is None:
            factor = SecondFactor(user_id=row_id(user), encrypted_key=encrypt(key))
        else:
            factor.encrypted_key = encrypt(key)
        session.add(factor)
        session.flush()
    return key


def set_up_with_key(session: Session, user: User, key: str) -> None:
    """A second factor already confirmed, with a key known beforehand (the demo's)."""
    session.add(
        SecondFactor(user_id=row_id(user), encrypted_key=encrypt(key), confirmed_at=utc_now())
    )
    session.flush()


def provisioning_uri(user: User, key: str) -> str:
    return pyotp.TOTP(key).provisioning_uri(name=user.email, issuer_name=ISSUER)


def show_key(key: str) -> str:
    """The key in groups of four, for typing it into an app by hand."""
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _too_many() -> TooManyCodes:
    minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
    return TooManyCodes(
        f"Te veel verkeerde codes. Probeer het over {minutes} minuten opnieuw, of vraag een "
        "beheerder om je tweestapsverificatie opnieuw in te stellen."
    )


def _reserve(session: Session, user: User, address: str) -> SecondFactorAttempt:
    address = address[:64]
    return throttle.reserve(
        session,
        SecondFactorAttempt,
        {"user_id": user.id, "address": address, "pending": True},
        [
            throttle.Limit(
                FAILURES_PER_PERSON_AND_ADDRESS,
                [SecondFactorAttempt.user_id == user.id, SecondFactorAttempt.address == address],
            ),
            throttle.Limit(FAILURES_PER_ADDRESS, [SecondFactorAttempt.address == address]),
            throttle.Limit(FAILURES_PER_PERSON, [SecondFactorAttempt.user_id == user.id]),
        ],
        THROTTLE_WINDOW,
        _too_many,
    )


def _step_of(key: str, code: str, after: int) -> int | None:
    """The time step whose code this is (within the drift accepted), if later than `after`."""
    totp = pyotp.TOTP(key)
    now = totp.timecode(utc_now())
    for step in range(now - STEPS_ACCEPTED, now + STEPS_ACCEPTED + 1):
        if step > after and pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def _recovery(session: Session, user: User, code: str) -> RecoveryCode | None:
    return session.exec(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == digest(normalise_code(code)),
            col(RecoveryCode.used_at).is_(None),
        )
    ).first()


def _wrong(session: Session, attempt: SecondFactorAttempt, message: str) -> InvalidInput:
    throttle.failed(session, attempt)
    return InvalidInput({CODE_FIELD: message})


def _accepted(session: Session, user: User, attempt: SecondFactorAttempt) -> None:
    """A right code: its reservation and this person's failures from this address go."""
    session.exec(
        delete(SecondFactorAttempt).where(
            col(SecondFactorAttempt.user_id) == user.id,
            col(SecondFactorAttempt.address) == attempt.address,
        )
    )


def check(session: Session, user: User, typed: str, address: str) -> bool:
    """Whether the code from the app (or an unused recovery code) is right; raises with a Dutch
    message when it is not. Returns True when a recovery code was used. The attempt is counted
    first (app/throttle.py); a right one is taken back in the caller's transaction."""
    typed = typed.strip().replace(" ", "")
    if not typed:
        raise InvalidInput({CODE_FIELD: "Vul de code uit je app in, of een herstelcode."})
    attempt = _reserve(session, user, address)
    with reading(session):
        factor = _factor(session, user)
        confirmed = factor is not None and factor.confirmed_at is not None
        key = decrypt_or_none(factor.encrypted_key) if factor and confirmed else None
        last_step = factor.last_step if factor else 0
        step = _step_of(key, typed, last_step) if key and typed.isdigit() else None
        recovery = None if step is not None else _recovery(session, user, typed)
    if factor is None or (step is None and recovery is None):
        if confirmed and key is None:
            log.warning(
                "The TOTP key of user %s cannot be decrypted: was it stored while the server "
                "ran with another KOMPAS_SECRET_KEY? Only a recovery code or a reset helps.",
                user.id,
            )
            raise _wrong(session, attempt, KEY_UNREADABLE)
        raise _wrong(
            session,
            attempt,
            "Deze code klopt niet of is al gebruikt. Vul de code in die je app nu toont.",
        )
    if step is not None:
        factor.last_step = step
        session.add(factor)
    else:
        assert recovery is not None
        recovery.used_at = utc_now()
        session.add(recovery)
    _accepted(session, user, attempt)
    session.flush()
    return recovery is not None


def confirm(session: Session, user: User, typed: str, address: str) -> list[str]:
    """The first code from the app being set up: from now on it is asked at every sign-in.
    Returns the recovery codes, shown once."""
    typed = typed.strip().replace(" ", "")
    attempt = _reserve(session, user, address)
    factor = _factor(session, user)
    if factor is None or factor.confirmed_at is not None:
        throttle.release(session, attempt)
        raise Conflict("Tweestapsverificatie is al ingesteld, of het instellen is verlopen.")
    # A key kept under another KOMPAS_SECRET_KEY takes no code; the page shows a new one.
    key = decrypt_or_none(factor.encrypted_key)
    step = _step_of(key, typed, 0) if key and typed.isdigit() else None
    if step is None:
        raise _wrong(
            session,
            attempt,
            "Deze code klopt niet. Scan de QR-code opnieuw en vul de code in die je app nu "
            "toont (zes cijfers).",
        )
    factor.confirmed_at, factor.last_step = utc_now(), step
    session.add(factor)
    _accepted(session, user, attempt)
    return new_recovery_codes(session, user)


def new_recovery_codes(session: Session, user: User) -> list[str]:
    """Ten new recovery codes; earlier ones stop working. Only their keyed hashes are kept."""
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))
    codes = [readable_code(RECOVERY_CODE_LENGTH) for _ in range(RECOVERY_CODES)]
    user_id = row_id(user)
    session.add_all(RecoveryCode(user_id=user_id, code_hash=digest(code)) for code in codes)
    session.flush()
    return [show_code(code) for code in codes]


def recovery_codes_left(session: Session, user: User) -> int:
    return len(
        session.exec(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, col(RecoveryCode.used_at).is_(None)
            )
        ).all()
    )


def reset(session: Session, user: User) -> None:
    """The app was lost: the second factor and its recovery codes go, and every session of
    the person ends; at the next sign-in they set it up again."""
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))
    session.exec(delete(SecondFactor).where(col(SecondFactor.user_id) == user.id))
    session.exec(delete(SignInSession).where(col(SignInSession.user_id) == user.id))
    session.flush()
