"""How reflections, improvement actions and decisions are changed through the web."""

from app.activities import service as activities_service
from app.activities.resources import ACTIVITY_PARENT
from app.cycles import service as cycles_service
from app.cycles.resources import CYCLE_PARENT
from app.cycles.steps import step_url
from app.improvement import service as improvement_service
from app.improvement.models import (
    ActivityDecision,
    ActivityDecisionCreate,
    ActivityDecisionPublic,
    ActivityDecisionUpdate,
    ImprovementAction,
    ImprovementActionCreate,
    ImprovementActionPublic,
    ImprovementActionUpdate,
    Reflection,
    ReflectionCreate,
    ReflectionPublic,
    ReflectionUpdate,
    ResultDecision,
    ResultDecisionCreate,
    ResultDecisionPublic,
    ResultDecisionUpdate,
)
from app.resources import Parent, Resource
from app.results import service as results_service
from app.results.resources import RESULT_PARENT

REFLECTION_PARENT = Parent(
    name="reflection",
    plural="reflecties",
    path="reflecties",
    get=improvement_service.get_reflection,
)

reflections = Resource(
    name="reflection",
    plural="reflecties",
    api_name="Reflectie",
    label="reflectie",
    path="reflecties",
    model=Reflection,
    parent=CYCLE_PARENT,
    write=ReflectionCreate,
    patch=ReflectionUpdate,
    public=ReflectionPublic,
    get=improvement_service.get_reflection,
    parent_of=lambda session, organisation, reflection: cycles_service.get_cycle(
        session, organisation, reflection.cycle_id
    ),
    list=improvement_service.list_reflections,
    create=improvement_service.create_reflection,
    update=improvement_service.update_reflection,
    delete=improvement_service.delete_reflection,
    fields_template="improvement/_reflection_fields.html",
    title=lambda reflection: f"reflectie van {reflection.reflected_on:%d-%m-%Y}",
    return_to=lambda cycle, reflection: step_url(
        cycle.id, 6, f"reflectie-{reflection.id}" if reflection else "reflections-section"
    ),
    context=lambda session, organisation, cycle: {
        "cycle": cycle,
        "results": results_service.list_results(session, cycle),
        "activities": activities_service.list_activities(session, cycle),
    },
    labels={
        "reflected_on": "Datum",
        "went_well": "Wat gaat goed?",
        "could_improve": "Wat kan beter, en hoe dan?",
        "result_id": "Over resultaat",
        "activity_id": "Over activiteit",
        "perspective": "Vanuit welk perspectief?",
        "origin": "Uit welke sessie?",
    },
    delete_warning="De verbeteracties bij deze reflectie worden ook verwijderd.",
    step=6,
)


def _reflection_context(session, organisation, reflection):
    return {
        "cycle": cycles_service.get_cycle(session, organisation, reflection.cycle_id),
        "reflection": reflection,
    }


actions = Resource(
    name="action",
    plural="verbeteracties",
    api_name="Verbeteractie",
    label="verbeteractie",
    path="verbeteracties",
    model=ImprovementAction,
    parent=REFLECTION_PARENT,
    write=ImprovementActionCreate,
    patch=ImprovementActionUpdate,
    public=ImprovementActionPublic,
    get=improvement_service.get_action,
    parent_of=lambda session, organisation, action: improvement_service.get_reflection(
        session, organisation, action.reflection_id
    ),
    list=improvement_service.list_actions,
    create=improvement_service.create_action,
    update=improvement_service.update_action,
    delete=improvement_service.delete_action,
    fields_template="improvement/_action_fields.html",
    title=lambda action: action.description,
    return_to=lambda reflection, action: step_url(
        reflection.cycle_id, 6, f"reflectie-{reflection.id}"
    ),
    context=_reflection_context,
    labels={
        "description": "Verbeteractie",
        "owner": "Wie pakt het op?",
        "due_date": "Klaar op",
        "done": "Afgerond",
    },
    step=6,
)


def _activity_context(session, organisation, activity):
    return {
        "cycle": cycles_service.get_cycle(session, organisation, activity.cycle_id),
        "activity": activity,
    }


decisions = Resource(
    name="decision",
    plural="activiteitbesluiten",
    api_name="Activiteitbesluit",
    label="besluit",
    path="besluiten",
    model=ActivityDecision,
    parent=ACTIVITY_PARENT,
    write=ActivityDecisionCreate,
    patch=ActivityDecisionUpdate,
    public=ActivityDecisionPublic,
    get=improvement_service.get_decision,
    parent_of=lambda session, organisation, decision: activities_service.get_activity(
        session, organisation, decision.activity_id
    ),
    list=improvement_service.list_decisions,
    create=improvement_service.create_decision,
    update=improvement_service.update_decision,
    delete=improvement_service.delete_decision,
    fields_template="improvement/_decision_fields.html",
    title=lambda decision: decision.decision.label.lower(),
    return_to=lambda activity, decision: step_url(
        activity.cycle_id, 6, f"besluit-activiteit-{activity.id}"
    ),
    context=_activity_context,
    labels={
        "decision": "Besluit voor de volgende cyclus",
        "rationale": "Waarom?",
        "decided_by": "Wie besloot?",
        "decided_on": "Besloten op",
    },
    step=6,
)


def _result_context(session, organisation, result):
    return {
        "cycle": cycles_service.get_cycle(session, organisation, result.cycle_id),
        "result": result,
    }


result_decisions = Resource(
    name="result_decision",
    plural="resultaatbesluiten",
    api_name="Resultaatbesluit",
    label="besluit",
    path="besluiten-resultaat",
    model=ResultDecision,
    parent=RESULT_PARENT,
    write=ResultDecisionCreate,
    patch=ResultDecisionUpdate,
    public=ResultDecisionPublic,
    get=improvement_service.get_result_decision,
    parent_of=lambda session, organisation, decision: results_service.get_result(
        session, organisation, decision.result_id
    ),
    list=improvement_service.list_result_decisions,
    create=improvement_service.create_result_decision,
    update=improvement_service.update_result_decision,
    delete=improvement_service.delete_result_decision,
    fields_template="improvement/_result_decision_fields.html",
    title=lambda decision: decision.decision.label.lower(),
    return_to=lambda result, decision: step_url(
        result.cycle_id, 6, f"besluit-resultaat-{result.id}"
    ),
    context=_result_context,
    labels={
        "decision": "Besluit voor de volgende cyclus",
        "new_text": "Nieuwe formulering",
        "rationale": "Waarom?",
        "decided_by": "Wie besloot?",
        "decided_on": "Besloten op",
    },
    step=6,
)
