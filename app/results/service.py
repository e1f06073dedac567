"""Maatschappelijke resultaten and their priority, indicators and measurements."""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import ValidationError
from sqlalchemy import bindparam
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, func, select

from app import tenancy
from app.cycles import service as cycles_service
from app.cycles.models import Cycle, Theme
from app.db import attach, counts_per_cycle, flush_or_invalid
from app.errors import Duplicate, InvalidInput, NotFound
from app.forms import dutch_errors
from app.organisations.models import Organisation
from app.results.freshness import is_stale
from app.results.models import (
    Direction,
    Indicator,
    IndicatorCreate,
    IndicatorTargets,
    Measurement,
    MeasurementCreate,
    Result,
    ResultCreate,
    ResultEvidence,
    ResultType,
    Story,
    StoryCreate,
)
from app.tables import related, utc_now

# Results and their priority


# The step pages' queries, built once (building a statement costs more than running it).
_RESULTS = (
    select(Result)
    .where(Result.cycle_id == bindparam("cycle_id"))
    .options(selectinload(related(Result.indicators)).selectinload(related(Indicator.measurements)))
    .order_by(col(Result.rank), col(Result.id))
)
_EVIDENCE = (
    select(ResultEvidence)
    .join(Result, col(Result.id) == ResultEvidence.result_id)
    .where(Result.cycle_id == bindparam("cycle_id"))
    .order_by(col(ResultEvidence.recorded_at).desc(), col(ResultEvidence.id).desc())
)
_STORIES = (
    select(Story)
    .where(Story.cycle_id == bindparam("cycle_id"))
    .order_by(col(Story.told_on).desc(), col(Story.id).desc())
)


def list_results(session: Session, cycle: Cycle) -> Sequence[Result]:
    """Results in priority order, with their indicators and measurements."""
    return session.exec(_RESULTS, params={"cycle_id": cycle.id}).all()


def get_result(session: Session, organisation: Organisation, result_id: int) -> Result:
    return tenancy.owned(
        session, Result, organisation.id, result_id, "Dit resultaat bestaat niet (meer)."
    )


def _ranked(session: Session, cycle_id: int) -> list[Result]:
    return list(
        session.exec(
            select(Result)
            .where(Result.cycle_id == cycle_id)
            .order_by(col(Result.rank), col(Result.id))
        ).all()
    )


def _renumber(results: list[Result]) -> None:
    for rank, result in enumerate(results, start=1):
        result.rank = rank


def _next_code(session: Session, cycle_id: int) -> str:
    """The theme's initial and the next free number: W1, W2, ... (J, M, V in other themes)."""
    name = session.exec(
        select(Theme.name).join(Cycle, col(Cycle.theme_id) == Theme.id).where(Cycle.id == cycle_id)
    ).one()
    prefix = name.strip()[:1].upper() or "R"
    taken = session.exec(select(Result.code).where(Result.cycle_id == cycle_id)).all()
    numbers = [
        int(code[len(prefix) :])
        for code in taken
        if code
        and code.startswith(prefix)
        and code[len(prefix) :].isascii()
        and code[len(prefix) :].isdigit()
        and len(code) <= 6  # W12345; a longer number would make a code too long to store
    ]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _check_code(session: Session, cycle_id: int, code: str, result_id: int | None) -> None:
    if " " in code:
        raise InvalidInput({"code": "Een code is één woord, zonder spaties, bijvoorbeeld W1."})
    stmt = select(Result.id).where(
        Result.cycle_id == cycle_id, func.lower(Result.code) == code.lower()
    )
    if result_id is not None:
        stmt = stmt.where(col(Result.id) != result_id)
    if session.exec(stmt).first() is not None:
        raise InvalidInput({"code": "Deze code heeft al een ander resultaat in deze cyclus."})


