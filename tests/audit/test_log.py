"""Every create, update and delete is logged: who, when, what, before and after."""

import csv
import io

import pytest
from sqlmodel import select

from app.audit.models import AuditEntry
from app.main import app
from app.organisations.models import Role, User
from tests import factories
from tests.resource_specs import SPECS, Spec


def entries(session, entity: str, entity_id: int | None = None) -> list[AuditEntry]:
    session.expire_all()
    stmt = select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)
    if entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    return list(session.exec(stmt).all())


def _url(spec: Spec, name: str, **args) -> str:
    return app.url_path_for(f"{spec.resource.name}:{name}", **args)


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_every_write_through_a_form_is_logged(client, session, organisation, spec):
    table = spec.resource.model.__tablename__
    organisation_id = organisation.id
    parent = spec.parent(session, organisation)
    args = {f"{spec.resource.parent.name}_id": parent.id} if spec.resource.parent else {}
    before = len(entries(session, table))
    client.post(_url(spec, "create", **args), data=spec.valid_for(session, parent))
    created = entries(session, table)[before:]
    assert [e.action.value for e in created] == ["create"]
    entry = created[0]
    assert entry.actor_id == client.user_id
    assert entry.organisation_id == organisation_id
    assert entry.after and entry.before is None

    item_args = {f"{spec.resource.name}_id": entry.entity_id}
    form = {**spec.valid_for(session, parent), **spec.changed, "_versie": "1"}
    client.post(_url(spec, "update", **item_args), data=form)
    client.post(_url(spec, "delete", **item_args), data={"_versie": "2"})
    actions = [e.action.value for e in entries(session, table, entry.entity_id)]
    assert actions == ["create", "update", "delete"]
    update = entries(session, table, entry.entity_id)[1]
    assert set(spec.changed) <= set(update.after)
    assert update.before.keys() == update.after.keys()


def test_an_update_records_exactly_what_changed(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    activity = factories.make_activity(session, cycle, name="Maatjes")
    client.post(
        f"/activiteiten/{activity.id}",
        data={
            "name": "Maatjes",
            "annual_budget": "15.000",
            "status": "strengthen",
            "_versie": str(activity.version),
        },
    )
    [update] = [e for e in entries(session, "activity", activity.id) if e.action.value == "update"]
    assert update.before == {"annual_budget": "12500", "status": "new"}
    assert update.after == {"annual_budget": "15000", "status": "strengthen"}
    assert update.theme_id == cycle.theme_id and update.cycle_id == cycle.id


def test_records_below_an_activity_belong_to_its_theme(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    activity = factories.make_activity(session, cycle)
    indicator = factories.make_indicator(session, activity=activity)
    client.post(
        f"/indicatoren/{indicator.id}/metingen", data={"measured_on": "2021-01-01", "value": "7"}
    )
    [entry] = entries(session, "measurement")[-1:]
    assert (entry.theme_id, entry.cycle_id) == (cycle.theme_id, cycle.id)


class TestChangesPage:
    def test_shows_who_changed_what(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        result = factories.make_result(session, cycle, "Over 3 jaar minder eenzaamheid.")
        client.post(
            f"/resultaten/{result.id}",
            data={
                "text": "Over 3 jaar veel minder eenzaamheid.",
                "result_type": "substantive",
                "_versie": str(result.version),
            },
        )
        page = client.get(f"/themas/{cycle.theme_id}/wijzigingen").text
        assert "Resultaat gewijzigd" in page
        assert session.get(User, client.user_id).name in page
        assert "Over 3 jaar minder eenzaamheid." in page  # before
        assert "Over 3 jaar veel minder eenzaamheid." in page  # after

    def test_exports_csv(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        client.post(f"/cycli/{cycle.id}/resultaten", data={"text": "Over 3 jaar meer werk."})
        response = client.get(f"/themas/{cycle.theme_id}/wijzigingen.csv")
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.text), delimiter=";"))
        assert rows[0][:6] == ["tijdstip", "wie", "actie", "resultaat", "herkomst", "soort"]
        assert any(r[2:6] == ["toegevoegd", "gelukt", "testclient", "resultaat"] for r in rows[1:])

    def test_the_organisation_log_is_for_beheerders(self, client_as, client):
        client.post("/partners", data={"name": "De Kern", "partner_type": "provider"})
        assert "Partner toegevoegd" in client.get("/wijzigingen").text
        assert client_as(Role.FACILITATOR).get("/wijzigingen").status_code == 403


def test_an_erased_person_stays_in_the_log_as_a_pseudonym(client, session, organisation):
    colleague = factories.make_member(session, organisation, Role.FACILITATOR)
    cycle = factories.make_cycle(session, organisation)
    credentials = factories.sign_in(session, colleague)
    client.cookies.set("kompas_sessie", credentials.cookie)
    client.headers["X-CSRF-Token"] = credentials.csrf
    client.post(f"/cycli/{cycle.id}/resultaten", data={"text": "Over 3 jaar meer werk."})
    [entry] = entries(session, "result")[-1:]
    assert entry.actor_id == colleague.user_id
    name = session.get(User, colleague.user_id).name
    assert name in client.get(f"/themas/{cycle.theme_id}/wijzigingen").text
    admin = factories.make_member(session, organisation, Role.ADMIN)
    credentials = factories.sign_in(session, admin)
    client.cookies.set("kompas_sessie", credentials.cookie)
    client.headers["X-CSRF-Token"] = credentials.csrf
    assert client.post(f"/leden/{colleague.id}/wissen").status_code == 200
    page = client.get(f"/themas/{cycle.theme_id}/wijzigingen").text
    assert name not in page
    assert entries(session, "result")[-1].actor_pseudonym in page
