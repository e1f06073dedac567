"""A session's live revision: one number that every change of what its screens show moves on.

Screens follow it (live.py): a projector re-renders when the revision it showed is no longer
the session's. Nothing has to remember to move it: every flush that adds, changes or deletes a
session, round, item, participant, vote or adoption bumps the revision of the sessions it
touched, in the same transaction (`_bump_on_flush`); the quick path of dots, which writes
without the ORM, bumps it itself (`bump`). An increment, not a sum of what is there: an edit
that keeps a text's length, or two rounds swapping places, moves it like any other change.

On PostgreSQL the bump locks the session's row until the commit, so two transactions of one
session bump it one after the other (never to the same number); the dots of a room go through
one writer per process in batches, so this costs a vote little. The sessions a transaction
changed are also noted for the NOTIFY after its commit (notify.py).
"""

from itertools import chain
from typing import Any

from sqlalchemy import Connection, bindparam, event, select, update
from sqlmodel import Session

from app.sessions import notify
from app.sessions.models import Adoption, LiveSession, Participant, Round, RoundItem, Vote

_session = LiveSession.__table__.c
_BUMP = (
    update(LiveSession.__table__)
    .where(_session.id.in_(bindparam("ids", expanding=True)))
    .values(revision=_session.revision + 1)
)
_READ = select(_session.revision).where(_session.id == bindparam("session_id"))
_round = Round.__table__.c
_SESSIONS_OF_ROUNDS = select(_round.session_id).where(
    _round.id.in_(bindparam("rounds", expanding=True))
)


def of(session: Session, session_id: int) -> int | None:
    """The session's revision now (None: the session is gone)."""
    return session.execute(_READ, {"session_id": session_id}).scalar_one_or_none()


def bump(connection: Connection, session_ids: set[int]) -> None:
    if session_ids:
        connection.execute(_BUMP, {"ids": sorted(session_ids)})


def _touched(session: Session) -> set[int]:
    sessions: set[int | None] = set()
    rounds: set[int | None] = set()
    dirty = (o for o in session.dirty if session.is_modified(o))
    for obj in chain(session.new, dirty, session.deleted):
        if isinstance(obj, LiveSession):
            sessions.add(obj.id)  # None while new: nobody follows it yet
        elif isinstance(obj, Round | Participant):
            sessions.add(obj.session_id)
        elif isinstance(obj, RoundItem | Vote | Adoption):
            rounds.add(obj.round_id)
    # A child made through its parent's relationship has no ids until the flush fills them in.
    ids = {r for r in rounds if r is not None}
    if ids:
        sessions.update(
            session.connection().execute(_SESSIONS_OF_ROUNDS, {"rounds": sorted(ids)}).scalars()
        )
    return {s for s in sessions if s is not None}


@event.listens_for(Session, "before_flush")
def _bump_on_flush(session: Session, _context: Any, _instances: Any) -> None:
    with session.no_autoflush:
        touched = _touched(session)
    if touched:
        bump(session.connection(), touched)
        notify.changed(session, touched)
