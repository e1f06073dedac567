"""Reading the fields of a ballot form (a phone's or a paper tally's): whole numbers per
choice, named `{prefix}{item id}`."""

from app.errors import InvalidInput
from app.ids import UNKNOWN_CHOICE, parse_id


def whole_numbers(form: dict[str, str], prefix: str, most: int, message: str) -> dict[int, int]:
    """The non-zero numbers 0..`most` given per choice; InvalidInput (per field, `message`)
    for anything else. Empty fields are left out."""
    errors: dict[str, str] = {}
    values: dict[int, int] = {}
    for name, value in form.items():
        if not name.startswith(prefix) or not value.strip():
            continue
        item, number = parse_id(name.removeprefix(prefix)), value.strip()
        if item is None:
            errors[name] = UNKNOWN_CHOICE
        elif not (number.isascii() and number.isdigit() and len(number) <= 3) or int(number) > most:
            errors[name] = message
        elif int(number):
            values[item] = int(number)
    if errors:
        raise InvalidInput(errors)
    return values
