"""Themes, cycles and their steps, the monitoring picture, and the organisation scoping rule.

Every record below an organisation is reached through a cycle; `in_organisation` adds the joins
that keep a query inside the current organisation.
"""

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlmodel import Session, col, func, select

from app import tenancy
from app.cycles.models import (
    Cycle,
    CycleCreate,
    CyclePeriod,
    CycleStatus,
    CycleStep,
    CycleStepBase,
    MonitoringItem,
    MonitoringItemCreate,
    StepStatus,
    Theme,
    ThemeCreate,
)
from app.cycles.steps import STEPS
from app.db import counts_per_cycle, flush_or_invalid
from app.errors import Conflict, CycleClosed, Duplicate, InvalidInput, NotFound
from app.organisations.models import Organisation
from app.tables import related, utc_now
from app.text import same_name

# A select of one model, or of several (rows of tuples)
Query = TypeVar("Query", bound=sa.Select[*tuple[Any, ...]])


def in_organisation(stmt: Query, cycle_id: Any, organisation: Organisation) -> Query:
    """Restrict a list query on a cycle-scoped table to the cycles of one organisation (a
    record by id is read with `tenancy.owned`)."""
    if cycle_id is not Cycle.id:
        stmt = stmt.join(Cycle, col(Cycle.id) == cycle_id)
    return stmt.join(Theme, col(Theme.id) == Cycle.theme_id).where(
        col(Theme.organisation_id) == organisation.id
    )


# Themes


def list_themes(session: Session, organisation: Organisation) -> Sequence[Theme]:
    """The organisation's themes with every cycle and its steps, for the overview."""
    return session.exec(
        select(Theme)
        .where(Theme.organisation_id == organisation.id)
        .options(selectinload(related(Theme.cycles)).selectinload(related(Cycle.steps)))
        .order_by(col(Theme.position), col(Theme.name))
    ).all()


def get_theme(session: Session, organisation: Organisation, theme_id: int) -> Theme:
    return tenancy.owned(
        session,
        Theme,
        organisation.id,
        theme_id,
        "Dit thema bestaat niet (meer).",
        selectinload(related(Theme.cycles)).selectinload(related(Cycle.steps)),
    )


_DUPLICATE_THEME = "Er is al een thema met deze naam."


def _check_unique_theme(
    session: Session, organisation_id: int, name: str, theme: Theme | None = None
) -> None:
    names = session.exec(
        select(Theme.id, Theme.name).where(Theme.organisation_id == organisation_id)
    ).all()
    if any(same_name(other, name) for id_, other in names if theme is None or id_ != theme.id):
        raise Duplicate({"name": _DUPLICATE_THEME})


def create_theme(session: Session, organisation: Organisation, data: ThemeCreate) -> Theme:
    assert organisation.id is not None
    _check_unique_theme(session, organisation.id, data.name)
    last = session.exec(
        select(func.max(Theme.position)).where(Theme.organisation_id == organisation.id)
    ).one()
    theme = Theme.model_validate(
        data, update={"organisation_id": organisation.id, "position": (last or 0) + 1}
    )
    session.add(theme)
    flush_or_invalid(session, {"name": _DUPLICATE_THEME})
    return theme


def update_theme(session: Session, theme: Theme, data: ThemeCreate) -> Theme:
    _check_unique_theme(session, theme.organisation_id, data.name, theme)
    theme.sqlmodel_update(data.model_dump())
    flush_or_invalid(session, {"name": _DUPLICATE_THEME})
    return theme


def delete_theme(session: Session, theme: Theme) -> None:
    session.delete(theme)
    session.flush()


# Cycles


# For a cycle selected joined to its theme (as `in_organisation` joins it): the theme from
# that join and its six steps joined as well, so a page asks one query for all three. (A
# joined collection repeats the cycle's row per step: take the result's `.unique()` rows.)
WITH_THEME_AND_STEPS = (contains_eager(related(Cycle.theme)), joinedload(related(Cycle.steps)))


# Built once: every cycle page asks it (building a statement costs more than running it).
def get_cycle(session: Session, organisation: Organisation, cycle_id: int) -> Cycle:
    """A cycle of this organisation, with its theme and steps loaded."""
    return tenancy.owned(
        session,
        Cycle,
        organisation.id,
        cycle_id,
        "Deze cyclus bestaat niet (meer).",
        *WITH_THEME_AND_STEPS,
    )


