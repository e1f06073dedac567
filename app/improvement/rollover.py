"""Starting the next cycle: the verbetercyclus hands its decisions to the cycle after it.

What carries forward: the ambition (as a concept, to be confirmed again), the begrippen, the
results in their order, the activities with their links and input kwaliteit, and the indicator
definitions with nulmeting and streefwaarde. Activities decided "stoppen" (or already stopped
without a decision) stay behind; the others start with the status their decision gives them.
Measurements, reflections and monitoring stay with the cycle they belong to. The previous cycle
is closed: readable, no longer editable.
"""

from collections.abc import Sequence

from sqlmodel import Session, select

from app.activities import service as activities_service
from app.activities.models import Activity, ActivityStatus
from app.ambitions import service as ambitions_service
from app.cycles import service as cycles_service
from app.cycles.models import Cycle
from app.improvement import service as improvement_service
from app.improvement.models import ActivityDecision, Decision
from app.results import service as results_service


def next_status(activity: Activity, decision: ActivityDecision | None) -> ActivityStatus | None:
    """The status an activity starts the next cycle with; None when it does not continue."""
    if decision is not None:
        return None if decision.decision is Decision.STOP else ActivityStatus(decision.decision)
    if activity.status is ActivityStatus.STOP:
        return None
    if activity.status is ActivityStatus.NEW:
        return ActivityStatus.CONTINUE
    return activity.status


def next_statuses(
    activities: Sequence[Activity], decisions: dict[int, ActivityDecision]
) -> dict[int, ActivityStatus | None]:
    """Per activity id: the status it starts the next cycle with, None if it stays behind."""
    return {a.id: next_status(a, decisions.get(a.id)) for a in activities}  # type: ignore[misc]


def start_next_cycle(session: Session, cycle: Cycle) -> Cycle:
    """Close `cycle` and open the next one with everything that carries forward."""
    decisions = improvement_service.decisions_by_activity(session, cycle)
    activities = session.exec(select(Activity).where(Activity.cycle_id == cycle.id)).all()
    statuses = next_statuses(activities, decisions)
    new_cycle = cycles_service.start_next_cycle(session, cycle)
    ambitions_service.copy_ambition(session, cycle, new_cycle)
    ambitions_service.copy_terms(session, cycle, new_cycle)
    results = results_service.copy_results(session, cycle, new_cycle)
    activity_ids = activities_service.copy_activities(
        session, cycle, new_cycle, statuses=statuses, results=results
    )
    results_service.copy_indicators(
        session, cycle, new_cycle, results=results, activities=activity_ids
    )
    session.flush()
    return new_cycle