def create_result(session: Session, cycle: Cycle, data: ResultCreate) -> Result:
    """Add a result at the bottom of the priority list, with the next code unless one is given."""
    assert cycle.id is not None  # a stored row
    cycles_service.ensure_open(session, cycle.id)
    if data.code:
        _check_code(session, cycle.id, data.code, None)
    else:
        data = data.model_copy(update={"code": _next_code(session, cycle.id)})
    count = session.exec(select(func.count()).where(Result.cycle_id == cycle.id)).one()
    result = Result.model_validate(data, update={"cycle_id": cycle.id, "rank": count + 1})
    session.add(result)
    cycles_service.step_started(session, cycle.id, 2)
    session.flush()
    return result


def update_result(session: Session, result: Result, data: ResultCreate) -> Result:
    cycles_service.ensure_open(session, result.cycle_id)
    if data.code:
        _check_code(session, result.cycle_id, data.code, result.id)
    else:  # a code, once given, stays: texts refer to it
        data = data.model_copy(update={"code": result.code})
    if data.rationale != result.rationale:
        result.rationale_outdated = False
    result.sqlmodel_update(data.model_dump())
    session.flush()
    return result


def move_result(session: Session, result: Result, rank: int) -> Result:
    """Give a result another priority; the others shift so ranks stay 1..n."""
    cycles_service.ensure_open(session, result.cycle_id)
    ranked = [r for r in _ranked(session, result.cycle_id) if r.id != result.id]
    position = min(max(rank, 1), len(ranked) + 1)
    ranked.insert(position - 1, result)
    _renumber(ranked)
    session.flush()
    return result


def delete_result(session: Session, result: Result) -> None:
    cycles_service.ensure_open(session, result.cycle_id)
    cycle_id = result.cycle_id
    session.delete(result)
    session.flush()
    _renumber(_ranked(session, cycle_id))
    session.flush()


def copy_results(
    session: Session, source: Cycle, target: Cycle, texts: Mapping[int, str | None]
) -> dict[int, Result]:
    """Copy the results, in their order and with their codes, into the next cycle; returns
    old id -> new result.

    `texts` holds what the verbetercyclus decided per result id: a new wording, or None for a
    result that is dropped (it stays behind). Results without an entry keep their wording.
    """
    assert source.id is not None  # a stored row
    copies: dict[int, Result] = {}
    rank = 0
    for result in _ranked(session, source.id):
        assert result.id is not None  # a stored row
        text = texts.get(result.id, result.text)
        if text is None:
            continue
        rank += 1
        copy = Result.model_validate(
            result.model_dump(exclude={"id", "cycle_id", "rank", "text"}),
            update={"cycle_id": target.id, "rank": rank, "text": text},
        )
        session.add(copy)
        copies[result.id] = copy
    session.flush()
    return copies


# Indicators


def get_indicator(session: Session, organisation: Organisation, indicator_id: int) -> Indicator:
    """Any indicator of the organisation, with its measurements."""
    return tenancy.owned(
        session,
        Indicator,
        organisation.id,
        indicator_id,
        "Deze indicator bestaat niet (meer).",
        selectinload(related(Indicator.measurements)),
    )


def get_population_indicator(
    session: Session, organisation: Organisation, indicator_id: int
) -> Indicator:
    indicator = get_indicator(session, organisation, indicator_id)
    if indicator.result_id is None:
        raise NotFound("Deze indicator hoort niet bij een maatschappelijk resultaat.")
    return indicator


def get_service_indicator(
    session: Session, organisation: Organisation, indicator_id: int
) -> Indicator:
    indicator = get_indicator(session, organisation, indicator_id)
    if indicator.activity_id is None:
        raise NotFound("Deze indicator hoort niet bij een activiteit.")
    return indicator


def list_indicators_of_result(session: Session, result: Result) -> Sequence[Indicator]:
    return session.exec(
        select(Indicator)
        .where(Indicator.result_id == result.id)
        .options(selectinload(related(Indicator.measurements)))
        .order_by(col(Indicator.id))
    ).all()


def list_indicators_of_cycle(session: Session, cycle: Cycle) -> Sequence[Indicator]:
    return session.exec(
        select(Indicator)
        .where(Indicator.cycle_id == cycle.id)
        .options(selectinload(related(Indicator.measurements)))
        .order_by(col(Indicator.id))
    ).all()