def list_cycles(session: Session, theme: Theme) -> Sequence[Cycle]:
    return session.exec(
        select(Cycle)
        .where(Cycle.theme_id == theme.id)
        .options(selectinload(related(Cycle.steps)))
        .order_by(col(Cycle.start_year).desc())
    ).all()


def organisation_cycles(session: Session, organisation: Organisation) -> Sequence[Cycle]:
    """Every cycle of every theme of the organisation, the latest first."""
    return session.exec(
        select(Cycle)
        .join(Theme, col(Theme.id) == Cycle.theme_id)
        .where(Theme.organisation_id == organisation.id)
        .options(selectinload(related(Cycle.steps)))
        .order_by(col(Cycle.start_year).desc(), col(Cycle.id))
    ).all()


def active_cycle(theme: Theme) -> Cycle | None:
    """The theme's running cycle; `theme.cycles` must be loaded."""
    return next((c for c in theme.cycles if c.status is CycleStatus.ACTIVE), None)


def ensure_open(session: Session, cycle_id: int) -> Cycle:
    """The cycle, if it may still change; closed cycles are kept as they were."""
    cycle = session.get_one(Cycle, cycle_id)
    if cycle.is_closed:
        raise CycleClosed()
    return cycle


def _add_steps(cycle: Cycle) -> None:
    # cycle_id comes from the relationship on flush; the pydantic plugin asks for it here
    cycle.steps = [CycleStep(number=definition.number) for definition in STEPS]  # type: ignore[call-arg]


def create_cycle(session: Session, theme: Theme, data: CycleCreate) -> Cycle:
    """Start a theme's first cycle (later cycles are carried forward from step 6)."""
    running = session.exec(
        select(Cycle.id).where(Cycle.theme_id == theme.id, Cycle.status == CycleStatus.ACTIVE)
    ).first()
    if running is not None:
        raise Conflict(
            "Dit thema heeft al een lopende cyclus. Start de volgende cyclus vanuit stap 6, "
            "Verbetercyclus."
        )
    cycle = Cycle.model_validate(data, update={"theme_id": theme.id})
    _add_steps(cycle)
    session.add(cycle)
    session.flush()
    return cycle


# A hand-over after this month proposes the next cycle from the coming year: a cycle that
# starts in the year now ending would have its targets due within months.
LATEST_MONTH_TO_START_THIS_YEAR = 6
# How far ahead the next cycle may start, counted from today.
LONGEST_WAIT_YEARS = 5


def next_period(previous: Cycle, today: date) -> CyclePeriod:
    """The period a hand-over proposes: as long as `previous`, starting after it and not in
    the past (a cycle of 2019-2022 handed over in December 2026 starts in 2027)."""
    this_year = today.year + (today.month > LATEST_MONTH_TO_START_THIS_YEAR)
    start = max(previous.end_year + 1, this_year)
    end = start + previous.end_year - previous.start_year
    try:  # checked before anything is written: a cycle the API cannot show is never saved
        return CyclePeriod(start_year=start, end_year=end, horizon_years=previous.horizon_years)
    except ValidationError:
        raise Conflict(
            f"De volgende cyclus zou {start}–{end} beslaan; Kompas plant tot en met 2100. Pas de "
            "jaren van deze cyclus aan als ze niet kloppen."
        ) from None


def check_next_period(previous: Cycle, period: CyclePeriod, today: date) -> None:
    """The period chosen on the hand-over form: after the previous cycle began, and not
    further ahead than LONGEST_WAIT_YEARS."""
    if period.start_year <= previous.start_year:
        message = f"De nieuwe cyclus begint na {previous.start_year}, het beginjaar van de vorige."
        raise InvalidInput({"start_year": message})
    if period.start_year > today.year + LONGEST_WAIT_YEARS:
        raise InvalidInput(
            {"start_year": f"Kies een beginjaar tot en met {today.year + LONGEST_WAIT_YEARS}."}
        )


def start_next_cycle(session: Session, previous: Cycle, period: CyclePeriod | None = None) -> Cycle:
    """Close `previous` and open the cycle after it, for `period` (by default the period
    `next_period` proposes today)."""
    if previous.is_closed:
        raise CycleClosed()
    today = utc_now().date()
    if period is None:
        period = next_period(previous, today)
    check_next_period(previous, period, today)
    cycle = Cycle(theme_id=previous.theme_id, previous_cycle_id=previous.id, **period.model_dump())
    _add_steps(cycle)
    previous.status = CycleStatus.CLOSED
    previous.closed_at = utc_now()
    session.add_all([cycle, previous])
    session.flush()
    return cycle


