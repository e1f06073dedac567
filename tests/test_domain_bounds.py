"""Every date and amount sent in has the range the domain needs (app/bounds.py): outside it, a
Dutch message next to the field and nothing stored, whichever way it came (form, API, partner
link, spreadsheet). And what was stored before the ranges existed never breaks a page."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlmodel import select

from app.activities.models import Activity, SpendingCreate
from app.bounds import EARLIEST_DATE, EVENT_YEARS_AHEAD, MAX_MONEY, today, years_after
from app.formatting import format_date
from app.forms import FormInvalid, parse_form
from app.partner_requests import service as partner_requests_service
from app.partner_requests.models import PartnerRequestCreate
from app.results.models import Measurement, MeasurementCreate
from app.sessions.models import LiveSession
from tests import factories

FAR = "9999-12-31"
PROPERTY = settings(
    max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None
)


def last_event_date() -> date:
    return years_after(today(), EVENT_YEARS_AHEAD)


def range_message() -> str:
    return f"tot en met {format_date(last_event_date())}"


def measurements(session, indicator) -> list[Measurement]:
    session.expire_all()
    return list(session.exec(select(Measurement).where(Measurement.indicator_id == indicator.id)))


@pytest.fixture
def indicator(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    kern = factories.make_partner(session, organisation, "De Kern")
    activity = factories.make_activity(session, cycle, partner=kern, name="Maatjesproject")
    return factories.make_indicator(session, activity=activity)


class TestAMetingFarAhead:
    def test_is_refused_on_the_form_with_what_was_typed_kept(self, client, session, indicator):
        response = client.post(
            f"/indicatoren/{indicator.id}/metingen",
            data={"measured_on": "31-12-9999", "value": "45"},
        )
        assert response.status_code == 422
        assert "Vul een datum in van 1 januari 1900" in response.text
        assert range_message() in response.text
        assert 'value="31-12-9999"' in response.text
        assert measurements(session, indicator) == []

    def test_is_refused_by_the_api_as_problem_details(self, client, session, indicator):
        response = client.post(
            f"/api/v2/indicatoren/{indicator.id}/metingen",
            json={"gemetenOp": FAR, "waarde": 45},
        )
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("application/problem+json")
        [invalid] = response.json()["invalidParams"]
        assert invalid["name"] == "gemetenOp" and range_message() in invalid["reason"]
        assert measurements(session, indicator) == []

    def test_is_refused_through_the_partner_link(self, anonymous, session, organisation, indicator):
        kern = session.get(Activity, indicator.activity_id).partner_id
        token, _ = partner_requests_service.create_request(
            session, organisation, PartnerRequestCreate(partner_id=kern, due_on=today()), "Joost"
        )
        page = anonymous.get(f"/partnerlink/{token}")
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page.text)[1]
        response = anonymous.post(
            f"/partnerlink/{token}/metingen/{indicator.id}",
            data={"_csrf": csrf, "measured_on": FAR, "value": "45"},
        )
        assert response.status_code == 422
        assert range_message() in response.text
        assert measurements(session, indicator) == []

    def test_is_a_row_message_in_an_import_from_a_date_cell(self, client, session, indicator):
        book = Workbook()
        sheet = book.active
        sheet.append(["indicatornummer", "datum", "waarde"])
        sheet.append([indicator.id, date(9999, 12, 31), 45])
        buffer = io.BytesIO()
        book.save(buffer)
        response = client.post(
            "/metingen/importeren",
            files={"bestand": ("metingen.xlsx", buffer.getvalue(), "application/octet-stream")},
        )
        assert response.status_code == 422
        assert "Er is niets opgeslagen" in response.text
        assert (
            "De datum ‘31-12-9999’: vul een datum in" in response.text
            and range_message() in response.text
        )
        assert measurements(session, indicator) == []

    def test_is_a_row_message_in_an_import_as_text(self, client, session, indicator):
        ahead = last_event_date() + timedelta(days=1)
        text = f"indicatornummer;datum;waarde\n{indicator.id};{ahead:%d-%m-%Y};45\n"
        response = client.post(
            "/metingen/importeren", files={"bestand": ("metingen.csv", text.encode(), "text/csv")}
        )
        assert response.status_code == 422 and range_message() in response.text
        assert measurements(session, indicator) == []

    def test_five_years_ahead_is_the_last_day_taken(self, client, session, indicator):
        for day, status in ((last_event_date() + timedelta(days=1), 422), (last_event_date(), 303)):
            response = client.post(
                f"/indicatoren/{indicator.id}/metingen",
                data={"measured_on": day.isoformat(), "value": "45"},
                follow_redirects=False,
            )
            assert response.status_code == status, day
        assert [m.measured_on for m in measurements(session, indicator)] == [last_event_date()]


def test_a_live_session_far_ahead_is_refused_by_the_api(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    response = client.post(
        f"/api/v2/cycli/{cycle.id}/sessies", json={"titel": "Werksessie", "datum": FAR}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    [invalid] = response.json()["invalidParams"]
    assert invalid["name"] == "datum" and range_message() in invalid["reason"]
    session.expire_all()
    assert session.exec(select(LiveSession).where(LiveSession.cycle_id == cycle.id)).all() == []


@pytest.mark.parametrize(
    ("field", "typed", "message", "sent", "reason"),
    [
        (
            "annual_budget",
            "10.000.000.000",
            "Vul een getal kleiner dan 10.000.000.000 in.",
            10_000_000_000,
            "Vul een getal kleiner dan 10000000000 in.",
        ),
        (
            "annual_budget",
            "-1",
            "Vul een getal in dat niet negatief is.",
            -1,
            "Vul een getal in dat niet negatief is.",
        ),
        (
            "annual_budget",
            "12,345",
            "Gebruik hoogstens 2 cijfers achter de komma.",
            12.345,
            "Gebruik hoogstens 2 decimalen.",
        ),
    ],
)
def test_an_amount_beyond_what_a_municipality_budgets_is_refused(
    client, session, organisation, field, typed, message, sent, reason
):
    cycle = factories.make_cycle(session, organisation)
    form = client.post(
        f"/cycli/{cycle.id}/activiteiten", data={"name": "Maatjes", "status": "new", field: typed}
    )
    assert form.status_code == 422 and message in form.text
    assert f'value="{typed}"' in form.text
    api = client.post(
        f"/api/v2/cycli/{cycle.id}/activiteiten",
        json={"naam": "Maatjes", "jaarbudget": sent},
    )
    assert api.status_code == 400
    assert api.json()["invalidParams"][0]["reason"] == reason  # as JSON writes numbers
    session.expire_all()
    assert session.exec(select(Activity).where(Activity.cycle_id == cycle.id)).all() == []


# Properties: whatever is typed, the parser answers with a value in range or a Dutch message


DATE_TEXT = st.one_of(
    st.dates().map(date.isoformat),
    st.dates().map(lambda d: f"{d.day}-{d.month}-{d.year:04d}"),
    st.text(alphabet="0123456789-/.", max_size=12),
    st.text(max_size=12),
)


@PROPERTY
@given(typed=DATE_TEXT)
def test_any_date_typed_is_in_range_or_refused_in_dutch(typed):
    try:
        parsed = parse_form(MeasurementCreate, {"measured_on": typed, "value": "1"})
    except FormInvalid as exc:
        assert exc.state.errors["measured_on"].startswith(("Vul ", "Gebruik geen"))
    else:
        assert EARLIEST_DATE <= parsed.measured_on <= last_event_date()


@PROPERTY
@given(day=st.dates())
def test_a_date_is_taken_exactly_when_it_is_in_range(day):
    taken = EARLIEST_DATE <= day <= last_event_date()
    try:
        parse_form(MeasurementCreate, {"measured_on": day.isoformat(), "value": "1"})
    except FormInvalid as exc:
        assert not taken and range_message() in exc.state.errors["measured_on"]
    else:
        assert taken


AMOUNT_TEXT = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(
        lambda d: f"{d:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(alphabet="0123456789.,-+€ e", max_size=20),
)


@PROPERTY
@given(typed=AMOUNT_TEXT)
def test_any_amount_typed_is_in_range_or_refused_in_dutch(typed):
    try:
        parsed = parse_form(SpendingCreate, {"year": "2020", "planned": typed})
    except FormInvalid as exc:
        assert set(exc.state.errors) == {"planned"}
        assert exc.state.errors["planned"].startswith(("Vul een", "Gebruik hoogstens", "Dit"))
    else:
        assert parsed.planned is None or Decimal(0) <= parsed.planned < MAX_MONEY