def list_indicators_of_activity(session: Session, activity_id: int) -> Sequence[Indicator]:
    return session.exec(
        select(Indicator)
        .where(Indicator.activity_id == activity_id)
        .options(selectinload(related(Indicator.measurements)))
        .order_by(col(Indicator.id))
    ).all()


def _check_rba(data: IndicatorCreate, *, service_level: bool) -> None:
    if service_level and data.rba_question is None:
        raise InvalidInput(
            {
                "rba_question": "Kies welke vraag deze indicator beantwoordt: hoeveel, hoe goed, "
                "of is iemand er beter van geworden?"
            }
        )
    if not service_level and data.rba_question is not None:
        raise InvalidInput(
            {
                "rba_question": "De RBA-vragen horen bij indicatoren van een activiteit, niet bij "
                "een maatschappelijk resultaat."
            }
        )


def _check_bbv(data: IndicatorCreate, *, service_level: bool) -> None:
    if data.bbv_number is not None and service_level:
        raise InvalidInput(
            {
                "bbv_number": "De BBV-beleidsindicatoren beschrijven de hele bevolking: kies ze "
                "bij een maatschappelijk resultaat, niet bij een activiteit."
            }
        )


def create_indicator(
    session: Session,
    data: IndicatorCreate,
    *,
    cycle_id: int,
    result_id: int | None = None,
    activity_id: int | None = None,
) -> Indicator:
    """An indicator for one result (population level) or one activity (service level)."""
    cycles_service.ensure_open(session, cycle_id)
    _check_rba(data, service_level=activity_id is not None)
    _check_bbv(data, service_level=activity_id is not None)
    indicator = Indicator.model_validate(
        data, update={"cycle_id": cycle_id, "result_id": result_id, "activity_id": activity_id}
    )
    session.add(indicator)
    cycles_service.step_started(session, cycle_id, 5 if activity_id else 2)
    session.flush()
    return indicator


def create_result_indicator(session: Session, result: Result, data: IndicatorCreate) -> Indicator:
    return create_indicator(session, data, cycle_id=result.cycle_id, result_id=result.id)


def update_indicator(session: Session, indicator: Indicator, data: IndicatorCreate) -> Indicator:
    cycles_service.ensure_open(session, indicator.cycle_id)
    _check_rba(data, service_level=indicator.activity_id is not None)
    _check_bbv(data, service_level=indicator.activity_id is not None)
    indicator.sqlmodel_update(data.model_dump())
    session.flush()
    return indicator


def delete_indicator(session: Session, indicator: Indicator) -> None:
    cycles_service.ensure_open(session, indicator.cycle_id)
    session.delete(indicator)
    session.flush()


def propose_targets(indicator: Indicator, end_year: int) -> IndicatorTargets:
    """What a hand-over proposes for the next cycle: the latest meting becomes the nulmeting
    and the streefdatum moves to the end of the new cycle, so the curve continues instead of
    starting the cycle already expired. `measurements` must be loaded.

    A streefwaarde the latest meting already reached is proposed as holding that level; the
    facilitator raises the bar on the hand-over page where that is the ambition.
    """
    latest = indicator.latest
    baseline_value = latest.value if latest else indicator.baseline_value
    baseline_date = latest.measured_on if latest else indicator.baseline_date
    target_value = indicator.target_value
    if target_value is not None and baseline_value is not None:
        higher = indicator.direction is Direction.HIGHER
        if (target_value < baseline_value) if higher else (target_value > baseline_value):
            target_value = baseline_value
    return IndicatorTargets(
        baseline_value=baseline_value,
        baseline_date=baseline_date,
        target_value=target_value,
        target_date=date(end_year, 12, 31),
    )


def check_targets(indicator: Indicator, targets: IndicatorTargets) -> None:
    """The indicator's rules (streefdatum after nulmeting, streefwaarde in its direction) for
    nulmeting and streefwaarde set at a hand-over; InvalidInput names the field."""
    try:
        stored = indicator.model_dump(include=set(IndicatorCreate.model_fields))  # unchecked
        IndicatorCreate.model_validate({**stored, **targets.model_dump()})
    except ValidationError as exc:
        raise InvalidInput(dutch_errors(exc)) from None


