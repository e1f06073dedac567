"""What one phone or one account may cost a live session: open live streams, proposals per
round, the weight of the control screen with a thousand proposals, and who sees the code."""

import uuid

import pytest

from app.sessions import live as live_updates
from app.sessions import service as sessions_service
from tests import factories


@pytest.fixture
def live(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    return factories.make_live_session(session, cycle)


@pytest.fixture
def quiet_hub(monkeypatch):
    """Live streams that read nothing from the app's own database (the test's data lives in
    the test's transaction): a hub of their own, and screens rendered without a query."""
    hub = live_updates.Hub()
    monkeypatch.setattr(live_updates, "hub", hub)

    def read(session_id: int) -> tuple[tuple, str]:
        return (session_id,), "open"

    monkeypatch.setattr(live_updates, "_read", read)

    def in_thread(function, *args):
        async def render(watch):
            return "scherm"

        return render

    monkeypatch.setattr(live_updates, "in_thread", in_thread)
    return hub


# Proposals


def propose(phone, round_id, text, key=None):
    return phone.post(
        f"/doe-mee/{phone.code}/inbreng",
        data={"ronde": round_id, "sleutel": key or str(uuid.uuid4()), "tekst": text},
        headers={"Accept": "application/json", "X-CSRF-Token": phone.csrf},
    )


def test_a_phone_sends_as_many_proposals_as_the_round_allows(session, live, phones):
    round_ = factories.make_round(session, live, "input", proposals_per_participant=2)
    sessions_service.start_round(session, round_)
    phone = phones(live.join_code)
    key = str(uuid.uuid4())
    assert propose(phone, round_.id, "Eerste", key).status_code == 200
    assert propose(phone, round_.id, "Tweede").status_code == 200
    assert propose(phone, round_.id, "Eerste", key).status_code == 200  # a resend still answers
    refused = propose(phone, round_.id, "Derde")
    assert refused.status_code == 409
    assert "al 2 voorstellen" in refused.json()["melding"]
    # Without JavaScript: the round page with the reason.
    page = phone.post(
        f"/doe-mee/{phone.code}/inbreng",
        data={"_csrf": phone.csrf, "ronde": round_.id, "sleutel": str(uuid.uuid4()), "tekst": "x"},
    )
    assert page.status_code == 409 and "al 2 voorstellen" in page.text
    assert len(sessions_service.items_of(session, round_)) == 2
    # Another phone has its own allowance.
    assert propose(phones(live.join_code), round_.id, "Van een ander").status_code == 200


def test_the_round_form_sets_the_proposals_per_phone(client, session, live):
    form = client.get(f"/sessies/{live.id}/rondes/nieuw")
    assert form.status_code == 200
    assert "Voorstellen per deelnemer" in form.text
    assert 'name="proposals_per_participant"' in form.text
    made = client.post(
        f"/sessies/{live.id}/rondes",
        data={
            "title": "Ideeën",
            "kind": "input",
            "target": "none",
            "dots": "5",
            "proposals_per_participant": "3",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    round_ = sessions_service.list_rounds(session, live)[-1]
    assert round_.proposals_per_participant == 3
    assert factories.make_round(session, live, "input").proposals_per_participant == 5


def test_a_room_behind_one_address_joins_without_limit(session, live, phones):
    for _ in range(40):  # phones() asserts every join succeeded
        phones(live.join_code)
