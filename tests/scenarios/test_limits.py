"""What a scenario may cost the server: a comparison takes a handful of scenarios, not
thousands."""

import pytest

from app.activities.models import Contribution
from app.organisations.models import Role
from app.scenarios import optimiser
from app.scenarios import service as scenarios_service
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


def test_the_comparison_takes_a_few_scenarios(client_as, session, organisation, milp_calls):
    cycle = factories.make_cycle(session, organisation)
    ids = [factories.make_scenario(session, organisation, cycle).id for _ in range(6)]
    lezer = client_as(Role.READER)
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
