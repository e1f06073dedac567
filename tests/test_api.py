"""The JSON API: the five verbs for every kind of record, structured Dutch errors, 404s."""

import pytest

from app.forms import parse_form
from app.main import app
from tests import factories
from tests.resource_specs import SPECS, Spec, make_item

ENGLISH = ("Input should", "Field required", "value is not", "String should")


def payload(spec: Spec, session, parent) -> dict:
    return parse_form(spec.resource.write, spec.valid_for(session, parent)).model_dump(mode="json")


def collection(spec: Spec, parent) -> str:
    r = spec.resource
    args = {f"{r.parent.name}_id": parent.id} if r.parent else {}
    return app.url_path_for(f"api:{r.name}:list", **args)


def member(spec: Spec, item) -> str:
    return app.url_path_for(
        f"api:{spec.resource.name}:read", **{f"{spec.resource.name}_id": item.id}
    )


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
    assert body["id"] in [row["id"] for row in listed.json()]

    url = member(spec, type("Item", (), {"id": body["id"]}))
    assert client.get(url).json() == body

    changes = parse_form(
        spec.resource.write, {**spec.valid_for(session, parent), **spec.changed}
    ).model_dump(mode="json")
    patch = {name: changes[name] for name in spec.changed}
    updated = client.patch(url, json=patch)
    assert updated.status_code == 200, updated.text
    for name, value in patch.items():
        assert updated.json()[name] == value

    assert client.delete(url).status_code == 204
    gone = client.get(url)
    assert gone.status_code == 404
    assert "bestaat niet" in gone.json()["detail"]


def test_invalid_input_gets_structured_dutch_errors(client, session, organisation, spec):
    parent = spec.parent(session, organisation)
    body = {**payload(spec, session, parent), **spec.invalid_for(session, parent)}
    response = client.post(collection(spec, parent), json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["invalidParams"]
    assert any(error["name"] == spec.field for error in errors), errors
    for error in errors:
        assert error["reason"] and not any(word in error["reason"] for word in ENGLISH), error


def test_patch_that_breaks_a_rule_changes_nothing(client, session, organisation, spec):
    parent, item = make_item(spec, session, organisation)
    before = client.get(member(spec, item)).json()
    invalid = spec.invalid_for(session, parent)
    response = client.patch(member(spec, item), json={spec.field: invalid[spec.field]})
    assert response.status_code == 422
    assert client.get(member(spec, item)).json() == before


def test_records_of_another_organisation_are_not_found(client, session, spec):
    _, item = make_item(spec, session, factories.make_organisation(session))
    assert client.get(member(spec, item)).status_code == 404
    assert client.patch(member(spec, item), json={}).status_code == 404
    assert client.delete(member(spec, item)).status_code == 404


@pytest.mark.parametrize("spec", [s for s in SPECS if s.resource.parent], ids=str)
def test_unknown_parent_is_not_found(client, spec):
    response = client.get(collection(spec, type("Parent", (), {"id": 999999})))
    assert response.status_code == 404


class TestSpecialRoutes:
    def test_the_ambition_is_saved_whole_and_keeps_its_drafts(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        url = f"/api/v1/cycles/{cycle.id}/ambition"
        assert client.get(url).status_code == 404
        assert client.put(url, json={"text": "Eerste."}).status_code == 200
        saved = client.put(
            url, json={"text": "Tweede.", "status": "agreed", "adopted_by": "college"}
        ).json()
        assert saved["text"] == "Tweede." and saved["agreed_on"] is not None
        drafts = client.get(f"{url}/drafts").json()
        assert [d["text"] for d in drafts] == ["Eerste."]
        assert client.put(url, json={"text": ""}).status_code == 422
        assert client.delete(url).status_code == 204

    def test_steps_can_be_listed_and_updated(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        steps = client.get(f"/api/v1/cycles/{cycle.id}/steps").json()
        assert [s["number"] for s in steps] == list(range(7))
        step = steps[2]
        response = client.patch(f"/api/v1/steps/{step['id']}", json={"status": "done"})
        assert response.json()["status"] == "done"
        invalid = client.patch(f"/api/v1/steps/{step['id']}", json={"status": "klaar"})
        assert invalid.status_code == 422

    def test_results_can_be_reprioritised(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        first, second = factories.make_result(session, cycle), factories.make_result(session, cycle)
        moved = client.post(f"/api/v1/results/{second.id}/rank", json={"rank": 1})
        assert moved.json()["rank"] == 1
        assert client.get(f"/api/v1/results/{first.id}").json()["rank"] == 2

    def test_evidence_level_of_an_activity(self, client, session, organisation):
        activity = factories.make_activity(session, factories.make_cycle(session, organisation))
        url = f"/api/v1/activities/{activity.id}/evidence-level"
        response = client.put(url, json={"evidence_level": "well_founded"})
        assert response.json()["evidence_level"] == "well_founded"

    def test_next_cycle(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        factories.make_result(session, cycle)
        response = client.post(f"/api/v1/cycles/{cycle.id}/next-cycle")
        assert response.status_code == 201
        new = response.json()
        assert new["start_year"] == 2023 and new["previous_cycle_id"] == cycle.id
        assert len(client.get(f"/api/v1/cycles/{new['id']}/results").json()) == 1
        again = client.post(f"/api/v1/cycles/{cycle.id}/next-cycle")
        assert again.status_code == 409
        assert "afgesloten" in again.json()["detail"]

    def test_the_openapi_schema_describes_every_resource(self, client):
        paths = client.get("/api/v1/openapi.json").json()["paths"]
        for spec in SPECS:
            assert f"/api/v1/{spec.resource.plural}/{{{spec.resource.name}_id}}" in paths

    def test_malformed_json_is_a_structured_422(self, client):
        response = client.post(
            "/api/v1/themes", content="{", headers={"content-type": "application/json"}
        )
        assert response.status_code == 422
        assert isinstance(response.json()["invalidParams"], list)


class TestTheDocument:
    def test_every_operation_declares_its_error_responses(self, anonymous):
        document = anonymous.get("/api/v1/openapi.json").json()
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                declared = set(operation["responses"])
                assert {"401", "403", "404", "409", "422"} <= declared, (method, path)
                problem = operation["responses"]["404"]["content"]
                assert "application/problem+json" in problem, (method, path)

    def test_the_documentation_page_needs_no_outside_server(self, anonymous):
        page = anonymous.get("/api-documentatie")
        assert page.status_code == 200 and '<html lang="nl">' in page.text
        assert "http" not in page.text.split("<body>")[0].replace("http-equiv", "")
        assert "<script>" not in page.text  # no inline script: the usual CSP applies
        assert "'unsafe-inline'" not in page.headers["content-security-policy"]


def test_pages_and_api_answers_are_never_cached(client):
    for url in ("/", "/account", "/api/v1/organisation"):
        assert client.get(url).headers["cache-control"] == "no-store"
