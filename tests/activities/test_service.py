"""Activities, their links to results, and input kwaliteit."""

import pytest

from app.activities import service as activities_service
from app.activities.models import ActivityCreate, ActivityResultLinkCreate
from app.errors import InvalidInput
from tests import factories


class TestActivities:
    def test_the_partner_must_belong_to_the_organisation(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        stranger = factories.make_partner(session, factories.make_organisation(session))
        with pytest.raises(InvalidInput) as caught:
            activities_service.create_activity(
                session, cycle, ActivityCreate(name="Maatje", partner_id=stranger.id)
            )
        assert caught.value.errors == {"partner_id": "Kies een partner uit de lijst."}

    def test_a_negative_budget_is_refused(self):
        with pytest.raises(ValueError, match="greater than or equal to 0"):
            ActivityCreate(name="Maatje", annual_budget=-1)


class TestLinks:
    def test_an_activity_can_serve_several_results(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        activity = factories.make_activity(session, cycle)
        first, second = factories.make_result(session, cycle), factories.make_result(session, cycle)
        factories.make_link(session, activity, first)
        factories.make_link(session, activity, second)
        linked = {link.result_id for link in activities_service.list_links(session, activity)}
        assert linked == {first.id, second.id}

    def test_a_result_of_another_theme_cannot_be_linked(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        elsewhere = factories.make_result(session, factories.make_cycle(session, organisation))
        activity = factories.make_activity(session, cycle)
        with pytest.raises(InvalidInput) as caught:
            activities_service.create_link(
                session, activity, ActivityResultLinkCreate(result_id=elsewhere.id)
            )
        assert caught.value.errors == {
            "result_id": "Kies een resultaat van dit thema en deze cyclus."
        }

    def test_the_same_link_twice_is_refused(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        activity, result = (
            factories.make_activity(session, cycle),
            factories.make_result(session, cycle),
        )
        factories.make_link(session, activity, result)
        with pytest.raises(InvalidInput, match="al aan dit resultaat gekoppeld"):
            factories.make_link(session, activity, result)


class TestMatrix:
    def test_flags_means_without_ends_and_ends_without_means(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        linked, lonely_activity = (factories.make_activity(session, cycle) for _ in range(2))
        served, lonely_result = (factories.make_result(session, cycle) for _ in range(2))
        factories.make_link(session, linked, served)
        matrix = activities_service.matrix(session, cycle)
        assert [a.id for a in matrix.activities_without_result()] == [lonely_activity.id]
        assert [r.id for r in matrix.results_without_activity()] == [lonely_result.id]
        assert matrix.link(linked, served) is not None
        assert matrix.contributors(served) == 1
