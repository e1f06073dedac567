"""Budget scenarios: their scope, the choices made by hand, their outcome, and adoption.

An outcome costs a solve of a mixed-integer program (up to `SOLVE_SECONDS`); it is solved once
per version of its inputs and kept (`scenario_solution`, keyed by a fingerprint of what the
optimiser was asked), so that every later view, by anyone, only reads it."""

import threading
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from app import tenancy
from app.activities.models import Activity
from app.auth import ACTOR, Member
from app.cycles import service as cycles_service
from app.cycles.models import Cycle, CycleStatus, Theme
from app.db import WRITES, writing
from app.errors import Conflict, InvalidInput, NotFound
from app.formatting import format_euro
from app.improvement import service as improvement_service
from app.improvement.models import ActivityDecisionCreate, Decision
from app.organisations.models import Organisation, Role
from app.results.models import Result
from app.scenarios import consequences, optimiser, weights
from app.scenarios import mails as scenario_mails
from app.scenarios.consequences import Outcome, Scope
from app.scenarios.models import (
    Pin,
    Scenario,
    ScenarioChoice,
    ScenarioCreate,
    ScenarioSolution,
    WeightMode,
)
from app.scenarios.optimiser import Answer, Level, Problem
from app.tables import related, row_id, utc_now

ADOPTED = "Dit scenario is vastgesteld en verandert niet meer. Maak een nieuw scenario."
NOT_FOUND = "Dit scenario bestaat niet (meer)."
NOT_IN_SCENARIO = "Deze activiteit hoort niet bij dit scenario."
MAX_COMPARED = 4  # scenarios side by side: what a screen shows, and what it may cost to solve
SOLVE_SECONDS = optimiser.SECONDS  # the optimiser's bound on one outcome, explanation included


def list_scenarios(session: Session, organisation: Organisation) -> Sequence[Scenario]:
    return session.exec(
        select(Scenario)
        .where(Scenario.organisation_id == organisation.id)
        .options(selectinload(related(Scenario.choices)))
        .order_by(col(Scenario.made_on).desc(), col(Scenario.id).desc())
    ).all()


def get_scenario(session: Session, organisation: Organisation, scenario_id: int) -> Scenario:
    return tenancy.owned(
        session,
        Scenario,
        organisation.id,
        scenario_id,
        NOT_FOUND,
        selectinload(related(Scenario.choices)),
    )


def may_see(member: Member, scenario: Scenario) -> bool:
    """A draft is for those who prepare the decision, procesbegeleiders and beheerders: it may
    hold cuts to partners still under discussion. Lezers do not see drafts either (a lezer
    account is given to people who follow the work, not to those who weigh the cuts; the
    college decides, and internal deliberation stays internal as the Woo allows). Once adopted,
    a scenario is the organisation's decision: every member reads it, a partner only their
    own activities' part (`as_seen_by`)."""
    return member.runs_cycles or scenario.adopted


def visible_scenarios(session: Session, member: Member) -> list[Scenario]:
    return [s for s in list_scenarios(session, member.organisation) if may_see(member, s)]


def get_visible_scenario(session: Session, member: Member, scenario_id: int) -> Scenario:
    """The scenario when `member` may see it; otherwise as if it did not exist (404)."""
    scenario = get_scenario(session, member.organisation, scenario_id)
    if not may_see(member, scenario):
        raise NotFound(NOT_FOUND)
    return scenario


def own_part(member: Member) -> str | None:
    """The partner whose part of an adopted scenario `member` reads, or None for all of it."""
    if member.role is not Role.PARTNER:
        return None
    partner = member.membership.partner
    return partner.name if partner else ""


def as_seen_by(member: Member, outcome: Outcome) -> Outcome:
    """The outcome as far as `member` may read it: a partner sees their own part."""
    own = own_part(member)
    return outcome if own is None else outcome.of_partner(own)


def running_cycles(session: Session, organisation: Organisation) -> Sequence[Cycle]:
    """The cycles a scenario can be about: the running cycle of each theme."""
    return session.exec(
        cycles_service.in_organisation(select(Cycle), Cycle.id, organisation)
        .where(Cycle.status == CycleStatus.ACTIVE)
        .options(selectinload(related(Cycle.theme)))
        .order_by(col(Theme.position), col(Theme.name))
    ).all()


