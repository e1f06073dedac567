"""Activities, their links to results (steps 3), input kwaliteit (step 4) and their indicators."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from app import tenancy
from app.activities.models import (
    Activity,
    ActivityCreate,
    ActivityResultLink,
    ActivityResultLinkCreate,
    ActivityStatus,
    CoPerformer,
    CoPerformerCreate,
    EvidenceLevel,
    QualityCondition,
    QualityConditionCreate,
    WorkingElement,
    WorkingElementCreate,
)
from app.cycles import service as cycles_service
from app.cycles.models import Cycle, Theme
from app.db import attach, counts_per_cycle, flush_or_invalid
from app.errors import InvalidInput
from app.organisations.models import Organisation, Partner
from app.results import service as results_service
from app.results.models import (
    Indicator,
    IndicatorCreate,
    RbaQuestion,
    Result,
    Story,
    StoryCreate,
)
from app.tables import related, row_id

# Activities


def list_activities(session: Session, cycle: Cycle) -> Sequence[Activity]:
    """The cycle's activities with everything steps 3 to 5 show about them."""
    return session.exec(
        select(Activity)
        .where(Activity.cycle_id == cycle.id)
        .options(
            selectinload(related(Activity.partner)),
            selectinload(related(Activity.co_performers)).selectinload(
                related(CoPerformer.partner)
            ),
            selectinload(related(Activity.links)).selectinload(related(ActivityResultLink.result)),
            selectinload(related(Activity.working_elements)),
            selectinload(related(Activity.quality_conditions)),
            selectinload(related(Activity.indicators)).selectinload(
                related(Indicator.measurements)
            ),
            selectinload(related(Activity.spending)),
        )
        .order_by(col(Activity.name), col(Activity.id))
    ).all()


def get_activity(session: Session, organisation: Organisation, activity_id: int) -> Activity:
    return tenancy.owned(
        session, Activity, organisation.id, activity_id, "Deze activiteit bestaat niet (meer)."
    )


def _check_partner(session: Session, cycle_id: int, partner_id: int | None) -> None:
    if partner_id is None:
        return
    organisation_id = session.exec(
        select(Theme.organisation_id)
        .join(Cycle, col(Cycle.theme_id) == Theme.id)
        .where(Cycle.id == cycle_id)
    ).one()
    partner = session.get(Partner, partner_id)
    if partner is None or partner.organisation_id != organisation_id:
        raise InvalidInput({"partner_id": "Kies een partner uit de lijst."})


def create_activity(session: Session, cycle: Cycle, data: ActivityCreate) -> Activity:
    assert cycle.id is not None  # a stored row
    cycles_service.ensure_open(session, cycle.id)
    _check_partner(session, cycle.id, data.partner_id)
    activity = Activity.model_validate(data, update={"cycle_id": cycle.id})
    session.add(activity)
    cycles_service.step_started(session, cycle.id, 3)
    session.flush()
    return activity


def update_activity(session: Session, activity: Activity, data: ActivityCreate) -> Activity:
    cycles_service.ensure_open(session, activity.cycle_id)
    _check_partner(session, activity.cycle_id, data.partner_id)
    activity.sqlmodel_update(data.model_dump())
    session.flush()
    return activity


def set_evidence_level(session: Session, activity: Activity, level: EvidenceLevel) -> Activity:
    """Where the activity stands on the ladder of recognised interventions (step 4)."""
    cycles_service.ensure_open(session, activity.cycle_id)
    activity.evidence_level = level
    cycles_service.step_started(session, activity.cycle_id, 4)
    session.flush()
    return activity


def delete_activity(session: Session, activity: Activity) -> None:
    cycles_service.ensure_open(session, activity.cycle_id)
    session.delete(activity)
    session.flush()


# Co-uitvoerders: partners that carry an activity out with the lead uitvoerder


def get_co_performer(session: Session, organisation: Organisation, co_id: int) -> CoPerformer:
    return tenancy.owned(
        session, CoPerformer, organisation.id, co_id, "Deze co-uitvoerder bestaat niet (meer)."
    )


def list_co_performers(session: Session, activity: Activity) -> Sequence[CoPerformer]:
    return session.exec(
        select(CoPerformer)
        .where(CoPerformer.activity_id == activity.id)
        .options(selectinload(related(CoPerformer.partner)))
        .order_by(col(CoPerformer.id))
    ).all()


_DUPLICATE_CO = "Deze partner voert de activiteit al uit."


