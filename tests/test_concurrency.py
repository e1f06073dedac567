"""No silent overwrites: a form or API call based on an older version of a record is refused
with both versions shown; nothing is overwritten unseen."""

import pytest

from app.organisations.models import Role
from tests import factories


def test_the_second_save_of_a_stale_form_shows_both_versions(client_as, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    result = factories.make_result(session, cycle, "Over 3 jaar minder eenzaamheid.")
    anna, bert = client_as(Role.FACILITATOR), client_as(Role.FACILITATOR)
    anna_form = anna.get(f"/resultaten/{result.id}/bewerken").text
    version = anna_form.split('name="_versie" value="')[1].split('"')[0]

    saved = bert.post(
        f"/resultaten/{result.id}",
        data={"text": "Over 3 jaar voelen ouderen zich minder eenzaam.", "_versie": version},
    )
    assert saved.status_code == 200

    stale = anna.post(
        f"/resultaten/{result.id}",
        data={"text": "Over 3 jaar minder eenzaamheid onder jongeren.", "_versie": version},
    )
    assert stale.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in stale.text
    assert "Over 3 jaar minder eenzaamheid onder jongeren." in stale.text  # hers
    assert "Over 3 jaar voelen ouderen zich minder eenzaam." in stale.text  # his, stored
    page = anna.get(f"/cycli/{cycle.id}/stappen/2").text
    assert "voelen ouderen zich minder eenzaam" in page and "onder jongeren" not in page

    # Knowingly saving her version again goes through, on top of his.
    new_version = stale.text.split('name="_versie" value="')[1].split('"')[0]
    again = anna.post(
        f"/resultaten/{result.id}",
        data={"text": "Over 3 jaar minder eenzaamheid onder jongeren.", "_versie": new_version},
    )
    assert again.status_code == 200
    assert "onder jongeren" in anna.get(f"/cycli/{cycle.id}/stappen/2").text


def test_step_notes_are_not_overwritten_unseen(client_as, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    step = cycle.steps[1]
    anna, bert = client_as(Role.FACILITATOR), client_as(Role.FACILITATOR)
    version = str(step.version)
    bert.post(
        f"/stappen/{step.id}", data={"status": "done", "notes": "Van Bert.", "_versie": version}
    )
    stale = anna.post(
        f"/stappen/{step.id}",
        data={"status": "in_progress", "notes": "Van Anna.", "_versie": version},
    )
    assert stale.status_code == 409
    assert "Van Bert." in stale.text and "Van Anna." in stale.text


def test_the_ambition_is_not_overwritten_unseen(client_as, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    ambition = factories.make_ambition(session, cycle, "Samen.")
    version = str(ambition.version)
    anna, bert = client_as(Role.FACILITATOR), client_as(Role.FACILITATOR)
    bert.post(f"/cycli/{cycle.id}/ambitie", data={"text": "Samen sterk.", "_versie": version})
    stale = anna.post(f"/cycli/{cycle.id}/ambitie", data={"text": "Iedereen.", "_versie": version})
    assert stale.status_code == 409
    assert "Samen sterk." in stale.text and "Iedereen." in stale.text


def test_the_api_checks_if_match(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    result = factories.make_result(session, cycle)
    url = f"/api/v2/resultaten/{result.id}"
    etag = client.get(url).headers["etag"]
    assert (
        client.patch(url, json={"doelgroep": "Ouderen"}, headers={"If-Match": etag}).status_code
        == 200
    )
    stale = client.patch(url, json={"doelgroep": "Jongeren"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert client.get(url).json()["doelgroep"] == "Ouderen"


def test_reordering_does_not_make_an_open_form_stale(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    first = factories.make_result(session, cycle, "A")
    second = factories.make_result(session, cycle, "B")
    version = (
        client.get(f"/resultaten/{first.id}/bewerken")
        .text.split('name="_versie" value="')[1]
        .split('"')[0]
    )
    client.post(f"/resultaten/{second.id}/verplaatsen", data={"richting": "omhoog"})
    saved = client.post(f"/resultaten/{first.id}", data={"text": "A2", "_versie": version})
    assert saved.status_code == 200


def test_a_stale_if_match_is_refused_on_steps_and_the_ambition(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    step = cycle.steps[2]
    read = client.get(f"/api/v2/stappen/{step.id}")
    assert read.headers["ETag"] == 'W/"1"'
    saved = client.patch(
        f"/api/v2/stappen/{step.id}",
        json={"aantekeningen": "Eerste."},
        headers={"If-Match": 'W/"1"'},
    )
    assert saved.status_code == 200 and saved.headers["ETag"] == 'W/"2"'
    stale = client.patch(
        f"/api/v2/stappen/{step.id}", json={"aantekeningen": "Oud."}, headers={"If-Match": 'W/"1"'}
    )
    assert stale.status_code == 412
    assert client.get(f"/api/v2/stappen/{step.id}").json()["aantekeningen"] == "Eerste."

    url = f"/api/v2/cycli/{cycle.id}/ambitie"
    first = client.put(
        url, json={"tekst": "Iedereen doet mee.", "status": "concept"}, headers={"If-Match": "*"}
    )
    assert first.headers["ETag"] == 'W/"1"'
    client.put(
        url,
        json={"tekst": "Iedereen telt mee.", "status": "concept"},
        headers={"If-Match": 'W/"1"'},
    )
    refused = client.put(
        url, json={"tekst": "Oude tekst.", "status": "concept"}, headers={"If-Match": 'W/"1"'}
    )
    assert refused.status_code == 412
    assert client.get(url).json()["tekst"] == "Iedereen telt mee."


@pytest.mark.parametrize("version", [None, "", "²", "1.0", "99999999999999999999"])
def test_a_form_that_does_not_say_its_version_saves_nothing(client, session, organisation, version):
    cycle = factories.make_cycle(session, organisation)
    result = factories.make_result(session, cycle, "Over 3 jaar minder eenzaamheid.")
    form = {"text": "Overschreven?", "result_type": "substantive"}
    if version is not None:
        form["_versie"] = version
    response = client.post(f"/resultaten/{result.id}", data=form)
    assert response.status_code == 428
    assert "niets opgeslagen" in response.text
    step = cycle.steps[1]
    assert (
        client.post(
            f"/stappen/{step.id}",
            data={"status": "done", **({"_versie": version} if version is not None else {})},
        ).status_code
        == 428
    )
    assert client.post(f"/resultaten/{result.id}/verwijderen", data={}).status_code == 428
    session.expire_all()
    assert session.get(type(result), result.id).text == "Over 3 jaar minder eenzaamheid."


def test_deleting_what_someone_else_just_changed_is_refused(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    result = factories.make_result(session, cycle, "Over 3 jaar minder eenzaamheid.")
    response = client.post(f"/resultaten/{result.id}/verwijderen", data={"_versie": "7"})
    assert response.status_code == 409
    assert "niet verwijderd" in response.text
