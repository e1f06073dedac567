"""Verbetercyclus (step 6): reflections, improvement actions, decisions per activity."""

from collections import Counter
from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import aliased, selectinload
from sqlmodel import Session, col, select

from app import tenancy
from app.activities.models import Activity
from app.cycles import service as cycles_service
from app.cycles.models import Cycle
from app.db import attach, counts_per_cycle
from app.errors import InvalidInput
from app.improvement.models import (
    ActivityDecision,
    ActivityDecisionCreate,
    ImprovementAction,
    ImprovementActionCreate,
    Reflection,
    ReflectionCreate,
    ResultDecision,
    ResultDecisionCreate,
    ResultDecisionKind,
)
from app.organisations.models import Organisation
from app.results.models import Result
from app.tables import related

# Reflections


def list_reflections(session: Session, cycle: Cycle) -> Sequence[Reflection]:
    """Reflections, newest first, with their improvement actions."""
    return session.exec(
        select(Reflection)
        .where(Reflection.cycle_id == cycle.id)
        .options(selectinload(related(Reflection.actions)))
        .order_by(col(Reflection.reflected_on).desc(), col(Reflection.id).desc())
    ).all()


def get_reflection(session: Session, organisation: Organisation, reflection_id: int) -> Reflection:
    return tenancy.owned(
        session, Reflection, organisation.id, reflection_id, "Deze reflectie bestaat niet (meer)."
    )


def _check_subject(session: Session, cycle_id: int, data: ReflectionCreate) -> None:
    """A reflection may be about one result or activity, of its own cycle."""
    if data.result_id is not None:
        result = session.get(Result, data.result_id)
        if result is None or result.cycle_id != cycle_id:
            raise InvalidInput({"result_id": "Kies een resultaat van deze cyclus."})
    if data.activity_id is not None:
        activity = session.get(Activity, data.activity_id)
        if activity is None or activity.cycle_id != cycle_id:
            raise InvalidInput({"activity_id": "Kies een activiteit van deze cyclus."})


def create_reflection(session: Session, cycle: Cycle, data: ReflectionCreate) -> Reflection:
    assert cycle.id is not None  # a stored row
    cycles_service.ensure_open(session, cycle.id)
    _check_subject(session, cycle.id, data)
    reflection = Reflection.model_validate(data, update={"cycle_id": cycle.id})
    session.add(reflection)
    cycles_service.step_started(session, cycle.id, 6)
    session.flush()
    return reflection


def update_reflection(
    session: Session, reflection: Reflection, data: ReflectionCreate
) -> Reflection:
    cycles_service.ensure_open(session, reflection.cycle_id)
    _check_subject(session, reflection.cycle_id, data)
    reflection.sqlmodel_update(data.model_dump())
    session.flush()
    return reflection


def delete_reflection(session: Session, reflection: Reflection) -> None:
    cycles_service.ensure_open(session, reflection.cycle_id)
    session.delete(reflection)
    session.flush()


# Improvement actions


def get_action(session: Session, organisation: Organisation, action_id: int) -> ImprovementAction:
    return tenancy.owned(
        session,
        ImprovementAction,
        organisation.id,
        action_id,
        "Deze verbeteractie bestaat niet (meer).",
    )


def list_actions(session: Session, reflection: Reflection) -> Sequence[ImprovementAction]:
    return session.exec(
        select(ImprovementAction)
        .where(ImprovementAction.reflection_id == reflection.id)
        .order_by(col(ImprovementAction.id))
    ).all()


def create_action(
    session: Session, reflection: Reflection, data: ImprovementActionCreate
) -> ImprovementAction:
    cycles_service.ensure_open(session, reflection.cycle_id)
    action = ImprovementAction.model_validate(data, update={"reflection_id": reflection.id})
    session.add(action)
    session.flush()
    return action


def _reflection_cycle(session: Session, action: ImprovementAction) -> int:
    return session.get_one(Reflection, action.reflection_id).cycle_id


def update_action(
    session: Session, action: ImprovementAction, data: ImprovementActionCreate
) -> ImprovementAction:
    cycles_service.ensure_open(session, _reflection_cycle(session, action))
    action.sqlmodel_update(data.model_dump())
    session.flush()
    return action