def _check_cycle(session: Session, organisation: Organisation, cycle_id: int | None) -> None:
    if cycle_id is None:
        return
    if cycle_id not in {c.id for c in running_cycles(session, organisation)}:
        raise InvalidInput({"cycle_id": "Kies een lopende cyclus uit de lijst."})


def weight_rounds(session: Session, organisation: Organisation) -> list[weights.WeightRound]:
    """The session rounds a scenario may take its weights from: of the running cycles."""
    return weights.rounds(session, [row_id(c) for c in running_cycles(session, organisation)])


def _check_weights(session: Session, organisation: Organisation, data: ScenarioCreate) -> None:
    if data.weight_round_id is None:
        return
    found = next(
        (r for r in weight_rounds(session, organisation) if r.id == data.weight_round_id), None
    )
    if found is None:
        raise InvalidInput({"weight_round_id": "Kies een ronde uit de lijst."})
    if found.cycle_id != data.cycle_id:
        raise InvalidInput(
            {
                "weight_round_id": "Een ronde weegt de resultaten van haar eigen cyclus: kies "
                "bij ‘Voor’ het thema van deze ronde."
            }
        )


def weights_of(session: Session, scenario: Scenario, mode: WeightMode | None = None) -> dict | None:
    """The results' weights from the scenario's session round (`mode`, else its own), or
    None: their priority rank."""
    if scenario.weight_round_id is None:
        return None
    return weights.weights(session, scenario.weight_round_id, mode or scenario.weight_mode)


def _author(session: Session) -> str:
    # The member whose request this is (set by the sign-in dependency, as for the audit log).
    member = session.info.get(ACTOR)
    return member.user.name if member else "Kompas"


def create_scenario(session: Session, organisation: Organisation, data: ScenarioCreate) -> Scenario:
    _check_cycle(session, organisation, data.cycle_id)
    _check_weights(session, organisation, data)
    scenario = Scenario.model_validate(
        data, update={"organisation_id": organisation.id, "author": _author(session)}
    )
    scenario.choices = []
    session.add(scenario)
    session.flush()
    return scenario


def _ensure_open(scenario: Scenario) -> None:
    if scenario.adopted:
        raise Conflict(ADOPTED)


def update_scenario(session: Session, scenario: Scenario, data: ScenarioCreate) -> Scenario:
    _ensure_open(scenario)
    organisation = session.get_one(Organisation, scenario.organisation_id)
    _check_cycle(session, organisation, data.cycle_id)
    _check_weights(session, organisation, data)
    if data.cycle_id != scenario.cycle_id:  # choices about activities outside the new scope
        for choice in scenario.choices:
            session.delete(choice)
    scenario.sqlmodel_update(data.model_dump())
    session.flush()
    return scenario


def delete_scenario(session: Session, scenario: Scenario) -> None:
    _ensure_open(scenario)
    session.delete(scenario)
    session.flush()


def scope(session: Session, scenario: Scenario) -> Scope:
    """The cycles, activities and results the scenario reasons about."""
    organisation = session.get_one(Organisation, scenario.organisation_id)
    if scenario.cycle_id is not None:
        cycles = [cycles_service.get_cycle(session, organisation, scenario.cycle_id)]
    else:
        cycles = list(running_cycles(session, organisation))
    ids = [c.id for c in cycles]
    activities = session.exec(
        select(Activity)
        .where(col(Activity.cycle_id).in_(ids))
        .options(
            selectinload(related(Activity.partner)),
            selectinload(related(Activity.links)),
        )
        .order_by(col(Activity.cycle_id), col(Activity.name), col(Activity.id))
    ).all()
    results = session.exec(
        select(Result)
        .where(col(Result.cycle_id).in_(ids))
        .order_by(col(Result.cycle_id), col(Result.rank))
    ).all()
    order = {cycle_id: n for n, cycle_id in enumerate(ids)}
    return Scope(
        cycles=cycles,
        activities=sorted(activities, key=lambda a: order[a.cycle_id]),
        results=sorted(results, key=lambda r: order[r.cycle_id]),
    )


