"""How activities, their links, input kwaliteit and indicators are changed through the web."""

from typing import Any

from sqlmodel import Session

from app.activities import service as activities_service
from app.activities import spending as spending_service
from app.activities.models import (
    Activity,
    ActivityCreate,
    ActivityPublic,
    ActivityResultLink,
    ActivityResultLinkCreate,
    ActivityResultLinkPublic,
    ActivityResultLinkUpdate,
    ActivityUpdate,
    CoPerformer,
    CoPerformerCreate,
    CoPerformerPublic,
    CoPerformerUpdate,
    QualityCondition,
    QualityConditionCreate,
    QualityConditionPublic,
    QualityConditionUpdate,
    Spending,
    SpendingCreate,
    SpendingPublic,
    SpendingUpdate,
    WorkingElement,
    WorkingElementCreate,
    WorkingElementPublic,
    WorkingElementUpdate,
)
from app.auth import Member, require_cycle_runner, require_partner_work
from app.cycles import service as cycles_service
from app.cycles.models import Cycle
from app.cycles.resources import CYCLE_PARENT
from app.cycles.steps import step_url
from app.errors import Forbidden
from app.organisations import service as organisations_service
from app.resources import Action, Parent, Resource
from app.results import service as results_service
from app.results.models import (
    Indicator,
    IndicatorCreate,
    IndicatorPublic,
    IndicatorUpdate,
    Measurement,
    MeasurementCreate,
    MeasurementPublic,
    MeasurementUpdate,
    Story,
    StoryCreate,
    StoryPublic,
    StoryUpdate,
)
from app.results.resources import INDICATOR_PARENT, SERVICE_INDICATOR_LABELS, STORY_LABELS

# Partners work on their own activities: see app.auth.


def activity_permission(
    session: Session,
    member: Member,
    action: Action,
    cycle: Cycle,
    activity: Activity | None,
    data: ActivityCreate | None,
) -> None:
    """A partner may edit their own activity but not create, remove or hand it to another."""
    if action != "update" or activity is None:  # only an update has an activity
        require_cycle_runner(member)
        return
    require_partner_work(member, activity.partner_id)
    if data is not None and not member.runs_cycles and data.partner_id != activity.partner_id:
        raise Forbidden("Als partner kun je een activiteit niet aan een andere uitvoerder geven.")


def activity_work_permission(
    session: Session, member: Member, action: Action, activity: Activity, item: object, data: Any
) -> None:
    """Input kwaliteit belongs to the activity's partner as much as to the procesbegeleider."""
    require_partner_work(member, activity.partner_id)


def measurement_permission(
    session: Session,
    member: Member,
    action: Action,
    indicator: Indicator,
    item: Measurement | None,
    data: Any,
) -> None:
    """Figures of an activity are the partner's to record; population figures are not."""
    if indicator.activity_id is None:
        require_cycle_runner(member)
        return
    activity = session.get_one(Activity, indicator.activity_id)
    require_partner_work(member, activity.partner_id)


ACTIVITY_PARENT = Parent(
    name="activity",
    plural="activiteiten",
    path="activiteiten",
    get=activities_service.get_activity,
)


def _cycle_of(session, organisation, item):
    return cycles_service.get_cycle(session, organisation, item.cycle_id)


def _activity_of(session, organisation, item):
    return activities_service.get_activity(session, organisation, item.activity_id)


def _activity_context(session, organisation, activity):
    return {
        "cycle": cycles_service.get_cycle(session, organisation, activity.cycle_id),
        "activity": activity,
    }


activities: Resource[Cycle, Activity] = Resource(
    name="activity",
    plural="activiteiten",
    api_name="Activiteit",
    label="activiteit",
    path="activiteiten",
    model=Activity,
    parent=CYCLE_PARENT,
    write=ActivityCreate,
    patch=ActivityUpdate,
    public=ActivityPublic,
    get=activities_service.get_activity,
    parent_of=_cycle_of,
    list=activities_service.list_activities,
    create=activities_service.create_activity,
    update=activities_service.update_activity,
    delete=activities_service.delete_activity,
    permission=activity_permission,
    fields_template="activities/_activity_fields.html",
    title=lambda activity: activity.name,
    return_to=lambda cycle, activity: step_url(
        cycle.id, 3, f"activiteit-{activity.id}" if activity else "activities-section"
    ),
    context=lambda session, organisation, cycle: {
        "cycle": cycle,
        "partners": organisations_service.list_partners(session, organisation),
    },
    labels={
        "name": "Naam",
        "description": "Omschrijving",
        "partner_id": "Hoofduitvoerder",
        "target_group": "Doelgroep",
        "annual_budget": "Budget per jaar (euro)",
        "agreement": "Afspraak",
        "status": "Status",
        "legal_duty": "Wettelijke taak: moet blijven, ook bij een bezuiniging",
        "minimum_level": "Minimumniveau bij een bezuiniging (%)",
    },
    delete_warning=(
        "De koppelingen met resultaten, de input kwaliteit en de indicatoren van deze activiteit "
        "worden ook verwijderd."
    ),
    step=3,
)

