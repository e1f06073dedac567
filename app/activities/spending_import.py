"""Spending in and out as a spreadsheet: planned and actual amounts per activity and year,
checked row by row, previewed, and saved all at once or not at all.

    activiteitnummer; activiteit; thema; cyclus; jaar; begroot; werkelijk; toelichting

Only activiteitnummer, jaar, begroot, werkelijk and toelichting are read. An empty amount
leaves what is stored; a row without any amount is skipped (the template's unfilled rows).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select, tuple_

from app.activities.models import Activity, Spending, SpendingCreate
from app.cycles import service as cycles_service
from app.cycles.models import Cycle, CycleStatus
from app.errors import InvalidInput
from app.formatting import format_euro, input_number
from app.forms import field_problem
from app.ids import parse_id
from app.imports import PreviewColumn, SheetImport
from app.organisations.models import Organisation
from app.tables import related, row_id
from app.text import clean_value
from app.uploads import (
    ChangeKind,
    Plan,
    Planner,
    Row,
    RowError,
    blank,
    in_chunks,
    lower_first,
    parse_value,
    sentence,
    shown,
)

COLUMNS = (
    "activiteitnummer",
    "activiteit",
    "thema",
    "cyclus",
    "jaar",
    "begroot",
    "werkelijk",
    "toelichting",
)
REQUIRED = ("activiteitnummer", "jaar")
AMOUNTS = {"begroot": "planned", "werkelijk": "actual"}  # the amount columns' fields


@dataclass(frozen=True)
class SpendingChange:
    row: int
    activity: Activity
    cycle: Cycle
    year: int
    planned: Decimal | None
    actual: Decimal | None
    note: str | None
    existing: Spending | None

    @property
    def new_planned(self) -> Decimal | None:
        return (
            self.planned if self.planned is not None or not self.existing else self.existing.planned
        )

    @property
    def new_actual(self) -> Decimal | None:
        return self.actual if self.actual is not None or not self.existing else self.existing.actual

    @property
    def kind(self) -> ChangeKind:
        if self.existing is None:
            return ChangeKind.NEW
        same = (
            self.new_planned == self.existing.planned
            and self.new_actual == self.existing.actual
            and (self.note is None or self.note == self.existing.note)
        )
        return ChangeKind.SAME if same else ChangeKind.CHANGED


@dataclass
class SpendingPlan(Plan[SpendingChange]):
    def content(self) -> str:
        """The checked rows as plain CSV, for the preview's confirmation form."""
        lines = ["activiteitnummer;jaar;begroot;werkelijk;toelichting"]
        for c in self.changes:
            note = (c.note or "").replace('"', '""')
            lines.append(
                f'{c.activity.id};{c.year};{input_number(c.planned)};{input_number(c.actual)};"{note}"'
            )
        return "\n".join(lines)


@dataclass(frozen=True)
class _Parsed:
    row: int
    activity_id: int
    year: int
    planned: Decimal | None
    actual: Decimal | None
    note: str | None


def _amount(row: Row, name: str, label: str, problems: list[str]) -> Decimal | None:
    raw = row.cells.get(name, "")
    if blank(raw):
        return None
    try:
        amount = parse_value(raw)
    except (ValueError, InvalidOperation):
        problems.append(f"{label} ‘{shown(raw)}’ is geen bedrag")
        return None
    if (problem := field_problem(SpendingCreate, AMOUNTS[name], amount)) is not None:
        problems.append(f"{label} ‘{shown(raw)}’: {lower_first(problem)}")
        return None
    return amount


def _parse_row(row: Row) -> _Parsed | RowError:
    problems: list[str] = []
    raw_id = row.text("activiteitnummer")
    activity_id = parse_id(raw_id)
    if not raw_id:
        problems.append("het activiteitnummer ontbreekt")
    elif activity_id is None:
        problems.append(f"onbekende activiteit ‘{shown(raw_id)}’: gebruik het activiteitnummer")
    raw_year = row.text("jaar")
    year = (
        int(raw_year) if raw_year.isascii() and raw_year.isdigit() and len(raw_year) == 4 else None
    )
    if year is None:
        problems.append(f"het jaar ‘{shown(raw_year)}’ klopt niet; schrijf bijvoorbeeld 2024")
    planned = _amount(row, "begroot", "het begrote bedrag", problems)
    actual = _amount(row, "werkelijk", "het werkelijke bedrag", problems)
    note = None
    if raw_note := row.text("toelichting"):
        try:
            note = clean_value(raw_note, multiline=True)
        except ValueError as exc:
            problems.append(f"de toelichting: {lower_first(str(exc))}")
        if note and (problem := field_problem(SpendingCreate, "note", note)) is not None:
            problems.append(f"de toelichting: {lower_first(problem)}")
    if problems:
        return RowError(row.number, sentence(problems))
    assert activity_id is not None and year is not None
    return _Parsed(row.number, activity_id, year, planned, actual, note)


def _activities(
    session: Session, organisation: Organisation, ids: set[int]
) -> dict[int, tuple[Activity, Cycle]]:
    if not ids:
        return {}
    rows = session.exec(
        cycles_service.in_organisation(select(Activity, Cycle), Activity.cycle_id, organisation)
        .where(col(Activity.id).in_(ids))
        .options(selectinload(related(Cycle.theme)))
    ).all()
    return {row_id(activity): (activity, cycle) for activity, cycle in rows}


