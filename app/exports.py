"""How many exports one process makes at once, and where the others wait their turn.

An export (the council report as PDF, Word or Excel, the A4 summary, paper ballots, and
publishing a definitive version, which makes the report's files) takes seconds of CPU and,
while it is being made, memory that grows with the report: the whole organisation's PDF
takes about 85 MiB at 1x and 1.3 GiB at 16x. Six at once took a server
from 0.3 to 0.75 GiB. So a process makes at most `capacity` exports at a time
(`KOMPAS_MAX_CONCURRENT_EXPORTS`). This is a gate of its own, in front of the admission gate
(app/admission.py) and smaller than it.

How a person waits: an export link opens a page (templates/export.html) whose meta refresh
asks for the file at the page's address plus `/bestand`. That request waits here, on the
event loop, in ticket order. While it waits it holds no admission place, no database
connection and no thread. When its turn comes, it goes on to the admission gate and to the
route that makes the file. If its turn has not come within `patience`, it is sent back to
the page (303). The page shows its place in line and asks again at once. So the page stays
up to date without any script.

The ticket records when the person first asked and is signed with the secret key. It travels
in the address (`?rij=`), so a request keeps its place when it comes back, and on another
worker process it still counts from that moment. Between requests a process remembers only
which tickets are on their way between page and gate, and keeps their places for them for
AWAY_SECONDS, so that nobody later slips in meanwhile and the place shown only goes down. The
file itself is made in the request that fetches it: no job lives in a process's memory, and
a restart or another worker loses nothing but that moment's order.
"""

import asyncio
import gc
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

import anyio.from_thread
import anyio.to_thread
from fastapi import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app import metrics
from app.admission import answer_busy
from app.config import settings
from app.secret_hashing import digest, same
from app.templating import render

FILE_SUFFIX = "/bestand"  # every export's file lives at its page's address plus this
TICKET_PARAM = "rij"
# How long a file request waits before its page shows the place in line again.
UPDATE_SECONDS = 5.0
# An older ticket (a bookmarked address, say) gets a new place at the back of the line.
TICKET_SECONDS = 3600
# How long a place is kept for a ticket on its way between its page and the gate (normally
# milliseconds; a closed page lets its place go after this).
AWAY_SECONDS = 2.0


@dataclass(frozen=True, order=True)
class Ticket:
    """When someone asked for an export: the line's order."""

    issued_ns: int

    @classmethod
    def new(cls) -> "Ticket":
        return cls(time.time_ns())

    @classmethod
    def read(cls, text: str | None) -> "Ticket | None":
        """The ticket in an address, or None when it is missing, forged or too old."""
        issued, _, mac = (text or "").partition(".")
        try:
            ticket = cls(int(issued, 16))
        except ValueError:
            return None
        age = time.time_ns() - ticket.issued_ns
        if not same(mac, ticket._mac()) or not 0 <= age <= TICKET_SECONDS * 1e9:
            return None
        return ticket

    def _mac(self) -> str:
        return digest(f"export-ticket:{self.issued_ns}")[:24]

    def __str__(self) -> str:
        return f"{self.issued_ns:x}.{self._mac()}"


