"""Scenarios side by side, row by row: what each does to every partner, activity and result,
with the rows where they differ marked, so that a college reads the choice between them."""

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.formatting import format_euro, format_number
from app.scenarios.consequences import Outcome


@dataclass(frozen=True)
class Row:
    label: str  # the partner, activity or result as the step pages name it (J2, not "Jong 1")
    detail: str  # an activity's theme and partner, a result's theme
    before: str  # now, in words
    after: list[str | None]  # per scenario; None where it has no choice that fits
    lost: list[bool]  # per scenario: a result left without an activity

    @property
    def differs(self) -> bool:
        return len(set(self.after)) > 1


@dataclass(frozen=True)
class Comparison:
    partners: list[Row]
    activities: list[Row]
    results: list[Row]


def _union(outcomes: Sequence[Outcome], rows: Callable[[Outcome], Iterable], key: str) -> list:
    """Every row any outcome holds, once, in the order of the first outcome holding it."""
    seen: dict[Hashable, Any] = {}
    for outcome in outcomes:
        for row in rows(outcome):
            seen.setdefault(getattr(row, key), row)
    return list(seen.values())


def _in(outcome: Outcome, rows: Callable[[Outcome], Iterable], key: str, value: Hashable) -> Any:
    """The outcome's row for `value`, or None when it has none or no choice fits."""
    if not outcome.feasible:
        return None
    return next((row for row in rows(outcome) if getattr(row, key) == value), None)


def compare(outcomes: Sequence[Outcome]) -> Comparison:
    def partners(o: Outcome) -> Iterable:
        return o.partners

    def activities(o: Outcome) -> Iterable:
        return o.activities

    def results(o: Outcome) -> Iterable:
        return o.results

    partner_rows = []
    for p in _union(outcomes, partners, "name"):
        mine = [_in(o, partners, "name", p.name) for o in outcomes]
        partner_rows.append(
            Row(
                label=p.name,
                detail="",
                before=format_euro(round(p.before)),
                after=[
                    f"{format_euro(round(m.after))} (−{format_number(round(m.loss_percent, 1))}%)"
                    if m
                    else None
                    for m in mine
                ],
                lost=[False for _ in mine],
            )
        )
    activity_rows = []
    for a in _union(outcomes, activities, "id"):
        mine = [_in(o, activities, "id", a.id) for o in outcomes]
        activity_rows.append(
            Row(
                label=a.name,
                detail=f"{a.theme} · {a.partner}",
                before=format_euro(round(a.before)),
                after=[
                    f"{m.level_label}, {format_euro(round(m.after))}" if m else None for m in mine
                ],
                lost=[False for _ in mine],
            )
        )
    result_rows = []
    for r in _union(outcomes, results, "id"):
        mine = [_in(o, results, "id", r.id) for o in outcomes]
        result_rows.append(
            Row(
                label=f"{r.label}. {r.text}",
                detail=r.theme,
                before=format_number(round(r.contribution_before, 1)),
                after=[format_number(round(m.contribution_after, 1)) if m else None for m in mine],
                lost=[bool(m and m.loses_coverage) for m in mine],
            )
        )
    return Comparison(partners=partner_rows, activities=activity_rows, results=result_rows)
