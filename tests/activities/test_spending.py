"""Money as spent: planned and actual amounts per activity and year."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from app.activities import spending as spending_service
from app.activities.models import SpendingCreate
from app.errors import Duplicate, InvalidInput
from app.organisations.models import Role
from tests import factories


def _spending(year=2020, planned="12500", actual="11800.50"):
    return SpendingCreate(
        year=year,
        planned=Decimal(planned) if planned is not None else None,
        actual=Decimal(actual) if actual is not None else None,
    )


class TestSpending:
    def test_planned_and_actual_per_year(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        activity = factories.make_activity(session, cycle)
        spending_service.create_spending(session, activity, _spending(2021))
        spending_service.create_spending(session, activity, _spending(2020, actual=None))
        rows = spending_service.list_spending(session, activity)
        assert [r.year for r in rows] == [2020, 2021]
        total = spending_service.totals(rows)
        assert total.planned == Decimal(25000)
        assert total.actual == Decimal("11800.50")
        # 2020 has no actual spending yet: it does not count as saved.
        assert total.difference == Decimal("-699.50")
        assert spending_service.spending_by_activity(session, cycle) == {activity.id: rows}

    def test_one_row_per_year(self, session, organisation):
        activity = factories.make_activity(session, factories.make_cycle(session, organisation))
        spending_service.create_spending(session, activity, _spending(2020))
        with pytest.raises(Duplicate) as caught:
            spending_service.create_spending(session, activity, _spending(2020))
        assert "al ingevuld" in caught.value.errors["year"]

    def test_the_year_lies_within_the_cycle(self, session, organisation):
        activity = factories.make_activity(session, factories.make_cycle(session, organisation))
        with pytest.raises(InvalidInput) as caught:
            spending_service.create_spending(session, activity, _spending(2024))
        assert caught.value.errors == {
            "year": "Kies een jaar van deze cyclus: 2019 tot en met 2022."
        }

    def test_at_least_one_amount(self, session, organisation):
        activity = factories.make_activity(session, factories.make_cycle(session, organisation))
        with pytest.raises(InvalidInput) as caught:
            spending_service.create_spending(
                session, activity, _spending(planned=None, actual=None)
            )
        assert "planned" in caught.value.errors

    def test_negative_amounts_are_refused(self):
        with pytest.raises(ValidationError):
            _spending(actual="-1")


class TestSpendingPages:
    def test_the_partner_enters_planned_and_actual(self, client_as, session, organisation):
        partner = factories.make_partner(session, organisation, "De Kern")
        cycle = factories.make_cycle(session, organisation)
        activity = factories.make_activity(session, cycle, partner=partner, name="Maatjes")
        client = client_as(Role.PARTNER, partner=partner)
        response = client.post(
            f"/activiteiten/{activity.id}/bestedingen",
            data={"year": "2020", "planned": "12.500", "actual": "11.800,50"},
        )
        assert response.status_code == 200
        page = client.get(f"/cycli/{cycle.id}/stappen/3").text
        assert "€ 12.500" in page and "€ 11.800,50" in page

    def test_another_partner_may_not(self, client_as, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        own = factories.make_partner(session, organisation)
        activity = factories.make_activity(session, cycle, partner=own)
        other = client_as(Role.PARTNER, partner=factories.make_partner(session, organisation))
        response = other.post(
            f"/activiteiten/{activity.id}/bestedingen", data={"year": "2020", "planned": "1"}
        )
        assert response.status_code == 403

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"year": "2020", "planned": "-5"}, "planned", "niet negatief"),
            ({"year": "2020", "actual": "veel"}, "actual", "Vul een getal in"),
            ({"year": "twintig", "planned": "5"}, "year", "geheel getal"),
            ({"year": "2030", "planned": "5"}, "year", "2019 tot en met 2022"),
            ({"year": "2020"}, "planned", "begrote bedrag"),
        ],
    )
    def test_bad_amounts_get_a_dutch_message(
        self, client, session, organisation, data, field, message
    ):
        activity = factories.make_activity(session, factories.make_cycle(session, organisation))
        response = client.post(f"/activiteiten/{activity.id}/bestedingen", data=data)
        assert response.status_code == 422
        assert message in response.text
        assert f'name="{field}"' in response.text

    def test_the_api_refuses_a_negative_amount(self, client, session, organisation):
        activity = factories.make_activity(session, factories.make_cycle(session, organisation))
        response = client.post(
            f"/api/v2/activiteiten/{activity.id}/bestedingen", json={"jaar": 2020, "besteed": -1}
        )
        assert response.status_code == 400
        assert [p["name"] for p in response.json()["invalidParams"]] == ["besteed"]