def update_cycle(session: Session, cycle: Cycle, data: CycleCreate) -> Cycle:
    assert cycle.id is not None  # a stored cycle
    ensure_open(session, cycle.id)
    cycle.sqlmodel_update(data.model_dump())
    session.flush()
    return cycle


def delete_cycle(session: Session, cycle: Cycle) -> None:
    """Remove the latest cycle of a theme; the cycle before it becomes the running one again."""
    newer = session.exec(select(Cycle.id).where(Cycle.previous_cycle_id == cycle.id)).first()
    if newer is not None:
        raise Conflict("Alleen de laatste cyclus van een thema kan worden verwijderd.")
    if cycle.previous_cycle_id is not None:
        previous = session.get_one(Cycle, cycle.previous_cycle_id)
        previous.status = CycleStatus.ACTIVE
        previous.closed_at = None
        session.add(previous)
    session.delete(cycle)
    session.flush()


# Steps


def get_step(session: Session, organisation: Organisation, step_id: int) -> CycleStep:
    return tenancy.owned(session, CycleStep, organisation.id, step_id, "Deze stap bestaat niet.")


def step_of(cycle: Cycle, number: int) -> CycleStep:
    """One of the cycle's steps; `cycle.steps` must be loaded."""
    for cycle_step in cycle.steps:
        if cycle_step.number == number:
            return cycle_step
    raise NotFound("Deze stap bestaat niet.")


def list_steps(session: Session, cycle: Cycle) -> Sequence[CycleStep]:
    return session.exec(
        select(CycleStep).where(CycleStep.cycle_id == cycle.id).order_by(col(CycleStep.number))
    ).all()


def update_step(session: Session, cycle_step: CycleStep, data: CycleStepBase) -> CycleStep:
    ensure_open(session, cycle_step.cycle_id)
    cycle_step.sqlmodel_update(data.model_dump())
    session.flush()
    return cycle_step


def step_started(session: Session, cycle_id: int, number: int) -> None:
    """Mark a step as in progress the first time something is recorded in it."""
    cycle_step = session.exec(
        select(CycleStep).where(CycleStep.cycle_id == cycle_id, CycleStep.number == number)
    ).one()
    if cycle_step.status is StepStatus.NOT_STARTED:
        cycle_step.status = StepStatus.IN_PROGRESS
        session.add(cycle_step)


# Monitoring picture (step 1)


def list_monitoring_items(session: Session, cycle: Cycle) -> Sequence[MonitoringItem]:
    return session.exec(
        select(MonitoringItem)
        .where(MonitoringItem.cycle_id == cycle.id)
        .order_by(col(MonitoringItem.kind), col(MonitoringItem.id))
    ).all()


def get_monitoring_item(
    session: Session, organisation: Organisation, item_id: int
) -> MonitoringItem:
    return tenancy.owned(
        session,
        MonitoringItem,
        organisation.id,
        item_id,
        "Dit onderdeel van het monitoringsbeeld bestaat niet (meer).",
    )


def create_monitoring_item(
    session: Session, cycle: Cycle, data: MonitoringItemCreate
) -> MonitoringItem:
    assert cycle.id is not None  # a stored cycle
    ensure_open(session, cycle.id)
    item = MonitoringItem.model_validate(data, update={"cycle_id": cycle.id})
    session.add(item)
    step_started(session, item.cycle_id, 1)
    session.flush()
    return item


def update_monitoring_item(
    session: Session, item: MonitoringItem, data: MonitoringItemCreate
) -> MonitoringItem:
    ensure_open(session, item.cycle_id)
    item.sqlmodel_update(data.model_dump())
    session.flush()
    return item


def delete_monitoring_item(session: Session, item: MonitoringItem) -> None:
    ensure_open(session, item.cycle_id)
    session.delete(item)
    session.flush()


def progress_counts(session: Session, cycle_ids: Sequence[int]) -> dict[str, Counter[int]]:
    """The monitoring picture's items each cycle has (for the progress overview)."""
    return {"monitoring": counts_per_cycle(session, MonitoringItem, cycle_ids)}