def copy_indicators(
    session: Session,
    source: Cycle,
    target: Cycle,
    *,
    results: dict[int, Result],
    activities: dict[int, int],
    targets: Mapping[int, IndicatorTargets],
) -> None:
    """Copy indicator definitions (not their measurements) to the copied results and activities.

    `activities` maps old activity ids to the ids of their copies; indicators of activities that
    were not carried forward stay behind. Each copy points at its predecessor and takes the
    nulmeting and streefwaarde of `targets` (by old indicator id), or the proposed ones.
    """
    for indicator in session.exec(
        select(Indicator)
        .where(Indicator.cycle_id == source.id)
        .options(selectinload(related(Indicator.measurements)))
        .order_by(col(Indicator.id))
    ).all():
        owner: dict[str, int | None]
        if indicator.result_id in results:
            owner = {"result_id": results[indicator.result_id].id, "activity_id": None}
        elif indicator.activity_id in activities:
            owner = {"result_id": None, "activity_id": activities[indicator.activity_id]}
        else:
            continue
        assert indicator.id is not None  # a stored row
        chosen = targets.get(indicator.id)
        if chosen is None:
            chosen = propose_targets(indicator, target.end_year)
        session.add(
            Indicator.model_validate(
                indicator.model_dump(
                    exclude={"id", "cycle_id", "result_id", "activity_id", "predecessor_id"}
                ),
                update={
                    "cycle_id": target.id,
                    "predecessor_id": indicator.id,
                    **owner,
                    **chosen.model_dump(),
                },
            )
        )
    session.flush()


@dataclass(frozen=True)
class CyclePart:
    """The measurements of one indicator within one cycle: a stretch of a longer curve."""

    period: str
    indicator: Indicator
    current: bool


def indicator_series(session: Session, indicator: Indicator) -> list[CyclePart]:
    """The indicator and its predecessors in earlier cycles, oldest first, each with its
    measurements: one curve across cycle boundaries."""
    parts = [indicator]
    seen = {indicator.id}
    while parts[-1].predecessor_id is not None and parts[-1].predecessor_id not in seen:
        earlier = session.exec(
            select(Indicator)
            .where(Indicator.id == parts[-1].predecessor_id)
            .options(selectinload(related(Indicator.measurements)))
        ).one()
        seen.add(earlier.id)
        parts.append(earlier)
    periods = {
        c.id: c.period
        for c in session.exec(
            select(Cycle).where(col(Cycle.id).in_([p.cycle_id for p in parts]))
        ).all()
    }
    return [
        CyclePart(period=periods[p.cycle_id], indicator=p, current=p is indicator)
        for p in reversed(parts)
    ]


# Measurements


def get_measurement(
    session: Session, organisation: Organisation, measurement_id: int
) -> Measurement:
    return tenancy.owned(
        session, Measurement, organisation.id, measurement_id, "Deze meting bestaat niet (meer)."
    )


def list_measurements(session: Session, indicator: Indicator) -> Sequence[Measurement]:
    return session.exec(
        select(Measurement)
        .where(Measurement.indicator_id == indicator.id)
        .order_by(col(Measurement.measured_on))
    ).all()


_DUPLICATE_DATE = "Er is al een meting op deze datum. Pas die meting aan."


def _check_unique_date(
    session: Session, indicator_id: int, data: MeasurementCreate, measurement_id: int | None
) -> None:
    stmt = select(Measurement.id).where(
        Measurement.indicator_id == indicator_id, Measurement.measured_on == data.measured_on
    )
    if measurement_id is not None:
        stmt = stmt.where(col(Measurement.id) != measurement_id)
    if session.exec(stmt).first() is not None:
        raise Duplicate({"measured_on": _DUPLICATE_DATE})


def create_measurement(
    session: Session, indicator: Indicator, data: MeasurementCreate
) -> Measurement:
    assert indicator.id is not None  # a stored row
    cycles_service.ensure_open(session, indicator.cycle_id)
    _check_unique_date(session, indicator.id, data, None)
    measurement = Measurement.model_validate(data, update={"indicator_id": indicator.id})
    session.add(measurement)
    cycles_service.step_started(session, indicator.cycle_id, 5)
    flush_or_invalid(session, {"measured_on": _DUPLICATE_DATE})
    return measurement