def _check_co_performer(
    session: Session, activity: Activity, partner_id: int, co: CoPerformer | None
) -> None:
    if partner_id == activity.partner_id:
        raise InvalidInput({"partner_id": "Dit is al de hoofduitvoerder van de activiteit."})
    _check_partner(session, activity.cycle_id, partner_id)
    stmt = select(CoPerformer.id).where(
        CoPerformer.activity_id == activity.id, CoPerformer.partner_id == partner_id
    )
    if co is not None:
        stmt = stmt.where(col(CoPerformer.id) != co.id)
    if session.exec(stmt).first() is not None:
        raise InvalidInput({"partner_id": _DUPLICATE_CO})


def create_co_performer(
    session: Session, activity: Activity, data: CoPerformerCreate
) -> CoPerformer:
    cycles_service.ensure_open(session, activity.cycle_id)
    _check_co_performer(session, activity, data.partner_id, None)
    co = CoPerformer.model_validate(data, update={"activity_id": activity.id})
    session.add(co)
    flush_or_invalid(session, {"partner_id": _DUPLICATE_CO})
    return co


def update_co_performer(session: Session, co: CoPerformer, data: CoPerformerCreate) -> CoPerformer:
    activity = session.get_one(Activity, co.activity_id)
    cycles_service.ensure_open(session, activity.cycle_id)
    _check_co_performer(session, activity, data.partner_id, co)
    co.sqlmodel_update(data.model_dump())
    flush_or_invalid(session, {"partner_id": _DUPLICATE_CO})
    return co


def delete_co_performer(session: Session, co: CoPerformer) -> None:
    cycles_service.ensure_open(session, session.get_one(Activity, co.activity_id).cycle_id)
    session.delete(co)
    session.flush()


# Links between activities and results


def get_link(session: Session, organisation: Organisation, link_id: int) -> ActivityResultLink:
    return tenancy.owned(
        session,
        ActivityResultLink,
        organisation.id,
        link_id,
        "Deze koppeling bestaat niet (meer).",
        selectinload(related(ActivityResultLink.result)),
    )


def list_links(session: Session, activity: Activity) -> Sequence[ActivityResultLink]:
    return session.exec(
        select(ActivityResultLink)
        .where(ActivityResultLink.activity_id == activity.id)
        .options(selectinload(related(ActivityResultLink.result)))
        .order_by(col(ActivityResultLink.id))
    ).all()


def _check_link(
    session: Session, activity: Activity, result_id: int, link: ActivityResultLink | None
) -> None:
    result = session.get(Result, result_id)
    if result is None or result.cycle_id != activity.cycle_id:
        raise InvalidInput({"result_id": "Kies een resultaat van dit thema en deze cyclus."})
    stmt = select(ActivityResultLink.id).where(
        ActivityResultLink.activity_id == activity.id, ActivityResultLink.result_id == result_id
    )
    if link is not None:
        stmt = stmt.where(col(ActivityResultLink.id) != link.id)
    if session.exec(stmt).first() is not None:
        raise InvalidInput({"result_id": "Deze activiteit is al aan dit resultaat gekoppeld."})


def create_link(
    session: Session, activity: Activity, data: ActivityResultLinkCreate
) -> ActivityResultLink:
    cycles_service.ensure_open(session, activity.cycle_id)
    _check_link(session, activity, data.result_id, None)
    link = ActivityResultLink.model_validate(data, update={"activity_id": activity.id})
    session.add(link)
    flush_or_invalid(session, {"result_id": "Deze activiteit is al aan dit resultaat gekoppeld."})
    return link


def update_link(
    session: Session, link: ActivityResultLink, data: ActivityResultLinkCreate
) -> ActivityResultLink:
    activity = session.get_one(Activity, link.activity_id)
    cycles_service.ensure_open(session, activity.cycle_id)
    _check_link(session, activity, data.result_id, link)
    link.sqlmodel_update(data.model_dump())
    flush_or_invalid(session, {"result_id": "Deze activiteit is al aan dit resultaat gekoppeld."})
    return link


def delete_link(session: Session, link: ActivityResultLink) -> None:
    activity = session.get_one(Activity, link.activity_id)
    cycles_service.ensure_open(session, activity.cycle_id)
    session.delete(link)
    session.flush()


