"""How a round's votes become its results, overall and per perspective (so that no group
quietly dominates), as anyone may see them: the results interface of the sessions package.

`outcome(session, round_)` gives a round's `tally.Outcome`: its rows (a choice each, with its
score, rank and per-perspective scores) in order. Each werkvorm counts by its own rule
(werkvormen/<kind>.py, described there); per-perspective figures of groups smaller than the
session's `min_group_size` are left out here (`shielded`).
"""

from dataclasses import replace

from sqlalchemy import bindparam
from sqlmodel import Session, func, select

from app.choices import Perspective
from app.sessions import running, werkvormen
from app.sessions.models import LiveSession, Participant, Round
from app.sessions.tally import PERSPECTIVES, Outcome, Row
from app.tables import row_id

__all__ = ["PERSPECTIVES", "Outcome", "Row", "attendance", "meanings", "outcome", "shielded"]


def attendance(session: Session, live: LiveSession) -> dict[Perspective, int]:
    """The session's participants per perspective. With a round on screen, its outcome's
    `present` holds the same count."""
    return _present(session, row_id(live))


# The live screens' counts, built once: the projector counts up to five times a second, and
# building a statement costs more than running it.
_PRESENT = (
    select(Participant.perspective, func.count())
    .where(Participant.session_id == bindparam("session_id"))
    .group_by(Participant.perspective)
)


def _present(session: Session, session_id: int) -> dict[Perspective, int]:
    counts = dict(session.exec(_PRESENT, params={"session_id": session_id}).all())
    return {p: counts.get(p, 0) for p in PERSPECTIVES}


def outcome(session: Session, round_: Round) -> Outcome:
    """The round's outcome as anyone may see it: per perspective only for groups of at least
    the session's `min_group_size` (the projector, control screen, verslag and API alike)."""
    minimum = session.exec(
        select(LiveSession.min_group_size).where(LiveSession.id == round_.session_id)
    ).one()
    return shielded(_outcome(session, round_), minimum)


def shielded(outcome: Outcome, minimum: int) -> Outcome:
    """Per-perspective figures only for perspectives with at least `minimum` participants in
    the round; a smaller group's figures are left out (they still count in the total)."""
    small = frozenset(p for p, n in outcome.voters.items() if 0 < n < minimum)
    if not small:
        return replace(outcome, minimum_group=minimum)
    rows = [
        replace(
            row, per_perspective={p: v for p, v in row.per_perspective.items() if p not in small}
        )
        for row in outcome.rows
    ]
    return replace(outcome, rows=rows, hidden=small, minimum_group=minimum)


def _outcome(session: Session, round_: Round) -> Outcome:
    items = running.items_of(session, round_)
    present = _present(session, round_.session_id)
    return werkvormen.of(round_.kind).count(session, round_, items, present)


def meanings(outcome: Outcome) -> list[tuple[str, list[str]]]:
    """Begrip: what the term means, in the words of each perspective; the words of groups too
    small to show apart together, under no perspective's name."""
    found: dict[Perspective, list[str]] = {p: [] for p in PERSPECTIVES}
    folded: list[str] = []
    for row in outcome.rows:
        for item in [row.item, *row.members]:
            perspective = item.perspective or Perspective.OTHER
            (folded if perspective in outcome.hidden else found[perspective]).append(item.text)
    groups = [(p.label, texts) for p, texts in found.items() if texts]
    return groups + ([("Kleinere groepen samen", folded)] if folded else [])
