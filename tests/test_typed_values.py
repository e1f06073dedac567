"""Every form keeps what was typed when it comes back with a message (422), markup included.
The forms of records are checked in test_forms; these are the others."""

import re

import pytest
from markupsafe import escape

from tests import factories

MARKUP = '<b>Eva</b> & "co"'
# Sent as a plain form post, and as htmx sends it (which gets only the form back).
WAYS = {"page": {}, "htmx": {"HX-Request": "true", "HX-Target": "main"}}


def kept(html: str, name: str, typed: str) -> bool:
    """The field `name` shows `typed`, as a value or as the text of a textarea."""
    field = re.search(rf'<(input|textarea)[^>]*name="{name}"[^>]*>([^<]*)', html)
    assert field is not None, f"no field {name}"
    shown = field.group(2) if field.group(1) == "textarea" else field.group(0)
    return str(escape(typed)) in shown


def selected(html: str, name: str, value: str) -> bool:
    choice = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    assert choice is not None, f"no select {name}"
    return re.search(rf'<option value="{value}"[^>]*selected', choice.group(0)) is not None


@pytest.fixture(params=WAYS)
def headers(request) -> dict[str, str]:
    return WAYS[request.param]


def test_inviting_with_an_invalid_address_keeps_it(client, headers):
    typed = {"name": MARKUP, "email": "<b>eva</b>@kampen.example.org", "role": "facilitator"}
    response = client.post("/leden", data=typed, headers=headers)
    assert response.status_code == 422
    assert kept(response.text, "name", typed["name"])
    assert kept(response.text, "email", typed["email"])
    assert selected(response.text, "role", "facilitator")


def test_a_role_change_without_a_partner_keeps_the_choice(client, session, organisation, headers):
    other = factories.make_member(session, organisation)
    data = {"role": "partner", "partner_id": ""}
    response = client.post(f"/leden/{other.id}", data=data, headers=headers)
    assert response.status_code == 422
    assert selected(response.text, "role", "partner")


def test_an_api_token_with_too_long_a_name_keeps_it(client, headers):
    typed = MARKUP * 20
    response = client.post("/account/tokens", data={"name": typed}, headers=headers)
    assert response.status_code == 422
    assert kept(response.text, "name", typed)


def test_the_ambition_with_an_impossible_date_keeps_everything(
    client, session, organisation, headers
):
    cycle = factories.make_cycle(session, organisation)
    typed = {"text": MARKUP, "status": "agreed", "agreed_on": "31-02-2026"}
    response = client.post(f"/cycli/{cycle.id}/ambitie", data=typed, headers=headers)
    assert response.status_code == 422
    assert kept(response.text, "text", typed["text"])
    assert kept(response.text, "agreed_on", typed["agreed_on"])
    assert selected(response.text, "status", "agreed")


def test_a_step_with_too_long_notes_keeps_them(client, session, organisation, headers):
    cycle = factories.make_cycle(session, organisation)
    step = cycle.steps[1]
    typed = {"status": "done", "notes": MARKUP * 1000, "_versie": str(step.version)}
    response = client.post(f"/stappen/{step.id}", data=typed, headers=headers)
    assert response.status_code == 422
    assert kept(response.text, "notes", typed["notes"])
    assert selected(response.text, "status", "done")


def test_a_failed_sign_in_keeps_the_address(anonymous, headers):
    form = anonymous.get("/inloggen").text
    csrf = re.search(r'name="_csrf" value="([^"]+)"', form).group(1)
    typed = "<b>eva</b>@kampen.example.org"
    data = {"email": typed, "password": "x", "_csrf": csrf}
    response = anonymous.post("/inloggen", data=data, headers=headers)
    assert response.status_code == 422
    assert kept(response.text, "email", typed)
