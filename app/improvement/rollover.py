"""Starting the next cycle: the verbetercyclus hands its decisions to the cycle after it.

What carries forward: the ambition (as a concept, to be confirmed again), the begrippen, the
results in their order, the activities with their links and input kwaliteit, the indicators and
the open improvement actions. Activities decided "stoppen" (or already stopped without a
decision) stay behind; the others start with the status their decision gives them.

The curve continues: each indicator in the new cycle points at its predecessor, and starts from
the latest meting as its nulmeting with a streefdatum at the end of the new cycle (proposed by
`plan_handover`, confirmed or changed per indicator by the facilitator). Measurements,
reflections, finished actions and monitoring stay with the cycle they belong to. The previous
cycle is closed: readable, no longer editable.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from app.activities import service as activities_service
from app.activities.models import Activity, ActivityStatus
from app.ambitions import service as ambitions_service
from app.cycles import service as cycles_service
from app.cycles.models import Cycle, CyclePeriod
from app.errors import InvalidInput
from app.improvement import service as improvement_service
from app.improvement.models import ActivityDecision, Decision, ImprovementAction
from app.results import service as results_service
from app.results.models import Indicator, IndicatorTargets
from app.tables import row_id, utc_now


def next_status(activity: Activity, decision: ActivityDecision | None) -> ActivityStatus | None:
    """The status an activity starts the next cycle with; None when it does not continue."""
    if decision is not None:
        if decision.decision is Decision.STOP:
            return None
        return ActivityStatus[decision.decision.name]  # the same members, by name and value
    if activity.status is ActivityStatus.STOP:
        return None
    if activity.status is ActivityStatus.NEW:
        return ActivityStatus.CONTINUE
    return activity.status


def next_statuses(
    activities: Sequence[Activity], decisions: dict[int, ActivityDecision]
) -> dict[int, ActivityStatus | None]:
    """Per activity id: the status it starts the next cycle with, None if it stays behind."""
    return {row_id(a): next_status(a, decisions.get(row_id(a))) for a in activities}


@dataclass(frozen=True)
class IndicatorHandover:
    indicator: Indicator
    owner: str  # the result or activity it measures, as the page names it
    proposal: IndicatorTargets
    # The nulmeting is more than a year older than the new cycle's start: ask for a fresh one.
    stale_baseline: bool = False


def _stale(proposal: IndicatorTargets, start_year: int) -> bool:
    fresh_from = date(start_year - 1, 1, 1)
    return proposal.baseline_date is None or proposal.baseline_date < fresh_from


def _indicator(indicator: Indicator, owner: str, period: CyclePeriod) -> IndicatorHandover:
    proposal = results_service.propose_targets(indicator, period.end_year)
    return IndicatorHandover(indicator, owner, proposal, _stale(proposal, period.start_year))


@dataclass(frozen=True)
class Handover:
    """What starting the next cycle would carry forward, for the facilitator to confirm."""

    cycle: Cycle
    period: CyclePeriod
    activities: Sequence[Activity]
    next_statuses: dict[int, ActivityStatus | None]
    indicators: list[IndicatorHandover]
    open_actions: Sequence[ImprovementAction]


def plan_handover(session: Session, cycle: Cycle, period: CyclePeriod | None = None) -> Handover:
    """What the hand-over carries forward into `period` (by default the proposed one)."""
    period = period or cycles_service.next_period(cycle, utc_now().date())
    decisions = improvement_service.decisions_by_activity(session, cycle)
    activities = activities_service.list_activities(session, cycle)
    statuses = next_statuses(activities, decisions)
    dropped = {
        result_id
        for result_id, text in improvement_service.next_texts(
            improvement_service.decisions_by_result(session, cycle)
        ).items()
        if text is None
    }
    indicators = [
        _indicator(i, f"Resultaat {r.option_label}", period)
        for r in results_service.list_results(session, cycle)
        if r.id not in dropped
        for i in r.indicators
    ] + [
        _indicator(i, f"Activiteit {a.name}", period)
        for a in activities
        if statuses[row_id(a)] is not None
        for i in a.indicators
    ]
    return Handover(
        cycle=cycle,
        period=period,
        activities=activities,
        next_statuses=statuses,
        indicators=indicators,
        open_actions=improvement_service.open_actions(session, cycle),
    )


def check_proposals(handover: Handover, targets: Mapping[int, IndicatorTargets]) -> None:
    """The proposals taken without confirmation must hold as the facilitator's would: one
    from a meting stored before dates had a range (9999-12-31) is refused, under the
    indicator's fields of the hand-over page, before anything is written."""
    errors: dict[str, str] = {}
    for row in handover.indicators:
        if row.indicator.id in targets:
            continue
        try:
            results_service.check_targets(row.indicator, row.proposal)
        except InvalidInput as exc:
            name, suffix = row.indicator.name, f"-{row.indicator.id}"
            errors.update({field + suffix: f"{name}: {m}" for field, m in exc.errors.items()})
    if errors:
        raise InvalidInput(errors)


def start_next_cycle(
    session: Session,
    cycle: Cycle,
    targets: Mapping[int, IndicatorTargets] | None = None,
    period: CyclePeriod | None = None,
) -> Cycle:
    """Close `cycle` and open the next one, for `period` (by default the proposed one), with
    everything that carries forward.

    `targets` holds the nulmeting and streefwaarde the facilitator confirmed per indicator (by
    id); indicators without an entry take the proposal.
    """
    check_proposals(plan_handover(session, cycle, period), targets or {})
    decisions = improvement_service.decisions_by_activity(session, cycle)
    activities = session.exec(select(Activity).where(Activity.cycle_id == cycle.id)).all()
    statuses = next_statuses(activities, decisions)
    new_cycle = cycles_service.start_next_cycle(session, cycle, period)
    ambitions_service.copy_ambition(session, cycle, new_cycle)
    ambitions_service.copy_terms(session, cycle, new_cycle)
    ambitions_service.copy_table(session, cycle, new_cycle)
    texts = improvement_service.next_texts(improvement_service.decisions_by_result(session, cycle))
    results = results_service.copy_results(session, cycle, new_cycle, texts)
    activity_ids = activities_service.copy_activities(
        session, cycle, new_cycle, statuses=statuses, results=results
    )
    results_service.copy_indicators(
        session, cycle, new_cycle, results=results, activities=activity_ids, targets=targets or {}
    )
    improvement_service.carry_open_actions(session, cycle, new_cycle)
    session.flush()
    return new_cycle