links = Resource(
    name="link",
    plural="koppelingen",
    api_name="Koppeling",
    label="koppeling",
    path="koppelingen",
    model=ActivityResultLink,
    parent=ACTIVITY_PARENT,
    write=ActivityResultLinkCreate,
    patch=ActivityResultLinkUpdate,
    public=ActivityResultLinkPublic,
    get=activities_service.get_link,
    parent_of=_activity_of,
    list=activities_service.list_links,
    create=activities_service.create_link,
    update=activities_service.update_link,
    delete=activities_service.delete_link,
    fields_template="activities/_link_fields.html",
    title=lambda link: f"met resultaat {link.result.rank}: {link.result.text}",
    return_to=lambda activity, link: step_url(activity.cycle_id, 3, f"activiteit-{activity.id}"),
    context=lambda session, organisation, activity: {
        **_activity_context(session, organisation, activity),
        "results": results_service.list_results(
            session, cycles_service.get_cycle(session, organisation, activity.cycle_id)
        ),
    },
    labels={
        "result_id": "Resultaat",
        "contribution": "Bijdrage",
        "assumption": "Waarom helpt deze activiteit? (veronderstelde werking)",
    },
    step=3,
)

working_elements: Resource[Activity, WorkingElement] = Resource(
    name="working_element",
    plural="werkzame-elementen",
    api_name="WerkzaamElement",
    label="werkzaam element",
    path="werkzame-elementen",
    model=WorkingElement,
    parent=ACTIVITY_PARENT,
    write=WorkingElementCreate,
    patch=WorkingElementUpdate,
    public=WorkingElementPublic,
    get=activities_service.get_working_element,
    parent_of=_activity_of,
    list=activities_service.list_working_elements,
    create=activities_service.create_working_element,
    update=activities_service.update_working_element,
    delete=activities_service.delete_working_element,
    permission=activity_work_permission,
    fields_template="activities/_working_element_fields.html",
    title=lambda element: element.description,
    return_to=lambda activity, element: step_url(activity.cycle_id, 4, f"kwaliteit-{activity.id}"),
    context=_activity_context,
    labels={"description": "Werkzaam element", "evidence_source": "Onderbouwing of bron"},
    step=4,
)

quality_conditions: Resource[Activity, QualityCondition] = Resource(
    name="quality_condition",
    plural="kwaliteitsvoorwaarden",
    api_name="Kwaliteitsvoorwaarde",
    label="kwaliteitsvoorwaarde",
    path="kwaliteitsvoorwaarden",
    model=QualityCondition,
    parent=ACTIVITY_PARENT,
    write=QualityConditionCreate,
    patch=QualityConditionUpdate,
    public=QualityConditionPublic,
    get=activities_service.get_quality_condition,
    parent_of=_activity_of,
    list=activities_service.list_quality_conditions,
    create=activities_service.create_quality_condition,
    update=activities_service.update_quality_condition,
    delete=activities_service.delete_quality_condition,
    permission=activity_work_permission,
    fields_template="activities/_quality_condition_fields.html",
    title=lambda condition: condition.description,
    return_to=lambda activity, condition: step_url(
        activity.cycle_id, 4, f"kwaliteit-{activity.id}"
    ),
    context=_activity_context,
    labels={"category": "Soort", "description": "Omschrijving"},
    step=4,
)

activity_indicators = Resource(
    name="activity_indicator",
    plural="prestatie-indicatoren",
    api_name="Prestatieindicator",
    label="indicator",
    path="prestatie-indicatoren",
    model=Indicator,
    parent=ACTIVITY_PARENT,
    write=IndicatorCreate,
    patch=IndicatorUpdate,
    public=IndicatorPublic,
    get=results_service.get_service_indicator,
    parent_of=_activity_of,
    list=activities_service.list_activity_indicators,
    create=activities_service.create_activity_indicator,
    update=results_service.update_indicator,
    delete=results_service.delete_indicator,
    fields_template="results/_indicator_fields.html",
    title=lambda indicator: indicator.name,
    return_to=lambda activity, indicator: step_url(
        activity.cycle_id, 5, f"indicator-{indicator.id}" if indicator else f"outcome-{activity.id}"
    ),
    context=_activity_context,
    labels=SERVICE_INDICATOR_LABELS,
    delete_warning="De metingen van deze indicator worden ook verwijderd.",
    step=5,
)


