"""What the Kampen council report needs beyond the themes: the BBV number of each indicator
whose source names one ("CBS (BBV 27)"), and the money per activity and year (planned and
actual) of the years already behind us, so "Wat heeft het gekost?" has figures (fictional)."""

import re
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from app.activities.models import Activity, Spending
from app.cycles.models import Cycle, Theme
from app.organisations.models import Organisation
from app.results.models import Indicator

BBV_IN_SOURCE = re.compile(r"\(BBV (\d{2})\)")
# Actual spending as a share of the plan, by activity in turn: most close to plan, a few not.
SPENT = (Decimal("0.97"), Decimal("1.00"), Decimal("0.92"), Decimal("1.06"), Decimal("0.85"))


def load_report_figures(session: Session, organisation: Organisation) -> None:
    cycles = session.exec(
        select(Cycle).join(Theme).where(Theme.organisation_id == organisation.id)
    ).all()
    ids = [c.id for c in cycles]
    for indicator in session.exec(
        select(Indicator).where(
            col(Indicator.cycle_id).in_(ids), col(Indicator.source).is_not(None)
        )
    ).all():
        found = BBV_IN_SOURCE.search(indicator.source or "")
        if found and indicator.bbv_number is None:
            indicator.bbv_number = int(found.group(1))
    years = {c.id: range(c.start_year, min(c.end_year, date.today().year - 1) + 1) for c in cycles}
    activities = session.exec(
        select(Activity).where(col(Activity.cycle_id).in_(ids)).order_by(Activity.id)
    ).all()
    for n, activity in enumerate(activities):
        if activity.annual_budget is None:
            continue
        for year in years[activity.cycle_id]:
            planned = activity.annual_budget
            session.add(
                Spending(
                    activity_id=activity.id,  # type: ignore[arg-type]
                    year=year,
                    planned=planned,
                    actual=(planned * SPENT[(n + year) % len(SPENT)]).quantize(Decimal(1)),
                )
            )
    session.flush()
