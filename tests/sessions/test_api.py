"""The sessions API: prepare and run a session with a token, read the results, adopt them."""

import uuid

from app.tables import utc_now
from tests import factories

ANY = {"If-Match": "*"}


def test_prepare_run_and_adopt_through_the_api(client, session, organisation, phones):
    cycle = factories.make_cycle(session, organisation)
    made = client.post(
        f"/api/v2/cycli/{cycle.id}/sessies",
        json={"titel": "Werksessie", "stap": 2, "datum": utc_now().date().isoformat()},
    )
    assert made.status_code == 201, made.text
    live = made.json()
    round_ = client.post(
        f"/api/v2/sessies/{live['id']}/rondes",
        json={"titel": "Prioriteit", "soort": "stippen", "stippen": 2, "doel": "resultaten"},
    ).json()
    item = client.post(
        f"/api/v2/rondes/{round_['id']}/keuzes", json={"tekst": "Minder terugval"}, headers=ANY
    )
    assert item.status_code == 201
    started = client.put(
        f"/api/v2/rondes/{round_['id']}/status", json={"status": "open"}, headers=ANY
    )
    assert started.json()["status"] == "open"

    phone = phones(live["deelnamecode"])
    voted = phone.post(
        f"/doe-mee/{phone.code}/stemmen",
        data={"ronde": round_["id"], "keuze": item.json()["id"], "sleutel": str(uuid.uuid4())},
        headers={"Accept": "application/json", "X-CSRF-Token": phone.csrf},
    )
    assert voted.status_code == 200
    results = client.get(f"/api/v2/rondes/{round_['id']}/uitslag").json()
    assert results["regels"][0]["stemmen"] == 1
    assert results["deelnemers"]["inwoner"] == 1
    assert results["soort"] == "stippen" and results["status"] == "open"

    client.put(f"/api/v2/rondes/{round_['id']}/status", json={"status": "gesloten"}, headers=ANY)
    adopted = client.post(f"/api/v2/rondes/{round_['id']}/overnames", json={}, headers=ANY)
    assert adopted.status_code == 201
    assert adopted.json()[0]["bewijs"]["plaats"] == 1
    refused = client.post(f"/api/v2/rondes/{round_['id']}/overnames", json={}, headers=ANY)
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
