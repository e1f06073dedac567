"""The residents' voice as weights: a scenario weighs the results by an adopted round's votes,
overall or with every perspective weighing the same."""

import html
import uuid

import pytest

from app.choices import Perspective
from app.organisations.models import Role
from app.scenarios.models import WeightMode
from app.scenarios.weights import of_evidence
from app.sessions import adoption, joining, running, voting
from tests import factories

M, P, R = Perspective.MUNICIPALITY, Perspective.PROVIDER, Perspective.RESIDENT


def test_each_perspective_weighs_the_same_however_many_came():
    evidence = {
        1: {"score": 3, "verdeling": {"provider": 3, "resident": 0, "municipality": 0}},
        2: {"score": 2, "verdeling": {"provider": 0, "resident": 1, "municipality": 1}},
    }
    assert of_evidence(evidence, WeightMode.OVERALL) == {1: 600, 2: 400}
    assert of_evidence(evidence, WeightMode.PERSPECTIVES) == {1: 333, 2: 667}
    assert of_evidence({1: {"score": 0, "verdeling": {}}}, WeightMode.PERSPECTIVES) == {1: 0}


@pytest.fixture
def voted(session, organisation):
    """Three providers put their dot on Minder terugval, a resident and the municipality on
    Meer inwoners doen mee; the round is adopted as the cycle's results."""
    cycle = factories.make_cycle(session, organisation)
    first = factories.make_result(session, cycle, "Minder terugval in de bijstand")
    second = factories.make_result(session, cycle, "Meer inwoners doen mee")
    maatje = factories.make_activity(
        session, cycle, name="Maatje bij werkhervatting", budget="60000"
    )
    factories.make_link(session, maatje, first)
    bingo = factories.make_activity(session, cycle, name="Bingomiddag", budget="40000")
    factories.make_link(session, bingo, second)
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(
        session, live, "dots", target="results", dots=1, title="Wat gaat voor?"
    )
    items = {i.result_id: i for i in running.items_from_results(session, round_)}
    running.start_round(session, round_)
    for perspective, result in ((P, first), (P, first), (P, first), (R, second), (M, second)):
        person = joining.join(session, live, perspective, None)[1]
        voting.cast_dot(session, person, round_.id, items[result.id].id, str(uuid.uuid4()))
    running.close_round(session, round_)
    adoption.adopt(session, round_, organisation, "Joost")
    return cycle, round_


def test_a_scenario_weighs_by_the_rooms_votes_and_shows_both_weightings(client, voted, client_as):
    cycle, round_ = voted
    form = client.get("/scenarios").text
    assert "Wat gaat voor? (stippen)" in html.unescape(form)
    fields = {
        "name": "Met de stem van de zaal",
        "cycle_id": str(cycle.id),
        "made_on": "01-10-2019",
        "cut_kind": "percent",
        "cut_value": "40",
        "weight_round_id": str(round_.id),
        "weight_mode": "perspectives",
    }
    response = client.post("/scenarios", data=fields, follow_redirects=False)
    assert response.status_code == 303, response.text
    url = response.headers["location"]
    page = html.unescape(client.get(url).text)
    assert "stemmen uit een werksessie, elk perspectief even zwaar" in page
    # every perspective the same: Meer inwoners doen mee weighs 2 of 3, so Bingomiddag stays
    bingo = page[page.index("Bingomiddag") :][:400]
    assert "Behouden" in bingo
    both = html.unescape(client.get(f"{url}/weging").text)
    assert "Activiteiten die anders uitvallen" in both
    for name in ("Maatje bij werkhervatting", "Bingomiddag"):
        assert f">{name}<" in both
    assert "Gestopt, € 0" in both and "Behouden, € 40.000" in both
    assert "Minder terugval in de bijstand" in both and "Meer inwoners doen mee" in both
    # a round of another theme's cycle is refused next to the field, the input kept
    wrong = client.post("/scenarios", data={**fields, "cycle_id": ""})
    assert wrong.status_code == 422 and "Een ronde weegt de resultaten van haar eigen cyclus" in (
        html.unescape(wrong.text)
    )
    assert client_as(Role.READER).get(f"{url}/weging").status_code == 404  # a draft


def test_the_weight_source_changes_the_answer(client, session, voted):
    cycle, round_ = voted
    levels = {}
    for mode in ("overall", "perspectives"):
        url = client.post(
            "/scenarios",
            data={
                "name": mode,
                "cycle_id": str(cycle.id),
                "made_on": "01-10-2019",
                "cut_kind": "percent",
                "cut_value": "40",
                "weight_round_id": str(round_.id),
                "weight_mode": mode,
            },
        ).url.path
        outcome = client.get(f"/api/v2/scenarios/{url.rsplit('/', 1)[1]}/uitkomst").json()
        levels[mode] = {a["naam"]: a["niveau"] for a in outcome["activiteiten"]}
    assert levels["overall"] == {"Bingomiddag": "stoppen", "Maatje bij werkhervatting": "behouden"}
    assert levels["perspectives"] == {
        "Bingomiddag": "behouden",
        "Maatje bij werkhervatting": "stoppen",
    }
