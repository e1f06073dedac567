"""What was stored before dates had a range (a meting dated 9999-12-31 through a partner link,
a session on 0001-01-01 through the API) still reads: no page, file or API answer fails on it.
The records are changed directly, past every check, as old data would be."""

import re
import uuid
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from app.ambitions.models import Adopter, AmbitionStatus
from app.api_names import dutch
from app.bounds import today
from app.choices import Perspective
from app.cycles.models import Cycle, CycleStatus
from app.improvement import service as improvement_service
from app.improvement.models import (
    ActivityDecision,
    ImprovementActionCreate,
    ResultDecisionCreate,
    ResultDecisionKind,
)
from app.main import API, API_PREFIX, PAGES
from app.partner_requests import service as partner_requests_service
from app.partner_requests.models import PartnerRequestCreate
from app.reports import formats as report_formats
from app.results.freshness import Frequency, freshness_of
from app.results.models import Indicator, Measurement, Story
from app.results.trend_chart import trend_chart
from app.sessions import adoption, joining, running, voting
from tests import factories
from tests.reports.conftest import fill_report_cycle

FAR, LONG_AGO = date.max, date.min  # 9999-12-31 and 0001-01-01
# Every address with {fmt}: the report in each export format, and the change log as CSV.
FORMATS = (*report_formats.FORMATS, "csv")


@pytest.fixture
def world(session, organisation):
    """A cycle with something in every part, then every date a person or client could send set
    to an end of the calendar."""
    cycle = factories.make_cycle(session, organisation)
    kern = factories.make_partner(session, organisation, "De Kern")
    records = fill_report_cycle(session, organisation, cycle, kern)
    outflow, work, maatje = records["outflow"], records["work"], records["maatje"]
    service_indicator = factories.make_indicator(session, activity=maatje)
    factories.make_measurement(session, service_indicator, date(2021, 1, 1))
    reflection = factories.make_reflection(session, cycle)
    action = improvement_service.create_action(
        session, reflection, ImprovementActionCreate(description="Werkgevers eerder betrekken")
    )
    result_decision = improvement_service.create_result_decision(
        session, work, ResultDecisionCreate(decision=ResultDecisionKind.KEEP)
    )
    ambition = factories.make_ambition(session, cycle, "Iedereen doet mee.")
    scenario = factories.make_scenario(session, organisation, cycle)
    token, request = partner_requests_service.create_request(
        session, organisation, PartnerRequestCreate(partner_id=kern.id, due_on=today()), "Joost"
    )
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "dots", target="results", dots=2)
    item = running.add_item(session, round_, "Meer inwoners doen mee")
    running.start_round(session, round_)
    _, person = joining.join(session, live, Perspective.RESIDENT, "Eva")
    voting.cast_dot(session, person, round_.id, item.id, str(uuid.uuid4()))
    running.close_round(session, round_)

    # Past every check, as data stored before the ranges existed
    session.add(Measurement(indicator_id=outflow.id, measured_on=FAR, value=Decimal(50)))
    session.add(Measurement(indicator_id=service_indicator.id, measured_on=LONG_AGO, value=1))
    session.add(Measurement(indicator_id=service_indicator.id, measured_on=FAR, value=2))
    outflow.target_date = FAR
    service_indicator.baseline_date = LONG_AGO
    for story in session.exec(select(Story).where(Story.cycle_id == cycle.id)):
        story.told_on = FAR
    ambition.status, ambition.adopted_by, ambition.agreed_on = (
        AmbitionStatus.AGREED,
        Adopter.COUNCIL,
        FAR,
    )
    for decision in session.exec(select(ActivityDecision)):
        decision.decided_on = FAR
    result_decision.decided_on = LONG_AGO
    reflection.reflected_on, action.due_date = FAR, FAR
    scenario.made_on, request.due_on = FAR, FAR
    live.held_on = FAR
    session.flush()
    adoption.adopt(session, round_, organisation, "Joost Mulder")  # its evidence dated FAR
    session.flush()
    return {
        "cycle": cycle,
        "token": token,
        "ids": {
            "cycle": cycle.id,
            "theme": cycle.theme_id,
            "result": work.id,
            "indicator": outflow.id,
            "activity_indicator": service_indicator.id,
            "activity": maatje.id,
            "reflection": reflection.id,
            "action": action.id,
            "result_decision": result_decision.id,
            "scenario": scenario.id,
            "session": live.id,
            "round": round_.id,
            "partner": kern.id,
        },
    }


