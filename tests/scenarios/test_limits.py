"""What a scenario may cost the server: its outcome is solved once per version of the data it
depends on and kept, the solver works within a bound the page mentions when it was hit, and a
comparison takes a handful of scenarios, not thousands."""

import random
from decimal import Decimal

import pytest
from sqlmodel import select

from app.activities.models import Activity, ActivityResultLink, Contribution
from app.organisations.models import Partner, PartnerType, Role
from app.results.models import Result
from app.scenarios import optimiser
from app.scenarios import service as scenarios_service
from app.scenarios.models import Pin
from tests import factories

STRENGTHS = [Contribution.SMALL, Contribution.MEDIUM, Contribution.LARGE]


@pytest.fixture
def milp_calls(monkeypatch) -> list[dict]:
    """Every call of the MILP solver, with its options (the time limit among them)."""
    calls: list[dict] = []
    solve = optimiser.milp

    def counted(*args, **kwargs):
        calls.append(kwargs.get("options", {}))
        return solve(*args, **kwargs)

    monkeypatch.setattr(optimiser, "milp", counted)
    return calls


@pytest.fixture
def small(session, organisation):
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
    scenario = factories.make_scenario(session, organisation, cycle, cut="30")
    return scenario, maatje, bingo


def test_an_outcome_is_solved_once_per_version_of_its_data(
    client_as, session, organisation, small, milp_calls
):
    scenario, maatje, bingo = small
    lezer = client_as(Role.FACILITATOR)  # a draft: for those who prepare it
    url = f"/scenarios/{scenario.id}"

    assert lezer.get(url).status_code == 200
    solved = len(milp_calls)
    assert solved >= 1
    for viewer in (lezer, client_as(Role.FACILITATOR), client_as(Role.ADMIN)):
        assert viewer.get(url).status_code == 200
    assert client_as(Role.ADMIN).get(f"/api/v2/scenarios/{scenario.id}/uitkomst").is_success
    assert len(milp_calls) == solved  # every viewer sees the stored outcome

    # A name is not an input of the choice: shown as it is now, without solving again.
    session.get(Activity, bingo.id).name = "Bingo op vrijdag"
    session.flush()
    assert "Bingo op vrijdag" in lezer.get(url).text
    assert len(milp_calls) == solved

    # Every input of the choice makes a new version: a budget, a link, a priority, the
    # scenario's own settings and the choices by hand.
    changes = [
        lambda: setattr(session.get(Activity, maatje.id), "annual_budget", Decimal(70000)),
        lambda: setattr(
            session.exec(
                select(ActivityResultLink).where(ActivityResultLink.activity_id == bingo.id)
            ).one(),
            "contribution",
            Contribution.SMALL,
        ),
        lambda: [
            setattr(result, "rank", 3 - result.rank)
            for result in session.exec(
                select(Result).where(Result.cycle_id == scenario.cycle_id)
            ).all()
        ],
        lambda: setattr(
            scenarios_service.get_scenario(session, organisation, scenario.id),
            "max_partner_loss",
            Decimal(50),
        ),
        lambda: scenarios_service.set_choices(
            session,
            scenarios_service.get_scenario(session, organisation, scenario.id),
            {bingo.id: Pin.KEEP},
        ),
    ]
    for change in changes:
        change()
        session.flush()
        before = len(milp_calls)
        assert lezer.get(url).status_code == 200
        assert len(milp_calls) > before, change
        after = len(milp_calls)
        assert lezer.get(url).status_code == 200
        assert len(milp_calls) == after


