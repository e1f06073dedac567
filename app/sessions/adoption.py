"""Adopting a closed round's outcome into the cycle, with its evidence kept.

The changes go through the owning packages' services (ambitions, results, activities), so
their rules hold (a closed cycle refuses, codes and ranks stay consistent). The evidence is a
snapshot taken at the moment of adoption: the round, who took part per perspective, how the
votes fell per perspective, and the date. It is stored twice, on purpose:

- here (`Adoption`), for the session's own pages and the report (which comes after sessions);
- for results also in `results.ResultEvidence`, written through the results service, so that
  the result's own page shows it without importing this later package (imports run one way:
  later steps use earlier ones, never the other way round).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, func, select

from app.activities import service as activities_service
from app.activities.models import ActivityCreate
from app.ambitions import service as ambitions_service
from app.ambitions.models import AmbitionStatus, AmbitionWrite, Term, TermCreate
from app.choices import Choice, Perspective
from app.config import settings
from app.cycles import service as cycles_service
from app.errors import Conflict, InvalidInput
from app.ids import parse_id
from app.organisations.models import Organisation
from app.results import service as results_service
from app.results.models import Result, ResultCreate
from app.sessions import running, scoring
from app.sessions.models import Adoption, LiveSession, Round, RoundStatus, Target
from app.tables import row_id, utc_now
from app.text import clean_value

MEANING_FIELDS = {
    Perspective.MUNICIPALITY: "meaning_municipality",
    Perspective.PROVIDER: "meaning_provider",
    Perspective.RESIDENT: "meaning_resident",
}


# Perspectives a room should hear before its outcome sets a priority ("anders" may be absent).
HEARD = (Perspective.MUNICIPALITY, Perspective.PROVIDER, Perspective.RESIDENT)
RATIONALE_MAX = 2000


class Placement(Choice):
    """Where a round's results go in the cycle's priority order."""

    INSERT = "insert", "Invoegen tussen de bestaande resultaten"
    REPLACE = "replace", "De volgorde vervangen door de uitslag"


# A placement by its value (mypy reads Placement(value) as Choice.__new__(value, label)).
_PLACEMENTS = {p.value: p for p in Placement}


@dataclass
class Plan:
    """How the results of a round would be adopted: where, and why each is where it is.
    `rationales` by item id; `place` is where the round's results start (INSERT)."""

    placement: Placement = Placement.INSERT
    place: int | None = None  # None: after the existing results
    rationales: dict[int, str] = field(default_factory=dict)


@dataclass
class Placed:
    """One line of the priority order a plan gives."""

    rank: int
    text: str
    code: str | None
    item_id: int | None  # from the round
    moved: bool  # an existing result whose place changes
    old_rationale: str | None  # kept, but written for another place: shown as outdated


def turnout_warning(outcome: scoring.Outcome) -> str | None:
    """A warning with the figures when few took part (fewer than the installation's
    KOMPAS_SESSION_MIN_TURNOUT) or a perspective was not heard; None when the turnout is fine."""
    minimum = settings.session_min_turnout
    voters = outcome.voter_count
    missing = [p.label.lower() for p in HEARD if not outcome.voters.get(p)]
    if voters >= minimum and not missing:
        return None
    heard = ", ".join(f"{p.label.lower()} {n}" for p, n in outcome.voters.items() if n)
    parts = [
        f"{voters} {'deelnemer heeft' if voters == 1 else 'deelnemers hebben'} meegedaan"
        + (f" ({heard})" if heard else "")
        + (f", minder dan {minimum}" if voters < minimum else "")
    ]
    if missing:
        parts.append(f"niemand van {' en '.join(missing)}")
    return (
        "Lage opkomst: "
        + "; ".join(parts)
        + ". Weeg mee of deze uitkomst de prioriteit mag bepalen."
    )


