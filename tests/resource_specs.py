"""Per kind of record: how to make its parent, valid input, and input with one mistake."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.activities.resources import (
    activities,
    activity_indicators,
    activity_stories,
    co_performers,
    links,
    measurements,
    quality_conditions,
    working_elements,
)
from app.ambitions.resources import table_members, terms
from app.cycles import service as cycles_service
from app.cycles.resources import cycles, monitoring_items, themes
from app.forms import parse_form
from app.improvement.resources import actions, decisions, reflections, result_decisions
from app.organisations.resources import partners
from app.resources import Resource
from app.results import service as results_service
from app.results.resources import indicators, result_stories, results
from app.scenarios.resources import scenarios
from app.sessions.resources import live_sessions, rounds
from tests import factories

Form = dict[str, str]


@dataclass
class Spec:
    resource: Resource
    parent: Callable[[Any, Any], Any]  # (session, organisation) -> the record's parent
    valid: Form | Callable[[Any, Any], Form]  # or (session, parent) -> form
    invalid: Form | Callable[[Any, Any], Form]  # with a mistake in `field`
    field: str
    message: str
    changed: Form = field(default_factory=dict)  # an edit, checked on the record

    def __str__(self) -> str:
        return self.resource.name

    def valid_for(self, session, parent) -> Form:
        return self.valid(session, parent) if callable(self.valid) else self.valid

    def invalid_for(self, session, parent) -> Form:
        return self.invalid(session, parent) if callable(self.invalid) else self.invalid


def _cycle(session, organisation):
    return factories.make_cycle(session, organisation)


def _result(session, organisation):
    return factories.make_result(session, _cycle(session, organisation))


def _activity(session, organisation):
    return factories.make_activity(session, _cycle(session, organisation))


def _activity_with_result(session, organisation):
    session.info["organisation"] = organisation
    cycle = _cycle(session, organisation)
    factories.make_result(session, cycle, "Minder eenzaamheid")
    return factories.make_activity(session, cycle)


def _link_to_own_result(session, activity) -> Form:
    cycle = cycles_service.get_cycle(session, session.info["organisation"], activity.cycle_id)
    result = results_service.list_results(session, cycle)[0]
    return {"result_id": str(result.id), "contribution": "large", "assumption": "Samen."}


def _link_to_other_theme(session, activity) -> Form:
    elsewhere = factories.make_result(
        session, factories.make_cycle(session, session.info["organisation"])
    )
    return {"result_id": str(elsewhere.id), "contribution": "small", "assumption": "Ergens"}


def _co_performer(session, activity) -> Form:
    partner = factories.make_partner(session, session.info["organisation"])
    return {"partner_id": str(partner.id), "role": "Levert de maatjes"}


def _activity_in(session, organisation):
    session.info["organisation"] = organisation
    return _activity(session, organisation)


def _indicator(session, organisation):
    return factories.make_indicator(session, result=_result(session, organisation))


SPECS = [
    Spec(
        themes,
        lambda s, o: o,
        {"name": "Vitaal", "description": "Gezond oud worden"},
        {"name": "", "description": "Blijft staan"},
        "name",
        "Vul dit veld in.",
        {"name": "Vitaal en gezond"},
    ),
    Spec(
        partners,
        lambda s, o: o,
        {"name": "De Kern", "partner_type": "provider"},
        {"name": "De Kern", "partner_type": ""},
        "partner_type",
        "Maak een keuze.",
        {"name": "De Kern Kampen"},
    ),
    Spec(
        cycles,
        lambda s, o: factories.make_theme(s, o),
        {"start_year": "2023", "end_year": "2026", "horizon_years": "3", "current_step": "0"},
        {"start_year": "2023", "end_year": "2021", "horizon_years": "3", "current_step": "0"},
        "end_year",
        "Het eindjaar ligt voor het beginjaar.",
        {"current_step": "2"},
    ),
    Spec(
        monitoring_items,
        _cycle,
        {"kind": "figure", "title": "Ernstig eenzaam 19+", "figure": "12%"},
        {"kind": "figure", "title": "x" * 201, "figure": "12%"},
        "title",
        "Gebruik hoogstens 200 tekens; dit zijn er 201.",
        {"figure": "11%"},
    ),
    Spec(
        terms,
        _cycle,
        {"term": "Preventie", "agreed_definition": "Eerder en lichter."},
        {"term": "", "meaning_resident": "Op tijd hulp"},
        "term",
        "Vul dit veld in.",
        {"agreed_definition": "Eerder, lichter en samen."},
    ),
    Spec(
        results,
        _cycle,
        {"text": "Over 3 jaar voelen minder inwoners zich eenzaam.", "result_type": "substantive"},
        {"text": "", "target_group": "Ouderen"},
        "text",
        "Vul dit veld in.",
        {"target_group": "Inwoners 75+"},
    ),
    Spec(
        indicators,
        _result,
        {
            "name": "Ernstig eenzaam",
            "direction": "lower",
            "baseline_value": "12",
            "baseline_date": "2019-01-01",
            "target_value": "9",
            "target_date": "2022-12-31",
        },
        {
            "name": "Ernstig eenzaam",
            "direction": "lower",
            "baseline_value": "12",
            "baseline_date": "2019-01-01",
            "target_value": "9",
            "target_date": "2018-12-31",
        },
        "target_date",
        "De streefdatum moet na de datum van de nulmeting liggen.",
        {"unit": "%"},
    ),
    Spec(
        measurements,
        _indicator,
        {"measured_on": "2021-01-01", "value": "10,5"},
        {"measured_on": "2021-01-01", "value": "tien"},
        "value",
        "Vul een getal in, bijvoorbeeld 12.500 of 12,5.",
        {"story": "Het verhaal."},
    ),
    Spec(
        activities,
        _cycle,
        {"name": "Maatjesproject", "annual_budget": "45.000", "status": "new"},
        {"name": "Maatjesproject", "annual_budget": "-500", "status": "new"},
        "annual_budget",
        "Vul een getal in dat niet negatief is.",
        {"annual_budget": "50.000"},
    ),
    Spec(
        links,
        _activity_with_result,
        _link_to_own_result,
        _link_to_other_theme,
        "result_id",
        "Kies een resultaat van dit thema en deze cyclus.",
        {"contribution": "medium"},
    ),
    Spec(
        working_elements,
        _activity,
        {"description": "Eén vast maatje"},
        {"description": "", "evidence_source": "Databank Movisie"},
        "description",
        "Vul dit veld in.",
        {"evidence_source": "Databank Movisie"},
    ),
    Spec(
        quality_conditions,
        _activity,
        {"category": "training", "description": "Basistraining"},
        {"category": "", "description": "Basistraining"},
        "category",
        "Maak een keuze.",
        {"description": "Basistraining en intervisie"},
    ),
    Spec(
        activity_indicators,
        _activity,
        {"name": "Matches", "rba_question": "how_much", "direction": "higher"},
        {"name": "Matches", "rba_question": "", "direction": "higher"},
        "rba_question",
        "Kies welke vraag deze indicator beantwoordt",
        {"unit": "aantal"},
    ),
    Spec(
        reflections,
        _cycle,
        {"reflected_on": "2021-11-18", "went_well": "De maatjes werken."},
        {"reflected_on": "31-02-2021", "went_well": "De maatjes werken."},
        "reflected_on",
        "Vul een geldige datum in, bijvoorbeeld 31-12-2024.",
        {"could_improve": "Jongeren."},
    ),
    Spec(
        actions,
        lambda s, o: factories.make_reflection(s, _cycle(s, o)),
        {"description": "Route naar school", "owner": "CJG", "due_date": "01-06-2022"},
        {"description": "", "owner": "CJG"},
        "description",
        "Vul dit veld in.",
        {"done": "on"},
    ),
    Spec(
        decisions,
        _activity,
        {"decision": "strengthen", "rationale": "Werkt."},
        {"decision": "", "rationale": "Werkt."},
        "decision",
        "Maak een keuze.",
        {"decision": "stop"},
    ),
    Spec(
        table_members,
        _cycle,
        {"name": "Cliëntenraad Sociaal Domein", "perspective": "resident", "mandate": "Adviseert"},
        {"name": "Cliëntenraad Sociaal Domein", "perspective": ""},
        "perspective",
        "Maak een keuze.",
        {"interest": "Eén plan per huishouden"},
    ),
    Spec(
        result_decisions,
        _result,
        {"decision": "keep", "decided_by": "college", "decided_on": "12-11-2019"},
        {"decision": "keep", "new_text": "Minder inwoners vallen terug."},
        "new_text",
        "Een nieuwe formulering hoort alleen bij herformuleren.",
        {"rationale": "Werkt."},
    ),
    Spec(
        co_performers,
        _activity_in,
        _co_performer,
        {"partner_id": "", "role": "Levert de maatjes"},
        "partner_id",
        "Vul dit veld in.",
        {"role": "Levert de vrijwilligers"},
    ),
    Spec(
        result_stories,
        _result,
        {"told_on": "2021-03-02", "source": "Klantmanager", "text": "Ze werkt er nog."},
        {"told_on": "2021-03-02", "source": "", "text": "Ze werkt er nog."},
        "source",
        "Vul dit veld in.",
        {"text": "Ze werkt er na een jaar nog."},
    ),
    Spec(
        activity_stories,
        _activity,
        {"told_on": "2021-03-02", "source": "Deelnemer", "text": "Er is iemand die vraagt."},
        {"told_on": "", "source": "Deelnemer", "text": "Er is iemand die vraagt."},
        "told_on",
        "Vul dit veld in.",
        {"source": "Deelnemer, evaluatiegesprek"},
    ),
    Spec(
        scenarios,
        lambda s, o: o,
        {"name": "Taakstelling 2020", "cut_kind": "percent", "cut_value": "8"},
        {"name": "Taakstelling 2020", "cut_kind": "percent", "cut_value": "120"},
        "cut_value",
        "Een percentage is hoogstens 100.",
        {"max_partner_loss": "15"},
    ),
]


def _live_session(session, organisation):
    return factories.make_live_session(session, _cycle(session, organisation))


SPECS += [
    Spec(
        live_sessions,
        _cycle,
        {"title": "Werksessie 2", "step": "2", "held_on": "12-03-2019"},
        {"title": "Werksessie 2", "step": "9", "held_on": "12-03-2019"},
        "step",
        "Vul 6 of minder in.",
        {"location": "Stadhuis Kampen"},
    ),
    Spec(
        rounds,
        _live_session,
        {"title": "Welke resultaten eerst?", "kind": "dots", "target": "results", "dots": "3"},
        {"title": "Scoren", "kind": "scoring", "target": "none", "criteria": "impact:20"},
        "criteria",
        "Geef elk criterium een gewicht van 1 tot 10, zoals impact:2.",
        {"dots": "5"},
    ),
]


def make_item(spec: Spec, session, organisation):
    """A parent and one valid record under it."""
    parent = spec.parent(session, organisation)
    form = spec.valid_for(session, parent)
    item = spec.resource.create(session, parent, parse_form(spec.resource.write, form))
    session.flush()
    return parent, item
