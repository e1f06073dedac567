"""The ranges the domain needs, declared once.

Every date, amount and year a person or a client sends is one of these types, in the domain
schemas that forms, the API, the partner link and the spreadsheet imports all validate with, so
a value outside its range is refused with a Dutch message next to its field. A date such as
9999-12-31 would otherwise be stored and break every page that computes with it (how stale a
figure is, the curve's forecast).

- `EventDate`: something that happened, or will happen soon: a meting, a nulmeting, a story,
  a reflection, a decision, a session. From 1 January 1900 to five years after today.
- `PlanDate`: a date something should be reached by: a streefdatum, the due date of an
  improvement action. From 1 January 1900 to 31 December 2100.
- `Year`: a year of a cycle or of spending, 2000 to 2100.
- `money()`: a field of euros as a municipality budgets them: from 0 up to (not including)
  10 billion, in cents (the columns hold 12 digits, 2 after the comma).
- `percentage()`: a field of 0 to 100, in hundredths.
- `quantity()`: a field holding a measured value: up to 14 digits before the comma, 4 after.

The numbers are fields rather than types because their columns take their precision from the
field (also when the value may be left empty).

Record ids have their range in app/ids.py.

The date ranges are rules for input only: a response shows what is stored (a date saved before
these rules existed still reads), see `input_only`.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError
from sqlmodel import Field

from app.formatting import format_date
from app.tables import utc_now

EARLIEST_DATE = date(1900, 1, 1)
LATEST_PLAN_DATE = date(2100, 12, 31)
EVENT_YEARS_AHEAD = 5
FIRST_YEAR, LAST_YEAR = 2000, 2100

MONEY_DIGITS, MONEY_DECIMALS = 12, 2
MAX_MONEY = Decimal(10) ** (MONEY_DIGITS - MONEY_DECIMALS)  # 10 billion euros
QUANTITY_DIGITS, QUANTITY_DECIMALS = 18, 4


def today() -> date:
    return utc_now().date()


def years_after(day: date, years: int) -> date:
    """The same day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def shifted(day: date, days: int) -> date:
    """`day` plus `days` (or minus), stopping at the calendar's first or last day, so a date
    stored before the ranges existed (9999-12-31) never makes a page fail."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


@dataclass(frozen=True)
class DateRange:
    """Dates from `earliest` to `latest`, or to `years_ahead` years after today (the day the
    value is checked, not the day the application started)."""

    earliest: date
    latest: date | None = None
    years_ahead: int | None = None

    def last(self, on: date | None = None) -> date:
        if self.latest is not None:
            return self.latest
        assert self.years_ahead is not None
        return years_after(on or today(), self.years_ahead)

    def __contains__(self, value: date) -> bool:
        return self.earliest <= value <= self.last()

    def message(self) -> str:
        return (
            f"Vul een datum in van {format_date(self.earliest)} "
            f"tot en met {format_date(self.last())}."
        )

    def __call__(self, value: date) -> date:
        if value not in self:
            raise PydanticCustomError("kompas", self.message())
        return value


EVENT_DATES = DateRange(EARLIEST_DATE, years_ahead=EVENT_YEARS_AHEAD)
PLAN_DATES = DateRange(EARLIEST_DATE, latest=LATEST_PLAN_DATE)

EventDate = Annotated[date, AfterValidator(EVENT_DATES)]
PlanDate = Annotated[date, AfterValidator(PLAN_DATES)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]


def money(**field: Any) -> Any:
    # sqlmodel's Field types the bound as a float: the same bound as an int
    return Field(
        ge=0, lt=int(MAX_MONEY), max_digits=MONEY_DIGITS, decimal_places=MONEY_DECIMALS, **field
    )


def percentage(**field: Any) -> Any:
    return Field(ge=0, le=100, max_digits=5, decimal_places=2, **field)


def quantity(**field: Any) -> Any:
    return Field(max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_DECIMALS, **field)


def input_only(metadata: Any) -> bool:
    """Whether a piece of a field's metadata is a rule for what comes in (a date range), which
    a response leaves out: it shows what is stored, even from before the rule."""
    return isinstance(metadata, AfterValidator) and isinstance(metadata.func, DateRange)
