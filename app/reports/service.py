"""Filling the report's content model: every cycle in scope at once, with a fixed number of
queries whatever the size of the organisation (each table is read once for all cycles, with
`IN` and eager loading), and then plain Python.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from app.activities import service as activities_service
from app.activities import spending
from app.activities.models import Activity, ActivityResultLink
from app.ambitions import service as ambitions_service
from app.ambitions.models import Ambition, AmbitionStatus
from app.audit import service as audit_service
from app.choices import Perspective
from app.cycles import service as cycles_service
from app.cycles.models import Cycle, CycleStatus
from app.formatting import format_date, format_datetime
from app.improvement import service as improvement_service
from app.improvement.models import ActivityDecision, ResultDecision
from app.organisations import service as organisations_service
from app.organisations.models import Organisation
from app.reports.content import (
    Action,
    ActivityDecisionRow,
    ActivityPart,
    BudgetDecision,
    CostLine,
    Costs,
    Cover,
    Decided,
    Figure,
    Freshness,
    Improvement,
    Money,
    Priorities,
    ReflectionPart,
    Report,
    ResultPart,
    SessionEvidence,
    ThemeReport,
    Told,
)
from app.results import service as results_service
from app.results.freshness import freshness_of
from app.results.models import Indicator, RbaQuestion, Result
from app.results.status import result_status
from app.results.trend_chart import trend_chart
from app.scenarios import service as scenarios_service
from app.scenarios.consequences import ActivityRow, Outcome
from app.scenarios.models import Scenario
from app.scenarios.optimiser import Level
from app.sessions import adoption as adoption_service
from app.sessions.models import Adoption
from app.tables import row_id, utc_now

NO_PARTNER = "Geen uitvoerder"


def report_cycles(session: Session, organisation: Organisation) -> list[Cycle]:
    """The cycle each theme reports on for the whole organisation: its running cycle, or the
    latest one when none runs."""
    chosen = []
    for theme in cycles_service.list_themes(session, organisation):
        if theme.cycles:
            running = cycles_service.active_cycle(theme)
            cycle = running or max(theme.cycles, key=lambda c: c.start_year)
            cycle.theme = theme
            chosen.append(cycle)
    return chosen


def organisation_report(
    session: Session, organisation: Organisation, own: str | None = None
) -> Report:
    return build_report(session, organisation, report_cycles(session, organisation), own=own)


def cycle_report(
    session: Session, organisation: Organisation, cycle: Cycle, own: str | None = None
) -> Report:
    """`cycle` with its theme loaded (as `cycles_service.get_cycle` gives it)."""
    return build_report(
        session, organisation, [cycle], theme=cycle.theme.name, period=cycle.period, own=own
    )


def session_evidence(session: Session, cycles: Sequence[Cycle]) -> dict[int, list[SessionEvidence]]:
    """Per cycle id, what its live sessions decided: per round whose outcome was adopted, who
    took part per perspective and how the adopted items scored, from the evidence snapshot
    kept at adoption (one query for all cycles)."""
    rows = adoption_service.adoptions_of_cycles(session, [row_id(c) for c in cycles])
    found: dict[int, list[SessionEvidence]] = defaultdict(list)
    by_round: dict[int, SessionEvidence] = {}
    for adoption, round_, live in rows:
        entry = by_round.get(row_id(round_))
        if entry is None:
            entry = SessionEvidence(
                title=f"{live.title}, ronde {round_.position}: {round_.title}",
                held_on=live.held_on,
                summary=_session_summary(adoption),
            )
            by_round[row_id(round_)] = entry
            found[live.cycle_id].append(entry)
        entry.lines.append(_adopted_line(adoption))
    return found


def _session_summary(adoption: Adoption) -> str:
    evidence = adoption.evidence
    voters = evidence.get("deelnemers", {})
    counts = ", ".join(
        f"{voters.get(p.value, 0)} {p.label.lower()}" for p in Perspective if voters.get(p.value)
    )
    total = sum(voters.values())
    return (
        f"{evidence.get('werkvorm', 'Ronde')} met {total} deelnemers ({counts or 'geen'}); "
        f"overgenomen als {adoption.target.label.lower()} door {adoption.adopted_by} op "
        f"{format_date(adoption.adopted_at.date())}."
    )


def _adopted_line(adoption: Adoption) -> str:
    evidence = adoption.evidence
    place = evidence.get("plaats")
    votes = evidence.get("stemmen")
    paper = evidence.get("papier") or 0
    line = f"{place}. {adoption.label}" if place else adoption.label
    if votes is not None:
        # In brackets: the wording may end in a full stop or question mark of its own.
        counted = f"{votes} {'stem' if votes == 1 else 'stemmen'}"
        line += f" ({counted}, waarvan {paper} op papier)" if paper else f" ({counted})"
    return line


def build_report(
    session: Session,
    organisation: Organisation,
    cycles: Sequence[Cycle],
    theme: str | None = None,
    period: str | None = None,
    own: str | None = None,
) -> Report:
    """The report on `cycles`: one theme's cycle (named by `theme` and `period`) or, without
    them, the whole organisation. `own` names the partner whose part of each adopted budget
    scenario the reader may see (`scenarios.service.own_part`); None: all of it."""
    ids = [row_id(c) for c in cycles]
    loaded = _Loaded(session, ids, organisation)
    today = date.today()
    changed = audit_service.last_change(session, organisation, ids)
    evidence = session_evidence(session, cycles)
    themes = [
        _theme_report(loaded, cycle, today, evidence.get(row_id(cycle), []), own)
        for cycle in cycles
    ]
    return Report(
        organisation=organisation.name,
        title="Voortgangsrapportage",
        cover=Cover(
            theme=theme,
            period=period,
            made_on=today,
            version=f"stand van {format_datetime(changed or utc_now())}",
        ),
        themes=themes,
    )


class _Loaded:
    """Every row the report needs, for all cycles in scope, grouped by cycle: read through
    the owning packages' bulk readers, one query per table whatever the number of cycles."""

    def __init__(self, session: Session, ids: list[int], organisation: Organisation):
        self.ambitions = ambitions_service.ambitions_of_cycles(session, ids)
        self.results = _by_cycle(results_service.results_of_cycles(session, ids))
        indicators = results_service.indicators_of_cycles(session, ids)
        self.indicators_of_result: dict[int, list[Indicator]] = defaultdict(list)
        self.indicators_of_activity: dict[int, list[Indicator]] = defaultdict(list)
        for i in indicators:
            if i.result_id is not None:
                self.indicators_of_result[i.result_id].append(i)
            elif i.activity_id is not None:
                self.indicators_of_activity[i.activity_id].append(i)
        self.earlier = results_service.earlier_measurements(session, ids)
        partners = organisations_service.partners_by_id(session, organisation)
        self.activities = _by_cycle(activities_service.activities_of_cycles(session, ids, partners))
        self.stories = _by_cycle(results_service.stories_of_cycles(session, ids))
        self.reflections = _by_cycle(improvement_service.reflections_of_cycles(session, ids))
        self.activity_decisions = improvement_service.activity_decisions_of_cycles(session, ids)
        self.result_decisions = improvement_service.result_decisions_of_cycles(session, ids)
        self.scenarios = scenarios_service.adopted_scenarios(session, organisation)
        self.money = {
            activity_id: [Money(r.year, r.planned, r.actual) for r in rows]
            for activity_id, rows in spending.spending_of_cycles(session, ids).items()
        }


