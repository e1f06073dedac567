"""Invitations and links to set a password reach the person by mail; neither the mail nor the
beheerder's page tells whether the address already has an account."""

import re

from app.organisations import members as members_service
from app.organisations.models import Role
from tests import factories
from tests.mail_server import html_of, subject_of, text_of


def invite(client, email):
    response = client.post("/leden", data={"name": "Iemand", "email": email, "role": "reader"})
    assert response.status_code == 200, response.text
    return response


def test_an_invitation_reads_the_same_with_or_without_an_account(
    client, session, organisation, relay, deliver
):
    other = factories.make_organisation(session)
    known = members_service.create_user(
        session, email="bekend@kampen.example.org", name="Sanne Visser", password="x" * 16
    )
    members_service.add_member(session, other, known, Role.ADMIN)
    pages = [
        invite(client, address)
        for address in ("bekend@kampen.example.org", "nieuw@kampen.example.org")
    ]
    assert deliver() == 2
    known_mail, unknown_mail = (
        relay.to("bekend@kampen.example.org"),
        relay.to("nieuw@kampen.example.org"),
    )
    assert subject_of(known_mail[0]) == subject_of(unknown_mail[0])

    def without_link(text: str) -> str:
        return re.sub(r"/uitnodiging/[\w-]+", "", text)

    assert without_link(text_of(known_mail[0])) == without_link(text_of(unknown_mail[0]))
    assert "Sanne Visser" not in text_of(known_mail[0]) + html_of(known_mail[0])
    # The page (test_invitations checks it says nothing more) says a mail goes, either way.
    assert all("Kompas stuurt deze link ook per e-mail naar" in page.text for page in pages)


def test_the_beheerders_password_link_is_mailed_to_the_person(
    client, session, organisation, relay, deliver
):
    membership = factories.make_member(session, organisation, Role.READER)
    response = client.post(f"/leden/{membership.id}/wachtwoordlink")
    assert "Kompas stuurt deze link ook per e-mail naar" in response.text
    token = re.search(r"/wachtwoord-instellen/([\w-]+)", response.text).group(1)
    assert deliver() == 1
    [message] = relay.received
    assert subject_of(message) == "Een nieuw wachtwoord voor Kompas"
    assert message["Reply-To"] is not None  # the beheerder who made it
    assert f"https://kompas.example.org/wachtwoord-instellen/{token}" in text_of(message)
    assert organisation.name in str(message["From"])
