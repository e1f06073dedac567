"""The shared ambition of a cycle (with its earlier wordings) and the begrippen of step 0."""

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, func, select

from app import tenancy
from app.ambitions.models import (
    Ambition,
    AmbitionDraft,
    AmbitionStatus,
    AmbitionWrite,
    TableMember,
    TableMemberCreate,
    Term,
    TermCreate,
)
from app.choices import Perspective
from app.cycles import service as cycles_service
from app.cycles.models import Cycle
from app.db import counts_per_cycle, flush_or_invalid
from app.errors import Duplicate, NotFound
from app.organisations.models import Organisation
from app.tables import related, utc_now
from app.text import same_name

# Ambition


def get_ambition(session: Session, cycle: Cycle) -> Ambition | None:
    """The cycle's ambition with its earlier drafts, newest first; None before the first save."""
    return session.exec(
        select(Ambition)
        .where(Ambition.cycle_id == cycle.id)
        .options(selectinload(related(Ambition.drafts)))
    ).first()


def save_ambition(
    session: Session, cycle: Cycle, data: AmbitionWrite, *, at: datetime | None = None
) -> Ambition:
    """Create or reword the ambition; a changed wording keeps the previous one as a draft,
    with the perspective and session it came from. `at` dates the change (the demo's years)."""
    assert cycle.id is not None  # a stored cycle
    cycles_service.ensure_open(session, cycle.id)
    at = at or utc_now()
    ambition = get_ambition(session, cycle)
    if data.status is AmbitionStatus.AGREED and data.agreed_on is None:
        data = data.model_copy(update={"agreed_on": at.date()})
    if ambition is None:
        ambition = Ambition.model_validate(data, update={"cycle_id": cycle.id, "updated_at": at})
        session.add(ambition)
        cycles_service.step_started(session, cycle.id, 1)
    else:
        if ambition.text != data.text:
            assert ambition.id is not None  # a stored ambition
            session.add(
                AmbitionDraft(
                    ambition_id=ambition.id,
                    text=ambition.text,
                    perspective=ambition.perspective,
                    origin=ambition.origin,
                    saved_at=at,
                )
            )
        ambition.sqlmodel_update(data.model_dump())
        ambition.updated_at = at
    session.flush()
    return ambition


def get_draft(session: Session, organisation: Organisation, draft_id: int) -> AmbitionDraft:
    return tenancy.owned(
        session,
        AmbitionDraft,
        organisation.id,
        draft_id,
        "Deze eerdere versie van de ambitie bestaat niet (meer).",
    )


def restore_draft(session: Session, draft: AmbitionDraft) -> Ambition:
    """Bring back an earlier wording as the current concept; the current one becomes a draft."""
    ambition = session.get_one(Ambition, draft.ambition_id)
    cycle = cycles_service.ensure_open(session, ambition.cycle_id)
    return save_ambition(
        session,
        cycle,
        AmbitionWrite(
            text=draft.text,
            status=AmbitionStatus.DRAFT,
            perspective=draft.perspective,
            origin=draft.origin,
        ),
    )


def delete_ambition(session: Session, cycle: Cycle) -> None:
    assert cycle.id is not None  # a stored cycle
    cycles_service.ensure_open(session, cycle.id)
    ambition = get_ambition(session, cycle)
    if ambition is None:
        raise NotFound("Deze cyclus heeft nog geen ambitie.")
    session.delete(ambition)
    session.flush()


def copy_ambition(session: Session, source: Cycle, target: Cycle) -> None:
    """Carry the ambition into the next cycle as a concept, to be confirmed again."""
    ambition = get_ambition(session, source)
    if ambition is not None:
        assert target.id is not None  # a stored cycle
        session.add(Ambition(cycle_id=target.id, text=ambition.text))


# Begrippen


def list_terms(session: Session, cycle: Cycle) -> Sequence[Term]:
    return session.exec(
        select(Term).where(Term.cycle_id == cycle.id).order_by(func.lower(Term.term))
    ).all()


def get_term(session: Session, organisation: Organisation, term_id: int) -> Term:
    return tenancy.owned(session, Term, organisation.id, term_id, "Dit begrip bestaat niet (meer).")