def read_plan(form: dict[str, str]) -> Plan:
    """The adoption form: `plaatsing` (insert or replace), `vanaf` (the place to insert at;
    empty: after the existing results) and `waarom-{item}` (a rationale per result)."""
    placement = _PLACEMENTS.get(form.get("plaatsing") or Placement.INSERT.value)
    if placement is None:
        raise InvalidInput({"plaatsing": "Kies invoegen of vervangen."})
    place_text = (form.get("vanaf") or "").strip()
    if place_text and not (place_text.isascii() and place_text.isdigit() and len(place_text) < 5):
        raise InvalidInput({"vanaf": "Vul een plaats in: 1, 2, 3, ..."})
    rationales = {
        item_id: text
        for name, text in form.items()
        if name.startswith("waarom-")
        and (item_id := parse_id(name.removeprefix("waarom-"))) is not None
        and text.strip()
    }
    return Plan(placement, int(place_text) if place_text else None, rationales)


def clean_rationale(item_id: int, text: str | None) -> str | None:
    try:
        value = " ".join((clean_value(text or "", multiline=True) or "").split())
    except ValueError as exc:
        raise InvalidInput({f"waarom-{item_id}": str(exc)}) from None
    if len(value) > RATIONALE_MAX:
        raise InvalidInput(
            {f"waarom-{item_id}": f"Houd het korter: hoogstens {RATIONALE_MAX} tekens."}
        )
    return value or None


def _order(existing: list[Result], adopted: list[Any], plan: Plan) -> list[Any]:
    """The priority order after adopting: `adopted` (results, or rows of results still to be
    made) as one block, at the plan's place among the other existing results, or ahead of
    them all."""
    taken = {r.id for r in adopted if isinstance(r, Result)}
    others: list[Any] = [r for r in existing if r.id not in taken]
    if plan.placement is Placement.REPLACE:
        return [*adopted, *others]
    place = len(others) + 1 if plan.place is None else min(max(plan.place, 1), len(others) + 1)
    return [*others[: place - 1], *adopted, *others[place - 1 :]]


def _results_of(
    session: Session, organisation: Organisation, rows: list[scoring.Row]
) -> list[Result | None]:
    return [
        results_service.get_result(session, organisation, row.item.result_id)
        if row.item.result_id is not None
        else None
        for row in rows
    ]


def preview(
    session: Session,
    round_: Round,
    organisation: Organisation,
    rows: list[scoring.Row],
    plan: Plan,
) -> list[Placed]:
    """The cycle's priority order as adopting these rows by this plan would leave it."""
    live = running.session_of_round(session, round_)
    cycle = cycles_service.get_cycle(session, organisation, live.cycle_id)
    existing = list(results_service.list_results(session, cycle))
    found = _results_of(session, organisation, rows)
    row_of = {r.id: row for r, row in zip(found, rows, strict=True) if r is not None}
    slots = [r if r is not None else row for r, row in zip(found, rows, strict=True)]
    placed = []
    for rank, slot in enumerate(_order(existing, slots, plan), start=1):
        if isinstance(slot, scoring.Row):  # a result still to be made
            placed.append(Placed(rank, slot.item.text, None, slot.item.id, False, None))
            continue
        row = row_of.get(slot.id)
        placed.append(
            Placed(
                rank=rank,
                text=slot.text,
                code=slot.code,
                item_id=row.item.id if row else None,
                moved=slot.rank != rank,
                old_rationale=slot.rationale,
            )
        )
    return placed


def adoptions_of(session: Session, round_: Round) -> list[Adoption]:
    return list(
        session.exec(
            select(Adoption).where(Adoption.round_id == round_.id).order_by(col(Adoption.id))
        ).all()
    )


def adoptions_of_session(session: Session, live: LiveSession) -> list[Adoption]:
    return list(
        session.exec(
            select(Adoption)
            .join(Round, col(Round.id) == Adoption.round_id)
            .where(Round.session_id == live.id)
            .order_by(col(Round.position), col(Adoption.id))
        ).all()
    )


def source_label(live: LiveSession, round_: Round) -> str:
    day = live.held_on.strftime("%d-%m-%Y")
    return f"{live.title} ({day}), ronde {round_.position}: {round_.title}"


