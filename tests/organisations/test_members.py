"""A beheerder manages the members: roles, removing, personal data (inviting: test_invitations)."""

import json

from sqlmodel import select

from app.organisations.models import Membership, Role, User
from tests import factories


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


def test_an_unknown_role_is_refused_and_nothing_changes(client, session, organisation):
    colleague = factories.make_member(session, organisation, Role.READER)
    for role in ("", "beheerder", "ADMIN"):
        response = client.post(f"/leden/{colleague.id}", data={"role": role})
        assert response.status_code == 422
        assert "Kies een rol." in response.text
    session.expire_all()
    assert session.get(Membership, colleague.id).role is Role.READER


def test_members_of_another_organisation_are_not_found(client, session):
    stranger = factories.make_member(session, factories.make_organisation(session), Role.ADMIN)
    assert client.get(f"/leden/{stranger.id}").status_code == 404
    assert client.post(f"/leden/{stranger.id}/wissen").status_code == 404


def test_only_a_beheerder_manages_members(client_as):
    facilitator = client_as(Role.FACILITATOR)
    assert facilitator.get("/leden").status_code == 403
    assert "Leden" not in facilitator.get("/").text.split("</nav>")[0]


def test_export_personal_data_holds_only_this_organisations_data(client, session, organisation):
    colleague = factories.make_member(session, organisation, Role.READER)
    user = session.get(User, colleague.user_id)
    elsewhere = factories.make_organisation(session)
    factories.make_member(session, elsewhere, Role.ADMIN, user=user)
    factories.sign_in(
        session,
        session.exec(
            select(Membership).where(
                Membership.user_id == user.id, Membership.organisation_id == elsewhere.id
            )
        ).one(),
    )
    response = client.get(f"/leden/{colleague.id}/gegevens.json")
    data = json.loads(response.text)
    assert data["naam"] == user.name and data["e-mail"] == user.email
    assert data["organisatie"] == organisation.name
    assert data["lidmaatschap"]["rol"] == "Lezer"
    assert elsewhere.name not in response.text and "Beheerder" not in response.text
    assert data["api-tokens"] == [] and data["ingelogde sessies"] == []


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
