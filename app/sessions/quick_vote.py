"""The hot path of a live session: the dots of a whole room, written together.

`voting.cast_dot` behind `participant._joined` loads the session with its rounds, the
participant (twice: found, then locked), the round and the item as ORM objects and counts in
a query of its own: eleven statements, a transaction and a connection checkout per vote. In a
room of 500 phones (250 votes a second at the peak) that took a core, and on PostgreSQL the
transactions queued behind one another's commits.

So each app process has one writer per database: a request hands its dot over and waits for
the confirmation, and the writer takes every dot that arrived meanwhile in one transaction of
five statements (the participants of the batch, locked; their rounds; their items; what
they voted before; one INSERT of all new dots) and one commit. Under load the batch grows with
the queue; alone, a dot is a batch of one.

A batch's transaction costs about a millisecond of CPU whatever its size, a dot in it a few
percent of that. A room voting at a steady few hundred dots a second sends them one at a time,
so without help most batches held one dot and the writer alone took most of a core. So the
writer gathers (group commit, as PostgreSQL's commit_delay): when its last batch had company
(the room is busy), it waits GATHER_SECONDS for more before it begins; a lone dot (a quiet
room, a test) is written at once. The confirmations of a batch reach the event loop in one
wake-up, not one per dot.

A resent key (a phone that did not see its confirmation) gets the confirmation of the dot
stored under it, marked as a repeat, as the full path gives it. Anything unusual (no such
participant, a closed or expired session, a round that is not open, an item that is not a
choice, the allowance used up) gets None and the request takes the full path, which finds the
same and answers with its own messages. The rule
is one predicate (voting.dot_refusal) that both paths ask: this module takes a dot only when
it finds no refusal, so it cannot accept a vote the full path would refuse. Should the batch's
write fail (a dot of the full path with the same key got in first), every dot of it goes the
full path.

The participants' rows are locked for the transaction (PostgreSQL: FOR UPDATE; SQLite: the
writer holds the database's write lock, BEGIN IMMEDIATE, and takes its turn with the other
writes of this process), so two app processes never count one participant's allowance at
the same time.
"""

import asyncio
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from queue import SimpleQueue

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection, Engine, bindparam, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import Pool
from sqlmodel import Session

from app import db
from app.errors import InvalidInput
from app.secret_hashing import digest, normalise_code
from app.sessions import notify, revision, voting
from app.sessions.models import (
    LiveSession,
    Participant,
    Round,
    RoundItem,
    SessionStatus,
    Vote,
)
from app.tables import table_of, utc_now

BATCH_MAX = 200  # dots in one transaction at most
# How long a busy writer waits for more dots before it writes: a few milliseconds on a vote's
# time, against a transaction per dot (bench/README.md, "A live session").
GATHER_SECONDS = 0.005


_session = LiveSession.__table__.c
_participant = table_of(Participant).c
_round = Round.__table__.c
_item = table_of(RoundItem).c
_vote = table_of(Vote)

# The statements are built once: building one and its cache key per request cost more than
# running it.
# 1. Who: the participants of these cookies, in running sessions with a valid code, locked.
_WHO = (
    select(_participant.token_hash, _session.join_code, _participant.id, _participant.session_id)
    .join(LiveSession.__table__, _session.id == _participant.session_id)
    .where(
        _participant.token_hash.in_(bindparam("hashes", expanding=True)),
        _session.status != SessionStatus.CLOSED,
        _session.code_expires_at >= bindparam("now", type_=_session.code_expires_at.type),
    )
    .with_for_update(of=table_of(Participant))
)
# 2. The rounds voted in.
_ROUNDS = select(
    _round.id, _round.session_id, _round.status, _round.kind, _round.dots, _round.several_per_item
).where(_round.id.in_(bindparam("rounds", expanding=True)))
# 3. The items voted on that are choices (not hidden, not merged into another).
_ITEMS = select(_item.id, _item.round_id).where(
    _item.id.in_(bindparam("items", expanding=True)),
    _item.hidden == False,  # noqa: E712
    _item.merged_into_id.is_(None),
)
# 4. What these participants voted before: in these rounds, and under these keys.
_BEFORE = select(_vote.c.participant_id, _vote.c.round_id, _vote.c.item_id, _vote.c.key).where(
    _vote.c.participant_id.in_(bindparam("participants", expanding=True)),
    _vote.c.round_id.in_(bindparam("rounds", expanding=True))
    | _vote.c.key.in_(bindparam("keys", expanding=True)),
)
# 5. The new dots.
_INSERT = insert(_vote)


@dataclass
class Ballot:
    """One dot as a phone sent it, checked for form only."""

    code: str
    token_hash: str
    round_id: int
    item_id: int
    key: str
    answer: Future = field(default_factory=Future)
    # A request on an event loop waits here instead (cast_dot_waiting): the writer settles a
    # batch's waiters of one loop in one call.
    waiter: "asyncio.Future[voting.Receipt | None] | None" = None


