"""Measurements in and out as a spreadsheet: the template, the import (checked row by row,
previewed, then saved all at once or not at all) and the export of every measurement.

One layout serves all three, so an export can be edited and imported again:

    indicatornummer; indicator; thema; cyclus; eenheid; datum; waarde; verhaal

Only indicatornummer, datum and waarde are read (verhaal when present); the other columns
help the person filling it in. A row with a date that already has a meting changes that meting.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select, tuple_

from app.cycles import service as cycles_service
from app.cycles.models import Cycle, CycleStatus
from app.errors import InvalidInput
from app.formatting import format_date, format_quantity, input_number
from app.forms import field_problem
from app.ids import parse_id
from app.imports import PreviewColumn, SheetImport
from app.organisations.models import Organisation
from app.results.models import Indicator, Measurement, MeasurementCreate
from app.tables import related, row_id
from app.text import clean_value
from app.uploads import (
    DATE_HINT,
    ChangeKind,
    Plan,
    Planner,
    Row,
    RowError,
    blank,
    in_chunks,
    lower_first,
    parse_date,
    parse_value,
    sentence,
    shown,
)

COLUMNS = (
    "indicatornummer",
    "indicator",
    "thema",
    "cyclus",
    "eenheid",
    "datum",
    "waarde",
    "verhaal",
)
REQUIRED = ("indicatornummer", "datum", "waarde")


@dataclass(frozen=True)
class Change:
    row: int
    indicator: Indicator
    cycle: Cycle
    measured_on: date
    value: Decimal
    story: str | None
    existing: Measurement | None

    @property
    def kind(self) -> ChangeKind:
        if self.existing is None:
            return ChangeKind.NEW
        same_story = self.story is None or self.story == self.existing.story
        if self.existing.value == self.value and same_story:
            return ChangeKind.SAME
        return ChangeKind.CHANGED


@dataclass
class ImportPlan(Plan[Change]):
    def content(self) -> str:
        """The checked rows as plain CSV, carried by the preview's confirmation form and
        checked again when it is sent."""
        lines = ["indicatornummer;datum;waarde;verhaal"]
        for change in self.changes:
            story = (change.story or "").replace('"', '""')
            lines.append(
                f"{change.indicator.id};{change.measured_on.isoformat()};"
                f'{input_number(change.value)};"{story}"'
            )
        return "\n".join(lines)


# Reading one row


@dataclass(frozen=True)
class _Parsed:
    row: int
    indicator_id: int
    measured_on: date
    value: Decimal
    story: str | None


def _parse_row(row: Row) -> _Parsed | RowError:
    problems: list[str] = []
    raw_id = row.text("indicatornummer")
    indicator_id = parse_id(raw_id)
    if not raw_id:
        problems.append("het indicatornummer ontbreekt")
    elif indicator_id is None:
        problems.append(f"onbekende indicator ‘{shown(raw_id)}’: gebruik het indicatornummer")
    raw_date = row.cells.get("datum", "")
    measured_on = None
    if blank(raw_date):
        problems.append("de datum ontbreekt")
    else:
        try:
            measured_on = parse_date(raw_date)
        except ValueError:
            problems.append(f"de datum ‘{shown(raw_date)}’ klopt niet; {DATE_HINT}")
        else:
            if (
                problem := field_problem(MeasurementCreate, "measured_on", measured_on)
            ) is not None:
                typed = format_date(measured_on, "short")  # a date cell as a date, not a time
                problems.append(f"de datum ‘{typed}’: {lower_first(problem)}")
                measured_on = None
    raw_value = row.cells.get("waarde", "")
    value = None
    if blank(raw_value):
        problems.append("de waarde ontbreekt")
    else:
        try:
            value = parse_value(raw_value)
        except (ValueError, InvalidOperation):
            problems.append(f"de waarde ‘{shown(raw_value)}’ is geen getal")
        else:
            if (problem := field_problem(MeasurementCreate, "value", value)) is not None:
                problems.append(f"de waarde ‘{shown(raw_value)}’: {lower_first(problem)}")
    story = None
    raw_story = row.text("verhaal")
    if raw_story:
        try:
            story = clean_value(raw_story, multiline=True)
        except ValueError as exc:
            problems.append(f"het verhaal: {lower_first(str(exc))}")
        if story and (problem := field_problem(MeasurementCreate, "story", story)) is not None:
            problems.append(f"het verhaal: {lower_first(problem)}")
    if problems:
        return RowError(row.number, sentence(problems))
    assert indicator_id is not None and measured_on is not None and value is not None
    return _Parsed(row.number, indicator_id, measured_on, value, story)


# The whole file


def _indicators(
    session: Session, organisation: Organisation, ids: set[int]
) -> dict[int, tuple[Indicator, Cycle]]:
    if not ids:
        return {}
    rows = session.exec(
        cycles_service.in_organisation(select(Indicator, Cycle), Indicator.cycle_id, organisation)
        .where(col(Indicator.id).in_(ids))
        .options(selectinload(related(Cycle.theme)))
    ).all()
    return {row_id(indicator): (indicator, cycle) for indicator, cycle in rows}


def _existing(session: Session, keys: set[tuple[int, date]]) -> dict[tuple[int, date], Measurement]:
    found: dict[tuple[int, date], Measurement] = {}
    for chunk in in_chunks(keys):
        for m in session.exec(
            select(Measurement).where(
                tuple_(Measurement.indicator_id, Measurement.measured_on).in_(chunk)
            )
        ).all():
            found[(m.indicator_id, m.measured_on)] = m
    return found


_Planner = Planner[_Parsed, Indicator, tuple[int, date], Measurement, Change, ImportPlan]
plan_import: _Planner = Planner(
    required=REQUIRED,
    filled=("datum", "waarde"),
    parse=_parse_row,
    record_id=lambda item: item.indicator_id,
    key=lambda item: (item.indicator_id, item.measured_on),
    records=_indicators,
    stored=_existing,
    unknown=(
        "Onbekende indicator {id}: dit nummer hoort bij geen indicator van deze gemeente. "
        "Neem het nummer over uit het sjabloon."
    ),
    closed=lambda indicator, cycle: (
        f"Indicator {indicator.id} ({shown(indicator.name)}) hoort bij de afgesloten cyclus "
        f"{cycle.period}; daar kunnen geen metingen meer bij."
    ),
    duplicate=lambda item, indicator, earlier: (
        f"Dubbele periode: indicator {indicator.id} ({shown(indicator.name)}) heeft op "
        f"{format_date(item.measured_on)} al een meting in rij {earlier}."
    ),
    change=lambda item, indicator, cycle, existing: Change(
        row=item.row,
        indicator=indicator,
        cycle=cycle,
        measured_on=item.measured_on,
        value=item.value,
        story=item.story,
        existing=existing,
    ),
    nothing=(
        "Het bestand bevat geen metingen: vul bij minstens één regel een datum en een waarde in."
    ),
    plan=ImportPlan,
)


def apply_import(session: Session, plan: ImportPlan) -> int:
    """Save every new or changed meting of a plan without errors; returns how many. The caller
    commits once, so a failure anywhere saves nothing."""
    if plan.errors:
        raise InvalidInput({"bestand": "Het bestand bevat fouten; er is niets opgeslagen."})
    to_save = plan.to_save  # before saving: a changed meting reads as unchanged afterwards
    for cycle_id in {change.indicator.cycle_id for change in to_save}:
        cycles_service.ensure_open(session, cycle_id)
        cycles_service.step_started(session, cycle_id, 5)
    for change in to_save:
        if change.existing is None:
            assert change.indicator.id is not None  # a stored row
            session.add(
                Measurement(
                    indicator_id=change.indicator.id,
                    measured_on=change.measured_on,
                    value=change.value,
                    story=change.story,
                )
            )
        else:
            change.existing.value = change.value
            if change.story is not None:
                change.existing.story = change.story
    session.flush()
    return len(to_save)


# Template and export


def _label_columns(indicator: Indicator, cycle: Cycle) -> list[Any]:
    return [indicator.id, indicator.name, cycle.theme.name, cycle.period, indicator.unit or ""]


def _organisation_indicators(
    session: Session, organisation: Organisation, *, open_only: bool
) -> Sequence[tuple[Indicator, Cycle]]:
    stmt = (
        cycles_service.in_organisation(select(Indicator, Cycle), Indicator.cycle_id, organisation)
        .options(selectinload(related(Cycle.theme)))
        .order_by(col(Cycle.start_year).desc(), col(Cycle.id), col(Indicator.id))
    )
    if open_only:
        stmt = stmt.where(Cycle.status != CycleStatus.CLOSED)
    else:
        stmt = stmt.options(selectinload(related(Indicator.measurements)))
    return session.exec(stmt).all()


def template_rows(session: Session, organisation: Organisation) -> Iterator[list[Any]]:
    """One row per indicator of a running cycle, with date and value left to fill in."""
    for indicator, cycle in _organisation_indicators(session, organisation, open_only=True):
        yield [*_label_columns(indicator, cycle), None, None, None]


def export_rows(session: Session, organisation: Organisation) -> Iterator[list[Any]]:
    """Every meting of the organisation, oldest cycle last, as typed values (dates, numbers)."""
    for indicator, cycle in _organisation_indicators(session, organisation, open_only=False):
        for m in indicator.measurements:
            yield [*_label_columns(indicator, cycle), m.measured_on, m.value, m.story or ""]


SHEET = SheetImport(
    name="measurements",
    path="/metingen",
    title="Metingen importeren en exporteren",
    what="metingen",
    one="meting",
    columns=COLUMNS,
    required=REQUIRED,
    preview=(
        PreviewColumn(
            header="Indicator",
            cell=lambda c: c.indicator.name,
            detail=lambda c: f"{c.cycle.theme.name} {c.cycle.period}",
        ),
        PreviewColumn(header="Datum", cell=lambda c: format_date(c.measured_on)),
        PreviewColumn(
            header="Was",
            cell=lambda c: (
                format_quantity(c.existing.value, c.indicator.unit) if c.existing else "–"
            ),
            numeric=True,
        ),
        PreviewColumn(
            header="Wordt",
            cell=lambda c: format_quantity(c.value, c.indicator.unit),
            numeric=True,
        ),
    ),
    intro_template="results/_measurement_import_intro.html",
    plan=plan_import,
    apply=apply_import,
    template_rows=template_rows,
    export_rows=export_rows,
)
