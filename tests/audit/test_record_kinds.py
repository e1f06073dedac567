"""Every audited table and column has a Dutch name, so the "Wijzigingen" pages and their CSV
never show a beheerder an English table or column name."""

from sqlmodel import SQLModel

import app.main  # noqa: F401  (every package's tables and declarations)
from app import record_kinds
from app.audit.recorder import NOT_AUDITED, NOT_SHOWN
from tests import factories


def _audited_tables():
    return {
        name: table
        for name, table in SQLModel.metadata.tables.items()
        if name not in NOT_AUDITED and name != "alembic_version"
    }


def test_every_audited_table_has_a_dutch_name():
    unnamed = sorted(set(_audited_tables()) - set(record_kinds.declared()))
    assert unnamed == [], f"declare a Dutch name with record_kinds.declare: {unnamed}"


def test_every_audited_column_has_a_dutch_label():
    unlabelled = [
        f"{name}.{column.name}"
        for name, table in _audited_tables().items()
        for column in table.columns
        if column.name not in NOT_SHOWN
        and record_kinds.field_label(name, column.name) == column.name
    ]
    assert unlabelled == []


def test_a_changed_record_reads_in_dutch(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    activity = factories.make_activity(session, cycle)
    response = client.post(
        f"/activiteiten/{activity.id}/bestedingen",
        data={"year": str(cycle.start_year), "planned": "12.500", "actual": ""},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = client.get(f"/themas/{cycle.theme_id}/wijzigingen").text
    assert "Bedragen per jaar toegevoegd" in page
    assert "activity_spending" not in page.lower()
    csv = client.get(f"/themas/{cycle.theme_id}/wijzigingen.csv").text
    assert "bedragen per jaar" in csv and '"Begroot (euro)"' in csv
    assert "activity_spending" not in csv and "planned" not in csv
