"""The hot path of a live session: one dot from a phone, in three statements.

`service.cast_dot` behind `participant._joined` loads the session with its rounds, the
participant (twice: found, then locked), the round and the item as ORM objects and counts in
a query of its own: eleven statements and about 4 ms of CPU per vote on a 2-core machine,
more than the rest of the request. In a room of 500 phones (250 votes a second at the peak)
that alone would take a whole core. Here the usual case runs on plain rows:

1. the participant of this cookie in this session, if it is running and its code valid,
   locked for the rest of the transaction (PostgreSQL: FOR UPDATE; SQLite: the request
   already holds the write lock, BEGIN IMMEDIATE), so that two votes of one phone never
   count their allowance at the same time;
2. the round, the item and the participant's dots in it, and whether the key came before;
3. the INSERT (and on PostgreSQL the NOTIFY that wakes the projectors, as every change does).

Anything unusual (no such participant, a closed or expired session, a resent key, a round
that is not open, an item that is not a choice, the allowance used up) returns None and the
caller takes the full path, which finds the same and answers with its own messages. So the
rules live in one place (service.cast_dot); this module only decides that none of them
applies, and cannot accept a vote the full path would refuse.
"""

from sqlalchemy import and_, func, insert, literal, select
from sqlmodel import Session, col

from app.errors import InvalidInput
from app.organisations.signin import digest
from app.sessions import service as sessions_service
from app.sessions.models import (
    LiveSession,
    Participant,
    Round,
    RoundItem,
    RoundKind,
    RoundStatus,
    SessionStatus,
    Vote,
)
from app.tables import utc_now


def _number(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


def cast_dot(
    session: Session,
    code: str,
    token: str,
    round_text: str | None,
    item_text: str | None,
    key_text: str | None,
) -> sessions_service.Receipt | None:
    """The confirmation of a new dot, or None when the full path must decide."""
    round_id, item_id = _number(round_text), _number(item_text)
    try:
        key = sessions_service.check_key(key_text)
    except InvalidInput:
        return None
    if round_id is None or item_id is None:
        return None
    now = utc_now()
    found = session.execute(
        select(Participant.id, Participant.session_id)
        .join(LiveSession, col(LiveSession.id) == Participant.session_id)
        .where(
            Participant.token_hash == digest(f"participant:{token}"),
            LiveSession.join_code == sessions_service.normalise_code(code),
            LiveSession.status != SessionStatus.CLOSED,
            LiveSession.code_expires_at >= now,
        )
        .with_for_update(of=Participant)  # type: ignore[arg-type]
    ).first()
    if found is None:
        return None
    participant_id, session_id = found
    mine = Vote.participant_id == participant_id
    used = select(func.count()).where(mine, Vote.round_id == round_id).scalar_subquery()
    earlier = select(literal(1)).where(mine, Vote.key == key).exists()
    on_item = select(literal(1)).where(mine, Vote.item_id == item_id).exists()
    state = session.execute(
        select(
            Round.status,
            Round.kind,
            Round.dots,
            Round.several_per_item,
            RoundItem.id,
            used,
            earlier,
            on_item,
        )
        .outerjoin(
            RoundItem,
            and_(
                RoundItem.id == item_id,
                RoundItem.round_id == Round.id,
                RoundItem.hidden == False,  # noqa: E712
                col(RoundItem.merged_into_id).is_(None),
            ),
        )
        .where(Round.id == round_id, Round.session_id == session_id)
    ).first()
    if state is None:
        return None
    status, kind, dots, several, item, used_now, repeated, taken = state
    if (
        status != RoundStatus.OPEN
        or kind != RoundKind.DOTS
        or item is None
        or repeated
        or used_now >= dots
        or (taken and not several)
    ):
        return None
    session.execute(
        insert(Vote).values(
            round_id=round_id,
            item_id=item_id,
            participant_id=participant_id,
            key=key,
            value=1,
            paper=False,
            cast_at=now,
        )
    )
    sessions_service.changed(session, session_id)
    return sessions_service.Receipt(key, round_id, item_id, used_now + 1, dots)