@dataclass
class Matrix:
    """Which activity contributes to which result, and how strongly."""

    results: Sequence[Result]
    activities: Sequence[Activity]
    links: dict[tuple[int, int], ActivityResultLink]

    def link(self, activity: Activity, result: Result) -> ActivityResultLink | None:
        assert activity.id is not None  # a stored row
        assert result.id is not None  # a stored row
        return self.links.get((activity.id, result.id))

    def activities_without_result(self) -> list[Activity]:
        return [a for a in self.activities if not a.links]

    def contributors(self, result: Result) -> int:
        """How many activities contribute to `result`."""
        return sum(1 for (_, result_id) in self.links if result_id == result.id)

    def results_without_activity(self) -> list[Result]:
        linked = {result_id for _, result_id in self.links}
        return [r for r in self.results if r.id not in linked]


def matrix(session: Session, cycle: Cycle) -> Matrix:
    results = results_service.list_results(session, cycle)
    activities = list_activities(session, cycle)
    links = {(link.activity_id, link.result_id): link for a in activities for link in a.links}
    return Matrix(results=results, activities=activities, links=links)


# Input kwaliteit


def get_working_element(
    session: Session, organisation: Organisation, element_id: int
) -> WorkingElement:
    return tenancy.owned(
        session,
        WorkingElement,
        organisation.id,
        element_id,
        "Dit werkzame element bestaat niet (meer).",
    )


def list_working_elements(session: Session, activity: Activity) -> Sequence[WorkingElement]:
    return session.exec(
        select(WorkingElement)
        .where(WorkingElement.activity_id == activity.id)
        .order_by(col(WorkingElement.id))
    ).all()


def create_working_element(
    session: Session, activity: Activity, data: WorkingElementCreate
) -> WorkingElement:
    cycles_service.ensure_open(session, activity.cycle_id)
    element = WorkingElement.model_validate(data, update={"activity_id": activity.id})
    session.add(element)
    cycles_service.step_started(session, activity.cycle_id, 4)
    session.flush()
    return element


def update_working_element(
    session: Session, element: WorkingElement, data: WorkingElementCreate
) -> WorkingElement:
    cycles_service.ensure_open(session, session.get_one(Activity, element.activity_id).cycle_id)
    element.sqlmodel_update(data.model_dump())
    session.flush()
    return element


def delete_working_element(session: Session, element: WorkingElement) -> None:
    cycles_service.ensure_open(session, session.get_one(Activity, element.activity_id).cycle_id)
    session.delete(element)
    session.flush()


def get_quality_condition(
    session: Session, organisation: Organisation, condition_id: int
) -> QualityCondition:
    return tenancy.owned(
        session,
        QualityCondition,
        organisation.id,
        condition_id,
        "Deze kwaliteitsvoorwaarde bestaat niet (meer).",
    )


def list_quality_conditions(session: Session, activity: Activity) -> Sequence[QualityCondition]:
    return session.exec(
        select(QualityCondition)
        .where(QualityCondition.activity_id == activity.id)
        .order_by(col(QualityCondition.id))
    ).all()


def create_quality_condition(
    session: Session, activity: Activity, data: QualityConditionCreate
) -> QualityCondition:
    cycles_service.ensure_open(session, activity.cycle_id)
    condition = QualityCondition.model_validate(data, update={"activity_id": activity.id})
    session.add(condition)
    cycles_service.step_started(session, activity.cycle_id, 4)
    session.flush()
    return condition


def update_quality_condition(
    session: Session, condition: QualityCondition, data: QualityConditionCreate
) -> QualityCondition:
    cycles_service.ensure_open(session, session.get_one(Activity, condition.activity_id).cycle_id)
    condition.sqlmodel_update(data.model_dump())
    session.flush()
    return condition


def delete_quality_condition(session: Session, condition: QualityCondition) -> None:
    cycles_service.ensure_open(session, session.get_one(Activity, condition.activity_id).cycle_id)
    session.delete(condition)
    session.flush()


# Indicators of activities (service level, step 5)


def create_activity_indicator(
    session: Session, activity: Activity, data: IndicatorCreate
) -> Indicator:
    return results_service.create_indicator(
        session, data, cycle_id=activity.cycle_id, activity_id=activity.id
    )


def list_activity_indicators(session: Session, activity: Activity) -> Sequence[Indicator]:
    assert activity.id is not None  # a stored row
    return results_service.list_indicators_of_activity(session, activity.id)


def create_activity_story(session: Session, activity: Activity, data: StoryCreate) -> Story:
    return results_service.create_story(
        session, data, cycle_id=activity.cycle_id, activity_id=activity.id
    )


def list_activity_stories(session: Session, activity: Activity) -> Sequence[Story]:
    assert activity.id is not None  # a stored row
    return results_service.list_stories_of_activity(session, activity.id)


# Carrying activities into the next cycle