def evidence(
    live: LiveSession, outcome: scoring.Outcome, row: scoring.Row | None
) -> dict[str, Any]:
    """The snapshot kept with an adopted item (plain JSON, Dutch keys: the report reads it)."""
    round_ = outcome.round
    found: dict[str, Any] = {
        "sessie": live.title,
        "sessie_id": live.id,
        "ronde": round_.title,
        "ronde_id": round_.id,
        "werkvorm": round_.kind.label,
        "datum": live.held_on.isoformat(),
        "aanwezig": {p.value: outcome.present.get(p, 0) for p in scoring.PERSPECTIVES},
        "deelnemers": {p.value: outcome.voters.get(p, 0) for p in scoring.PERSPECTIVES},
        "keuzes": len(outcome.rows),
    }
    if row is not None:
        found.update(
            tekst=row.item.text,
            plaats=row.rank if outcome.ranked else None,
            score=row.score,
            stemmen=row.votes,
            papier=row.paper,
            verdeling={p.value: row.per_perspective.get(p, 0) for p in scoring.PERSPECTIVES},
        )
    return found


def chosen_rows(
    outcome: scoring.Outcome, round_: Round, item_ids: list[int] | None
) -> list[scoring.Row]:
    """The rows to adopt: the chosen items, or the winner for an ambition, everything else."""
    rows = outcome.rows
    if item_ids is not None:
        rows = [row for row in rows if row.item.id in set(item_ids)]
    elif round_.target is Target.AMBITION:
        rows = rows[:1]
    if not rows:
        raise InvalidInput({"keuzes": "Kies minstens één uitkomst om over te nemen."})
    return rows


def adopt(
    session: Session,
    round_: Round,
    organisation: Organisation,
    by: str,
    item_ids: list[int] | None = None,
    plan: Plan | None = None,
) -> list[Adoption]:
    """Put a closed round's outcome into the cycle: the chosen items (default: the winner for
    an ambition, everything otherwise) in the order of the outcome. Results go into the
    priority order by the plan (default: after the existing ones); a result whose place
    changes keeps its old rationale marked as outdated, unless the plan gives a new one."""
    if round_.status is not RoundStatus.CLOSED:
        raise Conflict("Sluit de ronde eerst; daarna neem je de uitkomst over.")
    if round_.adopted_at is not None:
        raise Conflict("De uitkomst van deze ronde is al overgenomen.")
    if round_.target is Target.NONE:
        raise Conflict(
            "Bij deze ronde is niet gekozen waar de uitkomst heen gaat. Bewerk de ronde niet "
            "meer; neem de uitkomst mee in het verslag."
        )
    live = running.session_of_round(session, round_)
    cycle = cycles_service.ensure_open(session, live.cycle_id)
    outcome = scoring.outcome(session, round_)
    rows = chosen_rows(outcome, round_, item_ids)
    plan = plan or Plan()
    adopted: list[Adoption] = []
    label = source_label(live, round_)

    def record(
        row: scoring.Row | None,
        text: str,
        *,
        ambition_id: int | None = None,
        result_id: int | None = None,
        activity_id: int | None = None,
        term_id: int | None = None,
    ) -> None:
        entry = Adoption(
            round_id=row_id(round_),
            item_id=row.item.id if row else None,
            target=round_.target,
            label=text,
            evidence=evidence(live, outcome, row),
            adopted_by=by,
            ambition_id=ambition_id,
            result_id=result_id,
            activity_id=activity_id,
            term_id=term_id,
        )
        session.add(entry)
        adopted.append(entry)

    if round_.target is Target.AMBITION:
        row = rows[0]
        ambition = ambitions_service.save_ambition(
            session,
            cycle,
            AmbitionWrite(text=row.item.text, status=AmbitionStatus.FORMULATED, origin=label[:200]),
        )
        record(row, row.item.text, ambition_id=ambition.id)
    elif round_.target is Target.RESULTS:
        before = {r.id: r.rank for r in results_service.list_results(session, cycle)}
        results: list[Result] = []
        renewed: set[int] = set()
        for row, found in zip(rows, _results_of(session, organisation, rows), strict=True):
            result = found or results_service.create_result(
                session, cycle, ResultCreate(text=row.item.text, origin=label[:200])
            )
            item_id = row_id(row.item)
            why = clean_rationale(item_id, plan.rationales.get(item_id))
            if why is not None:
                result.rationale, result.rationale_outdated = why, False
                renewed.add(row_id(result))
            results.append(result)
        existing = list(results_service.list_results(session, cycle))
        for rank, result in enumerate(_order(existing, results, plan), start=1):
            results_service.move_result(session, result, rank)
        for result in existing:  # a reason written for another place no longer holds
            if (
                result.rationale
                and result.id not in renewed
                and before.get(result.id) != result.rank
            ):
                result.rationale_outdated = True
        for row, result in zip(rows, results, strict=True):
            results_service.add_evidence(
                session,
                result,
                source=label,
                decided_on=live.held_on,
                summary=evidence(live, outcome, row),
            )
            record(row, result.text, result_id=result.id)
    elif round_.target is Target.ACTIVITIES:
        for row in rows:
            text = row.item.text
            activity = activities_service.create_activity(
                session,
                cycle,
                ActivityCreate(
                    name=text if len(text) <= 200 else text[:199] + "…",
                    description=None if len(text) <= 200 else text,
                ),
            )
            record(row, activity.name, activity_id=activity.id)
    elif round_.target is Target.TERMS:
        term = _adopt_term(session, cycle, round_, rows)
        record(None, term.term, term_id=term.id)
    round_.adopted_at = utc_now()
    session.add(round_)
    session.flush()
    return adopted


