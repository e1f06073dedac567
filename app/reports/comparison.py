"""Cycle N next to cycle N+1 of one theme: what the hand-over changed.

Results are matched across the boundary by what the hand-over did: a result the verbetercyclus
dropped stayed behind; otherwise the new wording it decided, else the same wording, else an
indicator of the new result that continues one of the old result, else the same code (the
hand-over keeps W1 as W1, but a new result may take the code a dropped one had). Activities
are matched by name, as the hand-over copies them. Indicators link to their predecessor.
"""

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from app.activities.models import Activity
from app.ambitions.models import Ambition
from app.cycles import service as cycles_service
from app.cycles.models import Cycle
from app.errors import NotFound
from app.improvement.models import ActivityDecision, ResultDecision, ResultDecisionKind
from app.organisations.models import Organisation
from app.results.models import Indicator, Result
from app.tables import related, row_id


@dataclass(frozen=True)
class Words:
    """A piece of a wording diff: kept, removed ("-") or added ("+")."""

    change: str  # "", "-", "+"
    text: str


@dataclass(frozen=True)
class ResultChange:
    kind: str  # "kept", "reworded", "added", "dropped"
    label: str  # in Dutch
    code: str
    before: str | None
    after: str | None
    rank_before: int | None
    rank_after: int | None
    words: list[Words]
    rationale: str | None

    @property
    def shift(self) -> int | None:
        """Places up (positive) or down (negative) in the priority order."""
        if self.rank_before is None or self.rank_after is None:
            return None
        return self.rank_before - self.rank_after


@dataclass(frozen=True)
class ActivityChange:
    name: str
    decision: str | None
    rationale: str | None
    status_after: str | None  # None: did not continue


@dataclass(frozen=True)
class IndicatorBridge:
    name: str
    unit: str | None
    last_before: Decimal | None
    last_before_on: date | None
    baseline_after: Decimal | None
    target_before: Decimal | None
    target_after: Decimal | None
    target_date_after: date | None
    state: str  # "doorgezet", "nieuw", "gestopt"


@dataclass(frozen=True)
class Comparison:
    theme: str
    before: Cycle
    after: Cycle
    ambition_before: str | None
    ambition_after: str | None
    ambition_words: list[Words]
    results: list[ResultChange]
    activities: list[ActivityChange]
    new_activities: list[str]
    indicators: list[IndicatorBridge]

    @property
    def ambition_changed(self) -> bool:
        return (self.ambition_before or "") != (self.ambition_after or "")

    def count(self, kind: str) -> int:
        return sum(1 for r in self.results if r.kind == kind)