def delete_action(session: Session, action: ImprovementAction) -> None:
    cycles_service.ensure_open(session, _reflection_cycle(session, action))
    session.delete(action)
    session.flush()


def open_actions(session: Session, cycle: Cycle) -> Sequence[ImprovementAction]:
    """Improvement actions of the cycle not yet done, oldest reflection first."""
    return session.exec(
        select(ImprovementAction)
        .join(Reflection, col(Reflection.id) == ImprovementAction.reflection_id)
        .where(Reflection.cycle_id == cycle.id, col(ImprovementAction.done).is_(False))
        .order_by(col(Reflection.reflected_on), col(ImprovementAction.id))
    ).all()


def carry_open_actions(session: Session, source: Cycle, target: Cycle) -> Reflection | None:
    """Move the open improvement actions into the next cycle, under one reflection that says
    where they came from; the finished ones stay behind with the cycle they belong to.

    The originals stay in the closed cycle as they were (it is read-only); each copy points at
    its original, which is how both are marked as carried over.
    """
    actions = open_actions(session, source)
    if not actions:
        return None
    assert target.id is not None  # a stored row
    reflection = Reflection(
        cycle_id=target.id,
        reflected_on=date(target.start_year, 1, 1),
        could_improve=f"Verbeteracties die aan het eind van cyclus {source.period} nog "
        "openstonden.",
    )
    reflection.actions = [
        ImprovementAction(  # type: ignore[call-arg]  # reflection_id: from `reflection` on flush
            description=a.description,
            owner=a.owner,
            due_date=a.due_date,
            carried_over_from_id=a.id,
        )
        for a in actions
    ]
    session.add(reflection)
    session.flush()
    return reflection


def carried_forward(session: Session, cycle: Cycle) -> set[int]:
    """Ids of the cycle's actions that have a copy in the next cycle."""
    original = aliased(ImprovementAction)
    return {
        original_id
        for original_id in session.exec(
            select(ImprovementAction.carried_over_from_id)
            .join(original, col(original.id) == ImprovementAction.carried_over_from_id)
            .join(Reflection, col(Reflection.id) == original.reflection_id)
            .where(Reflection.cycle_id == cycle.id)
        ).all()
        if original_id is not None  # never, after the join; the column may be NULL
    }


# Decisions per activity


def decisions_by_activity(session: Session, cycle: Cycle) -> dict[int, ActivityDecision]:
    assert cycle.id is not None  # a stored row
    return activity_decisions_of_cycles(session, [cycle.id])


def get_decision(
    session: Session, organisation: Organisation, decision_id: int
) -> ActivityDecision:
    return tenancy.owned(
        session, ActivityDecision, organisation.id, decision_id, "Dit besluit bestaat niet (meer)."
    )


def list_decisions(session: Session, activity: Activity) -> Sequence[ActivityDecision]:
    return session.exec(
        select(ActivityDecision).where(ActivityDecision.activity_id == activity.id)
    ).all()


def create_decision(
    session: Session, activity: Activity, data: ActivityDecisionCreate
) -> ActivityDecision:
    cycles_service.ensure_open(session, activity.cycle_id)
    if list_decisions(session, activity):
        raise InvalidInput(
            {"decision": "Over deze activiteit is al een besluit genomen; pas dat besluit aan."}
        )
    decision = ActivityDecision.model_validate(
        data, update={"activity_id": activity.id, "cycle_id": activity.cycle_id}
    )
    session.add(decision)
    cycles_service.step_started(session, activity.cycle_id, 6)
    session.flush()
    return decision


def update_decision(
    session: Session, decision: ActivityDecision, data: ActivityDecisionCreate
) -> ActivityDecision:
    cycles_service.ensure_open(session, decision.cycle_id)
    decision.sqlmodel_update(data.model_dump())
    session.flush()
    return decision


def delete_decision(session: Session, decision: ActivityDecision) -> None:
    cycles_service.ensure_open(session, decision.cycle_id)
    session.delete(decision)
    session.flush()


