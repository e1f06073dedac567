"""E-mail goes through a real SMTP server (aiosmtpd, started by the test); it is recorded with
what caused it and sent after the commit, so a relay that is down loses nothing and a change
that is rolled back sends nothing."""

import re
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlmodel import select

from app import mail, outbox
from app.config import Settings, settings
from app.organisations import invitations, mails, signin
from app.organisations.models import Role, User
from app.outbox import OutboxMessage
from app.tables import utc_now
from tests import factories
from tests.mail_server import (
    PASSWORD,
    USERNAME,
    Relay,
    html_of,
    self_signed,
    subject_of,
    text_of,
)


def invite(client, email="nieuw@partner.example.org"):
    response = client.post(
        "/leden", data={"name": "Nieuwe Collega", "email": email, "role": "facilitator"}
    )
    assert response.status_code == 200, response.text
    return re.search(r"/uitnodiging/([\w-]+)", response.text).group(1)


def test_a_relay_that_was_down_gets_the_invitation_exactly_once(
    client, relay, deliver, organisation
):
    relay.stop()
    token = invite(client)
    assert deliver() == 0  # the relay is down: tried, kept
    relay.start()
    assert deliver() == 0  # not yet due again
    later = utc_now() + outbox.pause_after(1) + timedelta(seconds=1)
    assert deliver(later) == 1
    assert deliver(later + timedelta(hours=2)) == 0
    [message] = relay.received
    assert message["To"] == "nieuw@partner.example.org"
    assert subject_of(message) == f"Uitnodiging voor {organisation.name} in Kompas"
    link = f"https://kompas.example.org/uitnodiging/{token}"
    assert link in text_of(message)
    assert f'href="{link}"' in html_of(message)


def test_a_rolled_back_invitation_sends_nothing(session, organisation, relay, deliver):
    admin = session.get_one(User, factories.make_member(session, organisation, Role.ADMIN).user_id)
    with session.begin_nested() as attempt:
        invitations.invite(
            session,
            organisation,
            email="nieuw@partner.example.org",
            name="Nieuwe Collega",
            role=Role.READER,
            partner_id=None,
            invited_by=admin,
        )
        attempt.rollback()
    assert deliver() == 0
    assert relay.received == []


def test_the_link_is_stored_only_encrypted_and_erased_once_sent(client, session, relay, deliver):
    token = invite(client)
    row = session.exec(select(OutboxMessage)).one()
    assert token not in str(row.payload)
    assert row.secret is not None and token not in row.secret
    deliver()
    session.refresh(row)
    assert row.done_at is not None and row.secret is None
    assert len(relay.received) == 1


def test_without_a_relay_nothing_is_recorded_and_the_page_shows_the_link(client, session):
    assert not mail.enabled()
    response = client.post(
        "/leden", data={"name": "Nieuwe Collega", "email": "x@example.org", "role": "reader"}
    )
    assert "Kompas verstuurt op deze installatie geen e-mail" in response.text
    assert session.exec(select(OutboxMessage)).all() == []


@pytest.mark.parametrize("security", ["starttls", "tls"])
# aiosmtpd warns about AUTH without STARTTLS; over implicit TLS that is what it should do.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_the_relay_is_reached_over_tls_with_a_login(
    security, tmp_path, monkeypatch, session, organisation, deliver
):
    certificate = self_signed(tmp_path)
    server = Relay(security, certificate)
    server.start()
    try:
        monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
        monkeypatch.setattr(settings, "smtp_port", server.port)
        monkeypatch.setattr(settings, "smtp_security", security)
        monkeypatch.setattr(settings, "smtp_from", "kompas@gemeente.example.org")
        monkeypatch.setattr(settings, "smtp_ca_file", certificate[0])
        monkeypatch.setattr(settings, "smtp_username", USERNAME)
        monkeypatch.setattr(settings, "smtp_password", SecretStr(PASSWORD))
        user = session.get_one(User, factories.make_member(session, organisation).user_id)
        token = signin.create_reset(session, user, created_by=None)
        assert mails.password_link(session, user, token, organisation=None, made_by=None)
        assert deliver() == 1
    finally:
        server.stop()
    [message] = server.received
    assert subject_of(message) == "Een nieuw wachtwoord voor Kompas"
    assert f"/wachtwoord-instellen/{token}" in text_of(message)


def test_a_relay_without_a_sender_address_is_refused_at_start():
    with pytest.raises(ValueError, match="KOMPAS_SMTP_FROM must be set"):
        Settings(smtp_host="relay.gemeente.nl")


def test_a_link_kept_under_another_secret_key_is_given_up_not_sent(client, session, relay, deliver):
    invite(client)
    row = session.exec(select(OutboxMessage)).one()
    row.secret = Fernet(Fernet.generate_key()).encrypt(b"/uitnodiging/x").decode()
    session.add(row)
    session.flush()
    assert deliver() == 0
    session.refresh(row)
    assert row.failed and row.done_at is not None and row.secret is None
    assert relay.received == []
