"""Conventions shared by every table model. Each models.py imports from here first."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Protocol

from pydantic import AliasChoices, PlainSerializer
from sqlalchemy import Table, event, inspect
from sqlalchemy.orm import QueryableAttribute, Session, declared_attr
from sqlmodel import Field, SQLModel

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


class Versioned(SQLModel):
    """Optimistic concurrency: every change bumps `version`, and an update or delete of a row
    whose version moved on since it was read fails (StaleDataError) instead of overwriting.

    Columns named in `__version_ignore__` (such as a result's rank, which moves when others are
    reordered) change without bumping the version: a form opened before stays valid. Such a
    table also carries `Revised.shown_version`, which every change bumps: the API's `versie` and
    ETag, since the API shows those columns too.
    """

    version: int = Field(default=1)
    __version_ignore__: ClassVar[frozenset[str]] = frozenset()
    if TYPE_CHECKING:  # SQLAlchemy sets it on every table class; SQLModel does not declare it
        __table__: ClassVar[Table]

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}


class Revised(SQLModel):
    """Every change a client can see, counted: with `Versioned.__version_ignore__` columns."""

    shown_version: int = Field(default=1)


# What a public model of a Revised table shows as its version (plain models: `version`).
# SQLModel's Field types validation_alias as str only; pydantic takes these choices.
SHOWN_VERSION = AliasChoices("shown_version", "version")


@event.listens_for(Session, "before_flush")
def _bump_versions(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.dirty:
        if not isinstance(obj, Versioned):
            continue
        state = inspect(obj)
        changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
        if isinstance(obj, Revised) and changed and "shown_version" not in changed:
            obj.shown_version += 1
        if "version" in changed:
            continue
        if changed - obj.__version_ignore__:
            obj.version += 1


def related(attribute: object) -> QueryableAttribute[Any]:
    """A relationship as SQLAlchemy's loader options take it (selectinload(related(X.y))).
    SQLModel declares a relationship with the type of its value (list[Indicator]); on the
    class it is an instrumented attribute, which this checks."""
    if not isinstance(attribute, QueryableAttribute):
        raise TypeError(f"Not a relationship: {attribute!r}")
    return attribute


def table_of(model: type[SQLModel]) -> Table:
    """The table of a model (SQLModel does not declare `__table__`; `Versioned` does)."""
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model!r} is not mapped to one table")
    return table


class Stored(Protocol):
    """A row with an id (None until its first flush)."""

    id: int | None


def row_id(row: Stored) -> int:
    """The id of a row that is in the database. SQLModel types a primary key `int | None`, as
    it is None until the row's first flush; after that it never is."""
    if row.id is None:
        raise ValueError(f"{row!r} has no id: it has not been flushed")
    return row.id
