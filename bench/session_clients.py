"""The session benchmark's clients over HTTP, as the pages use the app (see app/sessions/
__init__.py for the participant flow): phones that join and vote, the projector that follows
the live results (the facilitator who looks at the control screen and a step page is in
bench/facilitator.py).

All phones share one HTTP/1.1 keep-alive pool; each carries its own cookie by hand, so the
pool's cookie jar is switched off (500 cookies in a jar would cost the load generator CPU on
every request and would mix the phones up).
"""

import asyncio
import http.cookiejar
import json
import re
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx

from app.auth import PRE_SESSION_COOKIE
from app.sessions.participant import PARTICIPANT_COOKIE

# The yardstick route of bench/session_app.py.
BARE_PATH = "/bench/invoegen"
PERSPECTIVES = ("municipality", "provider", "resident", "other")
_FORM_TOKEN = re.compile(r'name="_csrf" value="([^"]+)"')
_PAGE_TOKEN = re.compile(r'<meta name="kompas-csrf" content="([^"]+)"')
# The projector's results table: one bar value per choice ("1.234" in Dutch notation).
_RESULTS_TABLE = re.compile(r"<table[^>]*kompas-results.*?</table>", re.S)
_BAR_VALUE = re.compile(r'class="kompas-bar__value">([\d.]+)<')


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    def set_ok(self, cookie, request) -> bool:  # type: ignore[override]
        return False


def pool(base_url: str, connections: int) -> httpx.AsyncClient:
    """One keep-alive pool for many phones: no cookie jar, no proxy lookups."""
    return httpx.AsyncClient(
        base_url=base_url,
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
        timeout=httpx.Timeout(60),
        cookies=http.cookiejar.CookieJar(policy=_NoCookies()),
        trust_env=False,
    )


class Failed(RuntimeError):
    pass


