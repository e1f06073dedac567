"""A round's timer. Its end is stored when the round opens, so the projector and every phone
show the same end time (a page without JavaScript shows the time itself; a script counts down
to it). A round that closes itself is closed by the server, never by a browser: the live hub
of any process that follows the session (a projector, a control screen or a phone holds its
stream) wakes at the end and closes it (live.py). The closing is one conditional UPDATE, so
processes that race to close a round close it once."""

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col

from app.sessions import notify, revision
from app.sessions.models import LiveSession, Round, RoundStatus
from app.tables import utc_now


def start(round_: Round, now: datetime) -> None:
    """Set the end as the round opens: on its first start, or on a resume after its time ran
    out (a pause does not stop the clock)."""
    if round_.minutes and (round_.ends_at is None or round_.ends_at <= now):
        round_.ends_at = now + timedelta(minutes=round_.minutes)


def next_end(live: LiveSession) -> datetime | None:
    """The soonest end of an open round that closes itself (`live.rounds` loaded)."""
    ends = [
        r.ends_at
        for r in live.rounds
        if r.status is RoundStatus.OPEN and r.closes_itself and r.ends_at is not None
    ]
    return min(ends, default=None)


def expired(live: LiveSession, now: datetime | None = None) -> bool:
    end = next_end(live)
    return end is not None and end <= (now or utc_now())


def close_expired(session: Session, live_id: int) -> int:
    """Close the session's open rounds whose time is up and that close themselves; their
    closing time is their end time. Returns how many closed."""
    result = session.execute(
        update(Round)
        .where(
            col(Round.session_id) == live_id,
            col(Round.status) == RoundStatus.OPEN,
            col(Round.closes_itself).is_(True),
            col(Round.ends_at) <= utc_now(),
        )
        # a change a client sees: a new `versie` and ETag, as the ORM's flush would give
        # (tables.Revised)
        .values(
            status=RoundStatus.CLOSED,
            closed_at=col(Round.ends_at),
            shown_version=col(Round.shown_version) + 1,
        )
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount:  # type: ignore[attr-defined]
        # written without the ORM's flush, so the revision is moved on here (as the quick
        # path of dots does)
        revision.bump(session.connection(), {live_id})
        notify.changed(session, {live_id})
    return result.rowcount  # type: ignore[attr-defined]
