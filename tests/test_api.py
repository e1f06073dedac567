"""The JSON API: the five verbs for every kind of record, structured Dutch errors, 404s."""

from decimal import Decimal
from enum import Enum
from typing import get_args

import pytest

from app.api_names import CHOICES, api_input, dutch
from app.forms import parse_form
from app.main import app
from tests import factories
from tests.resource_specs import SPECS, Spec, make_item

ENGLISH = ("Input should", "Field required", "value is not", "String should")


def in_dutch(values: dict) -> dict:
    return {dutch(name): value for name, value in values.items()}


def typed_in_dutch(spec: Spec, form: dict) -> dict:
    """Form text as API input, choices by their Dutch code (what is no choice stays as typed)."""
    codes = {}
    for name, info in spec.resource.write.model_fields.items():
        enum = next((t for t in (info.annotation, *get_args(info.annotation)) if _is_enum(t)), None)
        if enum is not None:
            codes[name] = CHOICES[enum.__name__]
    return {dutch(k): codes.get(k, {}).get(v, v) for k, v in form.items()}


def _is_enum(kind) -> bool:
    return isinstance(kind, type) and issubclass(kind, Enum)


def as_api(spec: Spec, form: dict) -> dict:
    """A form's values as the API takes them: Dutch names, and choices by their Dutch code."""
    r = spec.resource
    valid = parse_form(r.write, form)
    Write = api_input(r.write, f"{r.api_name}Invoer")
    model = Write.model_validate(in_dutch(valid.model_dump()))
    plain = model.model_dump(by_alias=True)
    body = model.model_dump(mode="json", by_alias=True)
    # amounts as JSON numbers, as the API takes them
    return {k: float(plain[k]) if isinstance(plain[k], Decimal) else v for k, v in body.items()}


def payload(spec: Spec, session, parent) -> dict:
    return as_api(spec, spec.valid_for(session, parent))


def collection(spec: Spec, parent) -> str:
    r = spec.resource
    args = {dutch(f"{r.parent.name}_id"): parent.id} if r.parent else {}
    return app.url_path_for(f"api:{r.name}:list", **args)


def member(spec: Spec, item) -> str:
    return app.url_path_for(
        f"api:{spec.resource.name}:read", **{dutch(f"{spec.resource.name}_id"): item.id}
    )


ANY = {"If-Match": "*"}


def before_tag(client, spec: Spec, item) -> str:
    return client.get(member(spec, item)).headers["ETag"]


@pytest.fixture(params=SPECS, ids=str)
def spec(request) -> Spec:
    return request.param


def test_create_list_read_update_delete(client, session, organisation, spec):
    parent = spec.parent(session, organisation)
    created = client.post(collection(spec, parent), json=payload(spec, session, parent))
    assert created.status_code == 201, created.text
    body = created.json()
    assert isinstance(body["id"], int)

    listed = client.get(collection(spec, parent))
    assert listed.status_code == 200
    assert body["id"] in [row["id"] for row in listed.json()["items"]]

    url = member(spec, type("Item", (), {"id": body["id"]}))
    read = client.get(url)
    assert read.json() == body

    changes = as_api(spec, {**spec.valid_for(session, parent), **spec.changed})
    patch = {dutch(name): changes[dutch(name)] for name in spec.changed}
    assert client.patch(url, json=patch).status_code == 428  # which version was it based on?
    updated = client.patch(url, json=patch, headers={"If-Match": read.headers["ETag"]})
    assert updated.status_code == 200, updated.text
    for name, value in patch.items():
        assert updated.json()[name] == value
    assert updated.headers["ETag"] != read.headers["ETag"]

    stale = client.delete(url, headers={"If-Match": read.headers["ETag"]})
    assert stale.status_code == 412
    assert client.delete(url, headers={"If-Match": updated.headers["ETag"]}).status_code == 204
    gone = client.get(url)
    assert gone.status_code == 404
    assert "bestaat niet" in gone.json()["detail"]


def test_invalid_input_gets_structured_dutch_errors(client, session, organisation, spec):
    parent = spec.parent(session, organisation)
    invalid = typed_in_dutch(spec, spec.invalid_for(session, parent))
    body = {**payload(spec, session, parent), dutch(spec.field): invalid[dutch(spec.field)]}
    response = client.post(collection(spec, parent), json=body)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["invalidParams"]
    assert any(error["name"] == dutch(spec.field) for error in errors), errors
    for error in errors:
        assert error["reason"] and not any(word in error["reason"] for word in ENGLISH), error


def test_patch_that_breaks_a_rule_changes_nothing(client, session, organisation, spec):
    parent, item = make_item(spec, session, organisation)
    before = client.get(member(spec, item)).json()
    invalid = spec.invalid_for(session, parent)
    response = client.patch(
        member(spec, item),
        json={dutch(spec.field): invalid[spec.field]},
        headers={"If-Match": before_tag(client, spec, item)},
    )
    assert response.status_code == 400
    assert client.get(member(spec, item)).json() == before


def test_records_of_another_organisation_are_not_found(client, session, spec):
    _, item = make_item(spec, session, factories.make_organisation(session))
    assert client.get(member(spec, item)).status_code == 404
    assert client.patch(member(spec, item), json={}, headers=ANY).status_code == 404
    assert client.delete(member(spec, item), headers=ANY).status_code == 404


