"""A beheerder manages the members: adding, roles, removing, personal data."""

import json

from sqlmodel import select

from app.organisations.models import Membership, Role, User
from tests import factories


def test_add_a_new_person_shows_a_link_to_set_a_password(client, session, organisation):
    response = client.post(
        "/leden", data={"name": "Eva Jansen", "email": "Eva@Kampen.example.org", "role": "reader"}
    )
    assert response.status_code == 200
    assert "Eva Jansen</strong> is toegevoegd als lezer" in response.text
    assert "/wachtwoord-instellen/" in response.text
    user = session.exec(select(User).where(User.email == "eva@kampen.example.org")).one()
    assert user.password_hash.startswith("!")  # no password until the link is used


def test_an_existing_account_joins_without_a_new_password(client, session, organisation):
    other = factories.make_organisation(session)
    existing = factories.make_member(session, other, Role.ADMIN)
    email = session.get(User, existing.user_id).email
    response = client.post("/leden", data={"name": "x", "email": email, "role": "facilitator"})
    assert "/wachtwoord-instellen/" not in response.text
    memberships = session.exec(select(Membership).where(Membership.user_id == existing.user_id))
    assert len(memberships.all()) == 2


def test_invalid_member_input_is_explained(client):
    response = client.post("/leden", data={"name": "Eva", "email": "geen-adres", "role": "partner"})
    assert response.status_code == 422
    assert "Vul een geldig e-mailadres in" in response.text
    assert 'value="Eva"' in response.text


def test_a_partner_member_needs_a_partner(client):
    response = client.post(
        "/leden", data={"name": "Eva", "email": "eva@kampen.example.org", "role": "partner"}
    )
    assert response.status_code == 422
    assert "Kies de partnerorganisatie" in response.text


def test_the_last_beheerder_stays(client, session):
    response = client.post(f"/leden/{client.membership_id}", data={"role": "reader"})
    assert response.status_code == 422
    assert "minstens één beheerder" in response.text
    assert client.post(f"/leden/{client.membership_id}/verwijderen").status_code == 409


def test_change_a_role(client, session, organisation):
    colleague = factories.make_member(session, organisation, Role.READER)
    partner = factories.make_partner(session, organisation, "De Kern")
    client.post(f"/leden/{colleague.id}", data={"role": "partner", "partner_id": str(partner.id)})
    session.expire_all()
    changed = session.get(Membership, colleague.id)
    assert changed.role is Role.PARTNER and changed.partner_id == partner.id


def test_members_of_another_organisation_are_not_found(client, session):
    stranger = factories.make_member(session, factories.make_organisation(session), Role.ADMIN)
    assert client.get(f"/leden/{stranger.id}").status_code == 404
    assert client.post(f"/leden/{stranger.id}/wissen").status_code == 404


def test_only_a_beheerder_manages_members(client_as):
    facilitator = client_as(Role.FACILITATOR)
    assert facilitator.get("/leden").status_code == 403
    assert "Leden" not in facilitator.get("/").text.split("</nav>")[0]


def test_export_personal_data(client, session, organisation):
    colleague = factories.make_member(session, organisation, Role.READER)
    response = client.get(f"/leden/{colleague.id}/gegevens.json")
    data = json.loads(response.text)
    user = session.get(User, colleague.user_id)
    assert data["naam"] == user.name and data["e-mail"] == user.email
    assert data["lidmaatschappen"][0]["rol"] == "Lezer"


def test_erase_a_person(client, session, organisation):
    colleague = factories.make_member(session, organisation, Role.READER)
    user_id = colleague.user_id
    assert client.post(f"/leden/{colleague.id}/wissen", follow_redirects=False).status_code == 303
    session.expire_all()
    assert session.get(User, user_id) is None


def test_a_person_in_two_organisations_is_removed_here_not_erased(client, session, organisation):
    colleague = factories.make_member(session, organisation, Role.READER)
    factories.make_member(
        session,
        factories.make_organisation(session),
        Role.READER,
        user=session.get(User, colleague.user_id),
    )
    response = client.post(f"/leden/{colleague.id}/wissen")
    assert response.status_code == 409
    assert "ook lid van een andere organisatie" in response.text
