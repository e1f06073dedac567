"""Budget scenarios: the list, what a cut does, choices by hand, comparing and adopting."""

from fastapi import Query, Request
from starlette.responses import Response

from app.auth import CurrentMember, require_cycle_runner
from app.cycles import service as cycles_service
from app.db import SessionDep
from app.errors import InvalidInput, NotFound
from app.forms import GENERAL, FormDep, FormInvalid, FormState, parse_form
from app.ids import RecordId, parse_id
from app.resources import VERSION_FIELD, add_form_routes, commit_or_conflict
from app.routing import SectionRouter
from app.scenarios import comparison
from app.scenarios import service as scenarios_service
from app.scenarios.charts import result_chart
from app.scenarios.models import Adoption, Pin, Scenario
from app.scenarios.resources import SCENARIOS_URL, scenario_url, scenarios
from app.templating import render, render_invalid_form, see_other

router = SectionRouter()
add_form_routes(router, scenarios)

STALE = (
    "Iemand anders heeft dit scenario intussen gewijzigd. Er is niets opgeslagen; hieronder "
    "staat het scenario zoals het nu is."
)
ADOPTION_LABELS = {"rationale": "Waarom dit scenario?"}
# A form's value as its Pin (mypy reads `Pin(value)` as Choice.__new__(value, label)).
_PINS = {p.value: p for p in Pin}


@router.get(SCENARIOS_URL, name="scenarios:list")
def scenario_list(request: Request, session: SessionDep, member: CurrentMember) -> Response:
    organisation = member.organisation
    return render(
        request,
        "scenarios/list.html",
        {
            "scenarios": scenarios_service.visible_scenarios(session, member),
            "cycles": {c.id: c for c in scenarios_service.running_cycles(session, organisation)},
            "resource": scenarios,
            "form": scenarios.blank_form(),
            "max_compared": scenarios_service.MAX_COMPARED,
            **scenarios.context(session, organisation, organisation),
        },
    )


def _page(
    request: Request,
    session: SessionDep,
    member: CurrentMember,
    scenario_id: RecordId,
    *,
    choices_form: FormState | None = None,
    adoption_form: FormState | None = None,
    status_code: int = 200,
) -> Response:
    scenario = scenarios_service.get_visible_scenario(session, member, scenario_id)
    if scenario.cycle_id is None:
        scope_label = "Hele organisatie"
    else:
        cycle = cycles_service.get_cycle(session, member.organisation, scenario.cycle_id)
        scope_label = f"{cycle.theme.name}, cyclus {cycle.period}"
    outcome = scenarios_service.as_seen_by(member, scenarios_service.outcome(session, scenario))
    pins = scenarios_service.pins(scenario)
    choices_form = choices_form or FormState(
        values={
            scenarios_service.field_name(a.id): pins[a.id].value if a.id in pins else ""
            for a in outcome.activities
        }
    )
    choices_form.id = "choices"
    choices_form.labels = {
        scenarios_service.field_name(a.id): f"Keuze voor {a.name}" for a in outcome.activities
    }
    adoption_form = adoption_form or FormState()
    adoption_form.id = "adoption"
    adoption_form.labels = ADOPTION_LABELS
    context = {
        "scenario": scenario,
        "scope_label": scope_label,
        "outcome": outcome,
        "chart": result_chart(outcome.results),
        "choices_form": choices_form,
        "adoption_form": adoption_form,
        "field_name": scenarios_service.field_name,
        "own": scenarios_service.own_part(member),
        "resource": scenarios,
        "nav": "scenarios",
    }
    if status_code != 200:
        form_id = "choices" if choices_form.errors else "adoption"
        return render_invalid_form(
            request, "scenarios/scenario.html", context, form_id=form_id, status_code=status_code
        )
    return render(request, "scenarios/scenario.html", context)


@router.get(f"{SCENARIOS_URL}/{{scenario_id:int}}", name="scenario:page")
def scenario_page(
    request: Request, session: SessionDep, member: CurrentMember, scenario_id: RecordId
) -> Response:
    return _page(request, session, member, scenario_id)


@router.get(
    f"{SCENARIOS_URL}/{{scenario_id:int}}/activiteiten/{{activity_id:int}}/houden",
    name="scenario:keep-cost",
)
def keep_cost(
    request: Request,
    session: SessionDep,
    member: CurrentMember,
    scenario_id: RecordId,
    activity_id: RecordId,
) -> Response:
    """What keeping one reduced or stopped activity would cost: one solve, asked per activity
    from the scenario page (which swaps in `#houden-<id>`), or read as a page of its own."""
    scenario = scenarios_service.get_visible_scenario(session, member, scenario_id)
    if scenario.adopted:
        raise NotFound(scenarios_service.NOT_FOUND)
    cost = scenarios_service.keep_cost(session, scenario, activity_id)
    return render(
        request,
        "scenarios/keep_cost.html",
        {"scenario": scenario, "cost": cost, "nav": "scenarios"},
    )


@router.get(f"{SCENARIOS_URL}/{{scenario_id:int}}/weging", name="scenario:weightings")
def weightings(
    request: Request, session: SessionDep, member: CurrentMember, scenario_id: RecordId
) -> Response:
    """The same cut under both ways of weighing the session round's votes, side by side."""
    scenario = scenarios_service.get_visible_scenario(session, member, scenario_id)
    both = scenarios_service.under_both_weightings(session, scenario)
    return render(
        request,
        "scenarios/weightings.html",
        {
            "scenario": scenario,
            "both": both,
            "comparison": comparison.compare([outcome for _, outcome in both]),
            "nav": "scenarios",
        },
    )


