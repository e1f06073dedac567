"""A theme cycle with something in every part of the report."""

from datetime import date
from decimal import Decimal

import pytest

from app.activities import service as activities_service
from app.activities.models import SpendingCreate
from app.activities.spending import create_spending
from app.improvement import service as improvement_service
from app.improvement.models import ActivityDecisionCreate, Decision, ImprovementActionCreate
from app.results import service as results_service
from app.results.models import IndicatorCreate, MeasurementCreate, RbaQuestion, StoryCreate
from tests import factories


def measure(session, indicator, *values_by_year):
    for year, value in values_by_year:
        results_service.create_measurement(
            session,
            indicator,
            MeasurementCreate(measured_on=date(year, 1, 1), value=Decimal(value)),
        )


def fill_report_cycle(session, organisation, cycle, partner):
    """Ambition, two results (the second first in priority), indicators with measurements,
    activities answering the three questions, spending, a reflection, a decision, a story."""
    factories.make_ambition(session, cycle, "Iedereen in Kampen doet mee, naar vermogen.")
    work = factories.make_result(session, cycle, "Meer inwoners vinden duurzaam werk")
    alone = factories.make_result(session, cycle, "Minder inwoners voelen zich eenzaam")
    results_service.move_result(session, alone, 1)
    outflow = results_service.create_result_indicator(
        session,
        work,
        IndicatorCreate(
            name="Uitstroom naar werk",
            unit="%",
            baseline_value=Decimal(40),
            baseline_date=date(2019, 1, 1),
            target_value=Decimal(60),
            target_date=date(2022, 12, 31),
            bbv_number=27,
        ),
    )
    measure(session, outflow, (2020, "44"), (2021, "47"))
    results_service.create_result_story(
        session,
        work,
        StoryCreate(told_on=date(2021, 3, 1), source="Klantmanager", text="Mo werkt weer, 24 uur."),
    )
    maatje = factories.make_activity(
        session, cycle, partner=partner, name="Maatje bij werkhervatting", budget="60000"
    )
    factories.make_link(session, maatje, work)
    for question, name, value in (
        (RbaQuestion.HOW_MUCH, "Trajecten gestart", "85"),
        (RbaQuestion.HOW_WELL, "Tevreden deelnemers", "81"),
        (RbaQuestion.BETTER_OFF, "Na een jaar nog aan het werk", "62"),
    ):
        indicator = activities_service.create_activity_indicator(
            session, maatje, IndicatorCreate(name=name, rba_question=question, unit="aantal")
        )
        measure(session, indicator, (2021, value))
    create_spending(
        session,
        maatje,
        SpendingCreate(year=2020, planned=Decimal(60000), actual=Decimal(57250)),
    )
    reflection = factories.make_reflection(session, cycle)
    improvement_service.create_action(
        session,
        reflection,
        ImprovementActionCreate(description="Werkgevers eerder betrekken", owner="Wethouder"),
    )
    improvement_service.create_decision(
        session,
        maatje,
        ActivityDecisionCreate(decision=Decision.STRENGTHEN, rationale="Werkt aantoonbaar."),
    )
    return {"work": work, "alone": alone, "maatje": maatje, "outflow": outflow}


@pytest.fixture
def filled(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    partner = factories.make_partner(session, organisation, "De Kern")
    records = fill_report_cycle(session, organisation, cycle, partner)
    return {"cycle": cycle, **records}