def _by_cycle(rows: Sequence[Any]) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row.cycle_id].append(row)
    return grouped


def _freshness(indicator: Indicator, today: date) -> Freshness:
    latest = indicator.latest
    found = freshness_of(
        latest.measured_on if latest else None, indicator.expected_frequency, today
    )
    return Freshness(
        last_update=found.latest,
        expected=indicator.expected_frequency.label.lower(),
        stale=found.stale,
        phrase=found.label,
    )


def _figure(loaded: _Loaded, indicator: Indicator, today: date) -> Figure:
    predecessor = indicator.predecessor_id
    earlier = loaded.earlier.get(predecessor, []) if predecessor is not None else []
    measured = earlier + list(indicator.measurements)
    latest = indicator.latest
    return Figure(
        id=row_id(indicator),
        name=indicator.name,
        definition=indicator.definition,
        unit=indicator.unit,
        direction=indicator.direction.label,
        question=indicator.rba_question.label if indicator.rba_question else None,
        source=indicator.source,
        baseline=indicator.baseline_value,
        baseline_date=indicator.baseline_date,
        target=indicator.target_value,
        target_date=indicator.target_date,
        latest=latest.value if latest else None,
        latest_date=latest.measured_on if latest else None,
        status=indicator.status,
        story=next((m.story for m in reversed(indicator.measurements) if m.story), None),
        measurements=[(m.measured_on, m.value) for m in indicator.measurements],
        chart=trend_chart(indicator, measured, key=f"curve-{indicator.id}"),
        freshness=_freshness(indicator, today),
        bbv_number=indicator.bbv_number,
    )


