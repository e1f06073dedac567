"""Every change a client can see is a new `versie` and a new ETag, also the columns a record's
own version leaves out so that open forms stay valid (a result's priority, a round's status);
and every write on a record that exists needs the ETag last read (428 without, 412 stale)."""

from datetime import timedelta

import pytest
import time_machine

from app.sessions import timer
from app.sessions.models import Round
from tests import factories
from tests.resource_specs import SPECS, Spec, make_item
from tests.test_api import member


def read(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.json()["versie"], response.headers["ETag"]


def test_a_priority_change_is_a_new_version_of_both_results(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    first, second = factories.make_result(session, cycle), factories.make_result(session, cycle)
    urls = [f"/api/v2/resultaten/{r.id}" for r in (first, second)]
    before = [read(client, url) for url in urls]
    moved = client.post(
        f"{urls[1]}/prioriteit", json={"prioriteit": 1}, headers={"If-Match": before[1][1]}
    )
    assert moved.status_code == 200
    after = [read(client, url) for url in urls]
    assert moved.json()["versie"] == after[1][0] and moved.headers["ETag"] == after[1][1]
    for (version, tag), (new_version, new_tag), url in zip(before, after, urls, strict=True):
        assert new_version > version and new_tag != tag
        assert client.get(url, headers={"If-None-Match": tag}).status_code == 200
    # the result that was passed has a new version too: a write on the old one is stale
    stale = client.patch(urls[0], json={"doelgroep": "Ouderen"}, headers={"If-Match": before[0][1]})
    assert stale.status_code == 412


def test_a_form_opened_before_a_reordering_stays_valid(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    first, second = factories.make_result(session, cycle), factories.make_result(session, cycle)
    opened = first.version
    client.post(
        f"/api/v2/resultaten/{second.id}/prioriteit",
        json={"prioriteit": 1},
        headers={"If-Match": "*"},
    )
    saved = client.post(f"/resultaten/{first.id}", data={"text": "A2", "_versie": str(opened)})
    assert saved.status_code == 200


def test_a_round_status_change_is_a_new_version_of_every_round_it_moves(
    client, session, organisation
):
    live = factories.make_live_session(session, factories.make_cycle(session, organisation))
    first, second = (factories.make_round(session, live, "input") for _ in range(2))
    urls = [f"/api/v2/rondes/{r.id}" for r in (first, second)]
    before = read(client, urls[0])
    started = client.put(
        f"{urls[0]}/status", json={"status": "open"}, headers={"If-Match": before[1]}
    )
    assert started.status_code == 200 and started.json()["status"] == "open"
    opened = read(client, urls[0])
    assert opened[0] > before[0] and opened[1] != before[1]
    assert started.headers["ETag"] == opened[1]
    assert (
        client.put(
            f"{urls[0]}/status", json={"status": "gesloten"}, headers={"If-Match": before[1]}
        ).status_code
        == 412
    )

    # starting the second round pauses the first: the first's representation changed too
    client.put(
        f"{urls[1]}/status", json={"status": "open"}, headers={"If-Match": read(client, urls[1])[1]}
    )
    paused = client.get(urls[0])
    assert paused.json()["status"] == "gepauzeerd"
    assert paused.json()["versie"] > opened[0] and paused.headers["ETag"] != opened[1]
    closed = client.put(
        f"{urls[0]}/status",
        json={"status": "gesloten"},
        headers={"If-Match": paused.headers["ETag"]},
    )
    assert closed.status_code == 200 and closed.json()["versie"] > paused.json()["versie"]


@pytest.fixture(params=SPECS, ids=str)
def spec(request) -> Spec:
    return request.param


def test_every_update_and_delete_needs_the_current_etag(client, session, organisation, spec):
    """The CRUD test in test_api covers PATCH without If-Match and DELETE with a stale one."""
    _, item = make_item(spec, session, organisation)
    url = member(spec, item)
    tag = client.get(url).headers["ETag"]
    assert client.delete(url).status_code == 428
    assert client.patch(url, json={}, headers={"If-Match": tag}).status_code == 200
    assert client.patch(url, json={}, headers={"If-Match": 'W/"999999"'}).status_code == 412
    assert client.get(url).status_code == 200  # nothing was deleted


def test_the_other_writes_need_the_current_etag(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    activity = factories.make_activity(session, cycle)
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live)
    ambition_url = f"/api/v2/cycli/{cycle.id}/ambitie"
    client.put(ambition_url, json={"tekst": "Samen."}, headers={"If-Match": "*"})
    stale = {"If-Match": 'W/"999999"'}
    writes = [
        (
            "put",
            f"/api/v2/activiteiten/{activity.id}/bewijskracht",
            {"bewijskracht": "goed-onderbouwd"},
        ),
        ("put", f"/api/v2/rondes/{round_.id}/status", {"status": "open"}),
        ("post", f"/api/v2/rondes/{round_.id}/keuzes", {"tekst": "Meer groen"}),
        ("post", f"/api/v2/rondes/{round_.id}/overnames", {}),
        ("put", ambition_url, {"tekst": "Iedereen."}),
        ("delete", ambition_url, None),
    ]
    for method, url, body in writes:
        kwargs = {"json": body} if body is not None else {}
        assert client.request(method, url, **kwargs).status_code == 428, url
        assert client.request(method, url, headers=stale, **kwargs).status_code == 412, url


def test_a_round_its_timer_closes_is_a_new_version(client, session, organisation):
    """The server closes a round whose time is up (sessions/timer.py) without the ORM's flush:
    a client that read it open must not be told 304, nor write on the open round."""
    live = factories.make_live_session(session, factories.make_cycle(session, organisation))
    round_ = factories.make_round(session, live, "input", minutes=5, closes_itself=True)
    url = f"/api/v2/rondes/{round_.id}"
    opened = client.put(f"{url}/status", json={"status": "open"}, headers={"If-Match": "*"})
    assert opened.status_code == 200, opened.text
    version, tag = read(client, url)
    with time_machine.travel(session.get_one(Round, round_.id).ends_at + timedelta(seconds=1)):
        assert timer.close_expired(session, live.id) == 1
    session.expire_all()
    closed = client.get(url, headers={"If-None-Match": tag})
    assert closed.status_code == 200 and closed.json()["status"] == "gesloten"
    assert closed.json()["versie"] > version and closed.headers["ETag"] != tag
    stale = client.patch(url, json={"titel": "Later"}, headers={"If-Match": tag})
    assert stale.status_code == 412


def test_choices_by_hand_answer_with_the_scenarios_new_etag(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    activity = factories.make_activity(session, cycle)
    url = f"/api/v2/scenarios/{factories.make_scenario(session, organisation, cycle).id}"
    _, tag = read(client, url)
    chosen = client.put(
        f"{url}/keuzes", json={"keuzes": {str(activity.id): "behouden"}}, headers={"If-Match": tag}
    )
    assert chosen.status_code == 200, chosen.text
    assert chosen.headers["ETag"] != tag and chosen.headers["ETag"] == read(client, url)[1]


def test_the_document_declares_an_etag_only_where_one_is_sent(client, session, organisation):
    paths = client.get("/api/v2/openapi.json").json()["paths"]
    live = factories.make_live_session(session, factories.make_cycle(session, organisation))
    round_ = factories.make_round(session, live, "input")
    for path, url in (
        ("/organisatie", "/api/v2/organisatie"),
        ("/rondes/{rondeId}/uitslag", f"/api/v2/rondes/{round_.id}/uitslag"),
        ("/rondes/{rondeId}", f"/api/v2/rondes/{round_.id}"),
    ):
        declared = "ETag" in paths[path]["get"]["responses"]["200"]["headers"]
        assert declared == ("etag" in client.get(url).headers), path
