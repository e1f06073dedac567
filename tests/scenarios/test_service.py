"""Scenarios through the service: scope, outcome, choices by hand, explanations, adoption."""

from decimal import Decimal

import pytest

from app.activities import service as activities_service
from app.activities.models import ActivityCreate, Contribution
from app.auth import Member
from app.errors import Conflict, InvalidInput
from app.improvement import service as improvement_service
from app.improvement.models import ActivityDecisionCreate, Decision
from app.organisations import service as organisations_service
from app.organisations.models import Role
from app.scenarios import service as scenarios_service
from app.scenarios.models import CutKind, Pin, ScenarioCreate
from app.scenarios.optimiser import Level
from tests import factories
from tests.mail_server import subject_of, text_of


@pytest.fixture
def cycle(session, organisation):
    """Three results; four activities of two partners, 100,000 euros in all."""
    cycle = factories.make_cycle(session, organisation)
    first, second, third = (factories.make_result(session, cycle, f"R{n}") for n in (1, 2, 3))
    kern = factories.make_partner(session, organisation, "De Kern")
    welzijn = factories.make_partner(session, organisation, "Welzijn Kampen")
    maatje = factories.make_activity(
        session, cycle, name="Maatje", partner=kern, budget="40000", minimum_level=50
    )
    factories.make_link(session, maatje, first, Contribution.LARGE)
    schuld = factories.make_activity(
        session, cycle, name="Schuldhulp", partner=kern, budget="30000", legal_duty=True
    )
    factories.make_link(session, schuld, second, Contribution.MEDIUM)
    bingo = factories.make_activity(session, cycle, name="Bingo", partner=welzijn, budget="20000")
    factories.make_link(session, bingo, third, Contribution.SMALL)
    loket = factories.make_activity(session, cycle, name="Loket", partner=welzijn, budget="10000")
    factories.make_link(session, loket, first, Contribution.SMALL)
    factories.make_link(session, loket, third, Contribution.SMALL)
    return cycle


def by_name(outcome):
    return {row.name: row for row in outcome.activities}


def test_a_cut_keeps_what_serves_the_top_results(session, organisation, cycle):
    scenario = factories.make_scenario(session, organisation, cycle, cut="20")
    outcome = scenarios_service.outcome(session, scenario)
    assert outcome.feasible and outcome.optimal
    assert outcome.total_before == 100_000
    assert outcome.cut == 20_000
    assert outcome.total_after <= 80_000
    rows = by_name(outcome)
    assert rows["Bingo"].level is Level.STOP  # the weakest contribution to the lowest result
    assert rows["Schuldhulp"].level is Level.KEEP
    third = next(r for r in outcome.results if r.text == "R3")
    assert third.contribution_before == 2 and third.contribution_after == 1
    assert third.euros_before == 25_000 and third.euros_after == 5_000
    partners = {p.name: p for p in outcome.partners}
    assert partners["Welzijn Kampen"].before == 30_000
    assert partners["Welzijn Kampen"].after == 10_000


def test_a_legal_duty_stays_and_a_minimum_level_reduces(session, organisation, cycle):
    scenario = factories.make_scenario(
        session, organisation, cycle, cut="70000", cut_kind=CutKind.AMOUNT
    )
    rows = by_name(scenarios_service.outcome(session, scenario))
    assert rows["Schuldhulp"].level is Level.KEEP  # 30,000: the whole budget left
    assert {rows[n].level for n in ("Maatje", "Bingo", "Loket")} == {Level.STOP}


def test_results_that_lose_all_activities_are_marked(session, organisation, cycle):
    scenario = factories.make_scenario(
        session, organisation, cycle, cut="70000", cut_kind=CutKind.AMOUNT
    )
    outcome = scenarios_service.outcome(session, scenario)
    assert {r.text for r in outcome.uncovered} == {"R1", "R3"}


def test_the_whole_organisation_spans_every_running_cycle(session, organisation, cycle):
    other = factories.make_cycle(session, organisation)
    factories.make_activity(session, other, name="Elders", budget="100000")
    scenario = factories.make_scenario(session, organisation, None, cut="10")
    outcome = scenarios_service.outcome(session, scenario)
    assert outcome.total_before == 200_000
    assert {row.theme for row in outcome.activities} == {cycle.theme.name, other.theme.name}


def test_an_override_is_respected_and_the_rest_recomputed(session, organisation, cycle):
    scenario = factories.make_scenario(session, organisation, cycle, cut="20")
    ids = {row.name: row.id for row in scenarios_service.outcome(session, scenario).activities}
    scenario = scenarios_service.set_choices(
        session, scenario, {ids["Bingo"]: Pin.KEEP, ids["Loket"]: Pin.STOP}
    )
    rows = by_name(scenarios_service.outcome(session, scenario))
    assert rows["Bingo"].level is Level.KEEP and rows["Bingo"].pin is Pin.KEEP
    assert rows["Loket"].level is Level.STOP
    assert rows["Maatje"].level is Level.REDUCE  # 20,000 to save: half of Maatje goes
    scenario = scenarios_service.set_choices(session, scenario, {ids["Bingo"]: None})
    assert scenarios_service.pins(scenario) == {ids["Loket"]: Pin.STOP}


def test_overrides_that_break_a_rule_are_refused(session, organisation, cycle):
    scenario = factories.make_scenario(session, organisation, cycle, cut="20")
    ids = {row.name: row.id for row in scenarios_service.outcome(session, scenario).activities}
    with pytest.raises(InvalidInput) as refused:
        scenarios_service.set_choices(
            session, scenario, {ids["Schuldhulp"]: Pin.STOP, ids["Bingo"]: Pin.REDUCE}
        )
    assert refused.value.errors == {
        f"keuze-{ids['Schuldhulp']}": "Een wettelijke taak kan niet stoppen.",
        f"keuze-{ids['Bingo']}": (
            "Deze activiteit heeft geen minimumniveau; geef dat eerst op bij de activiteit."
        ),
    }


