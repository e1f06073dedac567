"""The session benchmark's clients over HTTP, as the pages use the app (see app/sessions/
__init__.py for the participant flow): phones that join and vote, the projector that follows
the live results, and the facilitator who looks at the control screen and a step page.

All phones share one HTTP/1.1 keep-alive pool; each carries its own cookie by hand, so the
pool's cookie jar is switched off (500 cookies in a jar would cost the load generator CPU on
every request and would mix the phones up).
"""

import asyncio
import contextlib
import http.cookiejar
import re
import time
import uuid
from dataclasses import dataclass, field

import httpx

from app.organisations.deps import PRE_SESSION_COOKIE
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
    client: httpx.AsyncClient, code: str, phone: Phone, round_id: int, item: int, key: str
) -> dict:
    """One dot; the server's confirmation (JSON) or Failed."""
    response = await client.post(
        f"/doe-mee/{code}/stemmen",
        data={"ronde": str(round_id), "keuze": str(item), "sleutel": key},
        headers=phone.headers,
    )
    return _expect(response, 200).json()


async def bare_insert(client: httpx.AsyncClient, phone: Phone, item: int, key: str) -> None:
    """The yardstick: the same headers and a body of the same shape, one INSERT."""
    response = await client.post(
        BARE_PATH,
        data={"participant": str(phone.number), "item": str(item), "key": key},
        headers=phone.headers,
    )
    _expect(response, 204)


def shown_total(html: str) -> int | None:
    """The number of dots the projector shows: the sum of the results table's bar values."""
    table = _RESULTS_TABLE.search(html)
    if table is None:
        return None
    return sum(int(v.replace(".", "")) for v in _BAR_VALUE.findall(table.group(0)))


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
            event, data = "", []
            async for line in response.aiter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].removeprefix(" "))
                elif not line:
                    if event == "uitslag":
                        self._show("\n".join(data))
                    event, data = "", []

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


@dataclass
class Facilitator:
    """Loads the control screen and a step page once a second; their latencies in ms."""

    client: httpx.AsyncClient
    pages: tuple[str, ...]
    latencies_ms: list[float] = field(default_factory=list)
    retried: int = 0

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            started = time.perf_counter()
            for page in self.pages:
                began = time.perf_counter()
                try:
                    response = await self.client.get(page)
                except httpx.TransportError:
                    # The server closed an idle keep-alive connection as the request left: a
                    # browser sends a GET again at once, and so does this facilitator.
                    self.retried += 1
                    response = await self.client.get(page)
                _expect(response, 200)
                self.latencies_ms.append((time.perf_counter() - began) * 1000)
            pause = 1.0 - (time.perf_counter() - started)
            if pause > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), pause)
