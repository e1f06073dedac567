"""The partners page."""

from tests import factories


def test_partners_are_listed_alphabetically(client, session, organisation):
    for name in ("Welzijn Kampen", "De Kern"):
        factories.make_partner(session, organisation, name)
    page = client.get("/partners").text
    assert page.index("De Kern") < page.index("Welzijn Kampen")


def test_a_partner_still_carrying_out_activities_is_not_deleted(client, session, organisation):
    partner = factories.make_partner(session, organisation, "De Kern")
    factories.make_activity(session, factories.make_cycle(session, organisation), partner=partner)
    response = client.post(f"/partners/{partner.id}/verwijderen", data={"_versie": "1"})
    assert response.status_code == 409
    assert "De Kern voert nog activiteiten uit" in response.text
    assert "De Kern" in client.get("/partners").text


def test_a_duplicate_name_is_explained(client, session, organisation):
    factories.make_partner(session, organisation, "De Kern")
    response = client.post("/partners", data={"name": "de kern", "partner_type": "provider"})
    assert response.status_code == 409  # Conflict: the name is taken
    assert "Er is al een partner met deze naam." in response.text