def _existing(session: Session, keys: set[tuple[int, int]]) -> dict[tuple[int, int], Spending]:
    found: dict[tuple[int, int], Spending] = {}
    for chunk in in_chunks(keys):
        for row in session.exec(
            select(Spending).where(tuple_(Spending.activity_id, Spending.year).in_(chunk))
        ).all():
            found[(row.activity_id, row.year)] = row
    return found


_Planner = Planner[_Parsed, Activity, tuple[int, int], Spending, SpendingChange, SpendingPlan]
plan_import: _Planner = Planner(
    required=REQUIRED,
    filled=tuple(AMOUNTS),
    parse=_parse_row,
    record_id=lambda item: item.activity_id,
    key=lambda item: (item.activity_id, item.year),
    records=_activities,
    stored=_existing,
    unknown=(
        "Onbekende activiteit {id}: dit nummer hoort bij geen activiteit van deze gemeente. "
        "Neem het nummer over uit het sjabloon."
    ),
    closed=lambda activity, cycle: (
        f"{shown(activity.name)} hoort bij de afgesloten cyclus {cycle.period}."
    ),
    outside=lambda item, activity, cycle: (
        None
        if cycle.start_year <= item.year <= cycle.end_year
        else f"Het jaar {item.year} valt buiten de cyclus {cycle.period} van "
        f"{shown(activity.name)}."
    ),
    duplicate=lambda item, activity, earlier: (
        f"Dubbele periode: {shown(activity.name)} heeft {item.year} al in rij {earlier}."
    ),
    change=lambda item, activity, cycle, existing: SpendingChange(
        row=item.row,
        activity=activity,
        cycle=cycle,
        year=item.year,
        planned=item.planned,
        actual=item.actual,
        note=item.note,
        existing=existing,
    ),
    nothing="Het bestand bevat geen bedragen: vul bij minstens één regel een bedrag in.",
    plan=SpendingPlan,
)


def apply_import(session: Session, plan: SpendingPlan) -> int:
    """Save every new or changed row of a plan without errors; the caller commits once."""
    if plan.errors:
        raise InvalidInput({"bestand": "Het bestand bevat fouten; er is niets opgeslagen."})
    to_save = plan.to_save
    for cycle_id in {change.activity.cycle_id for change in to_save}:
        cycles_service.ensure_open(session, cycle_id)
    for change in to_save:
        if change.existing is None:
            assert change.activity.id is not None  # a stored row
            session.add(
                Spending(
                    activity_id=change.activity.id,
                    year=change.year,
                    planned=change.planned,
                    actual=change.actual,
                    note=change.note,
                )
            )
        else:
            change.existing.planned = change.new_planned
            change.existing.actual = change.new_actual
            if change.note is not None:
                change.existing.note = change.note
    session.flush()
    return len(to_save)


def template_rows(session: Session, organisation: Organisation) -> Iterator[list[Any]]:
    """One row per activity and year of the running cycles, with what is stored filled in."""
    yield from _rows(session, organisation, open_only=True)


def export_rows(session: Session, organisation: Organisation) -> Iterator[list[Any]]:
    """Every activity's amounts per year, in every cycle."""
    yield from _rows(session, organisation, open_only=False)


def _rows(session: Session, organisation: Organisation, *, open_only: bool) -> Iterator[list[Any]]:
    stmt = (
        cycles_service.in_organisation(select(Activity, Cycle), Activity.cycle_id, organisation)
        .options(selectinload(related(Cycle.theme)), selectinload(related(Activity.spending)))
        .order_by(col(Cycle.start_year).desc(), col(Cycle.id), col(Activity.name), col(Activity.id))
    )
    if open_only:
        stmt = stmt.where(Cycle.status != CycleStatus.CLOSED)
    for activity, cycle in session.exec(stmt).all():
        stored = {row.year: row for row in activity.spending}
        label = [activity.id, activity.name, cycle.theme.name, cycle.period]
        years = range(cycle.start_year, cycle.end_year + 1) if open_only else sorted(stored)
        for year in years:
            row = stored.get(year)
            yield [
                *label,
                year,
                row.planned if row else None,
                row.actual if row else None,
                (row.note or "") if row else "",
            ]


SHEET = SheetImport(
    name="spending",
    path="/bestedingen",
    title="Begroot en werkelijk importeren en exporteren",
    what="bestedingen",
    one="regel",
    columns=COLUMNS,
    required=REQUIRED,
    preview=(
        PreviewColumn(
            header="Activiteit",
            cell=lambda c: c.activity.name,
            detail=lambda c: f"{c.cycle.theme.name} {c.cycle.period}",
        ),
        PreviewColumn(header="Jaar", cell=lambda c: str(c.year)),
        PreviewColumn(
            header="Begroot",
            cell=lambda c: format_euro(c.new_planned) or "–",
            before=lambda c: (format_euro(c.existing.planned) or "–") if c.existing else None,
            numeric=True,
        ),
        PreviewColumn(
            header="Werkelijk",
            cell=lambda c: format_euro(c.new_actual) or "–",
            before=lambda c: (format_euro(c.existing.actual) or "–") if c.existing else None,
            numeric=True,
        ),
    ),
    intro_template="activities/_spending_import_intro.html",
    plan=plan_import,
    apply=apply_import,
    template_rows=template_rows,
    export_rows=export_rows,
)
