"""The statutory BBV beleidsindicatoren, picked when adding an indicator."""

import pytest

from app.errors import InvalidInput
from app.results import catalogue
from app.results import service as results_service
from app.results.models import Direction, Frequency, IndicatorCreate
from tests import factories


def test_the_catalogue_holds_numbers_17_to_32_with_name_unit_and_source():
    assert [entry.number for entry in catalogue.CATALOGUE] == list(range(17, 33))
    assert all(entry.name and entry.unit and entry.source for entry in catalogue.CATALOGUE)
    banen = catalogue.bbv_indicator(21)
    assert banen.name == "Banen" and banen.direction is Direction.HIGHER
    assert catalogue.bbv_indicator(32).name == "Cliënten met een maatwerkarrangement Wmo"
    assert catalogue.bbv_indicator(5) is None


def test_picking_one_fills_the_new_indicator_form(client, session, organisation):
    result = factories.make_result(session, factories.make_cycle(session, organisation))
    page = client.get(f"/resultaten/{result.id}/indicatoren/nieuw?bbv=24").text
    assert 'value="Netto arbeidsparticipatie"' in page
    assert 'value="% van de beroepsbevolking"' in page
    assert '<option value="24" selected>' in page


def test_step_2_offers_the_catalogue(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    factories.make_result(session, cycle)
    page = client.get(f"/cycli/{cycle.id}/stappen/2").text
    assert "Of kies een wettelijke BBV-beleidsindicator" in page
    assert "29. Jongeren met jeugdhulp (% van alle jongeren tot 18 jaar)" in page


def test_a_picked_indicator_keeps_its_number_and_frequency(client, session, organisation):
    result = factories.make_result(session, factories.make_cycle(session, organisation))
    response = client.post(
        f"/resultaten/{result.id}/indicatoren",
        data={
            "bbv_number": "29",
            "name": "Jongeren met jeugdhulp",
            "direction": "lower",
            "expected_frequency": "half_yearly",
        },
    )
    assert response.status_code == 200
    (indicator,) = results_service.list_indicators_of_result(session, result)
    assert indicator.bbv_number == 29 and indicator.expected_frequency is Frequency.HALF_YEARLY
    assert "Wettelijke BBV-beleidsindicator 29" in response.text


def test_an_unknown_number_is_refused(client, session, organisation):
    result = factories.make_result(session, factories.make_cycle(session, organisation))
    response = client.post(
        f"/resultaten/{result.id}/indicatoren",
        data={"bbv_number": "40", "name": "X", "direction": "lower"},
    )
    assert response.status_code == 422


def test_an_activity_indicator_is_not_a_bbv_indicator(session, organisation):
    activity = factories.make_activity(session, factories.make_cycle(session, organisation))
    with pytest.raises(InvalidInput) as caught:
        results_service.create_indicator(
            session,
            IndicatorCreate(name="X", bbv_number=21, rba_question="how_much"),
            cycle_id=activity.cycle_id,
            activity_id=activity.id,
        )
    assert "hele bevolking" in caught.value.errors["bbv_number"]
