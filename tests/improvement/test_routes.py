"""Step 6 and starting the next cycle through the pages."""

from datetime import date
from decimal import Decimal

from app.cycles import service as cycles_service
from app.results import service as results_service
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


def test_the_hand_over_page_proposes_and_confirms_per_indicator(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    indicator = factories.make_indicator(session, result=factories.make_result(session, cycle))
    factories.make_measurement(session, indicator, date(2022, 3, 1), value="48")
    page = client.get(f"/cycli/{cycle.id}/volgende-cyclus").text
    assert f'name="baseline_value-{indicator.id}" type="text" value="48"' in page
    assert f'name="target_date-{indicator.id}" type="date" value="2026-12-31"' in page

    fields = {
        f"baseline_value-{indicator.id}": "48",
        f"baseline_date-{indicator.id}": "01-03-2022",
        f"target_value-{indicator.id}": "65",
        f"target_date-{indicator.id}": "01-01-2022",
    }
    refused = client.post(f"/cycli/{cycle.id}/volgende-cyclus", data=fields)
    assert refused.status_code == 422
    assert "De streefdatum moet na de datum van de nulmeting liggen." in refused.text
    assert 'value="65"' in refused.text  # what was typed is kept
    assert not cycles_service.get_cycle(session, organisation, cycle.id).is_closed

    fields[f"target_date-{indicator.id}"] = "31-12-2026"
    done = client.post(f"/cycli/{cycle.id}/volgende-cyclus", data=fields, follow_redirects=False)
    assert done.status_code == 303
    new_cycle_id = int(done.headers["location"].rsplit("/", 1)[1])
    new_cycle = cycles_service.get_cycle(session, organisation, new_cycle_id)
    new = results_service.list_results(session, new_cycle)[0].indicators[0]
    assert new.target_value == Decimal(65) and new.predecessor_id == indicator.id

    curve = client.get(f"/indicatoren/{new.id}").text
    assert "Cyclus 2019–2022" in curve and "Cyclus 2023–2026" in curve
    assert "1 maart 2022" in curve  # the earlier cycle's meting, in the same series
