"""Whether an indicator is on course: op koers, aandacht or niet op koers.

The rule, as shown to users on the indicator pages:

1. Without a nulmeting (baseline value), a streefwaarde (target value) and at least one meting,
   there is no status yet.
2. Progress is the share of the intended change achieved by the latest meting:
   (latest − nulmeting) / (streefwaarde − nulmeting). 0 means still at the nulmeting, 1 means the
   target is reached, below 0 means worse than the nulmeting.
3. When the nulmeting and the streefwaarde both have a date, the expected share is the share of
   that period passed on the date of the latest meting (from 0 to 1). The indicator is
   - op koers when the target is reached, or when progress is at most 10 percentage points
     behind that share and not worse than the nulmeting,
   - aandacht when progress is at most 25 points behind,
   - niet op koers otherwise.
4. Without those dates only the direction counts: target reached is op koers, any progress short
   of the target is aandacht, worse than the nulmeting is niet op koers.
5. When the streefwaarde equals the nulmeting (hold a level), the latest meting at least as good
   as the target is op koers, up to 5% worse is aandacht, more is niet op koers.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from app.choices import Choice

ON_TRACK_MARGIN = Decimal("0.10")
ATTENTION_MARGIN = Decimal("0.25")
HOLD_TOLERANCE = Decimal("0.05")


class IndicatorStatus(Choice):
    ON_TRACK = "on_track", "Op koers"
    ATTENTION = "attention", "Aandacht"
    OFF_TRACK = "off_track", "Niet op koers"
    UNKNOWN = "unknown", "Nog geen status"


def expected_share(start: date | None, end: date | None, on: date) -> Decimal | None:
    """How much of the period from nulmeting to streefdatum has passed on `on` (0 to 1)."""
    if start is None or end is None or end <= start:
        return None
    share = Decimal((on - start).days) / Decimal((end - start).days)
    return min(max(share, Decimal(0)), Decimal(1))


def indicator_status(
    *,
    higher_is_better: bool,
    baseline_value: Decimal | None,
    target_value: Decimal | None,
    latest_value: Decimal | None,
    baseline_date: date | None = None,
    target_date: date | None = None,
    latest_date: date | None = None,
) -> IndicatorStatus:
    if baseline_value is None or target_value is None or latest_value is None:
        return IndicatorStatus.UNKNOWN
    if target_value == baseline_value:
        return _hold_status(higher_is_better, target_value, latest_value)
    progress = (latest_value - baseline_value) / (target_value - baseline_value)
    if progress >= 1:
        return IndicatorStatus.ON_TRACK
    expected = expected_share(baseline_date, target_date, latest_date) if latest_date else None
    if expected is None:
        return IndicatorStatus.ATTENTION if progress >= 0 else IndicatorStatus.OFF_TRACK
    shortfall = expected - progress
    if shortfall <= ON_TRACK_MARGIN and progress >= 0:
        return IndicatorStatus.ON_TRACK
    if shortfall <= ATTENTION_MARGIN:
        return IndicatorStatus.ATTENTION
    return IndicatorStatus.OFF_TRACK


def _hold_status(higher_is_better: bool, target: Decimal, latest: Decimal) -> IndicatorStatus:
    worse_by = target - latest if higher_is_better else latest - target
    if worse_by <= 0:
        return IndicatorStatus.ON_TRACK
    if worse_by <= abs(target) * HOLD_TOLERANCE:
        return IndicatorStatus.ATTENTION
    return IndicatorStatus.OFF_TRACK


_ORDER = [IndicatorStatus.OFF_TRACK, IndicatorStatus.ATTENTION, IndicatorStatus.ON_TRACK]


def result_status(statuses: Iterable[IndicatorStatus]) -> IndicatorStatus:
    """A result is as far on course as its least favourable population indicator: one indicator
    niet op koers makes the result niet op koers. Indicators without a status do not count;
    with none left there is no status yet."""
    known = set(statuses) - {IndicatorStatus.UNKNOWN}
    return next((s for s in _ORDER if s in known), IndicatorStatus.UNKNOWN)