def _decided(decision: ActivityDecision | ResultDecision | None) -> Decided | None:
    if decision is None:
        return None
    return Decided(
        label=decision.decision.label,
        rationale=decision.rationale,
        by=decision.decided_by,
        on=decision.decided_on,
        new_text=getattr(decision, "new_text", None),
    )


def _activity_part(
    loaded: _Loaded, activity: Activity, contribution: str, figures: dict[int, Figure]
) -> ActivityPart:
    activity_id = row_id(activity)
    by_question: dict[RbaQuestion | None, list[Figure]] = defaultdict(list)
    for indicator in loaded.indicators_of_activity.get(activity_id, []):
        by_question[indicator.rba_question].append(figures[row_id(indicator)])
    return ActivityPart(
        id=activity_id,
        name=activity.name,
        partner=activity.partner.name if activity.partner else NO_PARTNER,
        co_performers=[c.partner.name for c in activity.co_performers],
        status=activity.status.label,
        evidence=activity.evidence_level.label,
        contribution=contribution,
        annual_budget=activity.annual_budget,
        money=loaded.money.get(activity_id, []),
        how_much=by_question[RbaQuestion.HOW_MUCH],
        how_well=by_question[RbaQuestion.HOW_WELL],
        better_off=by_question[RbaQuestion.BETTER_OFF],
        other=by_question[None],
        decision=_decided(loaded.activity_decisions.get(activity_id)),
    )


def _theme_report(
    loaded: _Loaded,
    cycle: Cycle,
    today: date,
    sessions: list[SessionEvidence],
    own: str | None,
) -> ThemeReport:
    cycle_id = row_id(cycle)
    results: list[Result] = loaded.results.get(cycle_id, [])
    activities: list[Activity] = loaded.activities.get(cycle_id, [])
    figures = {
        row_id(i): _figure(loaded, i, today)
        for r in results
        for i in loaded.indicators_of_result.get(row_id(r), [])
    } | {
        row_id(i): _figure(loaded, i, today)
        for a in activities
        for i in loaded.indicators_of_activity.get(row_id(a), [])
    }
    codes = {row_id(r): r.code or str(r.rank) for r in results}
    # Keyed by an optional id: a story or reflection names a result or an activity.
    labels: dict[int | None, str] = {r.id: f"{codes[row_id(r)]}. {r.text}" for r in results}
    activity_labels: dict[int | None, str] = {a.id: a.name for a in activities}
    stories = [
        Told(
            s.told_on,
            s.source,
            s.text,
            labels.get(s.result_id) or activity_labels.get(s.activity_id) or "",
        )
        for s in loaded.stories.get(cycle_id, [])
    ]
    result_parts = []
    for r in results:
        result_id = row_id(r)
        result_figures = [
            figures[row_id(i)] for i in loaded.indicators_of_result.get(result_id, [])
        ]
        serving = [(a, link) for a in activities for link in a.links if link.result_id == result_id]
        result_parts.append(
            ResultPart(
                id=result_id,
                code=codes[result_id],
                rank=r.rank,
                text=r.text,
                kind=r.result_type.label,
                target_group=r.target_group,
                status=result_status(f.status for f in result_figures),
                figures=result_figures,
                activities=[
                    _activity_part(loaded, a, link.contribution.label, figures)
                    for a, link in sorted(serving, key=_strongest_first)
                ],
                stories=[s for s in stories if s.about == labels[result_id]],
                decision=_decided(loaded.result_decisions.get(result_id)),
            )
        )
    unlinked = [_activity_part(loaded, a, "", figures) for a in activities if not a.links]
    ambition = loaded.ambitions.get(cycle_id)
    return ThemeReport(
        theme=cycle.theme.name,
        cycle_id=cycle_id,
        period=cycle.period,
        closed=cycle.status is CycleStatus.CLOSED,
        ambition=ambition.text if ambition else None,
        ambition_status=ambition.status.label if ambition else None,
        ambition_adopted=_adopted(ambition),
        results=result_parts,
        unlinked_activities=unlinked,
        costs=_costs(loaded, activities, codes),
        priorities=Priorities(
            sessions=sessions,
            budget_decisions=_budget_decisions(loaded.scenarios, cycle_id, set(codes), own),
            origins=[
                (
                    codes[row_id(r)],
                    ", ".join(filter(None, [r.perspective and r.perspective.label, r.origin])),
                )
                for r in results
                if r.origin or r.perspective
            ],
        ),
        improvement=_improvement(loaded, cycle_id, labels, activity_labels, results, activities),
        stories=stories,
        bbv=[f for f in figures.values() if f.bbv_number is not None],
    )


