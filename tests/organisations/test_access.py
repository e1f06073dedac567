"""Only the right people see and change things: signed in, in their own organisation, with a
role that allows the change, from a page of Kompas itself."""

import re
from types import SimpleNamespace

import pytest
from fastapi.routing import APIRoute

from app.ambitions import service as ambitions_service
from app.main import API, API_PREFIX, PAGES, app
from app.organisations.models import Role
from app.static_files import static_url
from tests import factories
from tests.resource_specs import SPECS, Spec, make_item

PUBLIC = {"/inloggen", "/wachtwoord-instellen/{token}", "/health"}


def every_route() -> list[tuple[str, str]]:
    routes = []
    for routers, prefix in ((PAGES, ""), (API, API_PREFIX)):
        for router in routers:
            for route in router.routes:
                assert isinstance(route, APIRoute)
                for method in sorted(route.methods - {"HEAD"}):
                    routes.append((method, prefix + route.path))
    return routes


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


ROUTES = every_route()


def test_the_list_of_routes_is_complete():
    assert len(ROUTES) > 150
    registered = {path for path in app.openapi()["paths"]}  # every API route is in the document too
    assert registered <= {path for _, path in ROUTES}


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=lambda v: v)
def test_anonymous_requests_are_refused(anonymous, method, path):
    response = anonymous.request(method, concrete(path), follow_redirects=False)
    if path.startswith(API_PREFIX):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
    else:
        assert response.status_code == 303
        assert response.headers["location"].startswith("/inloggen?volgende=")


@pytest.mark.parametrize("path", ["/inloggen", "/health", static_url("kompas.css")])
def test_sign_in_health_and_static_files_are_open(anonymous, path):
    assert anonymous.get(path).status_code == 200


def test_a_cookie_does_not_open_the_api_and_a_token_does_not_open_pages(client):
    cookie_only = client.get("/api/v2/themas", headers={"Authorization": ""})
    assert cookie_only.status_code == 401
    client.cookies.clear()
    token_only = client.get("/", follow_redirects=False)
    assert token_only.status_code == 303


def _create_url(spec: Spec, parent) -> str:
    args = {f"{spec.resource.parent.name}_id": parent.id} if spec.resource.parent else {}
    return app.url_path_for(f"{spec.resource.name}:create", **args)


def _item_url(spec: Spec, item, action: str) -> str:
    return app.url_path_for(
        f"{spec.resource.name}:{action}", **{f"{spec.resource.name}_id": item.id}
    )


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_a_reader_reads_but_cannot_write(client_as, session, organisation, spec):
    reader = client_as(Role.READER)
    parent, item = make_item(spec, session, organisation)
    form = spec.valid_for(session, parent)
    # A draft scenario is for those who prepare it: to a lezer it does not exist (404).
    hidden = spec.resource.name == "scenario"
    creating = [
        reader.get(_create_url(spec, parent) + "/nieuw"),
        reader.post(_create_url(spec, parent), data=form),
    ]
    changing = [
        reader.get(_item_url(spec, item, "edit")),
        reader.post(_item_url(spec, item, "update"), data=form),
        reader.post(_item_url(spec, item, "delete")),
    ]
    for response in creating + ([] if hidden else changing):
        assert response.status_code == 403, response.request.url
        assert "mag dit wijzigen" in response.text
    for response in changing if hidden else []:
        assert response.status_code == 404, response.request.url
    api = f"/api/v2/{spec.resource.plural}/{item.id}"
    readable = 404 if hidden else 200  # reading is for every member, drafts aside
    assert reader.get(api).status_code == readable
    assert reader.patch(api, json={}, headers={"If-Match": "*"}).status_code == (
        404 if hidden else 403
    )
    assert reader.delete(api, headers={"If-Match": "*"}).status_code == (404 if hidden else 403)
    assert reader.get(api).status_code == readable  # still there


class TestPartner:
    @pytest.fixture
    def setting(self, session, organisation, client_as):
        cycle = factories.make_cycle(session, organisation)
        de_kern = factories.make_partner(session, organisation, "De Kern")
        welzijn = factories.make_partner(session, organisation, "Welzijn Kampen")
        own = factories.make_activity(session, cycle, partner=de_kern, name="Maatjes")
        other = factories.make_activity(session, cycle, partner=welzijn, name="Bingo")
        indicator = factories.make_indicator(session, activity=own)
        other_indicator = factories.make_indicator(session, activity=other)
        return SimpleNamespace(
            partner=client_as(Role.PARTNER, partner=de_kern),
            cycle=cycle,
            own=own,
            other=other,
            indicator=indicator,
            other_indicator=other_indicator,
        )

    def test_edits_own_activity_and_its_work(self, setting):
        partner, own, indicator = setting.partner, setting.own, setting.indicator
        form = {
            "name": "Maatjes plus",
            "status": "strengthen",
            "partner_id": str(own.partner_id),
            "_versie": str(own.version),
        }
        assert partner.post(f"/activiteiten/{own.id}", data=form).status_code == 200
        assert (
            partner.post(
                f"/activiteiten/{own.id}/werkzame-elementen", data={"description": "Vast maatje"}
            ).status_code
            == 200
        )
        assert (
            partner.post(
                f"/activiteiten/{own.id}/erkenning", data={"evidence_level": "well_founded"}
            ).status_code
            == 200
        )
        assert (
            partner.post(
                f"/indicatoren/{indicator.id}/metingen",
                data={"measured_on": "2021-01-01", "value": "4"},
            ).status_code
            == 200
        )

    def test_cannot_touch_another_partners_work(self, setting):
        partner, other, other_indicator = setting.partner, setting.other, setting.other_indicator
        form = {"name": "Bingo", "status": "stop", "partner_id": str(other.partner_id)}
        response = partner.post(f"/activiteiten/{other.id}", data=form)
        assert response.status_code == 403
        assert "alleen het werk van De Kern" in response.text
        assert (
            partner.post(
                f"/indicatoren/{other_indicator.id}/metingen",
                data={"measured_on": "2021-01-01", "value": "4"},
            ).status_code
            == 403
        )

    def test_cannot_give_own_activity_away_create_or_remove(self, setting):
        partner, cycle, own, other = setting.partner, setting.cycle, setting.own, setting.other
        form = {
            "name": "Maatjes",
            "status": "new",
            "partner_id": str(other.partner_id),
            "_versie": str(own.version),
        }
        assert partner.post(f"/activiteiten/{own.id}", data=form).status_code == 403
        assert (
            partner.post(
                f"/cycli/{cycle.id}/activiteiten", data={"name": "Nieuw", "status": "new"}
            ).status_code
            == 403
        )
        assert partner.post(f"/activiteiten/{own.id}/verwijderen").status_code == 403
        assert partner.post(f"/cycli/{cycle.id}/resultaten", data={"text": "x"}).status_code == 403

    def test_sees_edit_controls_only_on_own_activities(self, setting):
        partner, cycle, own, other = setting.partner, setting.cycle, setting.own, setting.other
        page = partner.get(f"/cycli/{cycle.id}/stappen/3").text
        assert f"/activiteiten/{own.id}/bewerken" in page
        assert f"/activiteiten/{other.id}/bewerken" not in page
        assert "Activiteit toevoegen" not in page


