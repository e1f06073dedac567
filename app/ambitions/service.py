"""The shared ambition of a cycle (with its earlier wordings) and the begrippen of step 0."""

from collections.abc import Sequence

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, func, select

from app.ambitions.models import (
    Ambition,
    AmbitionDraft,
    AmbitionStatus,
    AmbitionWrite,
    Term,
    TermCreate,
)
from app.cycles import service as cycles_service
from app.cycles.models import Cycle
from app.db import flush_or_invalid
from app.errors import Duplicate, NotFound
from app.organisations.models import Organisation
from app.tables import utc_now
from app.text import same_name

# Ambition


def get_ambition(session: Session, cycle: Cycle) -> Ambition | None:
    """The cycle's ambition with its earlier drafts, newest first; None before the first save."""
    return session.exec(
        select(Ambition).where(Ambition.cycle_id == cycle.id).options(selectinload(Ambition.drafts))  # type: ignore[arg-type]
    ).first()


def save_ambition(session: Session, cycle: Cycle, data: AmbitionWrite) -> Ambition:
    """Create or reword the ambition; a changed wording keeps the previous one as a draft."""
    cycles_service.ensure_open(session, cycle.id)  # type: ignore[arg-type]
    ambition = get_ambition(session, cycle)
    if data.status is AmbitionStatus.AGREED and data.agreed_on is None:
        data = data.model_copy(update={"agreed_on": utc_now().date()})
    if ambition is None:
        ambition = Ambition.model_validate(data, update={"cycle_id": cycle.id})
        session.add(ambition)
        cycles_service.step_started(session, cycle.id, 1)  # type: ignore[arg-type]
    else:
        if ambition.text != data.text:
            session.add(AmbitionDraft(ambition_id=ambition.id, text=ambition.text))
        ambition.sqlmodel_update(data.model_dump())
        ambition.updated_at = utc_now()
    session.flush()
    return ambition


def get_draft(session: Session, organisation: Organisation, draft_id: int) -> AmbitionDraft:
    draft = session.exec(
        cycles_service.in_organisation(
            select(AmbitionDraft).join(Ambition, col(Ambition.id) == AmbitionDraft.ambition_id),
            Ambition.cycle_id,
            organisation,
        ).where(AmbitionDraft.id == draft_id)
    ).first()
    if draft is None:
        raise NotFound("Deze eerdere versie van de ambitie bestaat niet (meer).")
    return draft


def restore_draft(session: Session, draft: AmbitionDraft) -> Ambition:
    """Bring back an earlier wording as the current concept; the current one becomes a draft."""
    ambition = session.get_one(Ambition, draft.ambition_id)
    cycle = cycles_service.ensure_open(session, ambition.cycle_id)
    return save_ambition(
        session, cycle, AmbitionWrite(text=draft.text, status=AmbitionStatus.DRAFT)
    )


def delete_ambition(session: Session, cycle: Cycle) -> None:
    cycles_service.ensure_open(session, cycle.id)  # type: ignore[arg-type]
    ambition = get_ambition(session, cycle)
    if ambition is None:
        raise NotFound("Deze cyclus heeft nog geen ambitie.")
    session.delete(ambition)
    session.flush()


def copy_ambition(session: Session, source: Cycle, target: Cycle) -> None:
    """Carry the ambition into the next cycle as a concept, to be confirmed again."""
    ambition = get_ambition(session, source)
    if ambition is not None:
        session.add(Ambition(cycle_id=target.id, text=ambition.text))


# Begrippen


def list_terms(session: Session, cycle: Cycle) -> Sequence[Term]:
    return session.exec(
        select(Term).where(Term.cycle_id == cycle.id).order_by(func.lower(Term.term))
    ).all()


def get_term(session: Session, organisation: Organisation, term_id: int) -> Term:
    term = session.exec(
        cycles_service.in_organisation(select(Term), Term.cycle_id, organisation).where(
            Term.id == term_id
        )
    ).first()
    if term is None:
        raise NotFound("Dit begrip bestaat niet (meer).")
    return term


_DUPLICATE_TERM = "Dit begrip staat al in de lijst."


def _check_unique_term(session: Session, cycle_id: int, text: str, term: Term | None) -> None:
    terms = session.exec(select(Term.id, Term.term).where(Term.cycle_id == cycle_id)).all()
    if any(same_name(other, text) for id_, other in terms if term is None or id_ != term.id):
        raise Duplicate({"term": _DUPLICATE_TERM})


def create_term(session: Session, cycle: Cycle, data: TermCreate) -> Term:
    cycles_service.ensure_open(session, cycle.id)  # type: ignore[arg-type]
    _check_unique_term(session, cycle.id, data.term, None)  # type: ignore[arg-type]
    term = Term.model_validate(data, update={"cycle_id": cycle.id})
    session.add(term)
    flush_or_invalid(session, {"term": _DUPLICATE_TERM})
    cycles_service.step_started(session, cycle.id, 0)  # type: ignore[arg-type]
    return term


def update_term(session: Session, term: Term, data: TermCreate) -> Term:
    cycles_service.ensure_open(session, term.cycle_id)
    _check_unique_term(session, term.cycle_id, data.term, term)
    term.sqlmodel_update(data.model_dump())
    flush_or_invalid(session, {"term": _DUPLICATE_TERM})
    return term


def delete_term(session: Session, term: Term) -> None:
    cycles_service.ensure_open(session, term.cycle_id)
    session.delete(term)
    session.flush()


def copy_terms(session: Session, source: Cycle, target: Cycle) -> None:
    for term in list_terms(session, source):
        session.add(
            Term.model_validate(
                term.model_dump(exclude={"id", "cycle_id"}), update={"cycle_id": target.id}
            )
        )
