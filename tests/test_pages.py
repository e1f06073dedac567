"""Every page: whole for a browser, one fragment for htmx, and a constant number of queries."""

import pytest
from sqlalchemy.orm import object_session
from sqlmodel import select

from app.results import service as results_service
from app.scenarios.models import Scenario
from tests import factories

# (page, the id of a part that htmx refreshes in place, or None)
PAGES = [
    ("/", "themes-section"),
    ("/partners", "partners-section"),
    ("/themas/{theme}", "cycles-section"),
    ("/cycli/{cycle}", None),
    ("/cycli/{cycle}/stappen/0", "terms-section"),
    ("/cycli/{cycle}/stappen/1", "ambition-section"),
    ("/cycli/{cycle}/stappen/2", "results-section"),
    ("/cycli/{cycle}/stappen/3", "activities-section"),
    ("/cycli/{cycle}/stappen/4", "quality-section"),
    ("/cycli/{cycle}/stappen/5", "outcome-section"),
    ("/cycli/{cycle}/stappen/6", "decisions-section"),
    ("/cycli/{cycle}/matrix", None),
    ("/cycli/{cycle}/volgende-cyclus", None),
    ("/indicatoren/{indicator}", "measurements-section"),
    ("/themas/{theme}/wijzigingen", None),
    ("/wijzigingen", None),
    ("/leden", None),
    ("/account", None),
    ("/scenarios", "scenarios-section"),
    ("/scenarios/{scenario}", None),
    ("/metingen/importeren", None),
    ("/bestedingen/importeren", None),
    ("/partnerverzoeken", None),
]


@pytest.fixture
def cycle(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    factories.fill_cycle(session, organisation, cycle)
    factories.make_scenario(session, organisation, cycle, covered_top_results=1)
    return cycle


def address(page, cycle):
    session = object_session(cycle)
    indicator = results_service.list_results(session, cycle)[0].indicators[0]
    scenario = session.exec(select(Scenario).where(Scenario.cycle_id == cycle.id)).first()
    return page.format(
        cycle=cycle.id, theme=cycle.theme_id, indicator=indicator.id, scenario=scenario.id
    )


@pytest.mark.parametrize(("page", "part"), PAGES)
def test_a_browser_gets_the_whole_page(client, cycle, page, part):
    response = client.get(address(page, cycle))
    assert response.status_code == 200
    assert response.text.startswith("<!DOCTYPE html>")
    assert '<html lang="nl"' in response.text
    assert "HX-Request" in response.headers["vary"]


@pytest.mark.parametrize(("page", "part"), [p for p in PAGES if p[1]])
def test_htmx_gets_only_the_part_it_refreshes(client, cycle, page, part):
    response = client.get(address(page, cycle), headers={"HX-Request": "true", "HX-Target": part})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith(f'<section id="{part}"')


@pytest.mark.parametrize(("page", "part"), PAGES[:4])
def test_boosted_navigation_gets_the_whole_page(client, cycle, page, part):
    response = client.get(
        address(page, cycle),
        headers={"HX-Request": "true", "HX-Boosted": "true", "HX-Target": "themes-section"},
    )
    assert "<html" in response.text


@pytest.mark.parametrize(("page", "part"), PAGES)
def test_queries_do_not_grow_with_the_data(
    client, session, organisation, cycle, count_queries, page, part
):
    url = address(page, cycle)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    factories.make_theme(session, organisation)
    factories.fill_cycle(session, organisation, cycle, size=4)
    factories.make_partner(session, organisation)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count


def test_unknown_pages_and_ids_get_a_dutch_404(client, cycle):
    for url in (
        "/cycli/999999",
        "/cycli/999999/stappen/2",
        "/resultaten/999999/bewerken",
        "/bestaat-niet",
        "/cycli/abc",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Niet gevonden" in response.text or "bestaat niet" in response.text