@pytest.mark.parametrize("spec", [s for s in SPECS if s.resource.parent], ids=str)
def test_unknown_parent_is_not_found(client, spec):
    response = client.get(collection(spec, type("Parent", (), {"id": 999999})))
    assert response.status_code == 404


class TestSpecialRoutes:
    def test_the_ambition_is_saved_whole_and_keeps_its_drafts(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        url = f"/api/v2/cycli/{cycle.id}/ambitie"
        assert client.get(url).status_code == 404
        assert client.put(url, json={"tekst": "Eerste."}).status_code == 428
        first = client.put(url, json={"tekst": "Eerste."}, headers=ANY)
        assert first.status_code == 200
        assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
        saved = client.put(
            url,
            json={"tekst": "Tweede.", "status": "vastgesteld", "vastgesteldDoor": "college"},
            headers={"If-Match": first.headers["ETag"]},
        ).json()
        assert saved["tekst"] == "Tweede." and saved["vastgesteldOp"] is not None
        drafts = client.get(f"{url}/versies").json()["items"]
        assert [d["tekst"] for d in drafts] == ["Eerste."]
        assert client.put(url, json={"tekst": ""}, headers=ANY).status_code == 400
        assert client.delete(url, headers=ANY).status_code == 204

    def test_steps_can_be_listed_and_updated(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        steps = client.get(f"/api/v2/cycli/{cycle.id}/stappen").json()["items"]
        assert [s["nummer"] for s in steps] == list(range(7))
        step = steps[2]
        url = f"/api/v2/stappen/{step['id']}"
        response = client.patch(url, json={"status": "afgerond"}, headers=ANY)
        assert response.json()["status"] == "afgerond"
        invalid = client.patch(url, json={"status": "klaar"}, headers=ANY)
        assert invalid.status_code == 400

    def test_results_can_be_reprioritised(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        first, second = factories.make_result(session, cycle), factories.make_result(session, cycle)
        before = client.get(f"/api/v2/resultaten/{second.id}")
        first_before = client.get(f"/api/v2/resultaten/{first.id}").headers["ETag"]
        url = f"/api/v2/resultaten/{second.id}/prioriteit"
        assert client.post(url, json={"prioriteit": 1}).status_code == 428
        moved = client.post(
            url, json={"prioriteit": 1}, headers={"If-Match": before.headers["ETag"]}
        )
        assert moved.json()["prioriteit"] == 1
        # a new priority is a new ETag, for the moved result and the one it passed
        assert moved.headers["ETag"] != before.headers["ETag"]
        stale = client.post(
            url, json={"prioriteit": 2}, headers={"If-Match": before.headers["ETag"]}
        )
        assert stale.status_code == 412
        passed = client.get(f"/api/v2/resultaten/{first.id}")
        assert passed.json()["prioriteit"] == 2 and passed.headers["ETag"] != first_before

    def test_evidence_level_of_an_activity(self, client, session, organisation):
        activity = factories.make_activity(session, factories.make_cycle(session, organisation))
        url = f"/api/v2/activiteiten/{activity.id}/bewijskracht"
        response = client.put(url, json={"bewijskracht": "goed-onderbouwd"}, headers=ANY)
        assert response.json()["bewijskracht"] == "goed-onderbouwd"

    @pytest.mark.usefixtures("handed_over_on_time")
    def test_next_cycle(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        factories.make_result(session, cycle)
        url = f"/api/v2/cycli/{cycle.id}/volgende-cyclus"
        assert client.post(url).status_code == 428
        response = client.post(url, headers=ANY)
        assert response.status_code == 201
        new = response.json()
        assert new["beginjaar"] == 2023 and new["vorigeCyclusId"] == cycle.id
        assert client.get(f"/api/v2/cycli/{new['id']}/resultaten").json()["totaal"] == 1
        again = client.post(url, headers=ANY)
        assert again.status_code == 409
        assert "afgesloten" in again.json()["detail"]

    def test_the_openapi_schema_describes_every_resource(self, client):
        paths = client.get("/api/v2/openapi.json").json()["paths"]
        for spec in SPECS:
            item = dutch(f"{spec.resource.name}_id")
            assert f"/{spec.resource.plural}/{{{item}}}" in paths


class TestTheDocument:
    def test_every_operation_declares_its_error_responses(self, anonymous):
        document = anonymous.get("/api/v2/openapi.json").json()
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                declared = set(operation["responses"])
                assert {"400", "401", "403", "404", "406", "409"} <= declared, (method, path)
                problem = operation["responses"]["404"]["content"]
                assert "application/problem+json" in problem, (method, path)

    def test_the_documentation_page_needs_no_outside_server(self, anonymous):
        page = anonymous.get("/api-documentatie")
        assert page.status_code == 200 and '<html lang="nl"' in page.text
        assert "http" not in page.text.split("<body>")[0].replace("http-equiv", "")
        assert "<script>" not in page.text  # no inline script: the usual CSP applies
        assert "'unsafe-inline'" not in page.headers["content-security-policy"]


def test_pages_and_api_answers_are_never_cached(client):
    for url in ("/", "/account", "/api/v2/organisatie"):
        assert client.get(url).headers["cache-control"] == "no-store"
