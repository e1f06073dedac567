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
3. the INSERT; the projectors learn of it after the commit, as of every change (notify.py).

The statements are built once, here, and run on the request's connection (Core, not the ORM):
building a statement and its cache key on every request cost more than running it.

Anything unusual (no such participant, a closed or expired session, a resent key, a round
that is not open, an item that is not a choice, the allowance used up) returns None and the
caller takes the full path, which finds the same and answers with its own messages. So the
rules live in one place (service.cast_dot); this module only decides that none of them
applies, and cannot accept a vote the full path would refuse.
"""

from sqlalchemy import and_, bindparam, func, insert, literal, select
from sqlmodel import Session

from app.errors import InvalidInput
from app.organisations.signin import digest
from app.sessions import notify
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

_session = LiveSession.__table__.c  # type: ignore[attr-defined]
_participant = Participant.__table__.c  # type: ignore[attr-defined]
_round = Round.__table__.c  # type: ignore[attr-defined]
_item = RoundItem.__table__.c  # type: ignore[attr-defined]
_vote = Vote.__table__  # type: ignore[attr-defined]

# 1. Who: the participant of this cookie in this running session with a valid code, locked.
_WHO = (
    select(_participant.id, _participant.session_id)
    .join(LiveSession.__table__, _session.id == _participant.session_id)  # type: ignore[attr-defined]
    .where(
        _participant.token_hash == bindparam("token_hash"),
        _session.join_code == bindparam("code"),
        _session.status != SessionStatus.CLOSED,
        _session.code_expires_at >= bindparam("now", type_=_session.code_expires_at.type),
    )
    .with_for_update(of=Participant.__table__)  # type: ignore[attr-defined]
)
# 2. What: the round, the item if it is a choice of that round, and the participant's dots.
_mine = _vote.c.participant_id == bindparam("participant")
_STATE = (
    select(
        _round.status,
        _round.kind,
        _round.dots,
        _round.several_per_item,
        _item.id,
        select(func.count())
        .where(_mine, _vote.c.round_id == bindparam("round"))
        .scalar_subquery()
        .label("used"),
        select(literal(1)).where(_mine, _vote.c.key == bindparam("key")).exists().label("again"),
        select(literal(1)).where(_mine, _vote.c.item_id == bindparam("item")).exists().label("on"),
    )
    .select_from(Round.__table__)  # type: ignore[attr-defined]
    .outerjoin(
        RoundItem.__table__,  # type: ignore[attr-defined]
        and_(
            _item.id == bindparam("item"),
            _item.round_id == _round.id,
            _item.hidden == False,  # noqa: E712
            _item.merged_into_id.is_(None),
        ),
    )
    .where(_round.id == bindparam("round"), _round.session_id == bindparam("session"))
)

# 3. The dot.
_INSERT = insert(_vote)


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
    connection = session.connection()  # the request's transaction
    now = utc_now()
    found = connection.execute(
        _WHO,
        {
            "token_hash": digest(f"participant:{token}"),
            "code": sessions_service.normalise_code(code),
            "now": now,
        },
    ).first()
    if found is None:
        return None
    participant_id, session_id = found[0], found[1]
    state = connection.execute(
        _STATE,
        {
            "participant": participant_id,
            "round": round_id,
            "item": item_id,
            "key": key,
            "session": session_id,
        },
    ).first()
    if state is None:
        return None
    status, kind, dots, several, item, used, again, on_item = state
    if (
        status != RoundStatus.OPEN
        or kind != RoundKind.DOTS
        or item is None
        or again
        or used >= dots
        or (on_item and not several)
    ):
        return None
    connection.execute(
        _INSERT,
        {
            "round_id": round_id,
            "item_id": item_id,
            "participant_id": participant_id,
            "key": key,
            "value": 1,
            "paper": False,
            "cast_at": now,
            "criterion": None,
        },
    )
    notify.changed(session, session_id)
    return sessions_service.Receipt(key, round_id, item_id, used + 1, dots)
