"""Record ids as they arrive from outside (paths, forms, JSON bodies).

Ids are INTEGER columns: 32 bits on PostgreSQL (64 on SQLite). A larger number can name no
record, and would make the database fail ("integer out of range") rather than find nothing.
Ids are checked at the edge, so such a request gets a 404 (path) or 422 (field) like any other
id that does not exist.
"""

from typing import Annotated

from fastapi import Path
from pydantic import Field

from app.errors import InvalidInput

MAX_ID = 2**31 - 1
# An id as a JSON object's key (a map keyed by ids): 1 to MAX_ID, written out as a pattern.
ID_PATTERN = (
    r"^([1-9][0-9]{0,8}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}|2147[0-3][0-9]{5}"
    r"|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}|21474836[0-3][0-9]"
    r"|214748364[0-7])$"
)
UNKNOWN_CHOICE = "Deze keuze bestaat niet (meer). Kies een van de opties."

# A path parameter: /cycli/{cycle_id}
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]


# A field of a JSON body or form that refers to another record (partner_id, result_id).
RefId = Annotated[int, Field(ge=1, le=MAX_ID)]


def parse_id(text: str) -> int | None:
    """An id from a form field or a field's name (keuze-12); None for anything that can name no
    record: not ASCII digits ("²" is a digit to Python, but no number to int), 0, too large."""
    value = text.strip()
    if not (value.isascii() and value.isdigit() and len(value) <= len(str(MAX_ID))):
        return None
    return int(value) if 1 <= int(value) <= MAX_ID else None


def record_id(text: str, field: str) -> int:
    """An id typed into (or tampered with in) a form field."""
    found = parse_id(text)
    if found is None:
        raise InvalidInput({field: UNKNOWN_CHOICE})
    return found
