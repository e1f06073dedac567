"""Whether an indicator's figures are current: a latest meting older than the indicator's
expected frequency is stale, shown as "laatst bijgewerkt 14 maanden geleden"."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from babel.dates import format_timedelta

from app.choices import Choice
from app.formatting import LOCALE
from app.tables import utc_now

if TYPE_CHECKING:
    from app.results.models import Indicator


class Frequency(Choice):
    """How often an indicator is expected to get a new meting; an older latest meting is stale."""

    MONTHLY = "monthly", "Elke maand"
    QUARTERLY = "quarterly", "Elk kwartaal"
    HALF_YEARLY = "half_yearly", "Elk half jaar"
    YEARLY = "yearly", "Elk jaar"
    BIENNIAL = "biennial", "Elke twee jaar"

    @property
    def months(self) -> int:
        return _FREQUENCY_MONTHS[self]


_FREQUENCY_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
    Frequency.BIENNIAL: 24,
}


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 January
    plus one month is 28 or 29 February). Beyond the calendar (a date stored as 9999-12-31)
    it stops at its first or last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_stale(latest: date | None, frequency: Frequency, today: date | None = None) -> bool:
    """A meting is stale once a whole expected period has passed since it: a yearly figure of
    1 March 2025 is stale from 2 March 2026. Without any meting nothing is stale yet (there is
    nothing to update; the pages say "nog geen meting")."""
    if latest is None:
        return False
    return add_months(latest, frequency.months) < (today or utc_now().date())


FUTURE = "laatste meting gedateerd in de toekomst"


def updated_ago(latest: date, today: date | None = None) -> str:
    """ "laatst bijgewerkt 14 maanden geleden", in months up to two years, then in years. A
    meting dated after today (stored before dates had a range) says so."""
    days = ((today or utc_now().date()) - latest).days
    if days < 0:
        return FUTURE
    if days == 0:
        return "laatst bijgewerkt vandaag"
    if days == 1:
        return "laatst bijgewerkt gisteren"
    # threshold 2: "14 maanden" rather than "1 jaar", "10 dagen" rather than "1 week"
    span = format_timedelta(timedelta(days=days), threshold=2, locale=LOCALE)
    return f"laatst bijgewerkt {span} geleden"


@dataclass(frozen=True)
class Freshness:
    latest: date | None
    stale: bool
    label: str  # "laatst bijgewerkt 3 maanden geleden", or "nog geen meting"


def freshness_of(latest: date | None, frequency: Frequency, today: date | None = None) -> Freshness:
    if latest is None:
        return Freshness(latest=None, stale=False, label="nog geen meting")
    return Freshness(
        latest=latest,
        stale=is_stale(latest, frequency, today),
        label=updated_ago(latest, today),
    )


def freshness(indicator: "Indicator", today: date | None = None) -> Freshness:
    """How current the indicator's latest meting is (also `indicator.freshness`);
    `measurements` must be loaded."""
    latest = indicator.latest
    return freshness_of(latest.measured_on if latest else None, indicator.expected_frequency, today)
