"""Step 6 and starting the next cycle through the pages."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine

from app.cycles import service as cycles_service
from app.organisations.models import Role
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


@pytest.mark.usefixtures("handed_over_on_time")
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


@pytest.mark.usefixtures("handed_over_on_time")
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


def test_a_late_hand_over_proposes_a_period_ahead_and_takes_the_one_chosen(
    client_as, session, organisation
):
    """A 2019-2022 cycle handed over in December 2026 used to propose 2023-2026: new targets
    due within three weeks."""
    with time_machine.travel(datetime(2026, 12, 7, 9, tzinfo=UTC), tick=True):
        hand_over_late(client_as(Role.ADMIN), session, organisation)


def hand_over_late(client, session, organisation) -> None:
    cycle = factories.make_cycle(session, organisation)
    indicator = factories.make_indicator(session, result=factories.make_result(session, cycle))
    factories.make_measurement(session, indicator, date(2022, 3, 1), value="48")
    page = client.get(f"/cycli/{cycle.id}/volgende-cyclus").text
    assert "Start cyclus 2027–2030" in page
    assert f'name="target_date-{indicator.id}" type="date" value="2030-12-31"' in page
    # the nulmeting of March 2022 is far older than a year before 2027
    assert "De nulmeting is van 1 maart 2022" in page and "Voeg eerst een verse meting toe" in page

    chosen = {"start_year": "2028", "end_year": "2031", "_periode": "1"}
    planned = client.post(f"/cycli/{cycle.id}/volgende-cyclus", data=chosen)
    assert planned.status_code == 200 and "Start cyclus 2028–2031" in planned.text
    assert f'name="target_date-{indicator.id}" type="date" value="2031-12-31"' in planned.text
    assert not cycles_service.get_cycle(session, organisation, cycle.id).is_closed

    for start, message in (("2019", "begint na 2019"), ("2040", "tot en met 2031")):
        refused = client.post(
            f"/cycli/{cycle.id}/volgende-cyclus",
            data={"start_year": start, "end_year": str(int(start) + 3)},
        )
        assert refused.status_code == 422 and message in refused.text
        assert f'value="{start}"' in refused.text
    assert not cycles_service.get_cycle(session, organisation, cycle.id).is_closed

    started = client.post(
        f"/cycli/{cycle.id}/volgende-cyclus",
        data={"start_year": "2028", "end_year": "2031"},
        follow_redirects=False,
    )
    assert started.status_code == 303
    assert "Cyclus 2028–2031" in client.get(started.headers["location"]).text
