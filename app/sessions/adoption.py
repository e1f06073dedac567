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
from typing import Any

from sqlmodel import Session, col, func, select

from app.activities import service as activities_service
from app.activities.models import ActivityCreate
from app.ambitions import service as ambitions_service
from app.ambitions.models import AmbitionStatus, AmbitionWrite, Term, TermCreate
from app.choices import Perspective
from app.cycles import service as cycles_service
from app.errors import Conflict, InvalidInput
from app.organisations.models import Organisation
from app.results import service as results_service
from app.results.models import ResultCreate
from app.sessions import scoring
from app.sessions import service as sessions_service
from app.sessions.models import Adoption, LiveSession, Round, RoundStatus, Target
from app.tables import utc_now

MEANING_FIELDS = {
    Perspective.MUNICIPALITY: "meaning_municipality",
    Perspective.PROVIDER: "meaning_provider",
    Perspective.RESIDENT: "meaning_resident",
}


def adoptions_of(session: Session, round_: Round) -> list[Adoption]:
    return list(
        session.exec(
            select(Adoption).where(Adoption.round_id == round_.id).order_by(Adoption.id)
        ).all()
    )


def adoptions_of_session(session: Session, live: LiveSession) -> list[Adoption]:
    return list(
        session.exec(
            select(Adoption)
            .join(Round, col(Round.id) == Adoption.round_id)
            .where(Round.session_id == live.id)
            .order_by(Round.position, Adoption.id)
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


def adopt(
    session: Session,
    round_: Round,
    organisation: Organisation,
    by: str,
    item_ids: list[int] | None = None,
) -> list[Adoption]:
    """Put a closed round's outcome into the cycle: the chosen items (default: the winner for
    an ambition, everything otherwise) in the order of the outcome."""
    if round_.status is not RoundStatus.CLOSED:
        raise Conflict("Sluit de ronde eerst; daarna neem je de uitkomst over.")
    if round_.adopted_at is not None:
        raise Conflict("De uitkomst van deze ronde is al overgenomen.")
    if round_.target is Target.NONE:
        raise Conflict(
            "Bij deze ronde is niet gekozen waar de uitkomst heen gaat. Bewerk de ronde niet "
            "meer; neem de uitkomst mee in het verslag."
        )
    live = sessions_service.session_of_round(session, round_)
    cycle = cycles_service.ensure_open(session, live.cycle_id)
    outcome = scoring.outcome(session, round_)
    rows = outcome.rows
    if item_ids is not None:
        rows = [row for row in rows if row.item.id in set(item_ids)]
    elif round_.target is Target.AMBITION:
        rows = rows[:1]
    if not rows:
        raise InvalidInput({"keuzes": "Kies minstens één uitkomst om over te nemen."})
    adopted: list[Adoption] = []
    label = source_label(live, round_)

    def record(row: scoring.Row | None, text: str, **target_ids: int | None) -> None:
        entry = Adoption(
            round_id=round_.id,  # type: ignore[arg-type]
            item_id=row.item.id if row else None,
            target=round_.target,
            label=text,
            evidence=evidence(live, outcome, row),
            adopted_by=by,
            **target_ids,
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
        for place, row in enumerate(rows, start=1):
            if row.item.result_id is not None:
                result = results_service.get_result(session, organisation, row.item.result_id)
            else:
                result = results_service.create_result(
                    session, cycle, ResultCreate(text=row.item.text, origin=label[:200])
                )
            results_service.move_result(session, result, place)
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
        .order_by(LiveSession.held_on, LiveSession.id, Round.position, Adoption.id)
    ).all()
