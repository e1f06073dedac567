"""Text as people type it: trimmed, free of invisible control characters, and compared the way
a person reads it.

Every write passes through `clean` (the record cycle in app/resources.py calls it for forms and
the API alike), so a name of only spaces, a line break inside a name (which breaks CSV files
and download headers) or a hidden right-to-left override never gets stored.
"""

import unicodedata
from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel

from app.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)

LINE_BREAKS = {"\n", "\r"}
# Bidirectional overrides and isolates can make text read differently from what is stored.
BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def _multiline(model: type[BaseModel], name: str) -> bool:
    info = model.model_fields[name]
    return getattr(info, "sa_type", None) is sa.Text


def _invisible(char: str, multiline: bool) -> bool:
    if multiline and (char in LINE_BREAKS or char == "\t"):
        return False
    return unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS


def clean_value(value: str, *, multiline: bool) -> str | None:
    """The value trimmed; None when nothing is left. Raises ValueError with a Dutch message."""
    if any(_invisible(char, multiline) for char in value):
        raise ValueError(
            "Gebruik geen regeleinden of onzichtbare tekens in dit veld."
            if not multiline
            else "Deze tekst bevat onzichtbare tekens; typ hem opnieuw of plak platte tekst."
        )
    value = unicodedata.normalize("NFC", value).strip()
    return value or None


def clean(data: M) -> M:
    """The model with every text field cleaned; InvalidInput names the fields that are not."""
    model = type(data)
    errors: dict[str, str] = {}
    changes: dict[str, Any] = {}
    for name in model.model_fields:
        value = getattr(data, name)
        if not isinstance(value, str):
            continue
        try:
            cleaned = clean_value(value, multiline=_multiline(model, name))
        except ValueError as exc:
            errors[name] = str(exc)
            continue
        if cleaned is None and model.model_fields[name].is_required():
            errors[name] = "Vul dit veld in."
        elif cleaned != value:
            changes[name] = cleaned
    if errors:
        raise InvalidInput(errors)
    return data.model_copy(update=changes) if changes else data


def same_name(a: str, b: str) -> bool:
    """Names that a person would call the same: case, accents written either way, spacing."""
    return _fold(a) == _fold(b)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())
