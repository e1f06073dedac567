"""The phone pages: joining by code, voting with a key made by the page, refusals."""

import uuid

import pytest

from app.sessions import service as sessions_service
from tests import factories


@pytest.fixture
def live(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    return factories.make_live_session(session, cycle)


def vote(phone, round_id, item_id, key=None, **extra):
    return phone.post(
        f"/doe-mee/{phone.code}/stemmen",
        data={"ronde": round_id, "keuze": item_id, "sleutel": key or str(uuid.uuid4()), **extra},
        headers={"Accept": "application/json", "X-CSRF-Token": phone.csrf},
    )


def test_join_and_dot_vote_with_a_resend_counting_once(session, live, phones):
    round_ = factories.make_round(session, live, "dots", dots=2, several_per_item=True)
    first = sessions_service.add_item(session, round_, "Minder terugval")
    sessions_service.add_item(session, round_, "Meer meedoen")
    sessions_service.start_round(session, round_)
    phone = phones(live.join_code, "provider")
    page = phone.get(f"/doe-mee/{live.join_code}/ronde")
    assert "Minder terugval" in page.text and "2</strong> van de 2 stippen" in page.text

    key = str(uuid.uuid4())
    saved = vote(phone, round_.id, first.id, key)
    assert saved.status_code == 200, saved.text
    assert saved.json()["gebruikt"] == 1 and not saved.json()["herhaald"]
    again = vote(phone, round_.id, first.id, key)
    assert again.status_code == 200 and again.json()["herhaald"]
    assert again.json()["gebruikt"] == 1

    assert vote(phone, round_.id, first.id).json()["gebruikt"] == 2
    refused = vote(phone, round_.id, first.id)
    assert refused.status_code == 409
    assert "al je 2 stippen" in refused.json()["melding"]


def test_wrong_codes_are_refused_in_dutch_and_throttled(session, live, phones, anonymous):
    response = anonymous.get("/doe-mee/AAAAAAAAAA")
    assert response.status_code == 404 and "Deze code kennen we niet" in response.text
    for _ in range(sessions_service.WRONG_CODES_PER_ADDRESS):
        anonymous.get("/doe-mee/AAAAAAAAAA")
    throttled = anonymous.get(f"/doe-mee/{live.join_code}")
    assert throttled.status_code == 429 and "te veel verkeerde codes" in throttled.text