def word_diff(before: str | None, after: str | None) -> list[Words]:
    old, new = (before or "").split(), (after or "").split()
    pieces: list[Words] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Words("", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Words("-", " ".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(Words("+", " ".join(new[j1:j2])))
    return pieces


def pair(session: Session, organisation: Organisation, cycle: Cycle) -> tuple[Cycle, Cycle]:
    """The cycle and its predecessor, or else its successor, in the order (N, N+1)."""
    if cycle.previous_cycle_id is not None:
        return cycles_service.get_cycle(session, organisation, cycle.previous_cycle_id), cycle
    following = session.exec(select(Cycle.id).where(Cycle.previous_cycle_id == cycle.id)).first()
    if following is None:
        raise NotFound("Deze cyclus heeft geen vorige of volgende cyclus om mee te vergelijken.")
    return cycle, cycles_service.get_cycle(session, organisation, following)


def compare(session: Session, organisation: Organisation, cycle: Cycle) -> Comparison:
    before, after = pair(session, organisation, cycle)
    before_id, after_id = row_id(before), row_id(after)
    ids = [before_id, after_id]
    ambitions = {
        a.cycle_id: a.text
        for a in session.exec(select(Ambition).where(col(Ambition.cycle_id).in_(ids))).all()
    }
    results = session.exec(
        select(Result).where(col(Result.cycle_id).in_(ids)).order_by(col(Result.rank))
    ).all()
    indicators = session.exec(
        select(Indicator)
        .where(col(Indicator.cycle_id).in_(ids))
        .options(selectinload(related(Indicator.measurements)))
        .order_by(col(Indicator.id))
    ).all()
    activities = session.exec(
        select(Activity).where(col(Activity.cycle_id).in_(ids)).order_by(col(Activity.name))
    ).all()
    result_decisions = {
        d.result_id: d
        for d in session.exec(
            select(ResultDecision).where(ResultDecision.cycle_id == before_id)
        ).all()
    }
    activity_decisions = {
        d.activity_id: d
        for d in session.exec(
            select(ActivityDecision).where(ActivityDecision.cycle_id == before_id)
        ).all()
    }
    old = [r for r in results if r.cycle_id == before_id]
    new = [r for r in results if r.cycle_id == after_id]
    return Comparison(
        theme=after.theme.name,
        before=before,
        after=after,
        ambition_before=ambitions.get(before_id),
        ambition_after=ambitions.get(after_id),
        ambition_words=word_diff(ambitions.get(before_id), ambitions.get(after_id)),
        results=_results(old, new, result_decisions, indicators),
        activities=_activities(
            [a for a in activities if a.cycle_id == before_id],
            {a.name: a for a in activities if a.cycle_id == after_id},
            activity_decisions,
        ),
        new_activities=[
            a.name
            for a in activities
            if a.cycle_id == after_id
            and a.name not in {b.name for b in activities if b.cycle_id == before_id}
        ],
        indicators=_indicators(indicators, before_id, after_id),
    )


def _results(
    old: list[Result],
    new: list[Result],
    decisions: dict[int, ResultDecision],
    indicators: Sequence[Indicator],
) -> list[ResultChange]:
    continues: dict[int, set[int]] = {  # new result id -> old result ids its indicators continue
        i.result_id: set() for i in indicators if i.result_id is not None
    }
    owner = {row_id(i): i.result_id for i in indicators}
    for i in indicators:
        continued = owner.get(i.predecessor_id) if i.predecessor_id is not None else None
        if i.result_id is not None and continued is not None:
            continues[i.result_id].add(continued)
    unmatched = list(new)
    changes = []
    for r in old:
        decision = decisions.get(row_id(r))
        match = _match(r, decision, unmatched, continues)
        rationale = decision.rationale if decision else None
        if match is None:
            changes.append(
                ResultChange(
                    "dropped",
                    "Vervallen",
                    r.code or str(r.rank),
                    r.text,
                    None,
                    r.rank,
                    None,
                    [],
                    rationale,
                )
            )
            continue
        unmatched.remove(match)
        kind, label = (
            ("kept", "Ongewijzigd") if match.text == r.text else ("reworded", "Anders geformuleerd")
        )
        changes.append(
            ResultChange(
                kind,
                label,
                match.code or str(match.rank),
                r.text,
                match.text,
                r.rank,
                match.rank,
                word_diff(r.text, match.text) if kind == "reworded" else [],
                rationale,
            )
        )
    changes += [
        ResultChange("added", "Nieuw", n.code or str(n.rank), None, n.text, None, n.rank, [], None)
        for n in unmatched
    ]
    return sorted(changes, key=lambda c: (c.rank_after is None, c.rank_after or c.rank_before or 0))


def _match(
    r: Result,
    decision: ResultDecision | None,
    candidates: list[Result],
    continues: dict[int, set[int]],
) -> Result | None:
    """The result of the next cycle that `r` became, by the tests in the module's order."""
    if decision is not None and decision.decision is ResultDecisionKind.DROP:
        return None  # it stayed behind, whatever took its code
    tests = (
        lambda n: decision is not None and decision.new_text == n.text,
        lambda n: n.text == r.text,
        lambda n: r.id in continues.get(row_id(n), set()),
        lambda n: bool(r.code) and n.code == r.code,
    )
    return next((n for test in tests for n in candidates if test(n)), None)


def _activities(
    old: list[Activity], new_by_name: dict[str, Activity], decisions: dict[int, ActivityDecision]
) -> list[ActivityChange]:
    rows = []
    for a in old:
        decision = decisions.get(row_id(a))
        after = new_by_name.get(a.name)
        rows.append(
            ActivityChange(
                name=a.name,
                decision=decision.decision.label if decision else None,
                rationale=decision.rationale if decision else None,
                status_after=after.status.label if after else None,
            )
        )
    return rows


def _indicators(
    indicators: Sequence[Indicator], before_id: int, after_id: int
) -> list[IndicatorBridge]:
    old = {row_id(i): i for i in indicators if i.cycle_id == before_id}
    continued: set[int] = set()
    bridges = []
    for i in indicators:
        if i.cycle_id != after_id:
            continue
        previous = old.get(i.predecessor_id) if i.predecessor_id is not None else None
        if previous is not None:
            continued.add(row_id(previous))
        latest = previous.latest if previous else None
        bridges.append(
            IndicatorBridge(
                name=i.name,
                unit=i.unit,
                last_before=latest.value if latest else None,
                last_before_on=latest.measured_on if latest else None,
                baseline_after=i.baseline_value,
                target_before=previous.target_value if previous else None,
                target_after=i.target_value,
                target_date_after=i.target_date,
                state="doorgezet" if previous else "nieuw",
            )
        )
    for i in old.values():
        if i.id not in continued:
            latest = i.latest
            bridges.append(
                IndicatorBridge(
                    name=i.name,
                    unit=i.unit,
                    last_before=latest.value if latest else None,
                    last_before_on=latest.measured_on if latest else None,
                    baseline_after=None,
                    target_before=i.target_value,
                    target_after=None,
                    target_date_after=None,
                    state="gestopt",
                )
            )
    return bridges
