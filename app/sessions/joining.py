"""Joining a live session: join codes (made, renewed, typed, throttled) and the participant a
phone's cookie stands for. A cookie binds a phone to one session whatever its code is now."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app import throttle
from app.choices import Perspective
from app.errors import AppError, Conflict, InvalidInput, NotFound
from app.secret_hashing import digest, new_secret, normalise_code, readable_code
from app.sessions.models import (
    JoinAttempt,
    LiveSession,
    Participant,
)
from app.tables import utc_now
from app.text import clean_value

# Join codes: readable (app/secret_hashing.py), typed in groups of five (HK7P3-MXR4Q).
CODE_LENGTH = 10  # 25^10, about 1e14 codes
CODE_VALID_AFTER_SESSION = timedelta(days=2)
WRONG_CODES_PER_ADDRESS = 20
THROTTLE_WINDOW = timedelta(minutes=15)


class TooManyCodes(AppError):
    status_code = 429
    title = "Even geduld"


# Join codes


def new_join_code() -> str:
    return readable_code(CODE_LENGTH)


def code_expiry(held_on: date) -> datetime:
    end = datetime.combine(held_on, time(23, 59), tzinfo=UTC)
    try:
        return end + CODE_VALID_AFTER_SESSION
    except OverflowError:  # a date stored before dates had a range (9999-12-31)
        return datetime.max.replace(tzinfo=UTC)


def renew_code(session: Session, live: LiveSession) -> LiveSession:
    """A new code, valid until two days after the session: nobody new joins with the old one,
    and who joined keeps their place and their votes (`joined_with`)."""
    live.join_code = new_join_code()
    live.code_expires_at = max(code_expiry(live.held_on), utc_now() + CODE_VALID_AFTER_SESSION)
    session.add(live)
    session.flush()
    return live


# Joining


class WrongCode(NotFound):
    def __init__(self) -> None:
        super().__init__(
            "Deze code kennen we niet. Controleer de code op het scherm (tien tekens, "
            "bijvoorbeeld HK7P3-MXR4Q) of scan de QR-code."
        )


def _too_many_codes() -> TooManyCodes:
    minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
    return TooManyCodes(
        f"Er zijn vanaf dit netwerk te veel verkeerde codes geprobeerd. Probeer het over "
        f"{minutes} minuten opnieuw, of vraag de procesbegeleider om de QR-code."
    )


def count_wrong_code(session: Session, address: str) -> None:
    """A wrong code typed from `address`, recorded in a write of its own (kept although the
    request fails); TooManyCodes, with nothing recorded, past the address's limit. Exact under
    parallel guesses (see app/throttle.py)."""
    address = address[:64]
    throttle.reserve(
        session,
        JoinAttempt,
        {"address": address},
        [throttle.Limit(WRONG_CODES_PER_ADDRESS, [JoinAttempt.address == address])],
        THROTTLE_WINDOW,
        _too_many_codes,
    )


def find_by_code(
    session: Session, typed: str, address: str | None = None, *, rounds: bool = True
) -> LiveSession:
    """The session behind a code, for joining. A right code is never refused, however many
    wrong ones came from its network address (a room full of phones shares one), so what
    stops guessing is the code itself: ten characters of 25 (about 10**14 codes) that expire.
    Wrong codes from `address` count against it (`count_wrong_code`); past its limit they are
    answered with TooManyCodes instead of WrongCode."""
    code = normalise_code(typed)
    query = select(LiveSession).where(LiveSession.join_code == code)
    if rounds:
        query = query.options(selectinload(LiveSession.rounds))  # type: ignore[arg-type]
    live = session.exec(query).first() if len(code) == CODE_LENGTH else None
    if live is None:
        if address is not None:
            count_wrong_code(session, address)
        raise WrongCode()
    check_open(live)
    return live


def check_open(live: LiveSession) -> None:
    """Refuse a session that ended or whose code expired (Conflict, in Dutch)."""
    if live.is_closed:
        raise Conflict("Deze sessie is afgelopen. Bedankt voor het meedoen!")
    if live.code_expires_at < utc_now():
        raise Conflict(
            "Deze code is verlopen. Vraag de procesbegeleider om de nieuwe code van de sessie."
        )


def joined_with(
    session: Session, token: str, *, rounds: bool = True
) -> tuple[LiveSession, Participant] | None:
    """The session a participant's cookie belongs to, and the participant, whatever code the
    session has now: a new code lets nobody new in with the old one, and ends nobody's place."""
    participant = session.exec(
        select(Participant).where(Participant.token_hash == digest(f"participant:{token}"))
    ).first()
    if participant is None:
        return None
    query = select(LiveSession).where(LiveSession.id == participant.session_id)
    if rounds:
        query = query.options(selectinload(LiveSession.rounds))  # type: ignore[arg-type]
    return session.exec(query).one(), participant


def join(
    session: Session, live: LiveSession, perspective: Perspective, display_name: str | None
) -> tuple[str, Participant]:
    """A new participant; returns the cookie token (only its keyed hash is stored). A name
    with control characters is refused (InvalidInput on `display_name`)."""
    try:
        name = clean_value(display_name or "", multiline=False)
    except ValueError as exc:
        raise InvalidInput({"display_name": str(exc)}) from None
    name = " ".join((name or "").split())[:60] or None
    token = new_secret()
    participant = Participant(
        session_id=live.id,  # type: ignore[arg-type]
        token_hash=digest(f"participant:{token}"),
        display_name=name,
        perspective=perspective,
    )
    session.add(participant)
    session.flush()
    return token, participant


def participant_of(session: Session, live: LiveSession, token: str | None) -> Participant | None:
    """The participant behind a cookie, only if they joined this very session."""
    if not token:
        return None
    return session.exec(
        select(Participant).where(
            Participant.token_hash == digest(f"participant:{token}"),
            Participant.session_id == live.id,
        )
    ).first()


def participant_csrf(token: str) -> str:
    """The token the participant's forms carry, derived from their cookie by the server's key."""
    return digest(f"participant-form:{token}")
