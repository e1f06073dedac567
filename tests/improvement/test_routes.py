"""Step 6 and starting the next cycle through the pages."""

from tests import factories


def test_a_reflection_with_an_improvement_action(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    client.post(
        f"/cycli/{cycle.id}/reflecties",
        data={
            "reflected_on": "18-11-2021",
            "went_well": "De maatjes werken.",
            "could_improve": "Jongeren bereiken.",
        },
    )
    page = client.get(f"/cycli/{cycle.id}/stappen/6").text
    assert "Reflectie van 18 november 2021" in page


def test_start_the_next_cycle_after_confirming(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    factories.fill_cycle(session, organisation, cycle)
    confirm = client.get(f"/cycli/{cycle.id}/volgende-cyclus").text
    assert "Start cyclus 2023–2026" in confirm
    response = client.post(f"/cycli/{cycle.id}/volgende-cyclus", follow_redirects=False)
    assert response.status_code == 303
    new_page = client.get(response.headers["location"]).text
    assert "Cyclus 2023–2026" in new_page
    old_step = client.get(f"/cycli/{cycle.id}/stappen/2").text
    assert "Deze cyclus is afgesloten" in old_step
    assert "Resultaat toevoegen" not in old_step
    assert "Bewerken" not in old_step
