"""Every kind of record goes through the same form cycle; this checks it for each of them.

Without JavaScript: post, 303 to the page that shows the record. With htmx: the same, and an
invalid form comes back (422) in place of the one that was sent. Either way the Dutch message
stands next to the field and every typed value is kept.
"""

import re

import pytest
from markupsafe import escape

from app.cycles import service as cycles_service
from app.errors import NotFound
from app.forms import FormState, parse_form
from app.improvement import rollover
from app.main import app
from tests import factories
from tests.resource_specs import SPECS, Spec, make_item


def parent_args(spec: Spec, parent) -> dict[str, int]:
    return {f"{spec.resource.parent.name}_id": parent.id} if spec.resource.parent else {}


def create_url(spec: Spec, parent) -> str:
    return app.url_path_for(f"{spec.resource.name}:create", **parent_args(spec, parent))


def item_url(spec: Spec, item, action: str) -> str:
    return app.url_path_for(
        f"{spec.resource.name}:{action}", **{f"{spec.resource.name}_id": item.id}
    )


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
    response = client.post(
        create_url(spec, parent), data=spec.valid_for(session, parent), follow_redirects=False
    )
    assert response.status_code == 303
    assert len(listed(spec, session, parent)) == before + 1
    page = client.get(response.headers["location"])
    assert page.status_code == 200


def test_invalid_input_is_explained_next_to_the_field(client, session, organisation, spec):
    parent = spec.parent(session, organisation)
    before = len(listed(spec, session, parent))
    response = client.post(create_url(spec, parent), data=spec.invalid_for(session, parent))
    assert response.status_code == 422
    assert spec.message in response.text
    form_id = spec.resource.form_id(None, parent.id if spec.resource.parent else None)
    assert f'id="{form_id}-{spec.field}-error"' in response.text
    field = re.search(rf'id="{form_id}-{spec.field}"[^>]*>', response.text).group(0)
    assert 'aria-invalid="true"' in field
    described_by = re.search(r'aria-describedby="([^"]*)"', field).group(1).split()
    assert f"{form_id}-{spec.field}-error" in described_by
    for name, value in spec.invalid_for(session, parent).items():
        typed = not re.search(rf'<select[^>]*name="{name}"', response.text)
        if value and typed and len(value) < 100:
            assert str(escape(value)) in response.text  # what was typed is still there
    assert len(listed(spec, session, parent)) == before  # nothing half-saved


def test_invalid_input_with_htmx_replaces_the_form_in_place(client, session, organisation, spec):
    parent = spec.parent(session, organisation)
    response = client.post(
        create_url(spec, parent),
        data={**spec.invalid_for(session, parent), "_sectie": "some-section"},
        headers={"HX-Request": "true", "HX-Target": "some-section"},
    )
    assert response.status_code == 422
    form_id = spec.resource.form_id(None, parent.id if spec.resource.parent else None)
    assert response.headers["HX-Retarget"] == f"#{form_id}"
    assert "<html" not in response.text
    assert response.text.lstrip().startswith(f'<form id="{form_id}"')
    assert 'hx-target="#some-section"' in response.text  # the next try works in place too


def test_edit_shows_the_stored_values_and_saves_changes(client, session, organisation, spec):
    parent, item = make_item(spec, session, organisation)
    page = client.get(item_url(spec, item, "edit"))
    assert page.status_code == 200
    for value in FormState.of(spec.resource.write_values(item)).values.values():
        assert str(escape(value)) in page.text
    form = {**spec.valid_for(session, parent), **spec.changed, "_versie": str(item.version)}
    response = client.post(item_url(spec, item, "update"), data=form, follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    stored = spec.resource.get(session, organisation, item.id)
    expected = parse_form(spec.resource.write, form).model_dump()
    for name in spec.changed:
        assert getattr(stored, name) == expected[name]


def test_invalid_edit_changes_nothing(client, session, organisation, spec):
    parent, item = make_item(spec, session, organisation)
    before = spec.resource.write_values(item)
    form = {**spec.invalid_for(session, parent), "_versie": str(item.version)}
    response = client.post(item_url(spec, item, "update"), data=form)
    assert response.status_code == 422
    assert spec.message in response.text
    session.expire_all()
    assert spec.resource.write_values(spec.resource.get(session, organisation, item.id)) == before


def test_delete_asks_first_without_javascript(client, session, organisation, spec):
    _, item = make_item(spec, session, organisation)
    confirm = client.get(item_url(spec, item, "confirm-delete"))
    assert confirm.status_code == 200
    assert "Ja, verwijderen" in confirm.text
    form = {"_versie": str(item.version)}
    response = client.post(item_url(spec, item, "delete"), data=form, follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    with pytest.raises(NotFound):
        spec.resource.get(session, organisation, item.id)


def test_records_of_another_organisation_are_not_found(client, session, organisation, spec):
    owner = factories.make_organisation(session)
    parent, item = make_item(spec, session, owner)
    for action in ("edit", "confirm-delete"):
        assert client.get(item_url(spec, item, action)).status_code == 404
    form = spec.valid_for(session, parent)
    assert client.post(item_url(spec, item, "update"), data=form).status_code == 404
    assert client.post(item_url(spec, item, "delete")).status_code == 404
    session.expire_all()
    assert spec.resource.get(session, owner, item.id)  # still there, unchanged


CYCLE_SCOPED = [s for s in SPECS if s.resource.parent and s.resource.parent.name != "theme"]


@pytest.mark.parametrize("spec", CYCLE_SCOPED, ids=str)
def test_a_closed_cycle_refuses_changes(client, session, organisation, spec):
    parent, item = make_item(spec, session, organisation)
    cycle_id = parent.id if spec.resource.parent.name == "cycle" else parent.cycle_id
    rollover.start_next_cycle(session, cycles_service.get_cycle(session, organisation, cycle_id))
    form = {**spec.valid_for(session, parent), "_versie": str(item.version)}
    response = client.post(item_url(spec, item, "update"), data=form)
    assert response.status_code == 409
    assert "afgesloten" in response.text


def test_a_form_opened_on_its_own_page_posts_as_a_plain_form(client, session, organisation, spec):
    """`?sectie=` names the part of the step page an inline form refreshes; opened in a tab of
    its own, that part is not there, so the form must not aim at it."""
    _, item = make_item(spec, session, organisation)
    address = item_url(spec, item, "edit") + "?sectie=some-section"
    on_its_own = client.get(address)
    assert "hx-post" not in on_its_own.text
    assert 'name="_sectie"' not in on_its_own.text
    inline = client.get(address, headers={"HX-Request": "true", "HX-Target": "some-section"})
    assert 'hx-target="#some-section"' in inline.text
