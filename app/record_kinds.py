"""Every kind of record's Dutch name and its columns' Dutch labels, declared once.

A `Resource` (app/resources.py) declares its table when it is made, with its form labels; the
records without a form of their own (a step, an ambition, a membership) are declared by their
package with `declare`. The "Wijzigingen" pages and their CSV read only this registry, and a
test fails when an audited table or column has no Dutch name here."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlmodel import SQLModel

# Columns that many tables share, named once.
COMMON = {
    "id": "Nummer",
    "organisation_id": "Organisatie",
    "cycle_id": "Cyclus",
    "result_id": "Resultaat",
    "activity_id": "Activiteit",
    "partner_id": "Partner",
    "indicator_id": "Indicator",
    "round_id": "Ronde",
    "user_id": "Persoon",
    "created_at": "Aangemaakt op",
    "updated_at": "Gewijzigd op",
    "status": "Status",
    "name": "Naam",
    "title": "Titel",
    "text": "Tekst",
    "note": "Toelichting",
    "rationale": "Toelichting",
    "position": "Plaats",
    "number": "Nummer",
    "role": "Rol",
    "perspective": "Perspectief",
    "source": "Bron",
    "target": "Overgenomen als",
    "adopted_at": "Vastgesteld op",
    "adopted_by": "Vastgesteld door",
    "closed_at": "Gesloten op",
    "expires_at": "Verloopt op",
    "decided_on": "Besloten op",
}


@dataclass(frozen=True)
class RecordKind:
    label: str  # "resultaat": lower case, as it reads in a sentence
    fields: Mapping[str, str] = field(default_factory=dict)

    def field_label(self, column: str) -> str | None:
        return self.fields.get(column) or COMMON.get(column)


_KINDS: dict[str, RecordKind] = {}


def declare(model: type[SQLModel] | str, label: str, fields: Mapping[str, str] = {}) -> None:
    """Name a table's records and label its columns; a second declaration of the same table
    (two resources over one table) adds its labels and keeps the first name. A name instead
    of a table names what an audit event concerns (a refused request)."""
    table = model if isinstance(model, str) else str(model.__tablename__)
    known = _KINDS.get(table)
    _KINDS[table] = RecordKind(
        known.label if known else label, {**fields, **(known.fields if known else {})}
    )


def kind_label(table: str) -> str:
    """The Dutch name of a table's records ("resultaat"); the table's own name when unknown
    (a row of a table that no longer exists, in an old log entry)."""
    return _KINDS[table].label if table in _KINDS else table


def field_label(table: str, column: str) -> str:
    kind = _KINDS.get(table)
    return (kind.field_label(column) if kind else None) or COMMON.get(column) or column


def declared() -> Mapping[str, RecordKind]:
    return _KINDS