def copy_activities(
    session: Session,
    source: Cycle,
    target: Cycle,
    *,
    statuses: dict[int, ActivityStatus | None],
    results: dict[int, Result],
) -> dict[int, int]:
    """Copy activities with their links and input kwaliteit; returns old id -> new id.

    `statuses` gives the status each activity starts the next cycle with; None leaves it behind.
    """
    copies: dict[int, Activity] = {}
    for activity in list_activities(session, source):
        assert activity.id is not None  # a stored row
        status = statuses.get(activity.id, ActivityStatus.CONTINUE)
        if status is None:
            continue
        copy = Activity.model_validate(
            activity.model_dump(exclude={"id", "cycle_id", "status"}),
            update={"cycle_id": target.id, "status": status},
        )
        # The children's activity_id comes from `copy` on flush; the pydantic plugin asks for
        # it in the constructor all the same (call-arg).
        copy.links = [
            ActivityResultLink(  # type: ignore[call-arg]
                result_id=row_id(results[link.result_id]),
                contribution=link.contribution,
                assumption=link.assumption,
            )
            for link in activity.links
            if link.result_id in results  # a dropped result takes its links along
        ]
        copy.working_elements = [
            WorkingElement(description=e.description, evidence_source=e.evidence_source)  # type: ignore[call-arg]
            for e in activity.working_elements
        ]
        copy.co_performers = [
            CoPerformer(partner_id=c.partner_id, role=c.role)  # type: ignore[call-arg]
            for c in activity.co_performers
        ]
        copy.quality_conditions = [
            QualityCondition(category=c.category, description=c.description)  # type: ignore[call-arg]
            for c in activity.quality_conditions
        ]
        session.add(copy)
        copies[activity.id] = copy
    session.flush()
    return {old: row_id(new) for old, new in copies.items()}


def activities_of_cycles(
    session: Session, cycle_ids: Sequence[int], partners: dict[int, Partner]
) -> Sequence[Activity]:
    """The activities of these cycles, per cycle by name, with their partner (from
    `partners`, the organisation's), their links to results and their co-uitvoerders
    loaded: three queries, whatever the number of cycles."""
    activities = session.exec(
        select(Activity)
        .where(col(Activity.cycle_id).in_(cycle_ids))
        .order_by(col(Activity.cycle_id), col(Activity.name), col(Activity.id))
    ).all()
    for a in activities:
        partner = partners.get(a.partner_id) if a.partner_id is not None else None
        set_committed_value(a, "partner", partner)
    in_scope = col(Activity.cycle_id).in_(cycle_ids)
    attach(
        activities,
        "links",
        session.exec(
            select(ActivityResultLink)
            .join(Activity, col(Activity.id) == ActivityResultLink.activity_id)
            .where(in_scope)
            .order_by(col(ActivityResultLink.id))
        ).all(),
        "activity_id",
    )
    co_performers = session.exec(
        select(CoPerformer)
        .join(Activity, col(Activity.id) == CoPerformer.activity_id)
        .where(in_scope)
        .order_by(col(CoPerformer.id))
    ).all()
    for c in co_performers:
        set_committed_value(c, "partner", partners.get(c.partner_id))
    attach(activities, "co_performers", co_performers, "activity_id")
    return activities


def progress_counts(session: Session, cycle_ids: Sequence[int]) -> dict[str, Counter[int]]:
    """What step 3 and 4 hold per cycle, and where activities and results are not linked
    (for the progress overview; one grouped query each)."""
    linked_activity = select(ActivityResultLink.id).where(
        ActivityResultLink.activity_id == Activity.id
    )
    linked_result = select(ActivityResultLink.id).where(ActivityResultLink.result_id == Result.id)
    better_off = select(Indicator.id).where(
        Indicator.activity_id == Activity.id, Indicator.rba_question == RbaQuestion.BETTER_OFF
    )
    return {
        "activity": counts_per_cycle(session, Activity, cycle_ids),
        "quality": counts_per_cycle(
            session, WorkingElement, cycle_ids, via=(Activity, WorkingElement.activity_id)
        )
        + counts_per_cycle(
            session, QualityCondition, cycle_ids, via=(Activity, QualityCondition.activity_id)
        ),
        "without_result": counts_per_cycle(session, Activity, cycle_ids, ~linked_activity.exists()),
        "without_activity": counts_per_cycle(session, Result, cycle_ids, ~linked_result.exists()),
        "output_only": counts_per_cycle(session, Activity, cycle_ids, ~better_off.exists()),
    }