def update_measurement(
    session: Session, measurement: Measurement, data: MeasurementCreate
) -> Measurement:
    indicator = session.get_one(Indicator, measurement.indicator_id)
    cycles_service.ensure_open(session, indicator.cycle_id)
    _check_unique_date(session, measurement.indicator_id, data, measurement.id)
    measurement.sqlmodel_update(data.model_dump())
    flush_or_invalid(session, {"measured_on": _DUPLICATE_DATE})
    return measurement


def delete_measurement(session: Session, measurement: Measurement) -> None:
    indicator = session.get_one(Indicator, measurement.indicator_id)
    cycles_service.ensure_open(session, indicator.cycle_id)
    session.delete(measurement)
    session.flush()


# Stories (vertellen): told without a number, about a result or an activity


def get_story(session: Session, organisation: Organisation, story_id: int) -> Story:
    return tenancy.owned(
        session, Story, organisation.id, story_id, "Dit verhaal bestaat niet (meer)."
    )


def get_result_story(session: Session, organisation: Organisation, story_id: int) -> Story:
    story = get_story(session, organisation, story_id)
    if story.result_id is None:
        raise NotFound("Dit verhaal hoort niet bij een maatschappelijk resultaat.")
    return story


def get_activity_story(session: Session, organisation: Organisation, story_id: int) -> Story:
    story = get_story(session, organisation, story_id)
    if story.activity_id is None:
        raise NotFound("Dit verhaal hoort niet bij een activiteit.")
    return story


def list_stories(session: Session, cycle: Cycle) -> Sequence[Story]:
    """The cycle's stories, newest first; pages group them by result or activity."""
    return session.exec(_STORIES, params={"cycle_id": cycle.id}).all()


def list_stories_of_result(session: Session, result: Result) -> Sequence[Story]:
    return session.exec(
        select(Story).where(Story.result_id == result.id).order_by(col(Story.told_on).desc())
    ).all()


def list_stories_of_activity(session: Session, activity_id: int) -> Sequence[Story]:
    return session.exec(
        select(Story).where(Story.activity_id == activity_id).order_by(col(Story.told_on).desc())
    ).all()


def create_story(
    session: Session,
    data: StoryCreate,
    *,
    cycle_id: int,
    result_id: int | None = None,
    activity_id: int | None = None,
) -> Story:
    cycles_service.ensure_open(session, cycle_id)
    story = Story.model_validate(
        data, update={"cycle_id": cycle_id, "result_id": result_id, "activity_id": activity_id}
    )
    session.add(story)
    cycles_service.step_started(session, cycle_id, 5)
    session.flush()
    return story


def create_result_story(session: Session, result: Result, data: StoryCreate) -> Story:
    return create_story(session, data, cycle_id=result.cycle_id, result_id=result.id)


def update_story(session: Session, story: Story, data: StoryCreate) -> Story:
    cycles_service.ensure_open(session, story.cycle_id)
    story.sqlmodel_update(data.model_dump())
    session.flush()
    return story


def delete_story(session: Session, story: Story) -> None:
    cycles_service.ensure_open(session, story.cycle_id)
    session.delete(story)
    session.flush()


# Evidence: how a result got its place (written by a later step's package, such as sessions)


def add_evidence(
    session: Session, result: Result, *, source: str, decided_on: date, summary: dict
) -> ResultEvidence:
    assert result.id is not None  # a stored row
    evidence = ResultEvidence(
        result_id=result.id,
        source=source[:300],
        decided_on=decided_on,
        summary=summary,
    )
    session.add(evidence)
    session.flush()
    return evidence


def evidence_of_cycle(session: Session, cycle: Cycle) -> dict[int, list[ResultEvidence]]:
    """Per result of the cycle, its evidence, newest first."""
    rows = session.exec(_EVIDENCE, params={"cycle_id": cycle.id}).all()
    found: dict[int, list[ResultEvidence]] = {}
    for row in rows:
        found.setdefault(row.result_id, []).append(row)
    return found