def pins(scenario: Scenario) -> dict[int, Pin]:
    return {choice.activity_id: choice.pin for choice in scenario.choices}


def outcome(session: Session, scenario: Scenario) -> Outcome:
    """What the cut does: as last solved for the current inputs while the scenario is open,
    as decided once adopted."""
    if scenario.snapshot is not None:
        return Outcome.model_validate(scenario.snapshot["outcome"])
    built = consequences.build(
        scenario,
        scope(session, scenario),
        pins(scenario),
        lambda problem: _answer(session, scenario, problem),
        weights_of(session, scenario),
    )
    kept = session.get(ScenarioSolution, scenario.id)
    if kept is not None and kept.data_changed_at is not None:
        return built.model_copy(update={"data_changed_at": kept.data_changed_at})
    return built


@dataclass(frozen=True)
class KeepCost:
    """What keeping one reduced or stopped activity whole would cost, in words and figures."""

    activity: consequences.ActivityRow
    euros: float  # more budget, everything else as chosen
    loss_percent: float | None  # of the weighted contribution, within the same budget
    changes: list[tuple[str, str, str]]  # (activity, level now, level then) that move
    reasons: list[str]  # why it cannot be kept within the budget and limits
    bounded: bool  # the time bound stopped the solve: not proven best


def keep_cost(session: Session, scenario: Scenario, activity_id: int) -> KeepCost:
    """`optimiser.keep_cost` for one activity of an open scenario: asked for one activity at
    a time (a solve each), so that the page itself waits for none of them."""
    _ensure_open(scenario)
    found = scope(session, scenario)
    chosen = pins(scenario)
    problem = consequences.problem_of(scenario, found, chosen, weights_of(session, scenario))
    base = _answer(session, scenario, problem)
    built = outcome(session, scenario)
    row = next((a for a in built.activities if a.id == activity_id), None)
    if row is None or not isinstance(base, optimiser.Solution) or row.level is Level.KEEP:
        raise NotFound(
            "Voor deze activiteit valt niets uit te rekenen: ze blijft al, of het "
            "scenario heeft geen uitkomst."
        )
    cost = optimiser.keep_cost(problem, activity_id, base, seconds=SOLVE_SECONDS)
    answer = cost.answer
    names = {a.id: a.name for a in found.activities}
    if isinstance(answer, optimiser.Solution):
        changes = [
            (
                names[i],
                consequences.LEVEL_LABELS[level],
                consequences.LEVEL_LABELS[answer.levels[i]],
            )
            for i, level in base.levels.items()
            if i != activity_id and answer.levels[i] is not level
        ]
        whole = built.value_before
        return KeepCost(
            activity=row,
            euros=cost.euros,
            loss_percent=100 * cost.loss / whole if whole and cost.loss is not None else 0.0,
            changes=changes,
            reasons=[],
            bounded=answer.bounded,
        )
    held = {**chosen, activity_id: Pin.KEEP}
    words = (
        [consequences.in_words(r, scenario, found, problem, held) for r in answer.reasons]
        if isinstance(answer, optimiser.Infeasible)
        else []
    )
    return KeepCost(row, cost.euros, None, [], words, answer.bounded)


def under_both_weightings(session: Session, scenario: Scenario) -> list[tuple[WeightMode, Outcome]]:
    """The same cut with the session round's votes weighed overall and per perspective: the
    scenario's own weighting as kept, the other solved now (within SOLVE_SECONDS), for an open
    scenario that takes its weights from a round."""
    _ensure_open(scenario)
    if scenario.weight_round_id is None:
        raise NotFound("Dit scenario weegt de resultaten naar hun prioriteit, niet naar een ronde.")
    found, chosen = scope(session, scenario), pins(scenario)
    return [
        (
            mode,
            outcome(session, scenario)
            if mode is scenario.weight_mode
            else consequences.build(
                scenario,
                found,
                chosen,
                lambda problem: optimiser.solve(problem, seconds=SOLVE_SECONDS),
                weights_of(session, scenario, mode),
            ),
        )
        for mode in WeightMode
    ]


