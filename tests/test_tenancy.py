"""Every table belongs to an organisation through its foreign keys, or is declared global."""

from itertools import pairwise

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from app import tenancy


def test_every_table_has_a_path_to_its_organisation_or_is_declared_global():
    for table in SQLModel.metadata.sorted_tables:
        if table.name in tenancy.GLOBAL_TABLES:
            with pytest.raises(tenancy.Unowned):
                tenancy.ownership_path(table)
            continue
        path = tenancy.ownership_path(table)  # raises Unowned: give it a path or declare it
        if table.name != tenancy.ROOT:
            assert path[0].parent.table is table
            assert path[-1].column.table.name == tenancy.ROOT
            # each key leads to the table the next one starts from
            assert all(a.column.table is b.parent.table for a, b in pairwise(path))


def test_ownership_follows_keys_a_row_cannot_live_without():
    """An activity belongs to its cycle's organisation (not through the partner it names, a
    reference that must not be deleted); a measurement through its indicator."""
    names = [
        f"{fk.parent.table.name}.{fk.parent.name}" for fk in tenancy.ownership_path("activity")
    ]
    assert names == ["activity.cycle_id", "cycle.theme_id", "theme.organisation_id"]
    assert tenancy.ownership_path("measurement")[0].parent.name == "indicator_id"
    assert tenancy.ownership_path("organisation") == []


def test_a_new_table_without_a_path_is_found():
    metadata = sa.MetaData()
    orphan = sa.Table("orphan", metadata, sa.Column("id", sa.Integer, primary_key=True))
    with pytest.raises(tenancy.Unowned, match="GLOBAL_TABLES"):
        tenancy.ownership_path(orphan)


def test_the_rows_of_an_organisation_are_selected_along_the_path():
    query = str(tenancy.rows_of("measurement", 7))
    assert "JOIN indicator" in query and "JOIN cycle" in query and "JOIN theme" in query
    assert "theme.organisation_id" in query
