"""Planned and actual spending in and out as a spreadsheet."""

import html
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from app.activities.models import Spending
from tests import factories

HEADER = "activiteitnummer;activiteit;jaar;begroot;werkelijk;toelichting"


def _upload(client, text: str):
    return client.post(
        "/bestedingen/importeren", files={"bestand": ("geld.csv", text.encode(), "text/csv")}
    )


def _confirm(client, preview: str):
    start = preview.index('name="inhoud" value="') + len('name="inhoud" value="')
    content = html.unescape(preview[start : preview.index('"', start)])
    return client.post("/bestedingen/importeren/bevestigen", data={"inhoud": content})


def _rows(session, activity):
    session.expire_all()
    return {
        r.year: (r.planned, r.actual)
        for r in session.exec(select(Spending).where(Spending.activity_id == activity.id)).all()
    }


@pytest.fixture
def activity(session, organisation):
    return factories.make_activity(session, factories.make_cycle(session, organisation))


def test_preview_then_save(client, session, activity):
    text = (
        f"{HEADER}\n{activity.id};x;2020;12.500;11.800,50;Minder deelnemers\n"
        f"{activity.id};x;2021;13000;;"
    )
    preview = _upload(client, text)
    assert preview.status_code == 200 and "2 nieuw, 0 gewijzigd" in preview.text
    assert _rows(session, activity) == {}
    saved = _confirm(client, preview.text)
    assert "2 bestedingen opgeslagen" in saved.text
    assert _rows(session, activity) == {
        2020: (Decimal(12500), Decimal("11800.50")),
        2021: (Decimal(13000), None),
    }


def test_an_empty_amount_keeps_what_is_stored(client, session, activity):
    _confirm(client, _upload(client, f"{HEADER}\n{activity.id};x;2020;12500;;").text)
    preview = _upload(client, f"{HEADER}\n{activity.id};x;2020;;12000;")
    assert "0 nieuw, 1 gewijzigd" in preview.text
    _confirm(client, preview.text)
    assert _rows(session, activity) == {2020: (Decimal(12500), Decimal(12000))}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("999999;x;2020;5;;", "Onbekende activiteit 999999"),
        ("{id};x;twintig;5;;", "het jaar ‘twintig’ klopt niet"),
        ("{id};x;2031;5;;", "valt buiten de cyclus"),
        ("{id};x;2020;veel;;", "het begrote bedrag ‘veel’ is geen bedrag"),
        ("{id};x;2020;;-5;", "het werkelijke bedrag ‘-5’: vul een getal in dat niet negatief is"),
        ("{id};x;2021;5;;\n{id};x;2021;6;;", "Dubbele periode"),
    ],
)
def test_each_bad_row_is_named_and_nothing_is_saved(client, session, activity, row, message):
    text = f"{HEADER}\n{activity.id};x;2019;100;;\n" + row.format(id=activity.id)
    response = _upload(client, text)
    assert response.status_code == 422
    assert message.lower() in response.text.lower()
    assert _rows(session, activity) == {}


def test_template_and_export(client, session, activity):
    template = client.get("/bestedingen/sjabloon.csv").content.decode("utf-8-sig")
    assert template.splitlines()[0] == (
        "activiteitnummer;activiteit;thema;cyclus;jaar;begroot;werkelijk;toelichting"
    )
    assert len(template.strip().splitlines()) == 1 + 4  # one row per year of 2019-2022
    _confirm(client, _upload(client, f"{HEADER}\n{activity.id};x;2020;12500;11800,5;").text)
    sheet = load_workbook(io.BytesIO(client.get("/bestedingen/export.xlsx").content)).active
    row = list(sheet.iter_rows(values_only=True))[1]
    assert row[4] == 2020 and row[5] == 12500 and row[6] == 11800.5
