"""Loads the demo organisation (Gemeente Kampen) through the domain services, once."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypedDict

from sqlalchemy import Engine
from sqlmodel import Session

from app import db
from app.activities import service as activities_service
from app.activities import spending as spending_service
from app.activities.models import (
    ActivityCreate,
    ActivityResultLinkCreate,
    CoPerformerCreate,
    QualityConditionCreate,
    Spending,
    SpendingCreate,
    WorkingElementCreate,
)
from app.ambitions import service as ambitions_service
from app.ambitions.models import AmbitionStatus, AmbitionWrite, TableMemberCreate, TermCreate
from app.cycles import service as cycles_service
from app.cycles.models import (
    Cycle,
    CycleCreate,
    CyclePeriod,
    CycleStepBase,
    MonitoringItemCreate,
    Theme,
    ThemeCreate,
)
from app.demo import huizen, kampen
from app.demo.accounts import ACCOUNTS, PASSWORD, SECOND_FACTOR_KEY
from app.demo.content import DemoIndicator, DemoReflection, DemoStory, DemoTheme
from app.demo.kampen import figures, scenarios
from app.demo.sessions import load_sessions
from app.formatting import parse_number
from app.improvement import rollover
from app.improvement import service as improvement_service
from app.improvement.models import (
    ActivityDecisionCreate,
    ImprovementActionCreate,
    ReflectionCreate,
    ResultDecisionCreate,
)
from app.organisations import members as members_service
from app.organisations import second_factor
from app.organisations import service as organisations_service
from app.organisations.models import Organisation, Partner, PartnerCreate, Role
from app.partner_requests import service as partner_requests_service
from app.partner_requests.models import PartnerRequestCreate
from app.results import service as results_service
from app.results.models import IndicatorCreate, MeasurementCreate, ResultCreate, StoryCreate
from app.scenarios import service as scenarios_service
from app.scenarios.models import ScenarioCreate
from app.tables import row_id, utc_now

ORGANISATIONS = (kampen, huizen)


class _Decided(TypedDict, total=False):
    """Who decided and when, for a decision that says so (else the defaults)."""

    decided_by: str
    decided_on: date


def load_demo(engine: Engine | None = None) -> bool:
    """Create Gemeente Kampen (four themes) and Gemeente Huizen (one), with one account per
    role; False if the demo was loaded before."""
    with Session(engine or db.engine, expire_on_commit=False) as session:
        if organisations_service.get_by_slug(session, kampen.SLUG) is not None:
            return False
        partners: dict[tuple[str, str], Partner] = {}
        for demo in ORGANISATIONS:
            organisation = organisations_service.create_organisation(
                session, name=demo.NAME, slug=demo.SLUG
            )
            for p in demo.PARTNERS:
                partners[demo.SLUG, p.name] = organisations_service.create_partner(
                    session,
                    organisation,
                    PartnerCreate(
                        name=p.name, partner_type=p.partner_type, description=p.description
                    ),
                )
            own = {name: partner for (slug, name), partner in partners.items() if slug == demo.SLUG}
            for theme in demo.THEMES:
                load_theme(session, organisation, own, theme)
            if demo is kampen:
                _load_scenarios(session, organisation)
                _load_figures(session, organisation, own)
                load_sessions(session, organisation)
        _load_accounts(session, partners)
        session.commit()
    return True


def _load_accounts(session: Session, partners: dict[tuple[str, str], Partner]) -> None:
    for account in ACCOUNTS:
        user = members_service.create_user(
            session, email=account.email, name=account.name, password=PASSWORD
        )
        for slug, role, partner in account.memberships:
            organisation = organisations_service.get_by_slug(session, slug)
            assert organisation is not None
            partner_id = partners[slug, partner].id if partner else None
            members_service.add_member(session, organisation, user, role, partner_id)
        if any(role is Role.ADMIN for _, role, _ in account.memberships):
            second_factor.set_up_with_key(session, user, SECOND_FACTOR_KEY)


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def _running(theme: Theme) -> Cycle:
    cycle = cycles_service.active_cycle(theme)
    assert cycle is not None  # every demo theme has a running cycle
    return cycle


def _load_scenarios(session: Session, organisation: Organisation) -> None:
    """Legal duties and minimum levels on the activities, and the 2019 budget scenarios."""
    themes = {t.name: t for t in cycles_service.list_themes(session, organisation)}
    cycles = {name: _running(theme) for name, theme in themes.items()}
    for cycle in cycles.values():
        for activity in activities_service.list_activities(session, cycle):
            if activity.name in scenarios.INPUTS:
                legal_duty, minimum = scenarios.INPUTS[activity.name]
                data = ActivityCreate.model_validate(
                    activity.model_dump() | {"legal_duty": legal_duty, "minimum_level": minimum}
                )
                activities_service.update_activity(session, activity, data)
    for s in scenarios.SCENARIOS:
        scenario = scenarios_service.create_scenario(
            session,
            organisation,
            ScenarioCreate(
                name=s.name,
                cycle_id=cycles[s.theme].id if s.theme else None,
                made_on=s.made_on,
                cut_kind=s.cut_kind,
                cut_value=s.cut_value,
                max_partner_loss=s.max_partner_loss,
                covered_top_results=s.covered_top_results,
                note=s.note,
            ),
        )
        scenario.author = s.author


def _load_figures(
    session: Session, organisation: Organisation, partners: dict[str, Partner]
) -> None:
    """BBV numbers and frequencies on the indicators, the latest figures, planned and actual
    spending per activity and year, and an open request to De Kern for their figures."""
    this_year = utc_now().year
    for theme in cycles_service.list_themes(session, organisation):
        for cycle in cycles_service.list_cycles(session, theme):
            for indicator in results_service.list_indicators_of_cycle(session, cycle):
                changes: dict[str, Any] = {}
                if indicator.name in figures.BBV and indicator.result_id is not None:
                    changes["bbv_number"] = figures.BBV[indicator.name]
                if indicator.name in figures.FREQUENCY:
                    changes["expected_frequency"] = figures.FREQUENCY[indicator.name]
                if changes and cycle.is_closed:  # as it was while the cycle ran
                    indicator.sqlmodel_update(changes)
                elif changes:
                    data = IndicatorCreate.model_validate(indicator.model_dump() | changes)
                    results_service.update_indicator(session, indicator, data)
                if not cycle.is_closed:
                    for m in figures.LATEST.get(indicator.name, ()):
                        results_service.create_measurement(
                            session,
                            indicator,
                            MeasurementCreate(
                                measured_on=m.on, value=parse_number(m.value), story=m.story
                            ),
                        )
            for activity in activities_service.list_activities(session, cycle):
                if activity.annual_budget is None:
                    continue
                for year in range(cycle.start_year, min(cycle.end_year, this_year) + 1):
                    share, note = figures.SPENT_SHARE.get(year, (None, None))
                    share = figures.EXCEPTIONS.get(activity.name, {}).get(year, share)
                    actual = (activity.annual_budget * share).quantize(1) if share else None
                    spent = SpendingCreate(
                        year=year, planned=activity.annual_budget, actual=actual, note=note
                    )
                    if cycle.is_closed:  # entered while the cycle ran
                        session.add(
                            Spending.model_validate(spent, update={"activity_id": activity.id})
                        )
                    else:
                        spending_service.create_spending(session, activity, spent)
    partner_requests_service.create_request(
        session,
        organisation,
        PartnerRequestCreate(
            partner_id=row_id(partners[figures.REQUEST_PARTNER]),
            due_on=utc_now().date() + timedelta(days=figures.REQUEST_DAYS),
            message=figures.REQUEST_MESSAGE,
        ),
        "Joost Mulder",
        token=figures.REQUEST_TOKEN,
    )


def _number(text: str | None):
    return parse_number(text) if text is not None else None


def _indicator(demo: DemoIndicator) -> IndicatorCreate:
    return IndicatorCreate(
        name=demo.name,
        definition=demo.definition,
        unit=demo.unit,
        direction=demo.direction,
        source=demo.source,
        instrument=demo.instrument,
        baseline_value=_number(demo.baseline),
        baseline_date=demo.baseline_on,
        target_value=_number(demo.target),
        target_date=demo.target_on,
        rba_question=demo.rba_question,
    )


def _measure(session: Session, indicator, demo: DemoIndicator) -> None:
    for m in demo.measurements:
        results_service.create_measurement(
            session,
            indicator,
            MeasurementCreate(measured_on=m.on, value=parse_number(m.value), story=m.story),
        )


def load_theme(
    session: Session, organisation: Organisation, partners: dict[str, Partner], demo: DemoTheme
) -> None:
    theme = cycles_service.create_theme(
        session, organisation, ThemeCreate(name=demo.name, description=demo.description)
    )
    cycle = cycles_service.create_cycle(
        session,
        theme,
        CycleCreate(
            start_year=demo.start_year,
            end_year=demo.end_year,
            horizon_years=3,
            current_step=demo.current_step,
        ),
    )
    for kind, title, figure, source, interpretation in demo.monitoring:
        cycles_service.create_monitoring_item(
            session,
            cycle,
            MonitoringItemCreate(
                kind=kind, title=title, figure=figure, source=source, interpretation=interpretation
            ),
        )
    # Drafts in the weeks before the session, so the history reads in the demo's own years.
    drafts = demo.ambition_drafts
    for weeks_before, draft in zip(range(len(drafts), 0, -1), drafts, strict=True):
        ambitions_service.save_ambition(
            session,
            cycle,
            AmbitionWrite(text=draft, status=AmbitionStatus.DRAFT),
            at=_noon(demo.ambition_on - timedelta(weeks=weeks_before)),
        )
    adopted = demo.ambition_status is AmbitionStatus.AGREED
    ambitions_service.save_ambition(
        session,
        cycle,
        AmbitionWrite(
            text=demo.ambition,
            status=demo.ambition_status,
            origin=demo.ambition_origin,
            adopted_by=demo.ambition_adopted_by,
            agreed_on=demo.ambition_on if adopted else None,
        ),
        at=_noon(demo.ambition_on),
    )
    for m in demo.table:
        ambitions_service.create_table_member(
            session,
            cycle,
            TableMemberCreate(
                name=m.name,
                organisation=m.organisation,
                perspective=m.perspective,
                interest=m.interest,
                mandate=m.mandate,
            ),
        )
    for t in demo.terms:
        ambitions_service.create_term(
            session,
            cycle,
            TermCreate(
                term=t.term,
                meaning_municipality=t.municipality,
                meaning_provider=t.provider,
                meaning_resident=t.resident,
                agreed_definition=t.agreed,
            ),
        )
    decided: _Decided = (
        {"decided_by": demo.decided[0], "decided_on": demo.decided[1]} if demo.decided else {}
    )
    results = {}
    activities_by_name = {}
    for r in demo.results:
        result = results_service.create_result(
            session,
            cycle,
            ResultCreate(
                text=r.text,
                result_type=r.result_type,
                target_group=r.target_group,
                rationale=r.rationale,
                code=r.key,
                origin=r.origin,
            ),
        )
        results[r.key] = result
        for demo_indicator in r.indicators:
            indicator = results_service.create_result_indicator(
                session, result, _indicator(demo_indicator)
            )
            _measure(session, indicator, demo_indicator)
    for a in demo.activities:
        activity = activities_service.create_activity(
            session,
            cycle,
            ActivityCreate(
                name=a.name,
                description=a.description,
                partner_id=partners[a.partner].id if a.partner else None,
                target_group=a.target_group,
                annual_budget=_number(a.budget),
                agreement=a.agreement,
                status=a.status,
            ),
        )
        for partner_name, role in a.co_performers:
            activities_service.create_co_performer(
                session,
                activity,
                CoPerformerCreate(partner_id=row_id(partners[partner_name]), role=role),
            )
        activities_by_name[a.name] = activity
        activities_service.set_evidence_level(session, activity, a.evidence)
        for link in a.links:
            activities_service.create_link(
                session,
                activity,
                ActivityResultLinkCreate(
                    result_id=row_id(results[link.result]),
                    contribution=link.contribution,
                    assumption=link.assumption,
                ),
            )
        for description, source in a.working_elements:
            activities_service.create_working_element(
                session,
                activity,
                WorkingElementCreate(description=description, evidence_source=source),
            )
        for category, description in a.quality:
            activities_service.create_quality_condition(
                session,
                activity,
                QualityConditionCreate(category=category, description=description),
            )
        for demo_indicator in a.indicators:
            indicator = activities_service.create_activity_indicator(
                session, activity, _indicator(demo_indicator)
            )
            _measure(session, indicator, demo_indicator)
        if a.decision is not None:
            decision, rationale = a.decision
            improvement_service.create_decision(
                session,
                activity,
                ActivityDecisionCreate(decision=decision, rationale=rationale, **decided),
            )
    for about, story in demo.stories:
        if about in results:
            results_service.create_result_story(session, results[about], _story(story))
        else:
            activities_service.create_activity_story(
                session, activities_by_name[about], _story(story)
            )
    for d in demo.result_decisions:
        who: _Decided = (
            {"decided_by": d.decided[0], "decided_on": d.decided[1]} if d.decided else decided
        )
        improvement_service.create_result_decision(
            session,
            results[d.result],
            ResultDecisionCreate(
                decision=d.decision,
                new_text=d.new_text,
                rationale=d.rationale,
                **who,
            ),
        )
    for ref in demo.reflections:
        _reflect(session, cycle, ref)
    _set_steps(session, cycle, demo)
    if demo.next_cycle is not None:
        _hand_over(session, organisation, cycle, demo)


def _story(demo: DemoStory) -> StoryCreate:
    return StoryCreate(told_on=demo.on, source=demo.source, text=demo.text)


def _reflect(session: Session, cycle, ref: DemoReflection) -> None:
    reflection = improvement_service.create_reflection(
        session,
        cycle,
        ReflectionCreate(
            reflected_on=ref.on, went_well=ref.went_well, could_improve=ref.could_improve
        ),
    )
    for action in ref.actions:
        improvement_service.create_action(
            session,
            reflection,
            ImprovementActionCreate(
                description=action.description,
                owner=action.owner,
                due_date=action.due,
                done=action.done,
            ),
        )


def _hand_over(session: Session, organisation: Organisation, cycle, demo: DemoTheme) -> None:
    """The next cycle, as the facilitator confirms it (the proposals), with its first
    measurements continuing the curves."""
    assert demo.next_cycle is not None
    # The period that follows on: the demo's story is a hand-over made on time, whatever today.
    length = cycle.end_year - cycle.start_year
    period = CyclePeriod(
        start_year=cycle.end_year + 1,
        end_year=cycle.end_year + 1 + length,
        horizon_years=cycle.horizon_years,
    )
    new_cycle = rollover.start_next_cycle(session, cycle, period=period)
    indicators = results_service.list_indicators_of_cycle(session, new_cycle)
    for indicator in indicators:
        for m in demo.next_cycle.measurements.get(indicator.name, ()):
            results_service.create_measurement(
                session,
                indicator,
                MeasurementCreate(measured_on=m.on, value=parse_number(m.value), story=m.story),
            )
    if demo.next_cycle.reflection is not None:
        _reflect(session, new_cycle, demo.next_cycle.reflection)
    new_cycle = cycles_service.get_cycle(session, organisation, row_id(new_cycle))
    cycles_service.update_cycle(
        session,
        new_cycle,
        CycleCreate.model_validate(
            new_cycle, update={"current_step": demo.next_cycle.current_step}
        ),
    )
    for number, status in demo.next_cycle.step_status.items():
        cycle_step = cycles_service.step_of(new_cycle, number)
        cycles_service.update_step(
            session, cycle_step, CycleStepBase(status=status, notes=cycle_step.notes)
        )


def _set_steps(session: Session, cycle, demo: DemoTheme) -> None:
    for number in sorted(set(demo.step_status) | set(demo.step_notes)):
        cycle_step = cycles_service.step_of(cycle, number)
        cycles_service.update_step(
            session,
            cycle_step,
            CycleStepBase(
                status=demo.step_status.get(number, cycle_step.status),
                notes=demo.step_notes.get(number),
            ),
        )
