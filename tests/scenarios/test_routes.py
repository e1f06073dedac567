"""Scenario pages and API: create, what the cut does, choices by hand, compare, adopt."""

import html
import re
from decimal import Decimal

import pytest
from sqlmodel import select

from app.activities.models import Activity
from app.formatting import format_date
from app.organisations.models import Partner, Role
from app.results.models import Result
from app.tables import utc_now
from tests import factories


@pytest.fixture
def cycle(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    first = factories.make_result(session, cycle, "Minder terugval in de bijstand")
    second = factories.make_result(session, cycle, "Meer inwoners doen mee")
    partner = factories.make_partner(session, organisation, "De Kern")
    maatje = factories.make_activity(
        session, cycle, name="Maatje bij werkhervatting", partner=partner, budget="60000"
    )
    factories.make_link(session, maatje, first)
    bingo = factories.make_activity(session, cycle, name="Bingomiddag", budget="40000")
    factories.make_link(session, bingo, second)
    return cycle


def create(client, cycle, **fields) -> str:
    form = {
        "name": "Taakstelling 2020",
        "cycle_id": str(cycle.id),
        "made_on": "01-10-2019",
        "cut_kind": "percent",
        "cut_value": "30",
        **fields,
    }
    response = client.post("/scenarios", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_create_a_scenario_and_see_what_the_cut_does(client, cycle):
    assert "Scenario's bij een bezuiniging" in client.get("/scenarios").text
    page = client.get(create(client, cycle)).text
    assert "Taakstelling 2020" in page
    assert "Bespaard" in page and "€ 40.000 per jaar" in page
    assert "Gestopt" in page
    assert "⚠ geen activiteit meer" in page  # "Meer inwoners doen mee" loses its only activity
    assert '<svg viewBox="0 0 640' in page
    listing = client.get("/scenarios").text
    assert "Taakstelling 2020" in listing and "1 oktober 2019" in listing


def test_a_mistake_is_shown_next_to_the_field_with_the_input_kept(client, cycle):
    response = client.post(
        "/scenarios", data={"name": "Te veel", "cut_kind": "percent", "cut_value": "120"}
    )
    assert response.status_code == 422
    assert "Een percentage is hoogstens 100." in response.text
    assert 'value="Te veel"' in response.text


def choice_field(page: str, activity: str) -> str:
    return re.search(rf'for="choices-(keuze-\d+)">Keuze voor {activity}<', page).group(1)


def test_a_choice_by_hand_is_recomputed(client, cycle):
    url = create(client, cycle)
    page = client.get(url).text
    field = choice_field(page, "Bingomiddag")
    response = client.post(f"{url}/keuzes", data={field: "keep"}, follow_redirects=False)
    assert response.status_code == 303
    page = client.get(url).text
    assert "(met de hand: behouden)" in page
    assert "€ 60.000" in page  # Maatje now stops instead (the cut needs 30,000)


def test_an_impossible_choice_is_refused_next_to_the_activity(client, cycle):
    url = create(client, cycle)
    field = choice_field(client.get(url).text, "Bingomiddag")
    response = client.post(f"{url}/keuzes", data={field: "reduce"})
    assert response.status_code == 422
    assert "Deze activiteit heeft geen minimumniveau" in response.text


def test_an_impossible_scenario_is_explained(client, cycle):
    url = create(client, cycle, covered_top_results="2")
    page = client.get(url).text
    assert "Dit scenario kan niet binnen de grenzen" in page
    assert "elk resultaat in de top 2 houdt minstens één activiteit" in page
    assert "Scenario vaststellen" not in page


def test_compare_two_scenarios(client, session, cycle):
    first = create(client, cycle)
    second = create(client, cycle, name="Grote stap", cut_value="50")
    ids = [first.rsplit("/", 1)[1], second.rsplit("/", 1)[1]]
    page = html.unescape(
        client.get(f"/scenarios/vergelijken?scenario={ids[0]}&scenario={ids[1]}").text
    )
    assert "Taakstelling 2020" in page and "Grote stap" in page
    # partners and activities are in it, each difference marked in words
    kern = re.search(r"<th[^>]*>De Kern.*?</tr>", page, re.S)[0]
    assert "verschilt" in kern and "€ 60.000 (−0%)" in kern and "€ 0 (−100%)" in kern
    bingo = re.search(r"<th[^>]*>Bingomiddag.*?</tr>", page, re.S)[0]
    assert "Gestopt, € 0" in bingo and "Behouden, € 40.000" in bingo
    assert "2 van 2 verschillen tussen de scenario's" in page
    # results by the code the step pages use
    code = session.exec(select(Result.code).where(Result.cycle_id == cycle.id)).first()
    assert f"{code}. Minder terugval in de bijstand" in page
    assert (
        client.get(f"/scenarios/vergelijken?scenario={ids[0]}", follow_redirects=False)
        .headers["location"]
        .startswith("/scenarios?vergelijken")
    )


def test_adopt_a_scenario_as_the_decision(client, cycle):
    url = create(client, cycle)
    response = client.post(f"{url}/vaststellen", data={"rationale": ""})
    assert response.status_code == 422 and "Vul dit veld in." in response.text
    # first what adopting will write, nothing written yet
    confirm = client.post(f"{url}/vaststellen", data={"rationale": "Terugval voorkomen gaat voor."})
    assert confirm.status_code == 200
    assert "Scenario “Taakstelling 2020” vaststellen?" in confirm.text
    assert "Bingomiddag" in confirm.text and "Stoppen" in confirm.text
    assert 'name="bevestigd" value="1"' in confirm.text
    assert "Scenario vaststellen" in client.get(url).text  # not adopted yet
    response = client.post(
        f"{url}/vaststellen",
        data={"rationale": "Terugval voorkomen gaat voor.", "bevestigd": "1"},
    )
    assert response.status_code == 200
    assert "Vastgesteld op" in response.text and "Terugval voorkomen gaat voor." in response.text
    assert "Opnieuw uitrekenen" not in response.text
    step_6 = client.get(f"/cycli/{cycle.id}/stappen/6").text
    assert "Scenario ‘Taakstelling 2020’: gestopt" in step_6
    # who adopted it decided, and when: no decision says that is still unknown
    assert "Nog niet vastgelegd wie dit besloot en wanneer" not in step_6
    assert format_date(utc_now().date()) in step_6
    # the activity's status now and the decision for the next cycle each say which they are
    assert "Voor de volgende cyclus: <span" in step_6 and "In deze cyclus:" in step_6
    assert "In deze cyclus: </span>" in client.get(f"/cycli/{cycle.id}/stappen/3").text
    cycle_page = client.get(f"/cycli/{cycle.id}").text
    assert "Besluiten bij een bezuiniging" in cycle_page
    assert "Terugval voorkomen gaat voor." in cycle_page


def test_a_reader_sees_an_adopted_scenario_but_cannot_change_it(client_as, client, cycle):
    url = create(client, cycle)
    client.post(
        f"{url}/vaststellen",
        data={"rationale": "Terugval voorkomen gaat voor.", "bevestigd": "1"},
    )
    reader = client_as(Role.READER)
    page = reader.get(url)
    assert page.status_code == 200 and "Bingomiddag" in page.text
    assert "Opnieuw uitrekenen" not in page.text
    assert reader.post(f"{url}/keuzes", data={}).status_code == 403
    assert reader.post(f"{url}/vaststellen", data={"rationale": "x"}).status_code == 403


def _partner(session, name: str):
    return session.exec(select(Partner).where(Partner.name == name)).one()


def test_drafts_stay_with_those_who_prepare_the_decision(client_as, client, session, cycle):
    url = create(client, cycle, name="Concept met kortingen")
    scenario_id = int(url.rsplit("/", 1)[1])
    other = create(client, cycle, name="Tweede concept")
    facilitator = client_as(Role.FACILITATOR)
    assert "Concept met kortingen" in facilitator.get("/scenarios").text
    assert facilitator.get(url).status_code == 200
    for role, partner in ((Role.READER, None), (Role.PARTNER, _partner(session, "De Kern"))):
        member = client_as(role, partner=partner)
        assert "Concept met kortingen" not in member.get("/scenarios").text
        assert member.get(url).status_code == 404
        assert (
            member.get(
                f"/scenarios/vergelijken?scenario={scenario_id}&scenario={other.rsplit('/', 1)[1]}"
            ).status_code
            == 404
        )
        assert member.get("/api/v2/scenarios").json()["items"] == []
        assert member.get(f"/api/v2/scenarios/{scenario_id}").status_code == 404
        assert member.get(f"/api/v2/scenarios/{scenario_id}/uitkomst").status_code == 404


def test_a_partner_reads_an_adopted_scenario_as_far_as_their_own_activities_go(
    client_as, client, session, cycle
):
    url = create(client, cycle)
    scenario_id = int(url.rsplit("/", 1)[1])
    client.post(
        f"{url}/vaststellen",
        data={"rationale": "Terugval voorkomen gaat voor.", "bevestigd": "1"},
    )
    kern = client_as(Role.PARTNER, partner=_partner(session, "De Kern"))
    page = kern.get(url).text
    assert "Maatje bij werkhervatting" in page and "Bingomiddag" not in page
    outcome = kern.get(f"/api/v2/scenarios/{scenario_id}/uitkomst").json()
    assert [a["naam"] for a in outcome["activiteiten"]] == ["Maatje bij werkhervatting"]
    assert [p["naam"] for p in outcome["partners"]] == ["De Kern"]
    assert outcome["resultaten"] == [] and outcome["totaalVoor"] == 60000
    assert "Je ziet het deel van dit besluit dat over de activiteiten van De Kern gaat." in page
    assert "van € 100.000" not in page and "gewogen naar prioriteit" not in page
    own_share = kern.get(f"/cycli/{cycle.id}").text
    assert "Bespaard in" in own_share and "bij De Kern" in own_share
    assert "van € 60.000" in own_share and "van € 100.000" not in own_share
    assert "van € 100.000" in client.get(f"/cycli/{cycle.id}").text
    assert "Bingomiddag" in client.get(f"/api/v2/scenarios/{scenario_id}/uitkomst").text


def test_the_api_gives_the_outcome_and_adopts(client, cycle):
    created = client.post(
        "/api/v2/scenarios",
        json={
            "naam": "API",
            "cyclusId": cycle.id,
            "soortBezuiniging": "bedrag",
            "bezuinigingWaarde": 40000,
        },
    )
    assert created.status_code == 201, created.text
    scenario_id = created.json()["id"]
    outcome = client.get(f"/api/v2/scenarios/{scenario_id}/uitkomst").json()
    assert outcome["haalbaar"] and outcome["totaalNa"] == 60000
    bingo = next(a for a in outcome["activiteiten"] if a["naam"] == "Bingomiddag")
    changed = client.put(
        f"/api/v2/scenarios/{scenario_id}/keuzes",
        json={"keuzes": {str(bingo["id"]): "behouden"}},
        headers={"If-Match": "*"},
    ).json()
    assert {a["naam"]: a["niveau"] for a in changed["activiteiten"]}["Bingomiddag"] == "behouden"
    adopted = client.post(
        f"/api/v2/scenarios/{scenario_id}/vaststelling",
        json={"onderbouwing": "Ja"},
        headers={"If-Match": "*"},
    )
    assert adopted.status_code == 200 and adopted.json()["vastgesteldDoor"]
    assert (
        client.delete(f"/api/v2/scenarios/{scenario_id}", headers={"If-Match": "*"}).status_code
        == 409
    )


def test_a_cycle_page_shows_its_own_part_of_an_organisation_wide_cut(
    client, session, organisation, cycle
):
    """The Jong cycle page showed EUR 126.200 of EUR 1.554.000: the whole organisation's."""
    other = factories.make_cycle(
        session, organisation, theme=factories.make_theme(session, organisation, "Vitaal")
    )
    walking = factories.make_activity(session, other, name="Wandelgroep", budget="900000")
    factories.make_link(session, walking, factories.make_result(session, other, "Fitter oud"))
    url = create(client, cycle, cycle_id="", cut_value="5")
    assert (
        client.post(f"{url}/vaststellen", data={"rationale": "Samen", "bevestigd": "1"}).status_code
        == 200
    )
    page = client.get(f"/cycli/{cycle.id}").text
    budget_section = page[page.index("Besluiten bij een bezuiniging") :]
    assert "van € 100.000" in budget_section  # this theme's 60.000 + 40.000
    assert "Het hele scenario" in budget_section and "van € 1.000.000" in budget_section


def test_an_open_scenario_says_when_its_figures_changed_with_the_data(client, session, cycle):
    url = create(client, cycle)
    assert "De cijfers zijn opnieuw uitgerekend" not in client.get(url).text
    # its own choices are not a change of the data under it
    bingo = session.exec(select(Activity).where(Activity.name == "Bingomiddag")).one()
    form = {f"keuze-{bingo.id}": "keep"}
    assert client.post(f"{url}/keuzes", data=form, follow_redirects=False).status_code == 303
    assert "De cijfers zijn opnieuw uitgerekend" not in client.get(url).text
    # a budget changed in the cycle is
    bingo = session.get(Activity, bingo.id)
    bingo.annual_budget = Decimal(50000)
    session.add(bingo)
    session.commit()
    page = client.get(url).text
    assert "De cijfers zijn opnieuw uitgerekend" in page and "andere bedragen" in page
    api = client.get(f"/api/v2/scenarios/{url.rsplit('/', 1)[1]}/uitkomst").json()
    assert api["gegevensGewijzigdOp"]


def test_each_activity_says_why_and_what_keeping_it_would_cost(client, session, cycle):
    url = create(client, cycle, max_partner_loss="10")
    page = html.unescape(client.get(url).text)
    # Maatje: held by the partner limit; Bingomiddag: stopped, gives less per euro
    assert "De grens voor De Kern houdt dit vast" in page
    assert "Alle activiteiten die blijven dragen per euro meer bij." in page
    assert "per € 1.000 bij aan de resultaten, gewogen naar prioriteit: plaats 2 van 2" in page
    link = re.search(r'href="([^"]+/houden)"', page)[1]
    assert link.endswith(f"/activiteiten/{_activity(session, 'Bingomiddag')}/houden")
    cost = html.unescape(client.get(link, headers={"HX-Request": "true"}).text)
    assert "Met € 40.000 meer budget blijft het helemaal" in cost
    # Within the budget Maatje would have to stop, which its partner may not lose
    assert "kan het niet blijven" in cost and "een partner verliest hoogstens 10%" in cost
    assert "Daarin tellen de keuzes met de hand mee: Bingomiddag: behouden." in cost


def test_keeping_an_activity_within_the_budget_says_what_it_costs_and_what_moves(client, cycle):
    url = create(client, cycle)
    page = client.get(url).text
    cost = html.unescape(client.get(re.search(r'href="([^"]+/houden)"', page)[1]).text)
    # the weighted contribution falls from 6 of 9 to 3 of 9: Maatje stops instead
    assert "33,3 procentpunt omlaag" in cost
    assert "Maatje bij werkhervatting: behouden wordt gestopt" in cost
    client.post(f"{url}/vaststellen", data={"rationale": "Akkoord.", "bevestigd": "1"})
    adopted = client.get(url).text
    assert "Alle activiteiten die blijven dragen per euro meer bij." in adopted  # kept with it
    assert "/houden" not in adopted


def _activity(session, name: str) -> int:
    return session.exec(select(Activity).where(Activity.name == name)).one().id


def test_an_impossible_cut_names_the_hand_choices_that_make_it_so(client, cycle):
    url = create(client, cycle)
    page = client.get(url).text
    fields = {
        choice_field(page, name): "keep" for name in ("Bingomiddag", "Maatje bij werkhervatting")
    }
    client.post(f"{url}/keuzes", data=fields)
    assert (
        "De keuzes die met de hand zijn gemaakt (Bingomiddag: behouden; Maatje bij "
        "werkhervatting: behouden) kosten samen al € 30.000 meer"
    ) in html.unescape(client.get(url).text)