class VotePool:
    """Votes and bare inserts over plain HTTP/1.1 keep-alive connections.

    httpx spends 1.5-2 ms of CPU on a request, about as much as the server spends on a vote:
    at 250 votes a second the load generator took a whole core itself and sent votes late,
    which counted as the server's latency. These requests are all alike (a small form POST
    answered with a small JSON body and a Content-Length), so they need no general client.
    A broken or closed connection raises httpx.RemoteProtocolError, as httpx would, so the
    callers' resend logic stays the same. Joins, the projector and the facilitator use httpx.
    """

    def __init__(self, base_url: str, size: int) -> None:
        url = httpx.URL(base_url)
        self.base_url = base_url
        self.host, self.port = url.host, url.port or 80
        self.size = size
        self.opened = 0
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.free = asyncio.Condition()

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bool]:
        """A connection, and whether it was used before (the server may have closed it)."""
        async with self.free:
            await self.free.wait_for(lambda: self.idle or self.opened < self.size)
            while self.idle:
                reader, writer = self.idle.pop()
                if not reader.at_eof():
                    return reader, writer, True
                writer.close()  # closed by the server while idle
                self.opened -= 1
            self.opened += 1
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
            return reader, writer, False
        except OSError as exc:
            await self._lost()
            raise httpx.ConnectError(str(exc)) from None

    async def _lost(self) -> None:
        async with self.free:
            self.opened -= 1
            self.free.notify()

    async def _back(self, connection: tuple[asyncio.StreamReader, asyncio.StreamWriter]) -> None:
        async with self.free:
            self.idle.append(connection)
            self.free.notify()

    async def post(
        self, path: str, form: dict[str, str], headers: dict[str, str]
    ) -> tuple[int, bytes]:
        body = urlencode(form).encode()
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        return await self._send(
            (
                f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n{head}\r\n"
            ).encode()
            + body
        )

    async def get(self, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
        """A page (answered with a Content-Length, as the app's pages are)."""
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        return await self._send(
            f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{head}\r\n".encode()
        )

    async def _send(self, request: bytes) -> tuple[int, bytes]:
        reader, writer, reused = await self._connection()
        try:
            writer.write(request)
            status_line = await reader.readline()
            if not status_line and reused:
                # Closed by the server as it went idle, before this request reached it: as
                # httpx does, send it once more on a new connection.
                writer.close()
                await self._lost()
                return await self._send(request)
            if not status_line:
                raise ConnectionResetError("closed by the server")
            status = int(status_line.split()[1])
            length, close = 0, False
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection":
                    close = value.strip().lower() == b"close"
            data = await reader.readexactly(length)
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
            writer.close()
            await self._lost()
            raise httpx.RemoteProtocolError(f"{type(exc).__name__}: {exc}") from None
        except BaseException:
            writer.close()
            await self._lost()
            raise
        if close:
            writer.close()
            await self._lost()
        else:
            await self._back((reader, writer))
        return status, data

    async def __aenter__(self) -> "VotePool":
        return self

    async def __aexit__(self, *exc: object) -> None:
        for _, writer in self.idle:
            writer.close()


def _expect(response: httpx.Response, status: int) -> httpx.Response:
    if response.status_code != status:
        raise Failed(
            f"{response.request.method} {response.request.url.path} answered "
            f"{response.status_code} (expected {status}): {response.text[:300]}"
        )
    return response


@dataclass
class Phone:
    """One participant: their cookie and the token their page's forms carry."""

    number: int
    cookie: str = ""
    csrf: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {
            "Cookie": f"{PARTICIPANT_COOKIE}={self.cookie}",
            "X-CSRF-Token": self.csrf,
            "Accept": "application/json",
        }


async def join(client: httpx.AsyncClient, code: str, phone: Phone) -> None:
    """Open the join page, choose a perspective, land on the round page (three requests)."""
    base = f"/doe-mee/{code}"
    page = _expect(await client.get(base), 200)
    pre_session = page.cookies.get(PRE_SESSION_COOKIE)
    token = _FORM_TOKEN.search(page.text)
    if pre_session is None or token is None:
        raise Failed("The join page set no pre-session cookie or form token.")
    joined = _expect(
        await client.post(
            base,
            data={
                "_csrf": token.group(1),
                "perspectief": PERSPECTIVES[phone.number % len(PERSPECTIVES)],
                "naam": f"Deelnemer {phone.number}" if phone.number % 3 == 0 else "",
            },
            headers={"Cookie": f"{PRE_SESSION_COOKIE}={pre_session}"},
        ),
        303,
    )
    cookie = joined.cookies.get(PARTICIPANT_COOKIE)
    if cookie is None:
        raise Failed("Joining set no participant cookie.")
    phone.cookie = cookie
    round_page = _expect(
        await client.get(f"{base}/ronde", headers={"Cookie": f"{PARTICIPANT_COOKIE}={cookie}"}),
        200,
    )
    page_token = _PAGE_TOKEN.search(round_page.text)
    if page_token is None:
        raise Failed("The round page carries no form token.")
    phone.csrf = page_token.group(1)


def new_key() -> str:
    return str(uuid.uuid4())


async def vote(
    client: "httpx.AsyncClient | VotePool",
    code: str,
    phone: Phone,
    round_id: int,
    item: int,
    key: str,
) -> dict:
    """One dot; the server's confirmation (JSON) or Failed."""
    if isinstance(client, VotePool):
        path = f"/doe-mee/{code}/stemmen"
        form = {"ronde": str(round_id), "keuze": str(item), "sleutel": key}
        status, data = await client.post(path, form, phone.headers)
        if status != 200:
            raise Failed(f"POST {path} answered {status} (expected 200): {data[:300]!r}")
        return json.loads(data)
    response = await client.post(
        f"/doe-mee/{code}/stemmen",
        data={"ronde": str(round_id), "keuze": str(item), "sleutel": key},
        headers=phone.headers,
    )
    return _expect(response, 200).json()


async def bare_insert(
    client: "httpx.AsyncClient | VotePool", phone: Phone, item: int, key: str
) -> None:
    """The yardstick: the same headers and a body of the same shape, one INSERT."""
    if isinstance(client, VotePool):
        form = {"participant": str(phone.number), "item": str(item), "key": key}
        status, data = await client.post(BARE_PATH, form, phone.headers)
        if status != 204:
            raise Failed(f"POST {BARE_PATH} answered {status} (expected 204): {data[:300]!r}")
        return
    response = await client.post(
        BARE_PATH,
        data={"participant": str(phone.number), "item": str(item), "key": key},
        headers=phone.headers,
    )
    _expect(response, 204)


@dataclass
class PhoneStream:
    """A phone's live stream (GET /doe-mee/{code}/live) on a connection of its own, read as
    the page's script reads it: on each `ronde` event whose round differs from the one shown,
    the phone swaps in the round's render the event carries (it sent nothing in that round)
    and notes when; an event without one (the session over) makes it fetch its page again
    (through `pages`).
    Raw asyncio, as VotePool: httpx for 2,000 open streams would cost the load generator
    more CPU than the server spends."""

    phone: Phone
    code: str
    host: str
    port: int
    shown: dict[str, float] = field(default_factory=dict)  # round state -> page shown at
    connected: asyncio.Event = field(default_factory=asyncio.Event)  # or failed
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    error: str | None = None

    async def follow(self, pages: VotePool) -> None:
        try:
            await self._follow(pages)
        except (OSError, asyncio.IncompleteReadError, ValueError, Failed) as exc:
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.connected.set()

    async def _follow(self, pages: VotePool) -> None:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(
                (
                    f"GET /doe-mee/{self.code}/live HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                    f"Cookie: {PARTICIPANT_COOKIE}={self.phone.cookie}\r\n"
                    "Accept: text/event-stream\r\n\r\n"
                ).encode()
            )
            status = int((await reader.readline()).split()[1])
            if status != 200:
                raise Failed(f"the live stream answered {status}")
            while await reader.readline() not in (b"\r\n", b""):
                pass  # headers: the body is chunked, a chunk per event
            buffer = ""
            while size := int((await reader.readline()).strip() or b"0", 16):
                buffer += (await reader.readexactly(size + 2))[:-2].decode()
                while "\n\n" in buffer:
                    block, buffer = buffer.split("\n\n", 1)
                    await self._event(block, pages)
        finally:
            writer.close()

    async def _event(self, block: str, pages: VotePool) -> None:
        lines = block.splitlines()
        if "event: ronde" not in lines:
            return  # the stream's first line (retry:) or a heartbeat
        state, *render = [line[6:] for line in lines if line.startswith("data: ")]
        round_id = state.split(":")[0]
        if render and state not in self.shown:
            if f'data-ronde="{round_id if round_id.isdigit() else ""}"' not in "\n".join(render):
                raise Failed(f"the event of {state} carries another round")
        elif not render:
            path = f"/doe-mee/{self.code}/ronde"
            cookie = {"Cookie": f"{PARTICIPANT_COOKIE}={self.phone.cookie}"}
            status, _ = await pages.get(path, cookie)
            if status != 200:
                raise Failed(f"GET {path} answered {status}")
        self.shown.setdefault(state, time.perf_counter())
        self.changed.set()
        self.connected.set()  # following: its first round shown


def shown_total(html: str) -> int | None:
    """The number of dots the projector shows: the sum of the results table's bar values."""
    table = _RESULTS_TABLE.search(html)
    if table is None:
        return None
    return sum(int(v.replace(".", "")) for v in _BAR_VALUE.findall(table.group(0)))


async def server_sent_events(response: httpx.Response) -> AsyncIterator[tuple[str, str]]:
    """A live stream's events as (name, data), as a browser's EventSource reads them."""
    event, data = "", []
    async for line in response.aiter_lines():
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
        elif not line:
            yield event, "\n".join(data)
            event, data = "", []


@dataclass
class Projector:
    """Follows the session's live stream and notes when each total was first shown."""

    client: httpx.AsyncClient
    session_id: int
    shown: list[tuple[float, int]] = field(default_factory=list)
    events: int = 0
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def follow(self) -> None:
        async with self.client.stream(
            "GET", f"/sessies/{self.session_id}/live", headers={"Accept": "text/event-stream"}
        ) as response:
            _expect(response, 200)
            async for event, data in server_sent_events(response):
                if event == "uitslag":
                    self._show(data)

    def _show(self, html: str) -> None:
        self.events += 1
        total = shown_total(html)
        if total is not None and (not self.shown or self.shown[-1][1] != total):
            self.shown.append((time.perf_counter(), total))
            self.changed.set()

    async def wait_for(self, total: int, timeout: float) -> float | None:
        """The moment the projector first showed `total` (or more), or None after `timeout`."""
        deadline = time.perf_counter() + timeout
        while True:
            for moment, shown in self.shown:
                if shown >= total:
                    return moment
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return None
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except TimeoutError:
                return None
