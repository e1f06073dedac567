"""Every kind of record goes through the same form cycle; this checks it for each of them.

Without JavaScript: post, 303 to the page that shows the record. With htmx: the same, and an
invalid form comes back (422) in place of the one that was sent. Either way the Dutch message
stands next to the field and every typed value is kept.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from markupsafe import escape

from app.activities.resources import (
    activities,
    activity_indicators,
    quality_conditions,
    working_elements,
)
from app.ambitions.resources import terms
from app.cycles import service as cycles_service
from app.cycles.resources import cycles, monitoring_items, themes
from app.errors import NotFound
from app.forms import FormState, parse_form
from app.improvement import rollover
from app.improvement.resources import actions, decisions, reflections
from app.main import app
from app.organisations.resources import partners
from app.resources import Resource
from app.results.resources import indicators, measurements, results
from tests import factories


@dataclass
class Spec:
    resource: Resource
    parent: Callable[[Any, Any], Any]  # (session, organisation) -> the record's parent
    valid: dict[str, str]
    invalid: dict[str, str]  # with a mistake in `field`
    field: str
    message: str
    changed: dict[str, str] = field(default_factory=dict)  # an edit, checked on the record

    def __str__(self) -> str:
        return self.resource.name


def _cycle(session, organisation):
    return factories.make_cycle(session, organisation)


def _result(session, organisation):
    return factories.make_result(session, _cycle(session, organisation))


def _activity(session, organisation):
    return factories.make_activity(session, _cycle(session, organisation))


def _activity_with_result(session, organisation):
    cycle = _cycle(session, organisation)
    factories.make_result(session, cycle, "Minder eenzaamheid")
    return factories.make_activity(session, cycle)


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
]


def parent_args(spec: Spec, parent) -> dict[str, int]:
    return {f"{spec.resource.parent.name}_id": parent.id} if spec.resource.parent else {}


def create_url(spec: Spec, parent) -> str:
    return app.url_path_for(f"{spec.resource.name}:create", **parent_args(spec, parent))


def item_url(spec: Spec, item, action: str) -> str:
    return app.url_path_for(
        f"{spec.resource.name}:{action}", **{f"{spec.resource.name}_id": item.id}
    )


def make_item(spec: Spec, session, organisation):
    parent = spec.parent(session, organisation)
    item = spec.resource.create(
        session, parent, spec.resource.write.model_validate(_as_data(spec, spec.valid))
    )
    session.flush()
    return parent, item


def _as_data(spec: Spec, form: dict[str, str]) -> dict[str, Any]:
    return parse_form(spec.resource.write, form).model_dump()


def listed(spec: Spec, session, parent) -> list:
    session.expire_all()
    return list(spec.resource.list(session, parent))


@pytest.fixture(params=SPECS, ids=str)
def spec(request) -> Spec:
    return request.param


def test_the_new_form_has_every_field_with_its_label(client, session, organisation, spec):
    parent = spec.parent(session, organisation)
    response = client.get(create_url(spec, parent) + "/nieuw")
    assert response.status_code == 200
    for name, label in spec.resource.labels.items():
        assert f'name="{name}"' in response.text
        assert label in response.text


def test_create_without_javascript(client, session, organisation, spec):
    parent = spec.parent(session, organisation)
    before = len(listed(spec, session, parent))
    response = client.post(create_url(spec, parent), data=spec.valid, follow_redirects=False)
    assert response.status_code == 303
    assert len(listed(spec, session, parent)) == before + 1
    page = client.get(response.headers["location"])
    assert page.status_code == 200


def test_invalid_input_is_explained_next_to_the_field(client, session, organisation, spec):
    parent = spec.parent(session, organisation)
    before = len(listed(spec, session, parent))
    response = client.post(create_url(spec, parent), data=spec.invalid)
    assert response.status_code == 422
    assert spec.message in response.text
    form_id = spec.resource.form_id(None, getattr(parent, "id", None))
    assert f'id="{form_id}-{spec.field}-error"' in response.text
    field = re.search(rf'id="{form_id}-{spec.field}"[^>]*>', response.text).group(0)
    assert 'aria-invalid="true"' in field
    described_by = re.search(r'aria-describedby="([^"]*)"', field).group(1).split()
    assert f"{form_id}-{spec.field}-error" in described_by
    for value in spec.invalid.values():
        if value and len(value) < 100:
            assert value in response.text  # what was typed is still there
    assert len(listed(spec, session, parent)) == before  # nothing half-saved


def test_invalid_input_with_htmx_replaces_the_form_in_place(client, session, organisation, spec):
    parent = spec.parent(session, organisation)
    response = client.post(
        create_url(spec, parent),
        data={**spec.invalid, "_sectie": "some-section"},
        headers={"HX-Request": "true", "HX-Target": "some-section"},
    )
    assert response.status_code == 422
    form_id = spec.resource.form_id(None, getattr(parent, "id", None))
    assert response.headers["HX-Retarget"] == f"#{form_id}"
    assert "<html" not in response.text
    assert response.text.lstrip().startswith(f'<form id="{form_id}"')
    assert 'hx-target="#some-section"' in response.text  # the next try works in place too


def test_edit_shows_the_stored_values_and_saves_changes(client, session, organisation, spec):
    _, item = make_item(spec, session, organisation)
    page = client.get(item_url(spec, item, "edit"))
    assert page.status_code == 200
    for value in FormState.of(spec.resource.write_values(item)).values.values():
        assert str(escape(value)) in page.text
    form = {**spec.valid, **spec.changed}
    response = client.post(item_url(spec, item, "update"), data=form, follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    stored = spec.resource.get(session, organisation, item.id)
    expected = _as_data(spec, form)
    for name in spec.changed:
        assert getattr(stored, name) == expected[name]


def test_invalid_edit_changes_nothing(client, session, organisation, spec):
    _, item = make_item(spec, session, organisation)
    before = spec.resource.write_values(item)
    response = client.post(item_url(spec, item, "update"), data=spec.invalid)
    assert response.status_code == 422
    assert spec.message in response.text
    session.expire_all()
    assert spec.resource.write_values(spec.resource.get(session, organisation, item.id)) == before


def test_delete_asks_first_without_javascript(client, session, organisation, spec):
    _, item = make_item(spec, session, organisation)
    confirm = client.get(item_url(spec, item, "confirm-delete"))
    assert confirm.status_code == 200
    assert "Ja, verwijderen" in confirm.text
    response = client.post(item_url(spec, item, "delete"), follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    with pytest.raises(NotFound):
        spec.resource.get(session, organisation, item.id)


def test_records_of_another_organisation_are_not_found(client, session, organisation, spec):
    owner = factories.make_organisation(session)
    _, item = make_item(spec, session, owner)
    for action in ("edit", "confirm-delete"):
        assert client.get(item_url(spec, item, action)).status_code == 404
    assert client.post(item_url(spec, item, "update"), data=spec.valid).status_code == 404
    assert client.post(item_url(spec, item, "delete")).status_code == 404
    session.expire_all()
    assert spec.resource.get(session, owner, item.id)  # still there, unchanged


CYCLE_SCOPED = [s for s in SPECS if s.resource.parent and s.resource.parent.name != "theme"]


@pytest.mark.parametrize("spec", CYCLE_SCOPED, ids=str)
def test_a_closed_cycle_refuses_changes(client, session, organisation, spec):
    parent, item = make_item(spec, session, organisation)
    cycle_id = parent.id if spec.resource.parent.name == "cycle" else parent.cycle_id
    rollover.start_next_cycle(session, cycles_service.get_cycle(session, organisation, cycle_id))
    response = client.post(item_url(spec, item, "update"), data=spec.valid)
    assert response.status_code == 409
    assert "afgesloten" in response.text