SPECIAL_READS = [
    "/cycli/{cycle}",
    "/cycli/{cycle}/stappen/0",
    "/cycli/{cycle}/stappen/3",
    "/cycli/{cycle}/matrix",
    "/themas/{theme}",
    "/themas/{theme}/wijzigingen",
    "/themas/{theme}/wijzigingen.csv",
    "/indicatoren/{indicator}",
    "/stappen/{step}/bewerken",
    "/cycli/{cycle}/ambitie/bewerken",
    "/api/v2/cycli/{cycle}/stappen",
    "/api/v2/stappen/{step}",
    "/api/v2/cycli/{cycle}/ambitie",
]
SPECIAL_WRITES = [
    ("/stappen/{step}", {"status": "done"}),
    ("/cycli/{cycle}/ambitie", {"text": "Samen."}),
    ("/resultaten/{result}/verplaatsen", {"richting": "omhoog"}),
    ("/activiteiten/{activity}/erkenning", {"evidence_level": "well_founded"}),
    ("/cycli/{cycle}/volgende-cyclus", {}),
    ("/ambitie-versies/{draft}/terugzetten", {}),
]


@pytest.fixture
def foreign(session):
    """A cycle, with one of everything, in another organisation."""
    other = factories.make_organisation(session)
    cycle = factories.make_cycle(session, other)
    result = factories.make_result(session, cycle)
    activity = factories.make_activity(session, cycle)
    factories.make_ambition(session, cycle, "Eerst.")
    factories.make_ambition(session, cycle, "Later.")
    ambition = ambitions_service.get_ambition(session, cycle)
    return {
        "cycle": cycle.id,
        "theme": cycle.theme_id,
        "result": result.id,
        "activity": activity.id,
        "step": cycle.steps[2].id,
        "indicator": factories.make_indicator(session, result=result).id,
        "draft": ambition.drafts[0].id,
    }


@pytest.mark.parametrize("path", SPECIAL_READS)
def test_pages_of_another_organisation_are_not_found(client, foreign, path):
    assert client.get(path.format(**foreign)).status_code == 404


@pytest.mark.parametrize(("path", "form"), SPECIAL_WRITES)
def test_writes_to_another_organisation_are_not_found(client, foreign, path, form):
    assert client.post(path.format(**foreign), data=form).status_code == 404


@pytest.mark.parametrize(("path", "form"), SPECIAL_WRITES)
def test_a_reader_cannot_make_special_changes(client_as, session, organisation, path, form):
    reader = client_as(Role.READER)
    cycle = factories.make_cycle(session, organisation)
    result = factories.make_result(session, cycle)
    factories.make_result(session, cycle)
    activity = factories.make_activity(session, cycle)
    factories.make_ambition(session, cycle, "Eerst.")
    factories.make_ambition(session, cycle, "Later.")
    ids = {
        "cycle": cycle.id,
        "result": result.id,
        "activity": activity.id,
        "step": cycle.steps[2].id,
        "draft": ambitions_service.get_ambition(session, cycle).drafts[0].id,
    }
    response = reader.post(path.format(**ids), data=form)
    assert response.status_code == 403
    assert "lezer" in response.text


class TestCsrf:
    def test_a_form_without_the_token_is_refused(self, client, session, organisation):
        client.headers.pop("X-CSRF-Token")
        response = client.post("/themas", data={"name": "Vitaal"})
        assert response.status_code == 403
        assert "kwam niet van Kompas zelf" in response.text
        assert "Vitaal" not in client.get("/").text

    def test_a_wrong_token_is_refused(self, client):
        client.headers["X-CSRF-Token"] = "verkeerd"
        assert client.post("/themas", data={"name": "Vitaal"}).status_code == 403

    def test_the_token_as_form_field_works_too(self, client):
        token = client.headers.pop("X-CSRF-Token")
        response = client.post("/themas", data={"name": "Vitaal", "_csrf": token})
        assert response.status_code == 200  # redirected to the new theme

    def test_the_api_needs_no_token(self, client):
        client.headers.pop("X-CSRF-Token")
        assert client.post("/api/v2/themas", json={"naam": "Vitaal"}).status_code == 201