def large_cycle(session, organisation, activities: int = 1000, seed: int = 1):
    """A cycle as the optimiser benchmark makes them (bench/optimizer.py): 1,000 activities
    over 100 results and 50 partners, written in bulk."""
    rnd = random.Random(seed)
    cycle = factories.make_cycle(session, organisation)
    results = [Result(cycle_id=cycle.id, rank=n + 1, text=f"Resultaat {n + 1}") for n in range(100)]
    partners = [
        Partner(
            organisation_id=organisation.id,
            name=f"Partner {n} van {organisation.id}",
            partner_type=PartnerType.PROVIDER,
        )
        for n in range(activities // 20)
    ]
    session.add_all([*results, *partners])
    session.flush()
    rows = [
        Activity(
            cycle_id=cycle.id,
            name=f"Activiteit {n}",
            partner_id=rnd.choice(partners).id,
            annual_budget=Decimal(round(rnd.uniform(5, 500)) * 1000),
            minimum_level=rnd.choice([None] * 6 + [50, 60, 75, 75]),
            legal_duty=rnd.random() < 0.1,
        )
        for n in range(activities)
    ]
    session.add_all(rows)
    session.flush()
    session.add_all(
        [
            ActivityResultLink(
                activity_id=activity.id,
                result_id=result.id,
                contribution=rnd.choice(STRENGTHS),
            )
            for activity in rows
            for result in rnd.sample(results, rnd.randint(1, 3))
        ]
    )
    session.flush()
    return cycle


def test_the_solver_works_within_a_bound_and_the_page_says_when_it_was_hit(
    client_as, session, organisation, milp_calls, monkeypatch
):
    """1,000 activities and a cut that the partner limit makes impossible: unbounded, the
    explanation alone took two minutes of HiGHS."""
    monkeypatch.setattr(scenarios_service, "SOLVE_SECONDS", 0.3)
    cycle = large_cycle(session, organisation)
    scenario = factories.make_scenario(
        session, organisation, cycle, cut="8", max_partner_loss=Decimal(2), covered_top_results=5
    )
    lezer = client_as(Role.FACILITATOR)  # drafts are for those who prepare them
    page = lezer.get(f"/scenarios/{scenario.id}")
    assert page.status_code == 200
    assert "hoogstens 0,3 seconde" in page.text
    assert "die tijd was op" in page.text
    assert milp_calls and all(0 < call["time_limit"] <= 0.3 for call in milp_calls)
    solved = len(milp_calls)
    assert "die tijd was op" in lezer.get(f"/scenarios/{scenario.id}").text
    assert len(milp_calls) == solved  # the bounded outcome is kept too


def test_a_bounded_solve_that_found_a_choice_says_it_is_not_proven_best():
    rnd = random.Random(7)
    items = [
        optimiser.Item(
            id=n,
            cost=float(rnd.randint(5, 500) * 1000),
            contributions={r: rnd.randint(1, 3) for r in rnd.sample(range(100), 2)},
            partner=n % 50,
            minimum=rnd.choice([None, None, 50, 75]),
        )
        for n in range(1000)
    ]
    total = sum(i.cost for i in items)
    problem = optimiser.Problem(
        items=items,
        weights={r: 100 - r for r in range(100)},
        budget=total * 0.92,
        max_partner_loss=0.2,
        covered=list(range(5)),
    )
    found = optimiser.solve(problem, seconds=0.0)
    assert isinstance(found, optimiser.Unsolved)  # no time at all: nothing was tried
    found = optimiser.solve(problem, seconds=30)
    assert isinstance(found, optimiser.Solution) and found.optimal and not found.bounded


def test_the_comparison_takes_a_few_scenarios(client_as, session, organisation, milp_calls):
    cycle = factories.make_cycle(session, organisation)
    ids = [factories.make_scenario(session, organisation, cycle).id for _ in range(6)]
    lezer = client_as(Role.FACILITATOR)  # drafts are for those who prepare them
    many = lezer.get(
        "/scenarios/vergelijken", params={"scenario": [ids[0]] * 1400}, follow_redirects=False
    )
    assert many.status_code == 303
    assert not milp_calls
    listing = lezer.get(many.headers["location"]).text
    assert f"Vergelijk hoogstens {scenarios_service.MAX_COMPARED} scenario" in listing
    assert lezer.get("/scenarios/vergelijken", params={"scenario": ids[:4]}).status_code == 200


@pytest.mark.parametrize("huge", [str(2**31), str(2**63), "9" * 30, "-1", "²"])
def test_a_comparison_of_ids_that_cannot_exist_is_not_found(client, session, organisation, huge):
    scenario = factories.make_scenario(
        session, organisation, factories.make_cycle(session, organisation)
    )
    response = client.get("/scenarios/vergelijken", params={"scenario": [scenario.id, huge]})
    assert response.status_code == 404
    assert "Dit scenario bestaat niet (meer)." in response.text