def test_an_impossible_scenario_says_which_limit_and_how_much(session, organisation, cycle):
    scenario = factories.make_scenario(
        session, organisation, cycle, cut="80000", cut_kind=CutKind.AMOUNT
    )
    outcome = scenarios_service.outcome(session, scenario)
    assert not outcome.feasible
    assert outcome.reasons == [
        "De wettelijke taken en de activiteiten die moeten blijven kosten, ook op hun "
        "minimumniveau, € 10.000 meer dan het budget na de bezuiniging (€ 20.000)."
    ]
    assert outcome.largest_possible_cut == 70_000


def test_partner_and_top_result_limits_are_explained(session, organisation, cycle):
    scenario = factories.make_scenario(
        session, organisation, cycle, cut="50", max_partner_loss=Decimal(10), covered_top_results=3
    )
    reasons = scenarios_service.outcome(session, scenario).reasons
    assert reasons == [
        "De grens ‘een partner verliest hoogstens 10%’ vraagt € 50.000 meer dan het budget na "
        "de bezuiniging (€ 50.000)."
    ]


def test_a_cut_in_percent_is_at_most_100():
    with pytest.raises(ValueError, match=r"Een percentage is hoogstens 100\."):
        ScenarioCreate(name="Te veel", cut_value=Decimal(120))


def member_of(session, organisation) -> Member:
    return Member(
        factories.make_user(session, "Evi Kuipers"),
        factories.make_member(session, organisation, Role.FACILITATOR),
    )


def test_adoption_decides_per_activity_and_keeps_the_before_and_after(session, organisation, cycle):
    scenario = factories.make_scenario(session, organisation, cycle, cut="20")
    member = member_of(session, organisation)
    ids = {row.name: row.id for row in scenarios_service.outcome(session, scenario).activities}
    scenarios_service.adopt(
        session, scenario, "De maatjes houden we.", member, strengthen=[ids["Schuldhulp"]]
    )
    decided = improvement_service.decisions_by_activity(session, cycle)
    assert decided[ids["Bingo"]].decision is Decision.STOP
    assert decided[ids["Schuldhulp"]].decision is Decision.STRENGTHEN
    assert decided[ids["Maatje"]].decision is Decision.CONTINUE
    assert decided[ids["Bingo"]].rationale.startswith(f"Scenario ‘{scenario.name}’: gestopt")
    assert scenario.adopted_by == "Evi Kuipers" and scenario.rationale == "De maatjes houden we."
    assert scenarios_service.adopted_for_cycle(session, cycle) == [scenario]

    # The adopted version stays as it was, whatever happens to the activities afterwards.
    before = scenarios_service.outcome(session, scenario)
    maatje = activities_service.get_activity(session, organisation, ids["Maatje"])
    data = ActivityCreate.model_validate(maatje.model_dump() | {"annual_budget": Decimal(1)})
    activities_service.update_activity(session, maatje, data)
    assert scenarios_service.outcome(session, scenario) == before
    with pytest.raises(Conflict):
        scenarios_service.set_choices(session, scenario, {ids["Bingo"]: Pin.KEEP})
    with pytest.raises(Conflict):
        scenarios_service.delete_scenario(session, scenario)
    with pytest.raises(Conflict):
        scenarios_service.adopt(session, scenario, "Nog eens", member)


def test_adoption_updates_an_earlier_decision(session, organisation, cycle):
    scenario = factories.make_scenario(session, organisation, cycle, cut="20")
    bingo = next(a for a in activities_service.list_activities(session, cycle) if a.name == "Bingo")
    improvement_service.create_decision(
        session, bingo, ActivityDecisionCreate(decision=Decision.STRENGTHEN)
    )
    scenarios_service.adopt(session, scenario, "Akkoord.", member_of(session, organisation))
    decisions = improvement_service.list_decisions(session, bingo)
    assert [d.decision for d in decisions] == [Decision.STOP]


def test_an_impossible_scenario_cannot_be_adopted(session, organisation, cycle):
    scenario = factories.make_scenario(
        session, organisation, cycle, cut="80000", cut_kind=CutKind.AMOUNT
    )
    with pytest.raises(Conflict):
        scenarios_service.adopt(session, scenario, "Toch", member_of(session, organisation))


def test_a_scenario_for_a_cycle_of_another_organisation_is_refused(session, organisation):
    elsewhere = factories.make_cycle(session, factories.make_organisation(session))
    with pytest.raises(InvalidInput):
        factories.make_scenario(session, organisation, elsewhere)


def test_each_partner_touched_hears_its_own_line_only(session, organisation, cycle, relay, deliver):
    partners = {p.name: p for p in organisations_service.list_partners(session, organisation)}
    for name in ("De Kern", "Welzijn Kampen"):
        factories.make_member(session, organisation, Role.PARTNER, partner=partners[name])
    factories.make_member(session, organisation, Role.READER)
    scenario = factories.make_scenario(session, organisation, cycle, cut="20")
    scenarios_service.adopt(session, scenario, "Zo doen we het.", member_of(session, organisation))
    assert deliver() == 2
    mails = {subject_of(m): text_of(m) for m in relay.received}
    kern = mails[f"{organisation.name} heeft een budgetscenario vastgesteld dat De Kern raakt"]
    assert "2 activiteit(en) van De Kern: samen € 70.000 per jaar" in kern
    assert "Welzijn" not in kern
    assert f"https://kompas.example.org/scenarios/{scenario.id}" in kern
