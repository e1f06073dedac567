"""Record ids as they arrive from outside (paths, forms, JSON bodies).

Ids are INTEGER columns: 32 bits on PostgreSQL (64 on SQLite). A larger number can name no
record, and would make the database fail ("integer out of range") rather than find nothing.
Ids are checked at the edge, so such a request gets a 404 (path) or 422 (field) like any other
id that does not exist.
"""

from typing import Annotated, Any

from fastapi import Path
from pydantic import Field

from app.api_names import dutch
from app.errors import InvalidInput

MAX_ID = 2**31 - 1
UNKNOWN_CHOICE = "Deze keuze bestaat niet (meer). Kies een van de opties."

# A path parameter: /cycli/{cycle_id}
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]


def api_id(name: str) -> Any:
    """A record id in a JSON API path under its Dutch name: api_id("cycle") is {cyclusId}."""
    return Annotated[int, Path(alias=dutch(f"{name}_id"), ge=1, le=MAX_ID)]


# A field of a JSON body or form that refers to another record (partner_id, result_id).
RefId = Annotated[int, Field(ge=1, le=MAX_ID)]


def id_or_none(text: str) -> int | None:
    """An id written as text (a form field or its name, a query parameter, a spreadsheet
    cell), or None when the text cannot name a record: not plain digits, or beyond MAX_ID."""
    value = text.strip()
    if value.isascii() and value.isdigit() and len(value) <= 10 and 1 <= int(value) <= MAX_ID:
        return int(value)
    return None


def record_id(text: str, field: str) -> int:
    """An id typed into (or tampered with in) a form field."""
    found = id_or_none(text)
    if found is None:
        raise InvalidInput({field: UNKNOWN_CHOICE})
    return found
