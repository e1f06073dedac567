"""Step 1: the ambition, formulated, reworded and restored through the page."""

from app.ambitions import service as ambitions_service
from tests import factories


def test_formulate_then_reword_keeps_the_earlier_version(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    url = f"/cycli/{cycle.id}/ambitie"
    client.post(url, data={"text": "Iedereen doet mee.", "status": "draft"})
    response = client.post(
        url,
        data={
            "text": "Iedereen telt mee.",
            "status": "agreed",
            "adopted_by": "council",
            "agreed_on": "14-02-2019",
            "_versie": "1",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(f"/cycli/{cycle.id}/stappen/1").text
    assert "Iedereen telt mee." in page
    assert "Vastgesteld" in page and "14 februari 2019" in page
    assert "Eerdere versies" in page and "Iedereen doet mee." in page


def test_an_empty_ambition_is_refused_with_the_status_kept(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    response = client.post(f"/cycli/{cycle.id}/ambitie", data={"text": " ", "status": "agreed"})
    assert response.status_code == 422
    assert "Vul dit veld in." in response.text
    assert '<option value="agreed" selected>' in response.text


def test_a_date_of_agreement_needs_an_agreed_ambition(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    response = client.post(
        f"/cycli/{cycle.id}/ambitie",
        data={"text": "Samen.", "status": "draft", "agreed_on": "2019-02-14"},
    )
    assert response.status_code == 422
    assert "hoort alleen bij een vastgestelde ambitie" in response.text


def test_restore_an_earlier_version(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    factories.make_ambition(session, cycle, "Oud.")
    factories.make_ambition(session, cycle, "Nieuw.")
    session.expire_all()
    draft = ambitions_service.get_ambition(session, cycle).drafts[0]
    response = client.post(f"/ambitie-versies/{draft.id}/terugzetten", follow_redirects=False)
    assert response.status_code == 303
    page = client.get(f"/cycli/{cycle.id}/stappen/1").text
    assert page.index("Oud.") < page.index("Eerdere versies")
