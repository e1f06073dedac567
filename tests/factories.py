"""Test data, made through the domain services so that every record is valid."""

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from app import secret_hashing
from app.activities import service as activities_service
from app.activities.models import (
    Activity,
    ActivityCreate,
    ActivityResultLink,
    ActivityResultLinkCreate,
    Contribution,
    QualityCategory,
    QualityConditionCreate,
    WorkingElementCreate,
)
from app.ambitions import service as ambitions_service
from app.ambitions.models import AmbitionWrite, Term, TermCreate
from app.cycles import service as cycles_service
from app.cycles.models import (
    Cycle,
    CycleCreate,
    MonitoringItemCreate,
    MonitoringKind,
    Theme,
    ThemeCreate,
)
from app.improvement import service as improvement_service
from app.improvement.models import (
    ActivityDecisionCreate,
    Decision,
    ImprovementActionCreate,
    Reflection,
    ReflectionCreate,
)
from app.organisations import service as organisations_service
from app.organisations.models import (
    ApiToken,
    Membership,
    Organisation,
    Partner,
    PartnerCreate,
    PartnerType,
    Role,
    SignInMethod,
    SignInSession,
    User,
)
from app.results import service as results_service
from app.results.models import (
    Indicator,
    IndicatorCreate,
    Measurement,
    MeasurementCreate,
    RbaQuestion,
    Result,
    ResultCreate,
)
from app.scenarios import service as scenarios_service
from app.scenarios.models import CutKind, Scenario, ScenarioCreate
from app.tables import utc_now

_numbers = itertools.count(1)


def _n() -> int:
    return next(_numbers)


def make_organisation(session: Session, name: str | None = None) -> Organisation:
    n = _n()
    return organisations_service.create_organisation(
        session, name=name or f"Gemeente Test {n}", slug=f"test-{n}"
    )


def make_user(session: Session, name: str | None = None) -> User:
    """An account without a usable password (hashing one takes argon2's deliberate time)."""
    n = _n()
    user = User(
        email=f"persoon{n}@test.example.org",
        name=name or f"Persoon {n}",
        password_hash=secret_hashing.unusable_password(),
    )
    session.add(user)
    session.flush()
    return user


def make_member(
    session: Session,
    organisation: Organisation,
    role: Role = Role.ADMIN,
    *,
    partner: Partner | None = None,
    user: User | None = None,
) -> Membership:
    membership = Membership(
        user_id=(user or make_user(session)).id,
        organisation_id=organisation.id,
        role=role,
        partner_id=partner.id if partner else None,
    )
    session.add(membership)
    session.flush()
    return membership


@dataclass
class Credentials:
    cookie: str  # the session cookie's token
    csrf: str
    api_token: str


def sign_in(session: Session, membership: Membership) -> Credentials:
    """A signed-in session and an API token for a member, as the sign-in page would make."""
    cookie, csrf = secret_hashing.new_secret(), secret_hashing.new_secret()
    api = "kps_" + secret_hashing.new_secret()
    session.add(
        SignInSession(
            token_hash=secret_hashing.digest(cookie),
            user_id=membership.user_id,
            organisation_id=membership.organisation_id,
            csrf_token=csrf,
            method=SignInMethod.PASSWORD_AND_CODE,  # whole: a beheerder gave their code too
        )
    )
    session.add(
        ApiToken(
            user_id=membership.user_id,
            organisation_id=membership.organisation_id,
            name="tests",
            prefix=api[:10],
            token_hash=secret_hashing.digest(api),
        )
    )
    session.flush()
    return Credentials(cookie, csrf, api)


def make_partner(session: Session, organisation: Organisation, name: str | None = None) -> Partner:
    return organisations_service.create_partner(
        session,
        organisation,
        PartnerCreate(name=name or f"Partner {_n()}", partner_type=PartnerType.PROVIDER),
    )


def make_theme(session: Session, organisation: Organisation, name: str | None = None) -> Theme:
    return cycles_service.create_theme(
        session, organisation, ThemeCreate(name=name or f"Thema {_n()}")
    )


def make_cycle(
    session: Session, organisation: Organisation, *, theme: Theme | None = None
) -> Cycle:
    theme = theme or make_theme(session, organisation)
    cycle = cycles_service.create_cycle(
        session, theme, CycleCreate(start_year=2019, end_year=2022, horizon_years=3)
    )
    return cycles_service.get_cycle(session, organisation, cycle.id)  # with theme and steps


def make_result(session: Session, cycle: Cycle, text: str | None = None) -> Result:
    return results_service.create_result(
        session, cycle, ResultCreate(text=text or f"Over 3 jaar resultaat {_n()}")
    )


