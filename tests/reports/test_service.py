"""The report's content model: the 3W/3H structure, with a constant number of queries."""

import uuid
from decimal import Decimal

from app.activities.models import SpendingCreate
from app.activities.spending import create_spending
from app.choices import Perspective
from app.reports import service as reports_service
from app.results.status import IndicatorStatus
from app.sessions import adoption, joining, running, voting
from tests import factories
from tests.reports.conftest import fill_report_cycle


def test_the_report_follows_the_three_questions(session, organisation, filled):
    cycle = filled["cycle"]
    report = reports_service.cycle_report(session, organisation, cycle)
    assert report.scope == f"Thema {cycle.theme.name}, cyclus 2019–2022"
    [theme] = report.themes
    assert theme.ambition == "Iedereen in Kampen doet mee, naar vermogen."
    # Wat wilden we bereiken: results in priority order, each with its status.
    assert [r.text for r in theme.results] == [
        "Minder inwoners voelen zich eenzaam",
        "Meer inwoners vinden duurzaam werk",
    ]
    lonely, work = theme.results
    assert lonely.status is IndicatorStatus.UNKNOWN and not lonely.activities
    assert work.figures[0].name == "Uitstroom naar werk"
    assert work.figures[0].latest == Decimal(47)
    # Wat hebben we gedaan: the activity with its three questions and partner.
    [maatje] = work.activities
    assert maatje.partner == "De Kern"
    assert [f.name for f in maatje.how_much] == ["Trajecten gestart"]
    assert [f.name for f in maatje.how_well] == ["Tevreden deelnemers"]
    assert [f.name for f in maatje.better_off] == ["Na een jaar nog aan het werk"]
    assert maatje.decision is not None and maatje.decision.label == "Versterken"
    # Wat heeft het gekost: planned against actual.
    assert theme.costs.annual_budget == Decimal(60000)
    assert theme.costs.planned == Decimal(60000) and theme.costs.actual == Decimal(57250)
    assert theme.costs.lines[0].money[0].difference == Decimal(-2750)
    # Verbetercyclus, stories, BBV annex, freshness.
    [reflection] = theme.improvement.reflections
    assert reflection.actions[0].description == "Werkgevers eerder betrekken"
    assert theme.stories[0].text == "Mo werkt weer, 24 uur."
    assert [f.bbv_number for f in theme.bbv] == [27]
    outflow = work.figures[0]
    assert outflow.freshness.stale  # a yearly figure of January 2021
    assert outflow.freshness.phrase.startswith("laatst bijgewerkt")
    assert report.stale_figures == report.figure_count == 4


def test_the_organisation_report_takes_each_themes_running_cycle(session, organisation, filled):
    other = factories.make_cycle(session, organisation)
    report = reports_service.organisation_report(session, organisation)
    assert report.scope == "Hele organisatie"
    assert {t.cycle_id for t in report.themes} == {filled["cycle"].id, other.id}


def test_the_number_of_queries_does_not_grow_with_the_organisation(
    session, organisation, filled, count_queries
):
    with count_queries() as small:
        reports_service.organisation_report(session, organisation)
    for _ in range(3):
        cycle = factories.make_cycle(session, organisation)
        fill_report_cycle(
            session, organisation, cycle, factories.make_partner(session, organisation)
        )
    session.expunge_all()
    with count_queries() as large:
        report = reports_service.organisation_report(session, organisation)
    assert len(report.themes) == 4
    assert large.count == small.count


def test_a_year_without_spending_yet_is_not_counted_as_saved(session, organisation, filled):
    create_spending(session, filled["maatje"], SpendingCreate(year=2022, planned=Decimal(65000)))
    report = reports_service.cycle_report(session, organisation, filled["cycle"])
    costs = report.themes[0].costs
    assert costs.planned == Decimal(125000) and costs.actual == Decimal(57250)
    assert costs.difference == Decimal(-2750)  # 2020 only: 57.250 spent of 60.000 planned


def test_how_priorities_were_set_shows_the_adopted_session_rounds(session, organisation, filled):
    cycle = filled["cycle"]
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "dots", target="results", dots=2)
    running.items_from_results(session, round_)
    running.start_round(session, round_)
    [work] = [i for i in running.items_of(session, round_) if "werk" in i.text]
    people = [
        joining.join(session, live, p, None)[1]
        for p in (Perspective.RESIDENT, Perspective.RESIDENT, Perspective.PROVIDER)
    ]
    for person in people:
        voting.cast_dot(session, person, round_.id, work.id, str(uuid.uuid4()))
    running.close_round(session, round_)
    adoption.adopt(session, round_, organisation, "Joost Mulder")

    report = reports_service.cycle_report(session, organisation, cycle)
    [evidence] = report.themes[0].priorities.sessions
    assert evidence.title.startswith(f"{live.title}, ronde {round_.position}")
    assert evidence.held_on == live.held_on
    assert "3 deelnemers (1 aanbieder, 2 inwoner of doelgroep)" in evidence.summary
    assert "door Joost Mulder" in evidence.summary
    assert evidence.lines[0] == "1. Meer inwoners vinden duurzaam werk (3 stemmen)"
