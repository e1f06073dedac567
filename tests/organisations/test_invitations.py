"""Joining an organisation takes an invitation that the person accepts themselves. A beheerder
of one organisation cannot take over, reveal, or reset the account of someone elsewhere."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.auth import SESSION_COOKIE
from app.main import app
from app.organisations import members as members_service
from app.organisations.models import ApiToken, Membership, Role, SignInSession, User
from tests import factories

PASSWORD = "een lang genoeg wachtwoord"


def invite(client, email, name="Nieuwe collega", role="facilitator"):
    response = client.post("/leden", data={"name": name, "email": email, "role": role})
    assert response.status_code == 200, response.text
    return response, re.search(r"/uitnodiging/([\w-]+)", response.text).group(1)


def signed_in_as(session, membership) -> TestClient:
    credentials = factories.sign_in(session, membership)
    client = TestClient(
        app,
        raise_server_exceptions=False,
        cookies={SESSION_COOKIE: credentials.cookie},
        headers={"X-CSRF-Token": credentials.csrf},
    )
    client.__enter__()
    return client


@pytest.fixture
def kampen_admin(session):
    """Someone else's beheerder, in another organisation, with an account of her own."""
    kampen = factories.make_organisation(session)
    user = members_service.create_user(
        session, email="beheerder@kampen.example.org", name="Sanne Visser", password=PASSWORD
    )
    return members_service.add_member(session, kampen, user, Role.ADMIN)


def members_of(session, organisation):
    return session.exec(
        select(Membership).where(Membership.organisation_id == organisation.id)
    ).all()


def test_inviting_an_existing_account_neither_adds_nor_reveals_it(
    client, session, organisation, kampen_admin
):
    before = len(members_of(session, organisation))
    known, _ = invite(client, "beheerder@kampen.example.org", name="Iemand")
    unknown, _ = invite(client, "niemand@kampen.example.org", name="Iemand")
    assert len(members_of(session, organisation)) == before  # nobody joined
    assert "Sanne Visser" not in known.text
    scrub = lambda text: re.sub(r"/uitnodiging/[\w-]+|[\w.]+@kampen\.example\.org", "", text)  # noqa: E731
    assert scrub(known.text.split("Openstaande uitnodigingen")[0]) == scrub(
        unknown.text.split("Openstaande uitnodigingen")[0]
    )


def test_the_invited_person_accepts_after_signing_in(client, session, organisation, kampen_admin):
    _, token = invite(client, "Beheerder@Kampen.example.org", role="reader")
    her = signed_in_as(session, kampen_admin)
    page = her.get(f"/uitnodiging/{token}")
    assert "Uitnodiging aannemen" in page.text and organisation.name in page.text
    accepted = her.post(f"/uitnodiging/{token}/aannemen", follow_redirects=False)
    assert accepted.status_code == 303
    joined = session.exec(
        select(Membership).where(
            Membership.user_id == kampen_admin.user_id,
            Membership.organisation_id == organisation.id,
        )
    ).one()
    assert joined.role is Role.READER
    assert her.get(f"/uitnodiging/{token}").status_code == 404  # used once


def test_only_the_invited_account_can_accept(client_as, client, session, kampen_admin):
    _, token = invite(client, "beheerder@kampen.example.org")
    someone_else = client_as(Role.READER, of=factories.make_organisation(session))
    assert "ander e-mailadres" in someone_else.get(f"/uitnodiging/{token}").text
    refused = someone_else.post(f"/uitnodiging/{token}/aannemen")
    assert refused.status_code == 422
    assert (
        session.exec(select(Membership).where(Membership.user_id == someone_else.user_id))
        .all()
        .__len__()
        == 1
    )


def test_someone_new_creates_their_account_with_the_link(client, anonymous, session, organisation):
    _, token = invite(client, "eva@kampen.example.org", name="Eva Jansen", role="reader")
    page = anonymous.get(f"/uitnodiging/{token}")
    assert 'value="Eva Jansen"' in page.text
    csrf = page.text.split('id="new-account"')[1].split('name="_csrf" value="')[1].split('"')[0]
    short = anonymous.post(
        f"/uitnodiging/{token}",
        data={"name": "Eva Jansen", "password": "kort", "repeat": "kort", "_csrf": csrf},
    )
    assert short.status_code == 422 and "minstens 12 tekens" in short.text
    assert 'value="Eva Jansen"' in short.text
    made = anonymous.post(
        f"/uitnodiging/{token}",
        data={"name": "Eva Jansen", "password": PASSWORD, "repeat": PASSWORD, "_csrf": csrf},
        follow_redirects=False,
    )
    assert made.status_code == 303 and SESSION_COOKIE in made.headers["set-cookie"]
    eva = session.exec(select(User).where(User.email == "eva@kampen.example.org")).one()
    assert session.exec(select(Membership).where(Membership.user_id == eva.id)).one().role is (
        Role.READER
    )