def make_indicator(
    session: Session, *, result: Result | None = None, activity: Activity | None = None
) -> Indicator:
    data = IndicatorCreate(
        name=f"Indicator {_n()}",
        unit="%",
        baseline_value=Decimal(40),
        baseline_date=date(2019, 1, 1),
        target_value=Decimal(60),
        target_date=date(2023, 1, 1),
        rba_question=RbaQuestion.BETTER_OFF if activity else None,
    )
    if activity is not None:
        return activities_service.create_activity_indicator(session, activity, data)
    assert result is not None
    return results_service.create_result_indicator(session, result, data)


def make_measurement(
    session: Session, indicator: Indicator, on: date | None = None, value: str = "45"
) -> Measurement:
    return results_service.create_measurement(
        session,
        indicator,
        MeasurementCreate(measured_on=on or date(2020, 1, _n() % 28 + 1), value=Decimal(value)),
    )


def make_activity(
    session: Session,
    cycle: Cycle,
    *,
    partner: Partner | None = None,
    name: str | None = None,
    budget: str = "12500",
    legal_duty: bool = False,
    minimum_level: int | None = None,
) -> Activity:
    return activities_service.create_activity(
        session,
        cycle,
        ActivityCreate(
            name=name or f"Activiteit {_n()}",
            partner_id=partner.id if partner else None,
            annual_budget=Decimal(budget),
            legal_duty=legal_duty,
            minimum_level=minimum_level,
        ),
    )


def make_scenario(
    session: Session,
    organisation: Organisation,
    cycle: Cycle | None = None,
    *,
    cut: str = "10",
    cut_kind: CutKind = CutKind.PERCENT,
    **limits: object,
) -> Scenario:
    return scenarios_service.create_scenario(
        session,
        organisation,
        ScenarioCreate(
            name=f"Scenario {_n()}",
            cycle_id=cycle.id if cycle else None,
            made_on=date(2019, 10, 1),
            cut_kind=cut_kind,
            cut_value=Decimal(cut),
            **limits,
        ),
    )


def make_link(
    session: Session,
    activity: Activity,
    result: Result,
    contribution: Contribution = Contribution.LARGE,
) -> ActivityResultLink:
    return activities_service.create_link(
        session,
        activity,
        ActivityResultLinkCreate(
            result_id=result.id, contribution=contribution, assumption="Omdat het helpt."
        ),
    )


def make_term(session: Session, cycle: Cycle, term: str | None = None) -> Term:
    return ambitions_service.create_term(
        session, cycle, TermCreate(term=term or f"Begrip {_n()}", agreed_definition="Samen.")
    )


def make_ambition(session: Session, cycle: Cycle, text: str = "Iedereen doet mee."):
    return ambitions_service.save_ambition(session, cycle, AmbitionWrite(text=text))


def make_reflection(session: Session, cycle: Cycle) -> Reflection:
    return improvement_service.create_reflection(
        session,
        cycle,
        ReflectionCreate(reflected_on=date(2021, 11, 1), went_well="De maatjes werken."),
    )


def fill_cycle(session: Session, organisation: Organisation, cycle: Cycle, size: int = 1) -> None:
    """Content in every step, `size` times over: for pages and their query counts."""
    make_ambition(session, cycle, f"Ambitie {_n()}")
    partner = make_partner(session, organisation)
    for _ in range(size):
        make_term(session, cycle)
        cycles_service.create_monitoring_item(
            session, cycle, MonitoringItemCreate(kind=MonitoringKind.FIGURE, title=f"Cijfer {_n()}")
        )
        result = make_result(session, cycle)
        indicator = make_indicator(session, result=result)
        make_measurement(session, indicator)
        activity = make_activity(session, cycle, partner=partner)
        make_link(session, activity, result)
        activities_service.create_working_element(
            session, activity, WorkingElementCreate(description="Eén vast contactpersoon")
        )
        activities_service.create_quality_condition(
            session,
            activity,
            QualityConditionCreate(category=QualityCategory.TRAINING, description="Training"),
        )
        service_indicator = make_indicator(session, activity=activity)
        make_measurement(session, service_indicator)
        reflection = make_reflection(session, cycle)
        improvement_service.create_action(
            session, reflection, ImprovementActionCreate(description="Beter samenwerken")
        )
        improvement_service.create_decision(
            session, activity, ActivityDecisionCreate(decision=Decision.CONTINUE)
        )


def make_live_session(
    session: Session, cycle: Cycle, title: str = "Werksessie resultaten", min_group_size: int = 1
):
    """A session held today. Its few test phones show per perspective (min_group_size 1);
    tests of the anonymity rule set the size they need."""
    from app.sessions import running
    from app.sessions.models import LiveSessionCreate

    return running.create_session(
        session,
        cycle,
        LiveSessionCreate(
            title=title, step=2, held_on=utc_now().date(), min_group_size=min_group_size
        ),
    )


def make_round(session: Session, live, kind: str = "dots", **fields):
    from app.sessions import running
    from app.sessions.models import RoundCreate, RoundKind

    data = RoundCreate(title=fields.pop("title", f"Ronde {_n()}"), kind=RoundKind(kind), **fields)
    return running.create_round(session, live, data)
