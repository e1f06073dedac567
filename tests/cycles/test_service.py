"""Themes, cycles, steps and the organisation boundary."""

from datetime import date

import pytest

from app.cycles import service as cycles_service
from app.cycles.models import Cycle, CycleCreate, CycleStatus, StepStatus, ThemeCreate
from app.errors import Conflict, CycleClosed, InvalidInput, NotFound
from tests import factories


class TestThemes:
    def test_new_themes_go_last(self, session, organisation):
        first = factories.make_theme(session, organisation, "Jong")
        second = factories.make_theme(session, organisation, "Werk")
        assert [t.name for t in cycles_service.list_themes(session, organisation)] == [
            "Jong",
            "Werk",
        ]
        assert second.position > first.position

    def test_names_are_unique_within_an_organisation_ignoring_case(self, session, organisation):
        factories.make_theme(session, organisation, "Werk")
        with pytest.raises(InvalidInput) as caught:
            cycles_service.create_theme(session, organisation, ThemeCreate(name="werk"))
        assert caught.value.errors == {"name": "Er is al een thema met deze naam."}

    def test_another_organisation_may_use_the_same_name(self, session, organisation):
        factories.make_theme(session, organisation, "Werk")
        other = factories.make_organisation(session)
        assert factories.make_theme(session, other, "Werk").name == "Werk"

    def test_a_theme_of_another_organisation_is_not_found(self, session, organisation):
        other_theme = factories.make_theme(session, factories.make_organisation(session))
        with pytest.raises(NotFound):
            cycles_service.get_theme(session, organisation, other_theme.id)


class TestCycles:
    def test_a_new_cycle_has_the_seven_steps_not_started(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        assert [s.number for s in cycle.steps] == list(range(7))
        assert {s.status for s in cycle.steps} == {StepStatus.NOT_STARTED}
        assert cycle.status is CycleStatus.ACTIVE

    def test_only_one_running_cycle_per_theme(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        with pytest.raises(Conflict, match="al een lopende cyclus"):
            cycles_service.create_cycle(
                session, cycle.theme, CycleCreate(start_year=2023, end_year=2026)
            )

    @pytest.mark.usefixtures("handed_over_on_time")
    def test_the_next_cycle_follows_on_and_closes_the_previous(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        following = cycles_service.start_next_cycle(session, cycle)
        assert (following.start_year, following.end_year) == (2023, 2026)
        assert following.previous_cycle_id == cycle.id
        assert cycle.is_closed and cycle.closed_at is not None

    def test_a_closed_cycle_cannot_change(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        cycles_service.start_next_cycle(session, cycle)
        with pytest.raises(CycleClosed):
            cycles_service.update_cycle(session, cycle, CycleCreate(start_year=2019, end_year=2023))

    def test_deleting_the_latest_cycle_reopens_the_one_before(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        following = cycles_service.start_next_cycle(session, cycle)
        with pytest.raises(Conflict, match="laatste cyclus"):
            cycles_service.delete_cycle(session, cycle)
        cycles_service.delete_cycle(session, following)
        assert cycle.status is CycleStatus.ACTIVE and cycle.closed_at is None

    def test_a_cycle_of_another_organisation_is_not_found(self, session, organisation):
        other = factories.make_cycle(session, factories.make_organisation(session))
        with pytest.raises(NotFound):
            cycles_service.get_cycle(session, organisation, other.id)


class TestSteps:
    def test_recording_something_starts_the_step(self, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        factories.make_result(session, cycle)
        session.expire_all()
        cycle = cycles_service.get_cycle(session, organisation, cycle.id)
        assert cycles_service.step_of(cycle, 2).status is StepStatus.IN_PROGRESS
        assert cycles_service.step_of(cycle, 3).status is StepStatus.NOT_STARTED


# `today` is the function's argument, not the clock: these dates never expire.
@pytest.mark.parametrize(
    ("today", "period", "expected"),
    [
        (date(2023, 1, 16), (2019, 2022), (2023, 2026)),  # on time
        (date(2022, 3, 1), (2015, 2018), (2022, 2025)),  # late, early in the year
        (date(2022, 12, 7), (2015, 2018), (2023, 2026)),  # late, at the year's end
        (date(2022, 12, 7), (2019, 2022), (2023, 2026)),  # in the cycle's last December
    ],
)
def test_the_next_period_never_lies_in_the_past(today, period, expected):
    previous = Cycle(theme_id=1, start_year=period[0], end_year=period[1])
    proposed = cycles_service.next_period(previous, today)
    assert (proposed.start_year, proposed.end_year) == expected
