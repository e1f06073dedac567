"""Step 2: prioritising results on the page."""

from tests import factories


def test_move_a_result_up_without_javascript(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    factories.make_result(session, cycle, "Eenzaamheid")
    second = factories.make_result(session, cycle, "Mantelzorg")
    response = client.post(
        f"/resultaten/{second.id}/verplaatsen", data={"richting": "omhoog"}, follow_redirects=False
    )
    assert response.status_code == 303
    page = client.get(f"/cycli/{cycle.id}/stappen/2").text
    assert page.index("Mantelzorg") < page.index("Eenzaamheid")


def test_move_with_htmx_returns_the_list(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    first = factories.make_result(session, cycle, "Eenzaamheid")
    factories.make_result(session, cycle, "Mantelzorg")
    response = client.post(
        f"/resultaten/{first.id}/verplaatsen",
        data={"richting": "omlaag"},
        headers={"HX-Request": "true", "HX-Target": "results-section"},
    )
    assert response.status_code == 200  # the redirect was followed, as htmx does
    assert response.text.lstrip().startswith('<section id="results-section"')
    assert response.text.index("Mantelzorg") < response.text.index("Eenzaamheid")


def test_the_top_result_offers_no_move_up(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    first = factories.make_result(session, cycle)
    factories.make_result(session, cycle)
    page = client.get(f"/cycli/{cycle.id}/stappen/2").text
    assert f'id="move-omhoog-{first.id}"' not in page
    assert f'id="move-omlaag-{first.id}"' in page
