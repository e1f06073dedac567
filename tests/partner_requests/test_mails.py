"""A partner request reaches the partner's accounts by mail with its link, and a reminder
follows once, three days before the due date, while the request is open."""

import re
from datetime import timedelta

import pytest

from app.formatting import format_date
from app.organisations.models import Role
from app.partner_requests import service
from app.partner_requests.models import PartnerRequestCreate
from app.tables import utc_now
from tests import factories
from tests.mail_server import subject_of, text_of

KERN_EMAIL = "fatima@dekern.example.org"


@pytest.fixture
def kern(session, organisation):
    """De Kern with one account that speaks for it; another partner and a lezer with theirs."""
    partner = factories.make_partner(session, organisation, "De Kern")
    other = factories.make_partner(session, organisation, "Welzijn Kampen")
    factories.make_member(session, organisation, Role.PARTNER, partner=other)
    factories.make_member(session, organisation, Role.READER)
    user = factories.make_user(session)
    user.email = KERN_EMAIL
    factories.make_member(session, organisation, Role.PARTNER, partner=partner, user=user)
    return partner


def ask(session, organisation, partner, due_in_days):
    return service.create_request(
        session,
        organisation,
        PartnerRequestCreate(
            partner_id=partner.id, due_on=utc_now().date() + timedelta(due_in_days)
        ),
        "Joost Mulder",
        reply_to="joost@kampen.example.org",
    )


def test_the_request_goes_to_the_partners_accounts_with_its_link(client_as, kern, relay, deliver):
    facilitator = client_as(Role.FACILITATOR)
    due = utc_now().date() + timedelta(days=10)
    response = facilitator.post(
        "/partnerverzoeken", data={"partner_id": str(kern.id), "due_on": str(due)}
    )
    assert "Kompas mailt deze link ook" in response.text
    token = re.search(r"/partnerlink/([\w-]+)", response.text).group(1)
    assert deliver() == 1
    [message] = relay.received
    assert message["To"] == KERN_EMAIL
    assert subject_of(message).endswith(f"om cijfers, graag uiterlijk {format_date(due)}")
    assert f"https://kompas.example.org/partnerlink/{token}" in text_of(message)


def test_a_reminder_goes_once_three_days_before_the_due_date(
    session, organisation, kern, relay, deliver
):
    ask(session, organisation, kern, due_in_days=10)
    assert deliver() == 1  # the request itself
    assert deliver(utc_now() + timedelta(days=6)) == 0  # four days before: not yet
    reminder_day = utc_now() + timedelta(days=7, hours=2)
    assert deliver(reminder_day) == 1
    assert deliver(reminder_day + timedelta(days=1)) == 0  # once
    reminder = relay.received[-1]
    assert subject_of(reminder).startswith("Herinnering: cijfers voor")
    assert reminder["To"] == KERN_EMAIL
    assert "/partnerlink/" not in text_of(reminder)  # the link is kept nowhere
    assert "https://kompas.example.org/inloggen" in text_of(reminder)


def test_no_reminder_once_answered_nor_for_a_request_made_close_to_its_date(
    session, organisation, kern, relay, deliver
):
    _, answered = ask(session, organisation, kern, due_in_days=10)
    answered.answered_at = utc_now()
    ask(session, organisation, kern, due_in_days=2)
    session.flush()
    assert deliver() == 2  # the two requests
    assert deliver(utc_now() + timedelta(days=8)) == 0
    assert len(relay.received) == 2
