"""Every record read by id is read through the one tenant-scoped lookup (`tenancy.owned`),
which follows the schema's ownership path: another organisation's record answers 404 as one
that does not exist."""

import ast
from pathlib import Path

import pytest

from app import tenancy
from app.errors import NotFound
from app.results.models import Measurement
from tests import factories

APP = Path(__file__).resolve().parent.parent / "app"


def _lookups():
    """Every `get_*(session, organisation, <id>)` in the domain packages."""
    for path in sorted(APP.glob("*/*.py")):
        for node in ast.parse(path.read_text()).body:
            if (
                isinstance(node, ast.FunctionDef)
                and node.name.startswith("get_")
                and [a.arg for a in node.args.args][:2] == ["session", "organisation"]
                and len(node.args.args) == 3
            ):
                yield f"{path.relative_to(APP)}::{node.name}", node


@pytest.mark.parametrize(
    "name,node", list(_lookups()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_lookup_by_id_is_tenant_scoped(name, node):
    calls = {ast.unparse(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)}
    assert "tenancy.owned" in calls or any(c.split(".")[-1].startswith("get_") for c in calls), (
        f"{name} reads a record by id without tenancy.owned"
    )


def test_another_organisations_record_does_not_exist(session, organisation):
    other = factories.make_organisation(session, "Gemeente Elders")
    indicator = factories.make_indicator(
        session, result=factories.make_result(session, factories.make_cycle(session, other))
    )
    measurement = factories.make_measurement(session, indicator)
    found = tenancy.owned(session, Measurement, other.id, measurement.id, "weg")
    assert found.id == measurement.id
    with pytest.raises(NotFound, match="weg"):
        tenancy.owned(session, Measurement, organisation.id, measurement.id, "weg")