def _number(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


def ballot(
    code: str, token: str, round_text: str | None, item_text: str | None, key_text: str | None
) -> Ballot | None:
    round_id, item_id = _number(round_text), _number(item_text)
    try:
        key = voting.check_key(key_text)
    except InvalidInput:
        return None
    if round_id is None or item_id is None:
        return None
    return Ballot(
        normalise_code(code),
        digest(f"participant:{token}"),
        round_id,
        item_id,
        key,
    )


Receipts = list[voting.Receipt | None]


def write(
    connection: Connection, ballots: Sequence[Ballot], now: datetime
) -> tuple[Receipts, set[int]]:
    """Store the dots that need no decision of the full path, in the connection's transaction:
    per ballot its confirmation or None, and the sessions that changed."""
    who = {
        (row[0], row[1]): (row[2], row[3])
        for row in connection.execute(
            _WHO, {"hashes": sorted({b.token_hash for b in ballots}), "now": now}
        )
    }
    found = [(b, who.get((b.token_hash, b.code))) for b in ballots]
    voters = [(b, person) for b, person in found if person is not None]
    if not voters:
        return [None] * len(ballots), set()
    participants = sorted({person[0] for _, person in voters})
    rounds_asked = sorted({b.round_id for b, _ in voters})
    rounds = {row[0]: row for row in connection.execute(_ROUNDS, {"rounds": rounds_asked})}
    items: dict[int, int] = dict(
        connection.execute(_ITEMS, {"items": sorted({b.item_id for b, _ in voters})}).all()
    )
    used: dict[tuple[int, int], int] = {}
    on_item: set[tuple[int, int]] = set()
    # Per (participant, key) the round and item of the dot stored under it: a resend.
    earlier: dict[tuple[int, str], tuple[int, int | None]] = {}
    for participant_id, round_id, item_id, key in connection.execute(
        _BEFORE,
        {
            "participants": participants,
            "rounds": rounds_asked,
            "keys": sorted({b.key for b, _ in voters}),
        },
    ):
        earlier[participant_id, key] = (round_id, item_id)
        if round_id in rounds:
            used[participant_id, round_id] = used.get((participant_id, round_id), 0) + 1
            on_item.add((participant_id, item_id))

    receipts: Receipts = []
    rows = []
    changed: set[int] = set()
    for b, person in found:
        receipt = None
        if person is not None:
            participant_id, session_id = person
            round_ = rounds.get(b.round_id)
            count = used.get((participant_id, b.round_id), 0)
            if (participant_id, b.key) in earlier:
                receipts.append(
                    _repeated(b.key, earlier[participant_id, b.key], rounds, used, participant_id)
                )
                continue
            if (
                voting.dot_refusal(
                    round_,
                    session_id,
                    items.get(b.item_id),
                    count,
                    (participant_id, b.item_id) in on_item,
                )
                is None
            ):
                assert round_ is not None
                used[participant_id, b.round_id] = count + 1
                on_item.add((participant_id, b.item_id))
                earlier[participant_id, b.key] = (b.round_id, b.item_id)
                changed.add(session_id)
                rows.append(
                    {
                        "round_id": b.round_id,
                        "item_id": b.item_id,
                        "participant_id": participant_id,
                        "key": b.key,
                        "value": 1,
                        "paper": False,
                        "cast_at": now,
                        "criterion": None,
                    }
                )
                receipt = voting.Receipt(b.key, b.round_id, b.item_id, count + 1, round_.dots)
        receipts.append(receipt)
    if rows:
        connection.execute(_INSERT, rows)
        revision.bump(connection, changed)
    return receipts, changed


def _repeated(
    key: str,
    stored: tuple[int, int | None],
    rounds: dict,
    used: dict[tuple[int, int], int],
    participant_id: int,
) -> voting.Receipt | None:
    """A resend (a phone that did not see its confirmation): the confirmation of the dot stored
    under its key, as voting.cast_dot gives it, when this batch read that dot's round; else
    None and the full path answers."""
    round_id, item_id = stored
    if (round_ := rounds.get(round_id)) is None:
        return None
    count = used.get((participant_id, round_id), 0)
    return voting.Receipt(key, round_id, item_id, count, round_.dots, repeated=True)


class _Writer:
    """One thread per database and process that writes the dots handed to it, in batches."""

    def __init__(self, bind: Engine) -> None:
        self.bind = db.writer_of(bind)
        # None: stop once every dot before it is written (close()).
        self.queue: SimpleQueue[Ballot | None] = SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="kompas-dots", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        closing = busy = False
        while not closing:
            first = self.queue.get()
            if first is None:
                return
            taken = [first]
            closing = self._take(taken)
            if busy and not closing and len(taken) < BATCH_MAX:
                _gather()
                closing = self._take(taken)
            busy = len(taken) > 1
            # A dot whose request was cancelled meanwhile (a stop's timeout) is left out: never
            # confirmed, the phone resends it. The others can no longer be cancelled.
            batch = [one for one in taken if one.answer.set_running_or_notify_cancel()]
            if not batch:
                continue
            try:
                answers: list[voting.Receipt | BaseException | None] = list(self._write(batch))
            except DBAPIError:  # e.g. a key the full path stored meanwhile: it decides each
                answers = [None] * len(batch)
            except BaseException as exc:  # the requests answer with the error, never hang
                answers = [exc] * len(batch)
            _settle(batch, answers)

    def _take(self, taken: list[Ballot]) -> bool:
        """Add what is queued to `taken`, up to BATCH_MAX; True when close() asked to stop."""
        while len(taken) < BATCH_MAX and not self.queue.empty():
            one = self.queue.get()
            if one is None:
                return True
            taken.append(one)
        return False

    def _write(self, batch: list[Ballot]) -> Receipts:
        # On SQLite the transaction takes the process's write turn at its BEGIN (db._WriteTurn).
        with self.bind.connect() as connection, connection.begin():
            receipts, changed = write(connection, batch, utc_now())
        notify.committed(self.bind, changed)
        return receipts


def _gather() -> None:
    """A busy writer's pause for more dots (a function of its own, for the tests to see)."""
    time.sleep(GATHER_SECONDS)


def _settle(batch: list[Ballot], answers: "list[voting.Receipt | BaseException | None]") -> None:
    """Answer each dot: its Future, and the waiters of each event loop in one call."""
    waiting: dict[asyncio.AbstractEventLoop, list] = {}
    for one, answer in zip(batch, answers, strict=True):
        if isinstance(answer, BaseException):
            one.answer.set_exception(answer)
        else:
            one.answer.set_result(answer)
        if one.waiter is not None:
            waiting.setdefault(one.waiter.get_loop(), []).append((one.waiter, answer))
    for loop, settled in waiting.items():
        loop.call_soon_threadsafe(_wake, settled)


def _wake(settled: list) -> None:
    """On the event loop: the waiters of one batch, answered (a cancelled one is left)."""
    for waiter, answer in settled:
        if waiter.done():
            continue
        if isinstance(answer, BaseException):
            waiter.set_exception(answer)
        else:
            waiter.set_result(answer)


_writers: dict[Pool, _Writer] = {}
_writers_lock = threading.Lock()  # a dot is never handed to a writer that is closing


def submit(bind: Engine, one: Ballot) -> Future:
    with _writers_lock:
        writer = _writers.get(bind.pool)
        if writer is None:
            writer = _writers[bind.pool] = _Writer(bind)
        writer.queue.put(one)
    return one.answer


def close(timeout: float) -> bool:
    """Write every dot handed over so far and stop the writers (a process stopping,
    app/stopping.py); a dot after this gets a new writer. False if one did not finish within
    `timeout` seconds (its transaction is then cut off with the process: never confirmed)."""
    with _writers_lock:
        closing = list(_writers.values())
        _writers.clear()
        for writer in closing:
            writer.queue.put(None)
    deadline = time.monotonic() + timeout
    for writer in closing:
        writer.thread.join(max(0.0, deadline - time.monotonic()))
    return not any(writer.thread.is_alive() for writer in closing)


def cast_dot(
    session: Session,
    code: str,
    token: str,
    round_text: str | None,
    item_text: str | None,
    key_text: str | None,
) -> voting.Receipt | None:
    """The confirmation of a new dot, or None when the full path must decide."""
    one = ballot(code, token, round_text, item_text, key_text)
    if one is None:
        return None
    if isinstance(session.bind, Engine):  # a request's own session: the writer stores it
        return submit(session.bind, one).result()
    return _write_in(session, one)


async def cast_dot_waiting(
    session: Session,
    code: str,
    token: str,
    round_text: str | None,
    item_text: str | None,
    key_text: str | None,
) -> voting.Receipt | None:
    """cast_dot for a route on the event loop: it waits for the writer without holding a
    thread of the pool."""
    one = ballot(code, token, round_text, item_text, key_text)
    if one is None:
        return None
    if isinstance(session.bind, Engine):
        one.waiter = asyncio.get_running_loop().create_future()
        submit(session.bind, one)
        try:
            return await one.waiter
        except asyncio.CancelledError:
            one.answer.cancel()  # left out unless the writer has taken it already
            raise
    return await run_in_threadpool(_write_in, session, one)


def _write_in(session: Session, one: Ballot) -> voting.Receipt | None:
    """A session on a connection of its own (the tests' transaction): write in it, and commit
    as the writer would."""
    receipts, changed = write(session.connection(), [one], utc_now())
    session.commit()
    notify.committed(session.get_bind().engine, changed)
    return receipts[0]
