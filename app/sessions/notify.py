"""Telling every app process that a session changed (PostgreSQL NOTIFY), after the commit.

A NOTIFY sent inside a write transaction makes PostgreSQL (up to 16 at least) take a lock that
every other notifying transaction waits for until the commit, WAL flush included, is done. With
a NOTIFY in every vote the votes of a full room committed one by one: at 250 votes a second
they queued for seconds. So a write only notes which sessions it changed; once it has committed,
a thread of this process sends one NOTIFY per changed session for all the writes of the last
`WINDOW` seconds, outside any vote's transaction. A screen re-renders at most every 0.2 s
anyway (live.MIN_INTERVAL), and a write that is rolled back wakes nobody.

SQLite runs in one process whose screens poll the session's revision: nothing to send.
"""

import logging
import threading
import time

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

log = logging.getLogger("kompas.sessions")

CHANNEL = "kompas_sessies"
WINDOW = 0.05  # seconds: the writes of this window share one notification per session
THREAD = "kompas-notify"
_CHANGED = "kompas_changed_sessions"  # Session.info key: sessions this transaction changed
_SEND = text("SELECT pg_notify(:channel, CAST(s AS text)) FROM unnest(CAST(:ids AS integer[])) s")


def changed(session: Session, session_ids: set[int]) -> None:
    """Note that this transaction changed these sessions; their screens wake after the commit."""
    if session.get_bind().dialect.name == "postgresql":
        session.info.setdefault(_CHANGED, set()).update(session_ids)


class Sender:
    """Collects changed sessions from committed transactions; one thread sends them."""

    def __init__(self) -> None:
        # Per database (its pool: every request binds an engine object of its own), the engine
        # to send through and the sessions to wake.
        self._pending: dict[Pool, tuple[Engine, set[int]]] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, engine: Engine, session_ids: set[int]) -> None:
        with self._lock:
            self._pending.setdefault(engine.pool, (engine, set()))[1].update(session_ids)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=THREAD, daemon=True)
                self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            time.sleep(WINDOW)
            self._wake.clear()
            self.flush()

    def flush(self) -> None:
        """Send what is pending now (also when the process stops, app/stopping.py)."""
        with self._lock:
            pending, self._pending = self._pending, {}
        for engine, session_ids in pending.values():
            try:
                with engine.connect() as connection:
                    connection.execute(_SEND, {"channel": CHANNEL, "ids": sorted(session_ids)})
                    connection.commit()
            except Exception:  # the screens' safety poll (live.SAFETY_POLL) catches up
                log.warning("Could not notify sessions %s", session_ids, exc_info=True)


_sender = Sender()


def flush() -> None:
    """Send every pending notification now: a process stopping has written its last votes."""
    _sender.flush()


def committed(bind: Engine, session_ids: set[int]) -> None:
    """Wake the screens of these sessions: a write outside any Session has committed."""
    if session_ids and bind.dialect.name == "postgresql":
        _sender.add(bind.engine, session_ids)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session_ids := session.info.pop(_CHANGED, None):
        _sender.add(session.get_bind().engine, session_ids)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)