# Decisions per result


def decisions_by_result(session: Session, cycle: Cycle) -> dict[int, ResultDecision]:
    assert cycle.id is not None  # a stored row
    return result_decisions_of_cycles(session, [cycle.id])


def next_texts(decisions: dict[int, ResultDecision]) -> dict[int, str | None]:
    """Per result id: its new wording in the next cycle, or None when it is dropped; results
    kept as they are have no entry."""
    texts: dict[int, str | None] = {}
    for result_id, decision in decisions.items():
        if decision.decision is ResultDecisionKind.DROP:
            texts[result_id] = None
        elif decision.decision is ResultDecisionKind.REWORD:
            texts[result_id] = decision.new_text
    return texts


def get_result_decision(
    session: Session, organisation: Organisation, decision_id: int
) -> ResultDecision:
    return tenancy.owned(
        session, ResultDecision, organisation.id, decision_id, "Dit besluit bestaat niet (meer)."
    )


def list_result_decisions(session: Session, result: Result) -> Sequence[ResultDecision]:
    return session.exec(select(ResultDecision).where(ResultDecision.result_id == result.id)).all()


def create_result_decision(
    session: Session, result: Result, data: ResultDecisionCreate
) -> ResultDecision:
    cycles_service.ensure_open(session, result.cycle_id)
    if list_result_decisions(session, result):
        raise InvalidInput(
            {"decision": "Over dit resultaat is al een besluit genomen; pas dat besluit aan."}
        )
    decision = ResultDecision.model_validate(
        data, update={"result_id": result.id, "cycle_id": result.cycle_id}
    )
    session.add(decision)
    cycles_service.step_started(session, result.cycle_id, 6)
    session.flush()
    return decision


def update_result_decision(
    session: Session, decision: ResultDecision, data: ResultDecisionCreate
) -> ResultDecision:
    cycles_service.ensure_open(session, decision.cycle_id)
    decision.sqlmodel_update(data.model_dump())
    session.flush()
    return decision


def delete_result_decision(session: Session, decision: ResultDecision) -> None:
    cycles_service.ensure_open(session, decision.cycle_id)
    session.delete(decision)
    session.flush()


# Bulk readers: one query per table for many cycles at once (the report reads through these).


def reflections_of_cycles(session: Session, cycle_ids: Sequence[int]) -> Sequence[Reflection]:
    """The reflections of these cycles, newest first, with their actions (two queries)."""
    reflections = session.exec(
        select(Reflection)
        .where(col(Reflection.cycle_id).in_(cycle_ids))
        .order_by(col(Reflection.reflected_on).desc(), col(Reflection.id))
    ).all()
    attach(
        reflections,
        "actions",
        session.exec(
            select(ImprovementAction)
            .join(Reflection, col(Reflection.id) == ImprovementAction.reflection_id)
            .where(col(Reflection.cycle_id).in_(cycle_ids))
            .order_by(col(ImprovementAction.id))
        ).all(),
        "reflection_id",
    )
    return reflections


def activity_decisions_of_cycles(
    session: Session, cycle_ids: Sequence[int]
) -> dict[int, ActivityDecision]:
    """The decision per activity id, for every activity of these cycles."""
    return {
        d.activity_id: d
        for d in session.exec(
            select(ActivityDecision).where(col(ActivityDecision.cycle_id).in_(cycle_ids))
        ).all()
    }


def result_decisions_of_cycles(
    session: Session, cycle_ids: Sequence[int]
) -> dict[int, ResultDecision]:
    """The decision per result id, for every result of these cycles."""
    return {
        d.result_id: d
        for d in session.exec(
            select(ResultDecision).where(col(ResultDecision.cycle_id).in_(cycle_ids))
        ).all()
    }


def progress_counts(session: Session, cycle_ids: Sequence[int]) -> dict[str, Counter[int]]:
    """The reflections and decisions each cycle has (for the progress overview)."""
    return {
        "reflection": counts_per_cycle(session, Reflection, cycle_ids),
        "decision": counts_per_cycle(session, ActivityDecision, cycle_ids),
    }