def _stale(form: dict[str, str], version: int) -> bool:
    opened_with = form.get(VERSION_FIELD, "")
    return opened_with.isascii() and opened_with.isdigit() and int(opened_with) != version


@router.post(f"{SCENARIOS_URL}/{{scenario_id:int}}/keuzes", name="scenario:choices")
def set_choices(
    request: Request,
    session: SessionDep,
    member: CurrentMember,
    scenario_id: RecordId,
    form: FormDep,
) -> Response:
    """The choices made by hand; the optimiser recomputes the rest around them."""
    require_cycle_runner(member)
    scenario = scenarios_service.get_scenario(session, member.organisation, scenario_id)
    if _stale(form, scenario.version):
        state = FormState(errors={GENERAL: STALE})
        return _page(request, session, member, scenario_id, choices_form=state, status_code=409)
    prefix = scenarios_service.field_name(0)[:-1]
    chosen: dict[int, Pin | None] = {}
    errors = {}
    for name, value in form.items():
        if not name.startswith(prefix):
            continue
        activity_id = parse_id(name[len(prefix) :])
        if activity_id is None:
            errors[name] = scenarios_service.NOT_IN_SCENARIO
            continue
        pin = _PINS.get(value)
        if value and pin is None:
            errors[name] = "Kies een van de opties."
            continue
        chosen[activity_id] = pin
    try:
        if errors:
            raise InvalidInput(errors)
        scenarios_service.set_choices(session, scenario, chosen)
    except InvalidInput as exc:
        state = FormState(values=dict(form), errors=exc.errors)
        return _page(request, session, member, scenario_id, choices_form=state, status_code=422)
    commit_or_conflict(session)
    return see_other(scenario_url(scenario_id) + "#gevolgen")


@router.post(f"{SCENARIOS_URL}/{{scenario_id:int}}/vaststellen", name="scenario:adopt")
def adopt(
    request: Request,
    session: SessionDep,
    member: CurrentMember,
    scenario_id: RecordId,
    form: FormDep,
) -> Response:
    require_cycle_runner(member)
    scenario = scenarios_service.get_scenario(session, member.organisation, scenario_id)
    if _stale(form, scenario.version):
        state = FormState(values=dict(form), errors={GENERAL: STALE})
        return _page(request, session, member, scenario_id, adoption_form=state, status_code=409)
    try:
        data = parse_form(Adoption, form)
    except FormInvalid as exc:
        return _page(
            request, session, member, scenario_id, adoption_form=exc.state, status_code=422
        )
    strengthen = [
        activity_id
        for name in form
        if name.startswith("versterken-")
        and (activity_id := parse_id(name.removeprefix("versterken-"))) is not None
    ]
    if form.get("bevestigd") != "1":  # first what it will write, then the decision
        return _confirm_adoption(request, session, scenario, data.rationale, strengthen)
    scenarios_service.adopt(session, scenario, data.rationale, member, strengthen)
    commit_or_conflict(session)
    return see_other(scenario_url(scenario_id))


def _confirm_adoption(
    request: Request,
    session: SessionDep,
    scenario: Scenario,
    rationale: str,
    strengthen: list[int],
) -> Response:
    """The adoption repeated before it is written: the decision per activity, what it saves
    and the rationale, with a button that sends it all again, confirmed."""
    outcome = scenarios_service.outcome(session, scenario)
    rows = [(row, scenarios_service.decision_for(row, strengthen)) for row in outcome.activities]
    return render(
        request,
        "scenarios/confirm_adoption.html",
        {
            "scenario": scenario,
            "outcome": outcome,
            "rows": rows,
            "rationale": rationale,
            "strengthen": strengthen,
            "nav": "scenarios",
        },
    )


@router.get(f"{SCENARIOS_URL}/vergelijken", name="scenarios:compare")
def compare(
    request: Request,
    session: SessionDep,
    member: CurrentMember,
    scenario: list[str] = Query(default=[]),
) -> Response:
    """Scenarios side by side: two at least, `MAX_COMPARED` at most (each may need its own
    solve), named by their ids in the query (`?scenario=3&scenario=5`)."""
    if len(scenario) > scenarios_service.MAX_COMPARED:
        return see_other(SCENARIOS_URL + "?vergelijken=te-veel#compare-section")
    ids = [parse_id(s) for s in scenario]
    if None in ids:
        raise NotFound(scenarios_service.NOT_FOUND)
    chosen = [
        scenarios_service.get_visible_scenario(session, member, s)
        for s in dict.fromkeys(filter(None, ids))
    ]
    if len(chosen) < 2:
        return see_other(SCENARIOS_URL + "?vergelijken=te-weinig#compare-section")
    outcomes = [
        scenarios_service.as_seen_by(member, scenarios_service.outcome(session, s)) for s in chosen
    ]
    return render(
        request,
        "scenarios/compare.html",
        {
            "columns": list(zip(chosen, outcomes, strict=True)),
            "comparison": comparison.compare(outcomes),
            "nav": "scenarios",
        },
    )
