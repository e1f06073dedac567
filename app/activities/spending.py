"""Money as it was spent: per activity and year the planned budget (begroot) and the actual
spending (werkelijk), so the report can say what it cost against what was planned."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from sqlmodel import Session, col, select

from app import tenancy
from app.activities.models import Activity, Spending, SpendingCreate
from app.cycles import service as cycles_service
from app.cycles.models import Cycle
from app.db import flush_or_invalid
from app.errors import Duplicate, InvalidInput
from app.organisations.models import Organisation

_DUPLICATE_YEAR = "Voor dit jaar zijn de bedragen al ingevuld. Pas die regel aan."


def get_spending(session: Session, organisation: Organisation, spending_id: int) -> Spending:
    return tenancy.owned(
        session, Spending, organisation.id, spending_id, "Deze bedragen bestaan niet (meer)."
    )


def list_spending(session: Session, activity: Activity) -> Sequence[Spending]:
    return session.exec(
        select(Spending).where(Spending.activity_id == activity.id).order_by(col(Spending.year))
    ).all()


def spending_by_activity(session: Session, cycle: Cycle) -> dict[int, list[Spending]]:
    """Every activity's spending in the cycle, by activity id, years in order (one query)."""
    assert cycle.id is not None  # a stored row
    return spending_of_cycles(session, [cycle.id])


def _check(session: Session, activity: Activity, data: SpendingCreate, spending_id: int | None):
    cycle = cycles_service.ensure_open(session, activity.cycle_id)
    if not cycle.start_year <= data.year <= cycle.end_year:
        raise InvalidInput(
            {
                "year": f"Kies een jaar van deze cyclus: {cycle.start_year} tot en met "
                f"{cycle.end_year}."
            }
        )
    if data.planned is None and data.actual is None:
        raise InvalidInput(
            {"planned": "Vul het begrote bedrag, het uitgegeven bedrag of beide in."}
        )
    stmt = select(Spending.id).where(
        Spending.activity_id == activity.id, Spending.year == data.year
    )
    if spending_id is not None:
        stmt = stmt.where(col(Spending.id) != spending_id)
    if session.exec(stmt).first() is not None:
        raise Duplicate({"year": _DUPLICATE_YEAR})


def create_spending(session: Session, activity: Activity, data: SpendingCreate) -> Spending:
    _check(session, activity, data, None)
    spending = Spending.model_validate(data, update={"activity_id": activity.id})
    session.add(spending)
    flush_or_invalid(session, {"year": _DUPLICATE_YEAR})
    return spending


def update_spending(session: Session, spending: Spending, data: SpendingCreate) -> Spending:
    activity = session.get_one(Activity, spending.activity_id)
    _check(session, activity, data, spending.id)
    spending.sqlmodel_update(data.model_dump())
    flush_or_invalid(session, {"year": _DUPLICATE_YEAR})
    return spending


def delete_spending(session: Session, spending: Spending) -> None:
    activity = session.get_one(Activity, spending.activity_id)
    cycles_service.ensure_open(session, activity.cycle_id)
    session.delete(spending)
    session.flush()


class Amounts(Protocol):
    """One year's planned and actual amount: a stored row, or the report's copy of one."""

    @property
    def planned(self) -> Decimal | None: ...

    @property
    def actual(self) -> Decimal | None: ...


def difference(planned: Decimal | None, actual: Decimal | None) -> Decimal | None:
    """Spent minus planned; only where both are known."""
    if planned is None or actual is None:
        return None
    return actual - planned


@dataclass(frozen=True)
class Totals:
    planned: Decimal | None
    actual: Decimal | None
    difference: Decimal | None


def totals(years: Iterable[Amounts]) -> Totals:
    """The money rule of every page and report: planned and actual each summed where known,
    the difference only over the years for which both are known (a running year without
    actual spending does not count as saved)."""
    rows = list(years)
    planned = [r.planned for r in rows if r.planned is not None]
    actual = [r.actual for r in rows if r.actual is not None]
    differences = [d for r in rows if (d := difference(r.planned, r.actual)) is not None]
    return Totals(
        planned=sum(planned, Decimal(0)) if planned else None,
        actual=sum(actual, Decimal(0)) if actual else None,
        difference=sum(differences, Decimal(0)) if differences else None,
    )


def spending_of_cycles(session: Session, cycle_ids: Sequence[int]) -> dict[int, list[Spending]]:
    """Every activity's spending in these cycles, by activity id, years in order (one query)."""
    found: dict[int, list[Spending]] = {}
    for row in session.exec(
        select(Spending)
        .join(Activity, col(Activity.id) == Spending.activity_id)
        .where(col(Activity.cycle_id).in_(cycle_ids))
        .order_by(col(Spending.activity_id), col(Spending.year))
    ).all():
        found.setdefault(row.activity_id, []).append(row)
    return found
