"""Dutch (nl-NL) formatting and parsing of dates, numbers and euros (via Babel), and the
punctuation between pieces of text."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel import units as babel_units

LOCALE = "nl_NL"
TIMEZONE = "Europe/Amsterdam"

# Babel parses a pattern on every call; pages format hundreds of values, so parse once.
_DUTCH = Locale.parse(LOCALE)
_DATE = {
    "long": babel_dates.parse_pattern(_DUTCH.date_formats["long"].pattern),
    "short": babel_dates.parse_pattern("dd-MM-yyyy"),
}
_TIME = babel_dates.parse_pattern("HH:mm")
_NUMBER = babel_numbers.parse_pattern("#,##0.######")
_WHOLE_EUROS = babel_numbers.parse_pattern("¤ #,##0")
_EUROS = babel_numbers.parse_pattern("¤ #,##0.00")

# "12.5" typed by someone used to a decimal point: a single dot not followed by exactly three
# digits cannot be a Dutch thousands separator, so it is read as the decimal separator.
_POINT_DECIMAL = re.compile(r"[+-]?\d+\.(\d{1,2}|\d{4,})")
_NUMBER_CHARACTERS = re.compile(r"[+-]?[\d.,]+")


_NOT_A_NUMBER = "Vul een getal in, bijvoorbeeld 12.500 of 12,5."


def format_date(value: date | None, style: str = "long") -> str:
    """`12 maart 2024`; `style="short"` gives `12-03-2024`."""
    if value is None:
        return ""
    return _DATE[style].apply(value, _DUTCH)


def format_datetime(value: datetime | None) -> str:
    """`12 maart 2024 om 14:05`, in Dutch local time."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(TIMEZONE))
    return f"{_DATE['long'].apply(local, _DUTCH)} om {_TIME.apply(local, _DUTCH)}"


def format_time(value: datetime | None) -> str:
    """`14:05`, in Dutch local time."""
    if value is None:
        return ""
    return _TIME.apply(value.astimezone(ZoneInfo(TIMEZONE)), _DUTCH)


def format_number(value: Decimal | float | int | None) -> str:
    """`1.234,5`, without trailing zeros."""
    if value is None:
        return ""
    return _NUMBER.apply(Decimal(str(value)).normalize(), _DUTCH)


# Units that only say "this is a count": the number alone reads better ("60", not "60 aantal").
_COUNT_UNITS = {"aantal", "aantallen", "stuks", "#"}


def format_quantity(value: Decimal | float | int | None, unit: str | None) -> str:
    """A measured value with its unit as Dutch readers write it: `45%`, `12,9% van 0-17 jaar`,
    `431 per 10.000`, and a bare count as `60`."""
    if value is None:
        return ""
    number = format_number(value)
    unit = (unit or "").strip()
    if not unit or unit.lower() in _COUNT_UNITS:
        return number
    return f"{number}{unit}" if unit.startswith("%") else f"{number} {unit}"


def format_size(size: int) -> str:
    """A file's size as Dutch readers write it: `345 kB`, `1,2 MB`."""
    if size < 999_500:  # rounds to 1.000 kB or more: say MB
        return babel_units.format_unit(
            max(1, round(size / 1000)), "digital-kilobyte", "short", "#,##0", locale=_DUTCH
        )
    return babel_units.format_unit(
        size / 1_000_000, "digital-megabyte", "short", "#,##0.#", locale=_DUTCH
    )


def format_euro(value: Decimal | float | int | None) -> str:
    """`€ 12.500` for whole euros, `€ 12.500,50` otherwise."""
    if value is None:
        return ""
    whole = Decimal(value) == Decimal(value).to_integral_value()
    pattern = _WHOLE_EUROS if whole else _EUROS
    return pattern.apply(Decimal(value), _DUTCH, currency="EUR", currency_digits=False)


def input_number(value: Decimal | float | int | None) -> str:
    """A number as a Dutch user would type it back into a form field (`1250,5`)."""
    if value is None:
        return ""
    return format_number(value).replace(".", "")


def parse_number(text: str) -> Decimal:
    """Parse Dutch input such as `12.500`, `12.500,75`, `-3,5`, `€ 1.000` or `12.5`.

    Raises ValueError with a Dutch message when the text is not a number.
    """
    cleaned = text.strip().replace("€", "").replace("%", "").replace(" ", "").replace("\u00a0", "")
    if not _NUMBER_CHARACTERS.fullmatch(cleaned):
        raise ValueError(_NOT_A_NUMBER)
    if _POINT_DECIMAL.fullmatch(cleaned):
        cleaned = cleaned.replace(".", ",")
    try:
        number = babel_numbers.parse_decimal(cleaned, locale=LOCALE, strict=True)
    except (babel_numbers.NumberFormatError, InvalidOperation):
        raise ValueError(_NOT_A_NUMBER) from None
    return number


_ENDS_A_CLAUSE = (".", "?", "!", ":", ";", "…")


def mark_after(text: str, mark: str) -> str:
    """The punctuation to put after `text` when more follows: `mark`, unless the text (often
    typed by a person) ends in punctuation of its own: "Welke gaan voor?" takes no colon."""
    return "" if text.rstrip().endswith(_ENDS_A_CLAUSE) else mark