def _adopt_term(session: Session, cycle, round_: Round, rows: list[scoring.Row]) -> Term:
    """A begrip round: the term is the round's title; what it means per perspective are the
    participants' words ("anders" joins the resident's column, which the term has room for
    only three perspectives)."""
    words: dict[str, list[str]] = {field: [] for field in MEANING_FIELDS.values()}
    for row in rows:
        for item in [row.item, *row.members]:
            perspective = item.perspective or Perspective.OTHER
            field = MEANING_FIELDS.get(perspective, "meaning_resident")
            words[field].append(item.text)
    name = round_.title.strip()[:100]
    existing = session.exec(
        select(Term).where(Term.cycle_id == cycle.id, func.lower(Term.term) == name.lower())
    ).first()
    meanings = {field: ("; ".join(texts)[:2000] or None) for field, texts in words.items()}
    if existing is not None:
        data = TermCreate.model_validate(
            {
                **existing.model_dump(include=set(TermCreate.model_fields)),
                **{k: v for k, v in meanings.items() if v},
            }
        )
        return ambitions_service.update_term(session, existing, data)
    return ambitions_service.create_term(session, cycle, TermCreate(term=name, **meanings))


def evidence_summary(snapshot: dict[str, Any]) -> str:
    """One Dutch line: "12 deelnemers (gemeente 4, aanbieder 5, inwoner 3); 9 stippen"."""
    labels = {p.value: p.label.lower() for p in Perspective}
    present = snapshot.get("deelnemers", {})
    parts = [f"{labels[k]} {v}" for k, v in present.items() if v]
    text = f"{sum(present.values())} deelnemers" + (f" ({', '.join(parts)})" if parts else "")
    if snapshot.get("plaats"):
        text += f"; plaats {snapshot['plaats']} van {snapshot.get('keuzes')}"
    return text


def adoptions_of_cycles(
    session: Session, cycle_ids: Sequence[int]
) -> Sequence[tuple[Adoption, Round, LiveSession]]:
    """Every adoption from these cycles' sessions with its round and session, in the order
    they were held (one query; the report's reader)."""
    return session.exec(
        select(Adoption, Round, LiveSession)
        .join(Round, col(Adoption.round_id) == Round.id)
        .join(LiveSession, col(Round.session_id) == LiveSession.id)
        .where(col(LiveSession.cycle_id).in_(cycle_ids))
        .order_by(
            col(LiveSession.held_on), col(LiveSession.id), col(Round.position), col(Adoption.id)
        )
    ).all()
