"""Amounts and dates through the API, in every field that holds one: a JSON number is stored
exactly as sent (never through a float, never read the Dutch way), a date only as an ISO 8601
string; anything else is refused by name and changes nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.activities.resources import spending
from app.api_names import (
    API_BOOLEAN_MESSAGE,
    API_DATE_MESSAGE,
    API_INTEGER_MESSAGE,
    API_NUMBER_MESSAGE,
    _plain,
    _scalar,
    dutch,
)
from app.bounds import today
from app.main import API_PREFIX, app
from tests import factories
from tests.resource_specs import SPECS, Spec, make_item

SPENDING = Spec(
    resource=spending,
    parent=lambda session, organisation: factories.make_activity(
        session, factories.make_cycle(session, organisation)
    ),
    valid={"year": "2020", "planned": "100"},
    invalid={"year": "1999"},
    field="year",
    message="",
)


def _fields(kinds: tuple[type, ...], kind_of) -> dict[type, list]:
    """Per kind, the (resource, field) pairs whose input field holds that kind."""
    return {
        kind: [
            (spec, name)
            for spec in (*SPECS, SPENDING)
            for name, info in spec.resource.write.model_fields.items()
            if kind_of(info.annotation) is kind
        ]
        for kind in kinds
    }


FIELDS = _fields((Decimal, date), _scalar)
# Whole numbers (years, ids, a priority) and yes-or-no fields, which JSON also writes bare.
BARE = _fields((int, bool), _plain)
PROPERTY = settings(
    max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None
)


def _places(spec: Spec, name: str) -> int:
    info = spec.resource.write.model_fields[name]
    return next(m.decimal_places for m in info.metadata if hasattr(m, "decimal_places"))


def _patch(client, session, organisation, spec: Spec, name: str, raw: str):
    """PATCH one field of a new record with `raw` as the JSON text of its value: the answer,
    the value stored after it and the one before."""
    _, item = make_item(spec, session, organisation)
    before = getattr(item, name)
    url = app.url_path_for(
        f"api:{spec.resource.name}:update", **{dutch(f"{spec.resource.name}_id"): item.id}
    )
    response = client.patch(
        url,
        content=f'{{"{dutch(name)}": {raw}}}',
        headers={"Content-Type": "application/json", "If-Match": "*"},
    )
    session.expire_all()
    return response, getattr(spec.resource.get(session, organisation, item.id), name), before


def test_every_amount_and_date_field_is_covered(anonymous):
    assert {name for _, name in FIELDS[Decimal]} >= {
        "annual_budget", "planned", "actual", "value", "baseline_value", "target_value", "cut_value"
    }  # fmt: skip
    assert {name for _, name in FIELDS[date]} >= {"measured_on", "target_date", "held_on"}
    # every field of input in the document that holds a number or a date is drawn here
    schemas = anonymous.get(f"{API_PREFIX}/openapi.json").json()["components"]["schemas"]
    in_input = {
        prop
        for name, schema in schemas.items()
        if name.endswith(("Invoer", "Wijziging"))
        for prop, rules in schema.get("properties", {}).items()
        if "number" in _types(rules) or rules.get("format") == "date"
    }
    drawn = {dutch(name) for kind in FIELDS.values() for _, name in kind} | {AMBITION_DATE}
    assert in_input == drawn


def _types(rules: dict) -> list[str]:
    kind = rules.get("type", [])
    return [kind] if isinstance(kind, str) else kind


@PROPERTY
@given(data=st.data())
def test_an_amount_is_stored_as_sent(client, session, organisation, data):
    spec, name = data.draw(st.sampled_from(FIELDS[Decimal]), label="field")
    places = _places(spec, name)
    top = Decimal("9999999999.99") if places == 2 else Decimal("99999999999.9999")
    amount = data.draw(st.decimals(min_value=0, max_value=top, places=places), label="amount")
    response, stored, _ = _patch(client, session, organisation, spec, name, str(amount))
    if response.status_code == 200:
        assert stored == amount
    else:  # a rule of the record (a percentage above 100, a target on the wrong side)
        assert response.status_code == 400, response.text
        reasons = [p["reason"] for p in response.json()["invalidParams"]]
        assert API_NUMBER_MESSAGE not in reasons


@PROPERTY
@given(
    data=st.data(),
    text=st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
        st.sampled_from(["12.500", "12,5", "€ 12.500,00", "1e3", ""]),
        st.text(max_size=12),
    ),
)
def test_an_amount_as_a_string_is_refused(client, session, organisation, data, text):
    spec, name = data.draw(st.sampled_from(FIELDS[Decimal]), label="field")
    response, stored, before = _patch(
        client, session, organisation, spec, name, f'"{_escaped(text)}"'
    )
    assert response.status_code == 400
    assert {"name": dutch(name), "reason": API_NUMBER_MESSAGE} in [
        {k: p[k] for k in ("name", "reason")} for p in response.json()["invalidParams"]
    ]
    assert stored == before


@PROPERTY
@given(data=st.data())
def test_a_date_is_stored_as_sent(client, session, organisation, data):
    spec, name = data.draw(st.sampled_from(FIELDS[date]), label="field")
    latest = today() + timedelta(days=4 * 365)
    day = data.draw(st.dates(min_value=date(1900, 1, 1), max_value=latest), label="day")
    response, stored, _ = _patch(client, session, organisation, spec, name, f'"{day.isoformat()}"')
    if response.status_code == 200:
        assert stored == day
    else:  # a rule of the record (a target date before the baseline)
        assert response.status_code == 400, response.text
        reasons = [p["reason"] for p in response.json()["invalidParams"]]
        assert API_DATE_MESSAGE not in reasons


@PROPERTY
@given(
    data=st.data(),
    raw=st.one_of(
        st.integers(min_value=-(2**40), max_value=2**40).map(str),
        st.dates().map(lambda d: f'"{d.day:02}-{d.month:02}-{d.year:04}"'),
        st.dates().map(lambda d: f'"{d.day}/{d.month}/{d.year}"'),
        st.sampled_from(['"2024-6-1"', '"20240601"', "true", '"31 december 2024"']),
    ),
)
def test_a_date_in_another_form_is_refused(client, session, organisation, data, raw):
    spec, name = data.draw(st.sampled_from(FIELDS[date]), label="field")
    response, stored, before = _patch(client, session, organisation, spec, name, raw)
    assert response.status_code == 400, raw
    assert stored == before
    reasons = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    assert reasons[dutch(name)] == API_DATE_MESSAGE
    assert "31-12" not in API_DATE_MESSAGE  # the message shows only what the API takes


AMBITION_DATE = "vastgesteldOp"  # PUT /cycli/{cyclusId}/ambitie, not a PATCH of SPECS


def _put_ambition(client, session, organisation, raw: str):
    """Save a new cycle's adopted ambition with `raw` as the JSON text of its date: the
    answer and the ambition stored after it (None: none)."""
    url = f"/api/v2/cycli/{factories.make_cycle(session, organisation).id}/ambitie"
    body = '{"tekst": "Samen.", "status": "vastgesteld", "vastgesteldDoor": "college", '
    response = client.put(
        url,
        content=f'{body}"{AMBITION_DATE}": {raw}}}',
        headers={"Content-Type": "application/json", "If-Match": "*"},
    )
    stored = client.get(url)
    return response, stored.json() if stored.status_code == 200 else None


@PROPERTY
@given(day=st.dates(min_value=date(1900, 1, 1), max_value=today() + timedelta(days=4 * 365)))
def test_the_ambitions_date_is_stored_as_sent(client, session, organisation, day):
    response, stored = _put_ambition(client, session, organisation, f'"{day.isoformat()}"')
    assert response.status_code == 200, response.text
    assert stored is not None and stored[AMBITION_DATE] == day.isoformat()


@PROPERTY
@given(
    raw=st.one_of(
        st.integers(min_value=-(2**40), max_value=2**40).map(str),
        st.dates().map(lambda d: f'"{d.day:02}-{d.month:02}-{d.year:04}"'),
        st.sampled_from(['"2024-6-1"', '"20240601"', "true", '"31 december 2024"']),
    )
)
def test_the_ambitions_date_in_another_form_is_refused(client, session, organisation, raw):
    response, stored = _put_ambition(client, session, organisation, raw)
    assert response.status_code == 400 and stored is None, raw
    reasons = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    assert reasons[AMBITION_DATE] == API_DATE_MESSAGE


@PROPERTY
@given(data=st.data(), kind=st.sampled_from([int, bool]))
def test_a_whole_number_or_a_yes_or_no_in_another_form_is_refused(
    client, session, organisation, data, kind
):
    """The document says a JSON integer or boolean: "2024" is not read as 2024, nor "true"
    or 1 as true, but refused by name."""
    spec, name = data.draw(st.sampled_from(BARE[kind]), label="field")
    others = {
        int: st.one_of(
            st.integers(0, 3000).map(lambda n: f'"{n}"'),
            st.sampled_from(["true", "false", "1.5", '"1e3"', '""']),
        ),
        bool: st.sampled_from(['"true"', '"false"', "1", "0", '"ja"', '"1"']),
    }[kind]
    raw = data.draw(others, label="raw")
    response, stored, before = _patch(client, session, organisation, spec, name, raw)
    assert response.status_code == 400, raw
    assert stored == before
    reasons = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    assert reasons[dutch(name)] == {int: API_INTEGER_MESSAGE, bool: API_BOOLEAN_MESSAGE}[kind]


def test_a_list_of_ids_takes_json_integers_only(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    activity = factories.make_activity(session, cycle)
    url = f"/api/v2/scenarios/{factories.make_scenario(session, organisation, cycle).id}"
    for ids, refused in (([str(activity.id)], True), ([True], True), ([activity.id], False)):
        response = client.post(
            f"{url}/vaststelling",
            json={"onderbouwing": "Omdat.", "versterken": ids},
            headers={"If-Match": "*"},
        )
        names = [p["name"] for p in response.json().get("invalidParams", [])]
        assert ("versterken" in names) is refused, (ids, response.text)


def test_a_whole_number_with_a_point_is_the_same_json_integer(client, session, organisation):
    response, stored, _ = _patch(client, session, organisation, SPENDING, "year", "2021.0")
    assert response.status_code == 200, response.text
    assert stored == 2021 and response.json()["jaar"] == 2021


@pytest.mark.parametrize("raw", ["12500.10", "12500.1", "1.25E4", "12500"])
def test_the_integrators_example_is_twelve_thousand_five_hundred(
    client, session, organisation, raw
):
    response, stored, _ = _patch(client, session, organisation, SPENDING, "planned", raw)
    assert response.status_code == 200, response.text
    assert stored == Decimal(raw) and response.json()["begroot"] == float(raw)


def _escaped(text: str) -> str:
    import json

    return json.dumps(text)[1:-1]


def test_more_digits_than_are_kept_exactly_are_refused(client, session, organisation):
    raw = "1234567890.123456"  # 16 significant digits: SQLite would keep another amount
    response, stored, before = _patch(client, session, organisation, SPENDING, "planned", raw)
    assert response.status_code == 400 and stored == before
    assert response.json()["invalidParams"][0]["reason"] == "Gebruik hoogstens 15 cijfers."