measurements: Resource[Indicator, Measurement] = Resource(
    name="measurement",
    plural="metingen",
    api_name="Meting",
    label="meting",
    path="metingen",
    model=Measurement,
    parent=INDICATOR_PARENT,
    write=MeasurementCreate,
    patch=MeasurementUpdate,
    public=MeasurementPublic,
    get=results_service.get_measurement,
    parent_of=lambda session, organisation, measurement: results_service.get_indicator(
        session, organisation, measurement.indicator_id
    ),
    list=results_service.list_measurements,
    create=results_service.create_measurement,
    update=results_service.update_measurement,
    delete=results_service.delete_measurement,
    permission=measurement_permission,
    fields_template="results/_measurement_fields.html",
    title=lambda measurement: f"meting van {measurement.measured_on:%d-%m-%Y}",
    return_to=lambda indicator, measurement: (
        f"/indicatoren/{indicator.id}#meting-{measurement.id}"
        if measurement
        else f"/indicatoren/{indicator.id}#measurements-section"
    ),
    context=lambda session, organisation, indicator: {
        "cycle": cycles_service.get_cycle(session, organisation, indicator.cycle_id),
        "indicator": indicator,
    },
    labels={
        "measured_on": "Datum",
        "value": "Waarde",
        "story": "Het verhaal achter de cijfers",
    },
    step=5,
)


co_performers = Resource(
    name="co_performer",
    plural="co-uitvoerders",
    api_name="CoUitvoerder",
    label="co-uitvoerder",
    path="co-uitvoerders",
    model=CoPerformer,
    parent=ACTIVITY_PARENT,
    write=CoPerformerCreate,
    patch=CoPerformerUpdate,
    public=CoPerformerPublic,
    get=activities_service.get_co_performer,
    parent_of=_activity_of,
    list=activities_service.list_co_performers,
    create=activities_service.create_co_performer,
    update=activities_service.update_co_performer,
    delete=activities_service.delete_co_performer,
    fields_template="activities/_co_performer_fields.html",
    title=lambda co: co.role or "co-uitvoerder",
    return_to=lambda activity, co: step_url(activity.cycle_id, 3, f"activiteit-{activity.id}"),
    context=lambda session, organisation, activity: {
        **_activity_context(session, organisation, activity),
        "partners": organisations_service.list_partners(session, organisation),
    },
    labels={"partner_id": "Partner", "role": "Wat doet deze partner?"},
    step=3,
)

activity_stories: Resource[Activity, Story] = Resource(
    name="activity_story",
    plural="activiteitverhalen",
    api_name="Activiteitverhaal",
    label="verhaal",
    path="verhalen",
    model=Story,
    parent=ACTIVITY_PARENT,
    write=StoryCreate,
    patch=StoryUpdate,
    public=StoryPublic,
    get=results_service.get_activity_story,
    parent_of=_activity_of,
    list=activities_service.list_activity_stories,
    create=activities_service.create_activity_story,
    update=results_service.update_story,
    delete=results_service.delete_story,
    permission=activity_work_permission,
    fields_template="results/_story_fields.html",
    title=lambda story: f"verhaal van {story.told_on:%d-%m-%Y}",
    return_to=lambda activity, story: step_url(activity.cycle_id, 5, f"outcome-{activity.id}"),
    context=_activity_context,
    labels=STORY_LABELS,
    step=5,
)


spending: Resource[Activity, Spending] = Resource(
    name="spending",
    plural="bestedingen",
    api_name="Besteding",
    label="bedragen per jaar",
    path="bestedingen",
    model=Spending,
    parent=ACTIVITY_PARENT,
    write=SpendingCreate,
    patch=SpendingUpdate,
    public=SpendingPublic,
    get=spending_service.get_spending,
    parent_of=_activity_of,
    list=spending_service.list_spending,
    create=spending_service.create_spending,
    update=spending_service.update_spending,
    delete=spending_service.delete_spending,
    permission=activity_work_permission,
    fields_template="activities/_spending_fields.html",
    title=lambda row: f"bedragen van {row.year}",
    return_to=lambda activity, row: step_url(activity.cycle_id, 3, f"geld-{activity.id}"),
    context=_activity_context,
    labels={
        "year": "Jaar",
        "planned": "Begroot (euro)",
        "actual": "Werkelijk uitgegeven (euro)",
        "note": "Toelichting",
    },
    step=3,
)
