"""Werkvormen as modules, proved by 100 punten verdelen: through the API, phones, a paper
ballot, the tally, the projector, the verslag and adoption."""

import re
import uuid
from pathlib import Path

from app.sessions import werkvormen
from app.sessions.models import RoundKind
from app.tables import utc_now
from tests import factories

TEMPLATES = Path(__file__).parents[2] / "templates"


def test_every_kind_is_one_registered_werkvorm_with_its_templates():
    assert set(werkvormen.REGISTRY) == set(RoundKind)
    for werkvorm in werkvormen.REGISTRY.values():
        assert (TEMPLATES / werkvorm.phone_template).is_file()
        if werkvorm.paper is not None:
            assert (TEMPLATES / werkvorm.paper_template).is_file()
    paths = [w.phone.path for w in werkvormen.REGISTRY.values() if w.phone]
    assert len(set(paths)) == len(werkvormen.PHONE_PATHS) == 4  # inbreng and begrip share one


def divide(phone, round_id, points: dict[int, int], key: str | None = None):
    return phone.post(
        f"/doe-mee/{phone.code}/punten",
        data={
            "ronde": round_id,
            "sleutel": key or str(uuid.uuid4()),
            **{f"punten-{item}": str(n) for item, n in points.items()},
        },
        headers={"Accept": "application/json", "X-CSRF-Token": phone.csrf},
    )


def test_dividing_100_points_from_phones_and_paper_to_the_cycle(
    client, session, organisation, phones
):
    cycle = factories.make_cycle(session, organisation)
    live = client.post(
        f"/api/v2/cycli/{cycle.id}/sessies",
        json={
            "titel": "Bezuiniging",
            "stap": 2,
            "datum": utc_now().date().isoformat(),
            "minimaleGroepsgrootte": 1,
        },
    ).json()
    round_ = client.post(
        f"/api/v2/sessies/{live['id']}/rondes",
        json={
            "titel": "Waar gaat het geld heen?",
            "soort": "punten-verdelen",
            "doel": "resultaten",
        },
    )
    assert round_.status_code == 201, round_.text
    round_ = round_.json()
    a, b, c = (
        client.post(
            f"/api/v2/rondes/{round_['id']}/keuzes",
            json={"tekst": text},
            headers=current(client, round_["id"]),
        ).json()["id"]
        for text in ("Schuldhulp", "Buurtwerk", "Jongerenwerk")
    )
    client.put(
        f"/api/v2/rondes/{round_['id']}/status",
        json={"status": "open"},
        headers=current(client, round_["id"]),
    )

    resident = phones(live["deelnamecode"], "resident")
    page = resident.get(f"/doe-mee/{resident.code}/ronde").text
    assert "Verdeel precies <strong>100 punten</strong>" in page and f'name="punten-{a}"' in page
    short = divide(resident, round_["id"], {a: 60, b: 30})
    assert short.status_code == 422
    assert "je hebt er nu 90 verdeeld (10 te weinig)" in short.json()["melding"]
    key = str(uuid.uuid4())
    assert divide(resident, round_["id"], {a: 70, b: 30}, key).status_code == 200
    assert divide(resident, round_["id"], {a: 70, b: 30}, key).json()["herhaald"]
    again = divide(resident, round_["id"], {a: 20, c: 80})  # a new division replaces it
    assert again.status_code == 200
    assert f'name="punten-{c}" value="80"' in resident.get(f"/doe-mee/{resident.code}/ronde").text
    provider = phones(live["deelnamecode"], "provider")
    assert divide(provider, round_["id"], {a: 100}).status_code == 200

    # A paper ballot: the sheet, then typed in under the same rule
    sheet = client.get(f"/rondes/{round_['id']}/stembiljet/bestand")
    assert sheet.status_code == 200 and sheet.headers["content-type"] == "application/pdf"
    tally = client.get(f"/rondes/{round_['id']}/papier").text
    assert "Punten per keuze (samen precies 100" in tally
    wrong = client.post(
        f"/rondes/{round_['id']}/papier",
        data={"perspectief": "municipality", f"punten-{b}": "150"},
    )
    assert wrong.status_code == 422 and "van 0 tot en met 100" in wrong.text
    typed = client.post(
        f"/rondes/{round_['id']}/papier",
        data={"perspectief": "municipality", f"punten-{b}": "50", f"punten-{c}": "50"},
        follow_redirects=False,
    )
    assert typed.status_code == 303, typed.text

    results = client.get(f"/api/v2/rondes/{round_['id']}/uitslag").json()
    assert [(r["tekst"], r["score"], r["plaats"]) for r in results["regels"]] == [
        ("Jongerenwerk", 130, 1),
        ("Schuldhulp", 120, 2),
        ("Buurtwerk", 50, 3),
    ]
    assert results["regels"][0]["papier"] == 1
    assert results["deelnemers"] == {"gemeente": 1, "aanbieder": 1, "inwoner": 1, "anders": 0}
    projector = client.get(f"/sessies/{live['id']}/scherm").text
    assert ">Punten<" in projector and "Jongerenwerk" in projector

    client.put(
        f"/api/v2/rondes/{round_['id']}/status",
        json={"status": "gesloten"},
        headers=current(client, round_["id"]),
    )
    verslag = client.get(f"/sessies/{live['id']}/verslag").text
    assert "100 punten verdelen" in verslag and "Jongerenwerk" in verslag
    adopted = client.post(
        f"/api/v2/rondes/{round_['id']}/overnames", json={}, headers=current(client, round_["id"])
    )
    assert adopted.status_code == 201, adopted.text
    assert [(x["label"], x["bewijs"]["score"]) for x in adopted.json()] == [
        ("Jongerenwerk", 130),
        ("Schuldhulp", 120),
        ("Buurtwerk", 50),
    ]
    assert re.search(r"Jongerenwerk", client.get(f"/cycli/{cycle.id}/stappen/2").text)


def current(client, round_id: int) -> dict[str, str]:
    """A write to a round names the version it read (If-Match with the round's ETag)."""
    return {"If-Match": client.get(f"/api/v2/rondes/{round_id}").headers["ETag"]}