# Bulk readers: one query per table for many cycles at once (the report reads through these).


def results_of_cycles(session: Session, cycle_ids: Sequence[int]) -> Sequence[Result]:
    """The results of these cycles, per cycle in priority order."""
    return session.exec(
        select(Result)
        .where(col(Result.cycle_id).in_(cycle_ids))
        .order_by(col(Result.cycle_id), col(Result.rank))
    ).all()


def indicators_of_cycles(session: Session, cycle_ids: Sequence[int]) -> Sequence[Indicator]:
    """The indicators of these cycles with their measurements loaded (two queries)."""
    in_scope = col(Indicator.cycle_id).in_(cycle_ids)
    indicators = session.exec(select(Indicator).where(in_scope).order_by(col(Indicator.id))).all()
    attach(
        indicators,
        "measurements",
        session.exec(
            select(Measurement)
            .join(Indicator, col(Indicator.id) == Measurement.indicator_id)
            .where(in_scope)
            .order_by(col(Measurement.measured_on))
        ).all(),
        "indicator_id",
    )
    return indicators


def earlier_measurements(
    session: Session, cycle_ids: Sequence[int]
) -> dict[int, list[Measurement]]:
    """The measurements of the indicators these cycles' indicators continue, by that earlier
    indicator's id: a curve continues across the cycle boundary."""
    earlier = select(Indicator.predecessor_id).where(col(Indicator.cycle_id).in_(cycle_ids))
    found: dict[int, list[Measurement]] = {}
    for m in session.exec(
        select(Measurement)
        .where(col(Measurement.indicator_id).in_(earlier.scalar_subquery()))
        .order_by(col(Measurement.measured_on))
    ).all():
        found.setdefault(m.indicator_id, []).append(m)
    return found


def stories_of_cycles(session: Session, cycle_ids: Sequence[int]) -> Sequence[Story]:
    """The stories of these cycles, newest first."""
    return session.exec(
        select(Story)
        .where(col(Story.cycle_id).in_(cycle_ids))
        .order_by(col(Story.told_on).desc(), col(Story.id))
    ).all()


def progress_counts(session: Session, cycle_ids: Sequence[int]) -> dict[str, Counter[int]]:
    """What step 2 and 5 hold per cycle, and the flags on results and indicators (for the
    progress overview; one grouped query each)."""
    today = utc_now().date()
    latest = session.exec(
        select(
            col(Indicator.cycle_id),
            col(Indicator.expected_frequency),
            func.max(Measurement.measured_on),
        )
        .join(Measurement, col(Measurement.indicator_id) == Indicator.id)
        .where(col(Indicator.cycle_id).in_(cycle_ids))
        .group_by(col(Indicator.id), col(Indicator.cycle_id), col(Indicator.expected_frequency))
    ).all()
    return {
        "result": counts_per_cycle(session, Result, cycle_ids),
        "population_indicator": counts_per_cycle(
            session, Indicator, cycle_ids, col(Indicator.result_id).is_not(None)
        ),
        "service_indicator": counts_per_cycle(
            session, Indicator, cycle_ids, col(Indicator.activity_id).is_not(None)
        ),
        "measurement": counts_per_cycle(
            session, Measurement, cycle_ids, via=(Indicator, Measurement.indicator_id)
        ),
        "without_indicator": counts_per_cycle(
            session,
            Result,
            cycle_ids,
            ~select(Indicator.id).where(Indicator.result_id == Result.id).exists(),
        ),
        "substantive": counts_per_cycle(
            session, Result, cycle_ids, Result.result_type == ResultType.SUBSTANTIVE
        ),
        "process": counts_per_cycle(
            session, Result, cycle_ids, Result.result_type != ResultType.SUBSTANTIVE
        ),
        "past_target": counts_per_cycle(
            session, Indicator, cycle_ids, col(Indicator.target_date) < today
        ),
        # the latest meting older than the indicator's expected frequency
        "stale": Counter(
            cycle_id for cycle_id, frequency, on in latest if is_stale(on, frequency, today)
        ),
    }
