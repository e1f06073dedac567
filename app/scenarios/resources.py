"""How budget scenarios are found and changed through the web."""

from app.resources import Resource
from app.scenarios import service as scenarios_service
from app.scenarios.models import Scenario, ScenarioCreate, ScenarioPublic, ScenarioUpdate

SCENARIOS_URL = "/scenarios"


def scenario_url(scenario_id: int | None) -> str:
    return f"{SCENARIOS_URL}/{scenario_id}"


scenarios = Resource(
    name="scenario",
    plural="scenarios",
    api_name="Scenario",
    label="scenario",
    path="scenarios",
    model=Scenario,
    parent=None,
    write=ScenarioCreate,
    # ScenarioBase._percent_at_most_100: a percentage (the default kind) is at most 100; and
    # the cut's two decimals (decimal_places=2), exact since the API reads numbers as decimals.
    api_rules={
        "if": {
            "required": ["soortBezuiniging"],
            "properties": {"soortBezuiniging": {"const": "bedrag"}},
        },
        "then": {"properties": {"bezuinigingWaarde": {"multipleOf": 0.01}}},
        "else": {"properties": {"bezuinigingWaarde": {"maximum": 100, "multipleOf": 0.01}}},
    },
    patch=ScenarioUpdate,
    public=ScenarioPublic,
    get=scenarios_service.get_scenario,
    parent_of=lambda session, organisation, scenario: organisation,
    list=scenarios_service.list_scenarios,
    create=scenarios_service.create_scenario,
    update=scenarios_service.update_scenario,
    delete=scenarios_service.delete_scenario,
    fields_template="scenarios/_scenario_fields.html",
    title=lambda scenario: scenario.name,
    return_to=lambda organisation, scenario: (
        scenario_url(scenario.id) if scenario else SCENARIOS_URL
    ),
    context=lambda session, organisation, parent: {
        "cycle_options": [
            (str(c.id), f"{c.theme.name}, cyclus {c.period}")
            for c in scenarios_service.running_cycles(session, organisation)
        ],
        "weight_round_options": [
            (str(r.id), r.label) for r in scenarios_service.weight_rounds(session, organisation)
        ],
        "nav": "scenarios",
    },
    labels={
        "name": "Naam",
        "cycle_id": "Voor",
        "made_on": "Datum",
        "cut_kind": "Soort bezuiniging",
        "cut_value": "Bezuiniging",
        "max_partner_loss": "Een partner verliest hoogstens (%)",
        "covered_top_results": "Elk resultaat in de top ... houdt minstens één activiteit",
        "note": "Toelichting",
        "weight_round_id": "Stemmen uit de werksessie",
        "weight_mode": "Hoe de stemmen wegen",
    },
    delete_warning="De keuzes die met de hand zijn gemaakt worden ook verwijderd.",
    visible=scenarios_service.may_see,
)
