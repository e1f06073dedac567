"""How results, their indicators and measurements are found and changed through the web."""

from app.cycles import service as cycles_service
from app.cycles.resources import CYCLE_PARENT
from app.cycles.steps import step_url
from app.resources import Parent, Resource
from app.results import catalogue
from app.results import service as results_service
from app.results.models import (
    Indicator,
    IndicatorCreate,
    IndicatorPublic,
    IndicatorUpdate,
    Result,
    ResultCreate,
    ResultPublic,
    ResultUpdate,
    Story,
    StoryCreate,
    StoryPublic,
    StoryUpdate,
)

RESULT_PARENT = Parent(
    name="result", plural="resultaten", path="resultaten", get=results_service.get_result
)
INDICATOR_PARENT = Parent(
    name="indicator", plural="indicatoren", path="indicatoren", get=results_service.get_indicator
)

SERVICE_INDICATOR_LABELS = {
    "name": "Naam",
    "definition": "Definitie",
    "unit": "Eenheid",
    "direction": "Richting",
    "source": "Bron",
    "instrument": "Instrument",
    "baseline_value": "Nulmeting",
    "baseline_date": "Datum nulmeting",
    "target_value": "Streefwaarde",
    "target_date": "Streefdatum",
    "rba_question": "Welke vraag beantwoordt deze indicator?",
    "expected_frequency": "Hoe vaak komt er een nieuwe meting?",
}
# Indicators of results describe the population; the RBA questions belong to activities.
POPULATION_INDICATOR_LABELS = {
    **{name: label for name, label in SERVICE_INDICATOR_LABELS.items() if name != "rba_question"},
    "bbv_number": "BBV-beleidsindicator",
}


results = Resource(
    name="result",
    plural="resultaten",
    api_name="Resultaat",
    label="resultaat",
    path="resultaten",
    model=Result,
    parent=CYCLE_PARENT,
    write=ResultCreate,
    patch=ResultUpdate,
    public=ResultPublic,
    get=results_service.get_result,
    parent_of=lambda session, organisation, result: cycles_service.get_cycle(
        session, organisation, result.cycle_id
    ),
    list=results_service.list_results,
    create=results_service.create_result,
    update=results_service.update_result,
    delete=results_service.delete_result,
    fields_template="results/_result_fields.html",
    title=lambda result: f"{result.code} {result.text}" if result.code else result.text,
    return_to=lambda cycle, result: step_url(
        cycle.id, 2, f"resultaat-{result.id}" if result else "results-section"
    ),
    context=lambda session, organisation, cycle: {"cycle": cycle},
    labels={
        "text": "Resultaat",
        "code": "Code",
        "result_type": "Soort resultaat",
        "target_group": "Doelgroep",
        "rationale": "Waarom deze prioriteit?",
        "perspective": "Vanuit welk perspectief?",
        "origin": "Uit welke sessie?",
    },
    delete_warning="De indicatoren en metingen van dit resultaat worden ook verwijderd.",
    step=2,
)


def _result_of_story(session, organisation, story: Story):
    assert story.result_id is not None  # a result's story (an activity's has activity_id)
    return results_service.get_result(session, organisation, story.result_id)


def _result_of(session, organisation, indicator: Indicator):
    assert indicator.result_id is not None  # a result's indicator, not an activity's
    return results_service.get_result(session, organisation, indicator.result_id)


indicators = Resource(
    name="indicator",
    plural="indicatoren",
    api_name="Indicator",
    label="indicator",
    path="indicatoren",
    model=Indicator,
    parent=RESULT_PARENT,
    write=IndicatorCreate,
    patch=IndicatorUpdate,
    public=IndicatorPublic,
    get=results_service.get_population_indicator,
    parent_of=_result_of,
    list=results_service.list_indicators_of_result,
    create=results_service.create_result_indicator,
    update=results_service.update_indicator,
    delete=results_service.delete_indicator,
    fields_template="results/_indicator_fields.html",
    title=lambda indicator: indicator.name,
    return_to=lambda result, indicator: step_url(
        result.cycle_id, 2, f"indicator-{indicator.id}" if indicator else f"resultaat-{result.id}"
    ),
    context=lambda session, organisation, result: {
        "cycle": cycles_service.get_cycle(session, organisation, result.cycle_id),
        "owner": result,
        "bbv_options": catalogue.options(),
    },
    labels=POPULATION_INDICATOR_LABELS,
    initial=catalogue.form_values,
    delete_warning="De metingen van deze indicator worden ook verwijderd.",
    step=2,
)


STORY_LABELS = {"text": "Verhaal", "told_on": "Datum", "source": "Bron (wie vertelde het?)"}

result_stories = Resource(
    name="result_story",
    plural="resultaatverhalen",
    api_name="Resultaatverhaal",
    label="verhaal",
    path="resultaatverhalen",
    model=Story,
    parent=RESULT_PARENT,
    write=StoryCreate,
    patch=StoryUpdate,
    public=StoryPublic,
    get=results_service.get_result_story,
    parent_of=_result_of_story,
    list=results_service.list_stories_of_result,
    create=results_service.create_result_story,
    update=results_service.update_story,
    delete=results_service.delete_story,
    fields_template="results/_story_fields.html",
    title=lambda story: f"verhaal van {story.told_on:%d-%m-%Y}",
    return_to=lambda result, story: step_url(result.cycle_id, 2, f"resultaat-{result.id}"),
    context=lambda session, organisation, result: {
        "cycle": cycles_service.get_cycle(session, organisation, result.cycle_id),
        "result": result,
    },
    labels=STORY_LABELS,
    step=2,
)