@dataclass(eq=False)
class _Waiter:
    ticket: Ticket
    turn: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class ExportLine:
    """The export places of one process, and the line for them in ticket order: the requests
    waiting here, and the tickets on their way between the page and the gate, whose places are
    kept for them for AWAY_SECONDS. Runs on the event loop only."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.running = 0
        self._waiting: list[_Waiter] = []
        self._away: dict[Ticket, float] = {}  # until when (loop time) a place is kept
        self._recheck: asyncio.TimerHandle | None = None

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def coming(self, ticket: Ticket) -> int | None:
        """The ticket's page was shown and its file will be asked for: keep its place. Its
        place in line (1: next), or None when a place is free for it."""
        self._away[ticket] = asyncio.get_running_loop().time() + AWAY_SECONDS
        ahead = sum(other < ticket for other, _ in self._line())
        free = self.capacity - self.running
        return None if ahead < free else ahead - free + 1

    async def turn(self, ticket: Ticket, patience: float | None) -> bool:
        """Take a place, waiting up to `patience` seconds (None: as long as it takes); False
        if it did not come (the ticket keeps its place while it goes to its page and back)."""
        self._away.pop(ticket, None)
        waiter = _Waiter(ticket)
        self._waiting.append(waiter)
        self._waiting.sort(key=lambda w: w.ticket)
        self._hand_out()
        try:
            await asyncio.wait_for(asyncio.shield(waiter.turn), patience)
        except TimeoutError:
            if waiter.turn.done():  # the place came as the wait ended: take it
                return True
            self._waiting.remove(waiter)
            self._away[ticket] = asyncio.get_running_loop().time() + AWAY_SECONDS
            return False
        except asyncio.CancelledError:
            if waiter.turn.done():
                self.leave()  # given a place nobody will use: hand it on
            else:
                self._waiting.remove(waiter)
            raise
        return True

    def leave(self) -> None:
        """Give a place back; it goes to the earliest ticket."""
        self.running -= 1
        self._hand_out()

    def _line(self) -> list[tuple[Ticket, _Waiter | None]]:
        now = asyncio.get_running_loop().time()
        self._away = {ticket: until for ticket, until in self._away.items() if until > now}
        line = [(w.ticket, w) for w in self._waiting] + [(t, None) for t in self._away]
        return sorted(line, key=lambda entry: entry[0])

    def _hand_out(self) -> None:
        """The free places to the earliest tickets: at once to those waiting here; kept for
        those on their way until they come or their time is up."""
        while (free := self.capacity - self.running) > 0:
            first = [waiter for _, waiter in self._line()[:free] if waiter is not None]
            if not first:
                break
            for waiter in first:
                self._waiting.remove(waiter)
                self.running += 1
                waiter.turn.set_result(None)
        if self._recheck is not None:
            self._recheck.cancel()
            self._recheck = None
        if self.running < self.capacity and self._away:
            loop = asyncio.get_running_loop()
            self._recheck = loop.call_at(min(self._away.values()), self._hand_out)


class ExportGate:
    """Lets a request that makes files through when the process has a place for it: a GET of
    an export's file (a path ending in FILE_SUFFIX; see the module's docstring), or a POST to
    one of the `held` paths (publishing a report makes its files in that request). A form's
    POST cannot be sent again by a page's refresh, so it waits here until its turn, however
    long, holding nothing; the person sees the browser loading meanwhile."""

    def __init__(
        self,
        app: ASGIApp,
        line: ExportLine,
        patience: float = UPDATE_SECONDS,
        held: Sequence[re.Pattern[str]] = (),
    ) -> None:
        self.app = app
        self.line = line
        self.patience = patience
        self.held = held

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
        elif scope["path"].endswith(FILE_SUFFIX):
            await self._file(scope, receive, send)
        elif scope["method"] == "POST" and any(p.match(scope["path"]) for p in self.held):
            with metrics.EXPORTS.labels("waiting").track_inprogress():
                await self.line.turn(Ticket.new(), patience=None)
            await self._make(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _file(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = parse_qsl(scope["query_string"].decode("latin-1"))
        ticket = Ticket.read(dict(query).get(TICKET_PARAM)) or Ticket.new()
        if self.line.waiting >= settings.admission_queue_limit:
            await answer_busy(scope, send)  # tries this address again in a few seconds
            return
        with metrics.EXPORTS.labels("waiting").track_inprogress():
            turned = await self.line.turn(ticket, self.patience)
        if not turned:
            page = scope["path"].removesuffix(FILE_SUFFIX) + "?" + _with_ticket(query, ticket)
            await send(
                {
                    "type": "http.response.start",
                    "status": 303,
                    "headers": [
                        (b"location", page.encode("latin-1")),
                        (b"content-length", b"0"),
                        (b"cache-control", b"no-store"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        await self._make(scope, receive, send)

    async def _make(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The request, in the place it was given; then the place goes to the next."""
        try:
            with metrics.EXPORTS.labels("running").track_inprogress():
                await self.app(scope, receive, send)
        finally:
            try:
                # An export leaves its objects in reference cycles (the whole organisation's
                # PDF: some 220,000 at 1x), which the collector as tuned for pages
                # (main._tune_garbage_collection) would keep through several more exports.
                # Free them before the next export starts: it costs what it would cost
                # whenever it ran (bench/council_report.py: 0.5-1 s at 1x, 4-8 s at 16x).
                await anyio.to_thread.run_sync(gc.collect)
            finally:
                self.line.leave()


def _with_ticket(query: list[tuple[str, str]], ticket: Ticket) -> str:
    return urlencode([(k, v) for k, v in query if k != TICKET_PARAM] + [(TICKET_PARAM, ticket)])


def export_page(
    request: Request,
    *,
    label: str,
    scope: str,
    crumbs: list[tuple[str, str]],
    back: tuple[str, str],
    nav: str,
) -> Response:
    """The page that fetches an export's file (its own address plus FILE_SUFFIX, with the
    person's ticket) and, while the file waits its turn, shows the place in line.
    `back` is the link back (its text and address), `nav` the menu item that is current."""
    line: ExportLine = request.app.state.exports
    ticket = Ticket.read(request.query_params.get(TICKET_PARAM)) or Ticket.new()
    query = _with_ticket(list(request.query_params.multi_items()), ticket)
    place = anyio.from_thread.run_sync(line.coming, ticket)  # the line lives on the event loop
    return render(
        request,
        "export.html",
        {
            "label": label,
            "scope": scope,
            "crumbs": [*crumbs, (label, "")],
            "file_url": f"{request.url.path}{FILE_SUFFIX}?{query}",
            "place": place,
            "capacity": line.capacity,
            "back": back,
            "nav": nav,
        },
    )
