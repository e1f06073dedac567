"""Measurements in and out as a spreadsheet: template, import with preview and row-level
messages, all or nothing, and the export."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from sqlmodel import select

from app.cycles.models import CycleStatus
from app.organisations.models import Role
from app.results.models import Measurement
from tests import factories

HEADER = "indicatornummer;indicator;datum;waarde;verhaal"


def _setup(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    result = factories.make_result(session, cycle, "Meer inwoners aan het werk")
    indicator = factories.make_indicator(session, result=result)
    return cycle, indicator


def _upload(client, text: str, name="metingen.csv"):
    return client.post("/metingen/importeren", files={"bestand": (name, text.encode(), "text/csv")})


def _confirm(client, preview_html: str):
    start = preview_html.index('name="inhoud" value="') + len('name="inhoud" value="')
    import html

    content = html.unescape(preview_html[start : preview_html.index('"', start)])
    return client.post("/metingen/importeren/bevestigen", data={"inhoud": content})


def _values(session, indicator):
    session.expire_all()
    return {
        m.measured_on: m.value
        for m in session.exec(
            select(Measurement).where(Measurement.indicator_id == indicator.id)
        ).all()
    }


class TestImport:
    def test_preview_then_save(self, client, session, organisation):
        _, indicator = _setup(session, organisation)
        factories.make_measurement(session, indicator, date(2020, 1, 1), "45")
        text = (
            f"{HEADER}\n"
            f"{indicator.id};x;01-01-2020;47;Herberekend\n"
            f"{indicator.id};x;2021-01-01;49,5;\n"
        )
        preview = _upload(client, text)
        assert preview.status_code == 200
        assert "1 nieuw, 1 gewijzigd, 0 ongewijzigd" in preview.text
        assert "Er is nog niets opgeslagen" in preview.text
        assert _values(session, indicator) == {date(2020, 1, 1): Decimal(45)}
        saved = _confirm(client, preview.text)
        assert saved.status_code == 200 and "2 metingen opgeslagen" in saved.text
        assert _values(session, indicator) == {
            date(2020, 1, 1): Decimal(47),
            date(2021, 1, 1): Decimal("49.5"),
        }

    def test_an_xlsx_file_with_real_dates_and_numbers(self, client, session, organisation):
        _, indicator = _setup(session, organisation)
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["Indicatornummer", "Datum", "Waarde"])
        sheet.append([indicator.id, date(2022, 6, 30), 12.25])
        buffer = io.BytesIO()
        workbook.save(buffer)
        preview = client.post(
            "/metingen/importeren",
            files={"bestand": ("metingen.xlsx", buffer.getvalue(), "application/octet-stream")},
        )
        assert preview.status_code == 200, preview.text
        _confirm(client, preview.text)
        assert _values(session, indicator) == {date(2022, 6, 30): Decimal("12.25")}

    @pytest.mark.parametrize(
        ("row", "message"),
        [
            ("999999;x;01-01-2021;5;", "Onbekende indicator 999999"),
            ("abc;x;01-01-2021;5;", "onbekende indicator ‘abc’"),
            ("{id};x;31-02-2021;5;", "de datum ‘31-02-2021’ klopt niet"),
            ("{id};x;gisteren;5;", "de datum ‘gisteren’ klopt niet"),
            ("{id};x;01-01-2021;veel;", "de waarde ‘veel’ is geen getal"),
            ("{id};x;01-01-2021;;", "de waarde ontbreekt"),
            ("{id};x;01-01-2021;1,23456;", "hoogstens 4 cijfers achter de komma"),
            ("{id};x;01-01-2020;6;\n{id};x;1-1-2020;7;", "Dubbele periode"),
        ],
    )
    def test_each_bad_row_is_named_and_nothing_is_saved(
        self, client, session, organisation, row, message
    ):
        _, indicator = _setup(session, organisation)
        text = f"{HEADER}\n{indicator.id};x;01-06-2019;41;\n" + row.format(id=indicator.id)
        response = _upload(client, text)
        assert response.status_code == 422
        assert "Er is niets opgeslagen" in response.text
        assert message.lower() in response.text.lower()
        assert _values(session, indicator) == {}

    def test_another_organisations_indicator_is_unknown(self, client, session, organisation):
        _, foreign = _setup(session, factories.make_organisation(session))
        response = _upload(client, f"{HEADER}\n{foreign.id};x;01-01-2021;5;")
        assert response.status_code == 422
        assert f"Onbekende indicator {foreign.id}" in response.text

    def test_a_closed_cycle_takes_no_measurements(self, client, session, organisation):
        cycle, indicator = _setup(session, organisation)
        cycle.status = CycleStatus.CLOSED
        session.flush()
        response = _upload(client, f"{HEADER}\n{indicator.id};x;01-01-2021;5;")
        assert response.status_code == 422 and "afgesloten" in response.text

    def test_a_missing_column(self, client, session, organisation):
        response = _upload(client, "indicator;datum\nx;01-01-2021")
        assert response.status_code == 422
        assert "In de kopregel ontbreekt ‘indicatornummer’, ‘waarde’" in response.text

    def test_not_a_spreadsheet(self, client, session, organisation):
        response = client.post(
            "/metingen/importeren",
            files={"bestand": ("kapot.xlsx", b"PK\x03\x04 niet echt", "application/zip")},
        )
        assert response.status_code == 422 and "Excel-bestand" in response.text

    def test_all_or_nothing_when_a_row_turns_bad_before_confirming(
        self, client, session, organisation
    ):
        cycle, indicator = _setup(session, organisation)
        other = factories.make_indicator(session, result=factories.make_result(session, cycle))
        text = f"{HEADER}\n{indicator.id};x;01-01-2021;5;\n{other.id};x;01-01-2021;6;"
        preview = _upload(client, text)
        assert preview.status_code == 200
        factories.make_measurement(session, other, date(2021, 1, 1), "6")
        session.delete(session.get(type(other), other.id))  # gone before the confirmation
        session.flush()
        response = _confirm(client, preview.text)
        assert response.status_code == 422
        assert _values(session, indicator) == {}

    def test_readers_and_partners_may_not_import(self, client_as, session, organisation):
        reader = client_as(Role.READER)
        assert _upload(reader, f"{HEADER}\n").status_code == 403

    def test_template_rows_are_skipped_until_filled(self, client, session, organisation):
        _, indicator = _setup(session, organisation)
        template = client.get("/metingen/sjabloon.csv").content.decode("utf-8-sig")
        lines = template.strip().splitlines()
        assert lines[0] == "indicatornummer;indicator;thema;cyclus;eenheid;datum;waarde;verhaal"
        assert lines[1].startswith(f"{indicator.id};{indicator.name};")
        assert _upload(client, template).status_code == 422  # nothing filled in
        filled = template.replace(";%;;;", ";%;31-12-2020;44;", 1)
        preview = _upload(client, filled)
        assert preview.status_code == 200 and "1 nieuw" in preview.text


class TestDownloads:
    def test_template_as_xlsx(self, client, session, organisation):
        _, indicator = _setup(session, organisation)
        response = client.get("/metingen/sjabloon.xlsx")
        assert response.status_code == 200
        assert "attachment" in response.headers["content-disposition"]
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "indicatornummer"
        assert rows[1][0] == indicator.id

    def test_export_xlsx_holds_numbers_and_dates(self, client, session, organisation):
        _, indicator = _setup(session, organisation)
        factories.make_measurement(session, indicator, date(2020, 3, 1), "45.5")
        sheet = load_workbook(io.BytesIO(client.get("/metingen/export.xlsx").content)).active
        row = list(sheet.iter_rows(values_only=True))[1]
        assert row[0] == indicator.id
        assert row[5].date() == date(2020, 3, 1)
        assert isinstance(row[6], int | float) and row[6] == 45.5

    def test_export_csv_is_dutch_and_safe(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        result = factories.make_result(session, cycle)
        indicator = factories.make_indicator(session, result=result)
        indicator.name = '=HYPERLINK("http://example.org")'
        session.flush()
        factories.make_measurement(session, indicator, date(2020, 3, 1), "1250.5")
        text = client.get("/metingen/export.csv").content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert rows[1][1].startswith("'=")
        assert rows[1][5:7] == ["01-03-2020", "1250,5"]

    def test_an_export_imports_again_unchanged(self, client, session, organisation):
        _, indicator = _setup(session, organisation)
        factories.make_measurement(session, indicator, date(2020, 3, 1), "45.5")
        exported = client.get("/metingen/export.xlsx").content
        preview = client.post(
            "/metingen/importeren", files={"bestand": ("export.xlsx", exported, "x")}
        )
        assert preview.status_code == 200
        assert "0 nieuw, 0 gewijzigd, 1 ongewijzigd" in preview.text

    def test_unknown_format(self, client):
        assert client.get("/metingen/export.pdf").status_code == 404


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.text(max_size=300))
def test_any_text_never_breaks_the_import_nor_saves_half(client, session, organisation, body):
    _, indicator = _setup(session, organisation)
    text = f"{HEADER}\n{indicator.id};x;01-01-2020;5;\n{body}"
    response = _upload(client, text)
    assert response.status_code in (200, 422)
    assert _values(session, indicator) == {}  # a preview never saves
    if response.status_code == 200:
        _confirm(client, response.text)
        saved = _values(session, indicator)
        assert saved == {} or date(2020, 1, 1) in saved
        session.rollback()
