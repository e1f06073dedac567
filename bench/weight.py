"""Page weight: bytes on the wire as Chromium receives them (headers and compressed bodies).

Cold: a fresh cache, the first page after signing in, with everything it loads. Warm: each
later page, opened as a new page load (htmx's in-page navigation would send even less), with
the static files in the cache. Chromium offers Brotli and gzip and honours the caching headers.
"""

import shutil
from dataclasses import dataclass, field

from playwright.sync_api import CDPSession, Page, sync_playwright

from app.demo.accounts import PASSWORD
from bench.pages import MEMBER, PAGES

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic"]
COLD_TARGET_BYTES = 100 * 1024
WARM_TARGET_BYTES = 15 * 1024


@dataclass
class PageWeight:
    # The first signed-in page with a fresh cache: bytes per address it loaded.
    cold_page: str
    cold: dict[str, int]
    # Each later page with a warm cache: bytes in all.
    warm: dict[str, int]
    accept_encoding: str = ""
    misses: list[str] = field(default_factory=list)

    @property
    def cold_bytes(self) -> int:
        return sum(self.cold.values())


class _Wire:
    """Counts what Chromium receives, per address, until reset."""

    def __init__(self, session: CDPSession, origin: str) -> None:
        self.origin = origin
        self.received: dict[str, int] = {}
        self.accept_encoding = ""
        self._urls: dict[str, str] = {}
        session.send("Network.enable")
        session.on("Network.requestWillBeSent", self._request)
        session.on("Network.requestWillBeSentExtraInfo", self._headers)
        session.on("Network.loadingFinished", self._finished)

    def _request(self, event: dict) -> None:
        self._urls[event["requestId"]] = event["request"]["url"].removeprefix(self.origin)

    def _headers(self, event: dict) -> None:
        headers = {name.lower(): value for name, value in event["headers"].items()}
        self.accept_encoding = headers.get("accept-encoding", self.accept_encoding)

    def _finished(self, event: dict) -> None:
        url = self._urls.get(event["requestId"], "?")
        self.received[url] = self.received.get(url, 0) + int(event["encodedDataLength"])

    def measure(self, page: Page, url: str) -> dict[str, int]:
        self.received = {}
        page.goto(self.origin + url, wait_until="networkidle")
        return {address: size for address, size in self.received.items() if size}


def measure_weight(base_url: str, cycle_id: int) -> PageWeight:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context().new_page()
            session = page.context.new_cdp_session(page)
            wire = _Wire(session, base_url)
            page.goto(f"{base_url}/inloggen")
            page.get_by_label("E-mailadres").fill(MEMBER)
            page.get_by_label("Wachtwoord").fill(PASSWORD)
            page.get_by_role("button", name="Inloggen").click()
            page.wait_for_url(f"{base_url}/")
            page.wait_for_load_state("networkidle")  # nothing of signing in left to count
            session.send("Network.clearBrowserCache")
            first, *later = (path.format(id=cycle_id) for path in PAGES)
            cold = wire.measure(page, first)
            warm = {path: sum(wire.measure(page, path).values()) for path in later}
        finally:
            browser.close()
    weight = PageWeight(first, cold, warm, wire.accept_encoding)
    if weight.cold_bytes > COLD_TARGET_BYTES:
        weight.misses.append(f"{first} with a fresh cache: {weight.cold_bytes / 1024:.1f} KB")
    weight.misses += [
        f"{path} with a warm cache: {size / 1024:.1f} KB"
        for path, size in warm.items()
        if size > WARM_TARGET_BYTES
    ]
    return weight