def _strongest_first(pair: tuple[Activity, ActivityResultLink]) -> tuple[int, str]:
    order = {"large": 0, "medium": 1, "small": 2}
    return order[pair[1].contribution.value], pair[0].name


def _adopted(ambition: Ambition | None) -> str | None:
    if ambition is None or ambition.status is not AmbitionStatus.AGREED:
        return None
    by = ambition.adopted_by.label.lower() if ambition.adopted_by else "?"
    on = f" op {format_date(ambition.agreed_on)}" if ambition.agreed_on else ""
    return f"Vastgesteld door het {by}{on}" if "college" in by else f"Vastgesteld door de {by}{on}"


def _costs(loaded: _Loaded, activities: list[Activity], codes: dict) -> Costs:
    lines = [
        CostLine(
            activity=a.name,
            partner=a.partner.name if a.partner else NO_PARTNER,
            results=", ".join(codes[link.result_id] for link in a.links if link.result_id in codes),
            annual_budget=a.annual_budget,
            money=loaded.money.get(row_id(a), []),
        )
        for a in activities
    ]
    planned = [line.planned for line in lines if line.planned is not None]
    actual = [line.actual for line in lines if line.actual is not None]
    partners: dict[str, list[Decimal | None]] = {}
    for line in lines:
        entry = partners.setdefault(line.partner, [Decimal(0), None])
        entry[0] = (entry[0] or Decimal(0)) + (line.annual_budget or 0)
        if line.actual is not None:
            entry[1] = (entry[1] or Decimal(0)) + line.actual
    return Costs(
        lines=lines,
        annual_budget=sum((line.annual_budget or Decimal(0) for line in lines), Decimal(0)),
        planned=sum(planned, Decimal(0)) if planned else None,
        actual=sum(actual, Decimal(0)) if actual else None,
        by_partner=sorted(
            ((name, b or Decimal(0), a) for name, (b, a) in partners.items()),
            key=lambda row: -row[1],
        ),
    )


def _budget_decisions(
    scenarios: Sequence[Scenario], cycle_id: int, result_ids: set[int], own: str | None
) -> list[BudgetDecision]:
    """Each adopted scenario's lines for the cycle; for a partner's reader only that
    partner's activities (and no results, which other partners' activities serve too)."""
    found = []
    for s in scenarios:
        if not s.snapshot or cycle_id not in s.snapshot["cycle_ids"]:
            continue
        outcome = Outcome.model_validate(s.snapshot["outcome"])
        if own is not None:
            outcome = outcome.of_partner(own)
        rows = [row for row in outcome.activities if row.cycle_id == cycle_id]
        found.append(
            BudgetDecision(
                name=s.name,
                adopted_on=s.adopted_at.date() if s.adopted_at else None,
                adopted_by=s.adopted_by,
                rationale=s.rationale,
                total_before=sum(row.before for row in rows),
                total_after=sum(row.after for row in rows),
                kept=[row.name for row in rows if row.level is Level.KEEP],
                reduced=[row.name for row in rows if row.level is Level.REDUCE],
                stopped=[row.name for row in rows if row.level is Level.STOP],
                uncovered=[f"{r.label}. {r.text}" for r in outcome.uncovered if r.id in result_ids],
                partners=_partner_shares(rows),
            )
        )
    return found


def _partner_shares(rows: Sequence[ActivityRow]) -> list[tuple[str, float, float]]:
    """Per partner of these activities: the budget before and after the cut."""
    shares: dict[str, list[float]] = {}
    for row in rows:
        share = shares.setdefault(row.partner, [0.0, 0.0])
        share[0] += row.before
        share[1] += row.after
    return [(name, before, after) for name, (before, after) in sorted(shares.items())]


def _improvement(
    loaded: _Loaded,
    cycle_id: int,
    labels: dict,
    activity_labels: dict,
    results: list[Result],
    activities: list[Activity],
) -> Improvement:
    reflections = [
        ReflectionPart(
            on=r.reflected_on,
            about=labels.get(r.result_id) or activity_labels.get(r.activity_id),
            went_well=r.went_well,
            could_improve=r.could_improve,
            actions=[Action(a.description, a.owner, a.due_date, a.done) for a in r.actions],
        )
        for r in loaded.reflections.get(cycle_id, [])
    ]
    activity_decisions = [
        ActivityDecisionRow(a.name, decided)
        for a in activities
        if (decided := _decided(loaded.activity_decisions.get(row_id(a)))) is not None
    ]
    result_decisions = [
        (labels[r.id], decided)
        for r in results
        if (decided := _decided(loaded.result_decisions.get(row_id(r)))) is not None
    ]
    return Improvement(reflections, activity_decisions, result_decisions)
