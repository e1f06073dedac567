"""Benchmark databases: the Gemeente Kampen demo, the demo made `scale` times larger, and the
demo among many tenants of its size in one database.

Everything goes through the domain services with their Create schemas, as the pages would
write it, so every record is valid.
"""

import dataclasses
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, func, select

from app import migrate
from app.activities import service as activities_service
from app.activities.models import (
    Activity,
    ActivityCreate,
    ActivityResultLinkCreate,
    QualityConditionCreate,
    WorkingElementCreate,
)
from app.ambitions import service as ambitions_service
from app.ambitions.models import TermCreate
from app.cycles import service as cycles_service
from app.cycles.models import Cycle, MonitoringItemCreate, Theme
from app.db import make_engine
from app.demo.accounts import ACCOUNTS
from app.demo.kampen import SLUG, THEMES
from app.demo.load import ORGANISATIONS, load_demo, load_theme
from app.improvement import service as improvement_service
from app.improvement.models import (
    ActivityDecisionCreate,
    ImprovementActionCreate,
    ReflectionCreate,
)
from app.organisations import members as members_service
from app.organisations import service as organisations_service
from app.organisations.models import Organisation
from app.partner_requests import service as partner_requests_service
from app.results import service as results_service
from app.results.models import (
    Indicator,
    IndicatorCreate,
    Measurement,
    MeasurementCreate,
    Result,
    ResultCreate,
)

MEASURED_THEME = "Werk"

S = TypeVar("S", bound=SQLModel)


@dataclass(frozen=True)
class Size:
    """The demo loaded `demos` times into one database (the last load is the one measured),
    with the measured cycle's own content `scale` times over."""

    scale: int = 1
    demos: int = 1


@dataclass(frozen=True)
class Dataset:
    """A benchmark database and the cycle whose pages are measured."""

    url: str
    cycle_id: int
    organisations: int
    themes: int
    results: int
    activities: int
    indicators: int
    measurements: int


def build(folder: Path, size: Size) -> Dataset:
    """A SQLite database in `folder` of that size, begun as a copy of a database holding the
    demo (made in `folder` by the first build)."""
    demo = folder / "demo.db"
    if not demo.exists():
        _load_demo(demo)
    path = folder / f"kompas-{size.scale}x-{size.demos}.db"
    with closing(sqlite3.connect(demo)) as source, closing(sqlite3.connect(path)) as target:
        source.backup(target)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    try:
        for number in range(1, size.demos):
            _rename_demo(engine, number)
            load_demo(engine)
        with Session(engine, expire_on_commit=False) as session:
            organisation = organisations_service.get_by_slug(session, SLUG)
            assert organisation is not None
            cycle = _measured_cycle(session, organisation)
            if size.scale > 1:
                _copy_demo_themes(session, organisation, size.scale)
                _multiply_cycle(session, cycle, size.scale)
            session.commit()
            return _describe(session, url, cycle)
    finally:
        engine.dispose()


def _load_demo(path: Path) -> None:
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        load_demo(engine)
    finally:
        engine.dispose()


def _rename_demo(engine: Engine, number: int) -> None:
    """Make the demo loaded so far tenant `number`: rename its organisations, their accounts
    and the partner link's token, so that the demo can be loaded again. Set directly: no
    service renames an organisation or an account."""
    with Session(engine) as session:
        for demo in ORGANISATIONS:
            organisation = organisations_service.get_by_slug(session, demo.SLUG)
            assert organisation is not None
            organisation.name, organisation.slug = f"{demo.NAME} {number}", f"{demo.SLUG}-{number}"
            for request, _ in partner_requests_service.list_requests(session, organisation):
                request.token_hash = secrets.token_hex(32)  # the demo prints one fixed link
        for account in ACCOUNTS:
            user = members_service.get_user_by_email(session, account.email)
            assert user is not None
            user.email = account.email.replace("@", f"+{number}@")
        session.commit()


def _measured_cycle(session: Session, organisation: Organisation) -> Cycle:
    theme = next(
        t for t in cycles_service.list_themes(session, organisation) if t.name == MEASURED_THEME
    )
    cycle = cycles_service.active_cycle(theme)
    assert cycle is not None
    return cycle


def _copy_demo_themes(session: Session, organisation: Organisation, scale: int) -> None:
    """Load every demo theme `scale - 1` more times, as "Werk 2" .. "Werk <scale>"."""
    partners = {p.name: p for p in organisations_service.list_partners(session, organisation)}
    for copy in range(2, scale + 1):
        for theme in THEMES:
            renamed = dataclasses.replace(theme, name=f"{theme.name} {copy}")
            load_theme(session, organisation, partners, renamed)