def test_a_revoked_or_unknown_invitation_explains_itself(client, anonymous, session):
    _, token = invite(client, "eva@kampen.example.org")
    invitation_id = re.search(r"/leden/uitnodigingen/(\d+)/intrekken", client.get("/leden").text)
    client.post(f"/leden/uitnodigingen/{invitation_id.group(1)}/intrekken")
    for link in (token, "verzonnen"):
        response = anonymous.get(f"/uitnodiging/{link}")
        assert response.status_code == 404 and "werkt niet (meer)" in response.text


def test_no_reset_link_for_someone_who_is_also_in_another_organisation(
    client, session, organisation, kampen_admin
):
    """Huizen's beheerder cannot take over Kampen's beheerder by making her a member first
    (that takes her consent) nor, when she really is in both, by making a reset link."""
    user = session.get(User, kampen_admin.user_id)
    both = factories.make_member(session, organisation, Role.FACILITATOR, user=user)
    page = client.get(f"/leden/{both.id}")
    assert "Link maken om een wachtwoord in te stellen" not in page.text
    refused = client.post(f"/leden/{both.id}/wachtwoordlink")
    assert refused.status_code == 403
    assert "/wachtwoord-instellen/" not in refused.text


def test_a_beheerder_of_every_organisation_of_the_person_may_make_a_link(
    client, session, organisation
):
    colleague = factories.make_member(session, organisation, Role.READER)
    response = client.post(f"/leden/{colleague.id}/wachtwoordlink")
    assert response.status_code == 200 and "/wachtwoord-instellen/" in response.text


def test_a_reset_ends_every_session_and_api_token(client, anonymous, session, organisation):
    colleague = factories.make_member(session, organisation, Role.READER)
    credentials = factories.sign_in(session, colleague)
    link = re.search(
        r"/wachtwoord-instellen/([\w-]+)", client.post(f"/leden/{colleague.id}/wachtwoordlink").text
    ).group(1)
    form = anonymous.get(f"/wachtwoord-instellen/{link}").text
    csrf = form.split('name="_csrf" value="')[1].split('"')[0]
    anonymous.post(
        f"/wachtwoord-instellen/{link}",
        data={"password": PASSWORD, "repeat": PASSWORD, "_csrf": csrf},
    )
    api = TestClient(app, headers={"Authorization": f"Bearer {credentials.api_token}"})
    assert api.get("/api/v2/organisatie").status_code == 401
    session.expire_all()
    assert (
        session.exec(select(SignInSession).where(SignInSession.user_id == colleague.user_id)).all()
        == []
    )
    assert all(
        token.revoked_at is not None
        for token in session.exec(select(ApiToken).where(ApiToken.user_id == colleague.user_id))
    )


def test_changing_ones_own_password_ends_the_other_sessions(client_as, session, organisation):
    user = members_service.create_user(
        session, email="joost@kampen.example.org", name="Joost", password=PASSWORD
    )
    membership = members_service.add_member(session, organisation, user, Role.FACILITATOR)
    here, elsewhere = signed_in_as(session, membership), signed_in_as(session, membership)
    wrong = here.post(
        "/account/wachtwoord",
        data={
            "current": "fout",
            "password": "nog een lang wachtwoord",
            "repeat": "nog een lang wachtwoord",
        },
    )
    assert wrong.status_code == 422 and "niet je huidige wachtwoord" in wrong.text
    changed = here.post(
        "/account/wachtwoord",
        data={
            "current": PASSWORD,
            "password": "nog een lang wachtwoord",
            "repeat": "nog een lang wachtwoord",
        },
    )
    assert changed.status_code == 200 and "Je wachtwoord is gewijzigd" in changed.text
    assert elsewhere.get("/", follow_redirects=False).status_code == 303  # signed out
    assert here.get("/account").status_code == 200  # this browser stays signed in