# One solve at a time per scenario in this process: a second view waits for the first one's
# answer instead of solving too.
_solving: defaultdict[int, threading.Lock] = defaultdict(threading.Lock)
_solving_guard = threading.Lock()


def _answer(session: Session, scenario: Scenario, problem: Problem) -> Answer:
    """The kept answer for these inputs, or a new one (solved within SOLVE_SECONDS, kept)."""
    scenario_id = scenario.id
    assert scenario_id is not None
    seconds = SOLVE_SECONDS
    key = optimiser.fingerprint(problem, seconds)
    if (kept := _kept(session, scenario_id, key)) is not None:
        return kept
    with _solving_guard:
        lock = _solving[scenario_id]
    with lock:
        if not _writes(session):
            session.commit()  # a read: end its snapshot, to see an answer kept meanwhile
            if (kept := _kept(session, scenario_id, key)) is not None:
                return kept
        answer = optimiser.solve(problem, seconds=seconds)
        _keep(session, scenario, key, answer)
    return answer


def _kept(session: Session, scenario_id: int, key: str) -> Answer | None:
    kept = session.get(ScenarioSolution, scenario_id, populate_existing=True)
    if kept is None or kept.fingerprint != key:
        return None
    return optimiser.from_json(kept.answer)


def _writes(session: Session) -> bool:
    """Whether the request writes (its transaction holds the write lock on SQLite)."""
    bind = session.bind
    return isinstance(bind, Engine) and bool(bind.get_execution_options().get(WRITES))


def _keep(session: Session, scenario: Scenario, key: str, answer: Answer) -> None:
    """Store the answer: within the request's own transaction when it writes (it is kept
    when that commits), else in a short write transaction of its own. New inputs for the same
    version of the scenario mean the data under it changed: that is remembered."""

    scenario_id = row_id(scenario)

    def store() -> None:
        try:
            with session.begin_nested():
                kept = session.get(ScenarioSolution, scenario_id) or ScenarioSolution(
                    scenario_id=scenario_id, fingerprint=key, answer={}
                )
                now = utc_now()
                if kept.answer and kept.scenario_version == scenario.version:
                    kept.data_changed_at = now
                kept.fingerprint, kept.answer, kept.solved_at = key, optimiser.to_json(answer), now
                kept.scenario_version = scenario.version
                session.add(kept)
        except sa_exc.IntegrityError:
            pass  # another process kept its answer for the scenario first: as good as ours

    if _writes(session):
        store()
    else:
        with writing(session):
            store()


def field_name(activity_id: int) -> str:
    """The form field holding the choice for one activity."""
    return f"keuze-{activity_id}"


def set_choices(session: Session, scenario: Scenario, chosen: Mapping[int, Pin | None]) -> Scenario:
    """Replace the choices made by hand; None leaves an activity to the optimiser."""
    _ensure_open(scenario)
    activities = {a.id: a for a in scope(session, scenario).activities}
    errors = {}
    for activity_id, pin in chosen.items():
        activity = activities.get(activity_id)
        if activity is None:
            errors[field_name(activity_id)] = NOT_IN_SCENARIO
        elif pin is Pin.STOP and activity.legal_duty:
            errors[field_name(activity_id)] = "Een wettelijke taak kan niet stoppen."
        elif pin is Pin.REDUCE and not activity.minimum_level:
            errors[field_name(activity_id)] = (
                "Deze activiteit heeft geen minimumniveau; geef dat eerst op bij de activiteit."
            )
    if errors:
        raise InvalidInput(errors)
    scenario_id = row_id(scenario)
    existing = {choice.activity_id: choice for choice in scenario.choices}
    for activity_id, pin in chosen.items():
        choice = existing.get(activity_id)
        if pin is None and choice is not None:
            session.delete(choice)
        elif pin is not None and choice is None:
            session.add(ScenarioChoice(scenario_id=scenario_id, activity_id=activity_id, pin=pin))
        elif pin is not None and choice is not None and choice.pin is not pin:
            choice.pin = pin
            session.add(choice)
    scenario.version += 1  # the outcome changed: forms opened before this are stale
    session.add(scenario)
    session.flush()
    session.expire(scenario, ["choices"])
    organisation = session.get_one(Organisation, scenario.organisation_id)
    return get_scenario(session, organisation, scenario_id)