_DUPLICATE_TERM = "Dit begrip staat al in de lijst."


def _check_unique_term(session: Session, cycle_id: int, text: str, term: Term | None) -> None:
    terms = session.exec(select(Term.id, Term.term).where(Term.cycle_id == cycle_id)).all()
    if any(same_name(other, text) for id_, other in terms if term is None or id_ != term.id):
        raise Duplicate({"term": _DUPLICATE_TERM})


def create_term(session: Session, cycle: Cycle, data: TermCreate) -> Term:
    assert cycle.id is not None  # a stored cycle
    cycles_service.ensure_open(session, cycle.id)
    _check_unique_term(session, cycle.id, data.term, None)
    term = Term.model_validate(data, update={"cycle_id": cycle.id})
    session.add(term)
    flush_or_invalid(session, {"term": _DUPLICATE_TERM})
    cycles_service.step_started(session, cycle.id, 0)
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


# The table: who takes part in the theme's cycle, from which perspective


def list_table(session: Session, cycle: Cycle) -> Sequence[TableMember]:
    return session.exec(
        select(TableMember)
        .where(TableMember.cycle_id == cycle.id)
        .order_by(TableMember.perspective, func.lower(TableMember.name))
    ).all()


def get_table_member(session: Session, organisation: Organisation, member_id: int) -> TableMember:
    return tenancy.owned(
        session,
        TableMember,
        organisation.id,
        member_id,
        "Deze deelnemer aan tafel bestaat niet (meer).",
    )


def create_table_member(session: Session, cycle: Cycle, data: TableMemberCreate) -> TableMember:
    assert cycle.id is not None  # a stored cycle
    cycles_service.ensure_open(session, cycle.id)
    member = TableMember.model_validate(data, update={"cycle_id": cycle.id})
    session.add(member)
    cycles_service.step_started(session, cycle.id, 0)
    session.flush()
    return member


def update_table_member(
    session: Session, member: TableMember, data: TableMemberCreate
) -> TableMember:
    cycles_service.ensure_open(session, member.cycle_id)
    member.sqlmodel_update(data.model_dump())
    session.flush()
    return member


def delete_table_member(session: Session, member: TableMember) -> None:
    cycles_service.ensure_open(session, member.cycle_id)
    session.delete(member)
    session.flush()


def copy_table(session: Session, source: Cycle, target: Cycle) -> None:
    """The same people come to the table of the next cycle, until the facilitator says not."""
    for member in list_table(session, source):
        session.add(
            TableMember.model_validate(
                member.model_dump(exclude={"id", "cycle_id", "version"}),
                update={"cycle_id": target.id},
            )
        )


def perspectives_at_table(
    session: Session, cycle_ids: Iterable[int]
) -> dict[int, dict[Perspective, int]]:
    """Per cycle id: how many at its table speak from each perspective."""
    ids = list(cycle_ids)
    counts: dict[int, dict[Perspective, int]] = {cycle_id: {} for cycle_id in ids}
    if not ids:
        return counts
    for cycle_id, perspective, n in session.exec(
        select(col(TableMember.cycle_id), col(TableMember.perspective), func.count())
        .where(col(TableMember.cycle_id).in_(ids))
        .group_by(col(TableMember.cycle_id), col(TableMember.perspective))
    ).all():
        counts[cycle_id][perspective] = n
    return counts


def ambitions_of_cycles(session: Session, cycle_ids: Sequence[int]) -> dict[int, Ambition]:
    """Each cycle's ambition, by cycle id, for many cycles in one query (the report's reader)."""
    return {
        a.cycle_id: a
        for a in session.exec(select(Ambition).where(col(Ambition.cycle_id).in_(cycle_ids))).all()
    }


def progress_counts(session: Session, cycle_ids: Sequence[int]) -> dict[str, Counter[int]]:
    """The begrippen and ambitions each cycle has (for the progress overview)."""
    return {
        "term": counts_per_cycle(session, Term, cycle_ids),
        "ambition": counts_per_cycle(session, Ambition, cycle_ids),
    }
