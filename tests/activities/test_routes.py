"""Steps 3 to 5 on the page: links, the matrix, evidence and measurements."""

from tests import factories


def test_the_matrix_shows_each_contribution(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    result = factories.make_result(session, cycle, "Minder eenzaamheid")
    activity = factories.make_activity(session, cycle, name="Maatjesproject")
    factories.make_activity(session, cycle, name="Bingomiddag")
    factories.make_link(session, activity, result)
    page = client.get(f"/cycli/{cycle.id}/matrix").text
    assert "Maatjesproject" in page and "Sterk" in page
    assert "Doel of middel?" in page  # the bingo afternoon serves no result


def test_an_activity_linked_to_two_results(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    first = factories.make_result(session, cycle, "Minder eenzaamheid")
    second = factories.make_result(session, cycle, "Minder dure zorg")
    activity = factories.make_activity(session, cycle, name="Bingomiddag")
    for result in (first, second):
        response = client.post(
            f"/activiteiten/{activity.id}/koppelingen",
            data={
                "result_id": str(result.id),
                "contribution": "small",
                "assumption": "Ontmoeting helpt.",
            },
        )
        assert response.status_code == 200  # followed to the step page
    page = client.get(f"/cycli/{cycle.id}/stappen/3").text
    assert page.count("Ontmoeting helpt.") == 2
    assert "Doel of middel?" not in page


def test_set_the_evidence_level(client, session, organisation):
    activity = factories.make_activity(session, factories.make_cycle(session, organisation))
    client.post(f"/activiteiten/{activity.id}/erkenning", data={"evidence_level": "effective_good"})
    page = client.get(f"/cycli/{activity.cycle_id}/stappen/4").text
    # The dropdown lists every level; the activity's own line names the one chosen.
    assert "<strong>Erkenning:</strong> Effectief volgens goede aanwijzingen" in page


def test_measurements_counted_and_told(client, session, organisation):
    activity = factories.make_activity(session, factories.make_cycle(session, organisation))
    indicator = factories.make_indicator(session, activity=activity)
    response = client.post(
        f"/indicatoren/{indicator.id}/metingen",
        data={"measured_on": "2021-06-01", "value": "78,5", "story": "Zonder haar geen baan."},
        follow_redirects=False,
    )
    assert response.headers["location"].startswith(f"/indicatoren/{indicator.id}#meting-")
    outcome = client.get(f"/cycli/{activity.cycle_id}/stappen/5").text
    assert "78,5% (1 juni 2021)" in outcome and "Op koers" in outcome
    assert "Metingen (1)" in outcome
    curve = client.get(f"/indicatoren/{indicator.id}").text
    assert "Indicator bij activiteit" in curve
    assert "Zonder haar geen baan." in curve and "1 juni 2021" in curve


def test_a_budget_is_shown_in_euros(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    client.post(
        f"/cycli/{cycle.id}/activiteiten",
        data={"name": "Maatjes", "annual_budget": "48.000", "status": "new"},
    )
    page = client.get(f"/cycli/{cycle.id}/stappen/3").text
    assert "€ 48.000" in page