DECISIONS = {
    Level.KEEP: Decision.CONTINUE,
    Level.REDUCE: Decision.PHASE_OUT,
    Level.STOP: Decision.STOP,
}


def decision_for(row: consequences.ActivityRow, strengthen: Sequence[int]) -> Decision:
    """The step-6 decision adopting writes for an activity of the outcome."""
    assert row.level is not None
    if row.level is Level.KEEP and row.id in strengthen:
        return Decision.STRENGTHEN
    return DECISIONS[row.level]


def adopt(
    session: Session,
    scenario: Scenario,
    rationale: str,
    member: Member,
    strengthen: Sequence[int] = (),
) -> Scenario:
    """Take the scenario as the decision: a decision per activity (through step 6) and the
    before-and-after kept with the scenario, as a version of each cycle it covers.

    `strengthen` names kept activities that are to be strengthened (versterken)."""
    _ensure_open(scenario)
    result = outcome(session, scenario)
    if not result.feasible:
        raise Conflict(
            "Dit scenario past niet binnen de grenzen en kan dus niet worden vastgesteld. "
            "Pas de bezuiniging, de grenzen of de keuzes aan."
        )
    adopted_at = utc_now()
    activities = {a.id: a for a in scope(session, scenario).activities}
    decided = {
        d.activity_id: d
        for cycle_id in {a.cycle_id for a in activities.values()}
        for d in improvement_service.decisions_by_activity(
            session, session.get_one(Cycle, cycle_id)
        ).values()
    }
    for row in result.activities:
        assert row.level is not None
        decision = decision_for(row, strengthen)
        data = ActivityDecisionCreate(
            decision=decision,
            rationale=(
                f"Scenario ‘{scenario.name}’: {row.level_label.lower()}, "
                f"{format_euro(round(row.after))} van {format_euro(round(row.before))} per jaar."
            ),
            decided_by=member.user.name,  # who adopted the scenario decided, and when
            decided_on=adopted_at.date(),
        )
        if row.id in decided:
            improvement_service.update_decision(session, decided[row.id], data)
        else:
            improvement_service.create_decision(session, activities[row.id], data)
    scenario.adopted_at = adopted_at
    scenario.adopted_by = member.user.name
    scenario.rationale = rationale
    scenario.snapshot = {
        "cycle_ids": sorted({row.cycle_id for row in result.activities}),
        "strengthened": sorted(strengthen),
        "outcome": result.model_dump(mode="json"),
    }
    session.add(scenario)
    session.flush()
    partners = {a.partner_id for a in activities.values() if a.partner_id is not None}
    organisation = session.get_one(Organisation, scenario.organisation_id)
    scenario_mails.adopted(session, organisation, scenario, result, partners)
    return scenario


def adopted_for_cycle(session: Session, cycle: Cycle) -> list[Scenario]:
    """The budget decisions that concern this cycle, newest first: its versions of a cut.
    `outcome(session, scenario)` gives each one's before-and-after as it was decided."""
    organisation_id = session.exec(
        select(Theme.organisation_id).where(Theme.id == cycle.theme_id)
    ).one()
    adopted = session.exec(
        select(Scenario)
        .where(
            Scenario.organisation_id == organisation_id,
            col(Scenario.adopted_at).is_not(None),
        )
        .order_by(col(Scenario.adopted_at).desc())
    ).all()
    return [s for s in adopted if s.snapshot and cycle.id in s.snapshot["cycle_ids"]]


def adopted_scenarios(session: Session, organisation: Organisation) -> Sequence[Scenario]:
    """The organisation's adopted scenarios, latest first (the report's reader)."""
    return session.exec(
        select(Scenario)
        .where(
            Scenario.organisation_id == organisation.id,
            col(Scenario.adopted_at).is_not(None),
        )
        .order_by(col(Scenario.adopted_at).desc())
    ).all()