def _data(schema: type[S], row: SQLModel, **changes: object) -> S:
    """The Create schema holding what `row` holds, with `changes` applied."""
    fields = row.model_dump(include=set(schema.model_fields))
    return schema.model_validate({**fields, **changes})


def _multiply_cycle(session: Session, cycle: Cycle, scale: int) -> None:
    """Add the cycle's own content `scale - 1` more times, so that it holds `scale` times as much.

    Copied: terms, monitoring items, results with their indicators and measurements, activities
    with links, working elements, quality conditions, service indicators and decisions, and
    reflections with their actions. The single ambition stays single.
    """
    terms = ambitions_service.list_terms(session, cycle)
    monitoring = cycles_service.list_monitoring_items(session, cycle)
    results = results_service.list_results(session, cycle)
    activities = activities_service.list_activities(session, cycle)
    decisions = improvement_service.decisions_by_activity(session, cycle)
    reflections = improvement_service.list_reflections(session, cycle)
    for copy in range(2, scale + 1):
        for term in terms:
            ambitions_service.create_term(
                session, cycle, _data(TermCreate, term, term=f"{term.term} ({copy})")
            )
        for item in monitoring:
            cycles_service.create_monitoring_item(
                session, cycle, _data(MonitoringItemCreate, item, title=f"{item.title} ({copy})")
            )
        copied_results = {
            result.id: _copy_result(session, cycle, result, copy) for result in results
        }
        for activity in activities:
            new = _copy_activity(session, cycle, activity, copy, copied_results)
            decision = decisions.get(activity.id)  # type: ignore[arg-type]
            if decision is not None:
                improvement_service.create_decision(
                    session, new, _data(ActivityDecisionCreate, decision)
                )
        for reflection in reflections:
            new_reflection = improvement_service.create_reflection(
                session, cycle, _data(ReflectionCreate, reflection)
            )
            for action in reflection.actions:
                improvement_service.create_action(
                    session, new_reflection, _data(ImprovementActionCreate, action)
                )


def _copy_result(session: Session, cycle: Cycle, result: Result, copy: int) -> Result:
    # No code: the service gives the copy the theme's next free one, as a new result gets.
    new = results_service.create_result(
        session, cycle, _data(ResultCreate, result, text=f"{result.text} ({copy})", code=None)
    )
    for indicator in result.indicators:
        new_indicator = results_service.create_result_indicator(
            session, new, _data(IndicatorCreate, indicator, name=f"{indicator.name} ({copy})")
        )
        _copy_measurements(session, indicator, new_indicator)
    return new


def _copy_activity(
    session: Session,
    cycle: Cycle,
    activity: Activity,
    copy: int,
    results: dict[int | None, Result],
) -> Activity:
    new = activities_service.create_activity(
        session, cycle, _data(ActivityCreate, activity, name=f"{activity.name} ({copy})")
    )
    activities_service.set_evidence_level(session, new, activity.evidence_level)
    for link in activity.links:
        activities_service.create_link(
            session,
            new,
            _data(ActivityResultLinkCreate, link, result_id=results[link.result_id].id),
        )
    for element in activity.working_elements:
        activities_service.create_working_element(
            session, new, _data(WorkingElementCreate, element)
        )
    for condition in activity.quality_conditions:
        activities_service.create_quality_condition(
            session, new, _data(QualityConditionCreate, condition)
        )
    for indicator in activity.indicators:
        new_indicator = activities_service.create_activity_indicator(
            session, new, _data(IndicatorCreate, indicator, name=f"{indicator.name} ({copy})")
        )
        _copy_measurements(session, indicator, new_indicator)
    return new


def _copy_measurements(session: Session, source: Indicator, target: Indicator) -> None:
    for measurement in source.measurements:
        results_service.create_measurement(session, target, _data(MeasurementCreate, measurement))


def _describe(session: Session, url: str, cycle: Cycle) -> Dataset:
    def count(stmt) -> int:
        return session.exec(stmt).one()

    return Dataset(
        url=url,
        cycle_id=cycle.id,  # type: ignore[arg-type]
        organisations=count(select(func.count()).select_from(Organisation)),
        themes=count(select(func.count()).select_from(Theme)),
        results=count(select(func.count()).where(Result.cycle_id == cycle.id)),
        activities=count(select(func.count()).where(Activity.cycle_id == cycle.id)),
        indicators=count(select(func.count()).where(Indicator.cycle_id == cycle.id)),
        measurements=count(
            select(func.count())
            .select_from(Measurement)
            .join(Indicator)
            .where(Indicator.cycle_id == cycle.id)
        ),
    )
