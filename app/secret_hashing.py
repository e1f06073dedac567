"""Every secret Kompas hands out or keeps, and how it is stored.

Secrets handed out (session cookies, reset and invitation links, partner and publication links,
API tokens, recovery codes) are random; only a keyed hash of each is stored, so a copy of the
database lets nobody in. Passwords are hashed with argon2id. The one secret that must be read
back, a TOTP key, is stored encrypted under a key derived from `KOMPAS_SECRET_KEY`; so is a
one-time link waiting in the outbox to be mailed (under a key of its own, until it is sent).
"""

import base64
import hashlib
import hmac
import secrets
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pwdlib import PasswordHash

from app.config import settings

_passwords = PasswordHash.recommended()  # argon2id


def new_secret() -> str:
    return secrets.token_urlsafe(32)


# Codes people type (join codes, recovery codes): no 0/O, 1/I/L, 2/Z, 5/S, 8/B look-alikes.
READABLE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def readable_code(length: int) -> str:
    return "".join(secrets.choice(READABLE_ALPHABET) for _ in range(length))


def show_code(code: str) -> str:
    """In two groups, as people read and type it: HK7P3-MXR4Q."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_code(typed: str) -> str:
    """What someone typed: spaces and dashes dropped, case ignored (the alphabet has no
    look-alikes to confuse)."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())[:32]


def _key() -> bytes:
    return settings.secret_key.get_secret_value().encode()


def digest(secret: str) -> str:
    """The keyed hash under which a handed-out secret is stored."""
    return hmac.new(_key(), secret.encode(), hashlib.sha256).hexdigest()


def same(given: str | None, expected: str | None) -> bool:
    """Two secrets compared in constant time; nothing equals a missing one. As bytes: what an
    attacker sends may hold letters beyond ASCII, which compare_digest refuses in a str."""
    return bool(given and expected and hmac.compare_digest(given.encode(), expected.encode()))


# Passwords


def hash_password(password: str) -> str:
    return _passwords.hash(password)


def unusable_password() -> str:
    """For accounts that get their password through a link: nothing can match it."""
    return "!" + new_secret()


def password_usable(stored: str) -> bool:
    return not stored.startswith("!")


@cache
def _decoy_hash() -> str:
    """Checked when there is no password to check, so that an unknown address takes as long
    as a wrong password and the answer's timing does not tell which accounts exist."""
    return _passwords.hash(new_secret())


def verify_password(password: str, stored: str | None) -> bool:
    """Whether the password fits the stored hash; without a usable hash, as slow as a check."""
    usable = stored is not None and password_usable(stored)
    return _passwords.verify(password, stored if stored and usable else _decoy_hash()) and usable


# Secrets kept to be read back


@cache
def _fernet() -> Fernet:
    derived = hmac.new(_key(), b"kompas-encryption-key", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def decrypt_or_none(token: str) -> str | None:
    """The secret, or None when it cannot be read: encrypted while the server ran with another
    `KOMPAS_SECRET_KEY` (or changed in the database). Callers answer with a Dutch message."""
    try:
        return decrypt(token)
    except InvalidToken:
        return None


# One-time links waiting in the outbox (app/mail.py): a key of their own, derived with HKDF.


@cache
def _outbox_fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"kompas outbox").derive(
        _key()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_link(path: str) -> str:
    return _outbox_fernet().encrypt(path.encode()).decode()


def decrypt_link_or_none(token: str) -> str | None:
    """None when it was encrypted under another `KOMPAS_SECRET_KEY`."""
    try:
        return _outbox_fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None