def _record(parameter: str) -> str:
    """The record a path parameter names, in English: cyclusId and cycle_id are "cycle"."""
    english = {dutch(f"{name}_id"): name for name in ENGLISH}
    return english.get(parameter, parameter.removesuffix("_id"))


ENGLISH = (
    "cycle",
    "theme",
    "result",
    "indicator",
    "activity_indicator",
    "activity",
    "reflection",
    "action",
    "result_decision",
    "scenario",
    "session",
    "round",
    "partner",
)


def _urls(ids: dict[str, int]) -> list[str]:
    urls = []
    for routers, prefix in ((PAGES, ""), (API, API_PREFIX)):
        for router in routers:
            for route in router.routes:
                if "GET" not in route.methods or route.path.endswith("/live"):
                    continue  # (the live streams read in a thread of their own, not the test's)
                for fmt in FORMATS if "{fmt}" in route.path else ("",):
                    urls.append(
                        prefix
                        + re.sub(
                            r"\{([^}:]+)(:int)?\}",
                            lambda m, fmt=fmt: (
                                fmt if m[1] == "fmt" else str(ids.get(_record(m[1]), 1))
                            ),
                            route.path,
                        )
                    )
    return urls


PAGES_THAT_FAILED = [  # issue 18, finding 4
    "/",
    "/themas/{theme}",
    "/cycli/{cycle}",
    "/cycli/{cycle}/stappen/2",
    "/cycli/{cycle}/stappen/5",
    "/cycli/{cycle}/rapportage",
    "/cycli/{cycle}/rapportage/pdf/bestand",
    "/cycli/{cycle}/rapportage/docx/bestand",
    "/cycli/{cycle}/rapportage/xlsx/bestand",
    "/cycli/{cycle}/samenvatting",
    "/cycli/{cycle}/samenvatting/pdf/bestand",
    "/rapportage/organisatie",
    "/indicatoren/{indicator}",
    "/metingen/export.xlsx",
]


def test_the_pages_that_failed_on_a_far_date_answer(client, anonymous, world):
    for path in PAGES_THAT_FAILED:
        response = client.get(path.format(**world["ids"]))
        assert response.status_code == 200, (path, response.text[-2000:])
    partner_page = anonymous.get(f"/partnerlink/{world['token']}")
    assert partner_page.status_code == 200
    assert "laatste meting gedateerd in de toekomst" in partner_page.text


def test_no_page_file_or_api_answer_fails_on_dates_at_the_ends_of_the_calendar(client, world):
    failed = {}
    for url in _urls(world["ids"]):
        response = client.get(url)
        if response.status_code >= 500:
            failed[url] = response.status_code
    assert failed == {}


# Whatever is stored, how current a figure is and its curve can be told


def test_the_next_cycle_is_refused_with_the_reason_not_a_server_error(client, session, world):
    cycle = world["cycle"]
    response = client.post(f"/api/v2/cycli/{cycle.id}/volgende-cyclus", headers={"If-Match": "*"})
    assert response.status_code == 400, response.text
    assert "Uitstroom naar werk: Vul een datum in" in response.text
    page = client.post(f"/cycli/{cycle.id}/volgende-cyclus", data={})
    assert page.status_code == 422 and "Vul een datum in" in page.text
    session.expire_all()
    assert session.get(Cycle, cycle.id).status is CycleStatus.ACTIVE


# Any date, with the calendar's ends (where the arithmetic overflowed) more often than chance
DATES = st.one_of(
    st.dates(),
    st.dates(min_value=date(9997, 1, 1)),
    st.dates(max_value=date(3, 1, 1)),
    st.sampled_from([FAR, LONG_AGO]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(latest=DATES, on=DATES, frequency=st.sampled_from(list(Frequency)))
def test_freshness_is_told_for_any_date(latest, on, frequency):
    found = freshness_of(latest, frequency, on)
    assert found.label
    assert not (found.stale and latest > on)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    days=st.lists(DATES, min_size=0, max_size=6, unique=True),
    values=st.lists(st.decimals(-(10**13), 10**13, places=4), min_size=6, max_size=6),
    baseline=st.none() | DATES,
    target=st.none() | DATES,
)
def test_the_curve_is_drawn_for_any_dates(days, values, baseline, target):
    indicator = Indicator(
        id=1,
        name="Uitstroom",
        unit="%",
        baseline_value=Decimal(40),
        baseline_date=baseline,
        target_value=Decimal(60),
        target_date=target,
    )
    measured = [
        Measurement(measured_on=day, value=value)
        for day, value in zip(sorted(days), values, strict=False)
    ]
    chart = trend_chart(indicator, measured)
    assert chart.description
