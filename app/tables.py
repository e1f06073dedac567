"""Conventions shared by every table model. Each models.py imports from here first."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import PlainSerializer
from sqlmodel import SQLModel

# Stable constraint names, so migrations look the same whichever database generated them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Relationships never load on access: a template touching an unloaded one fails loudly instead
# of issuing a query per row. Services load what a page needs with selectinload/joinedload.
RAISE = {"lazy": "raise"}
# Children are removed by the database (ON DELETE CASCADE); the ORM does not load them first.
CHILDREN = {"lazy": "raise", "cascade": "all", "passive_deletes": True}


def utc_now() -> datetime:
    return datetime.now(UTC)


def _as_json_number(value: Decimal) -> int | float:
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral_value() else float(normal)


# Decimal columns (budgets, indicator values) read back from the database with their column's
# scale ("12.0000"); the API shows them as plain JSON numbers (12).
Number = Annotated[Decimal, PlainSerializer(_as_json_number, when_used="json")]
