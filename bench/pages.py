"""Measuring pages over HTTP: client-side latency percentiles and the query count per page."""

import re
import statistics
import time
from dataclasses import dataclass

import httpx

from app.demo.accounts import PASSWORD

# Who the pages are measured for: the demo procesbegeleider, who runs the cycles and sees what a
# beheerder sees on these pages. A beheerder also gives a code from an app, and a code works
# once, while every page is measured in a sign-in of its own.
MEMBER = "procesbegeleider@kampen.example.org"


@dataclass(frozen=True)
class Sampling:
    """How each page is measured: `warmup` requests, then up to `requests` timed ones. A slow
    page stops after `budget_seconds` of measuring, with at least `min_requests` requests, so
    that the whole benchmark stays within a few minutes."""

    warmup: int
    requests: int
    min_requests: int
    budget_seconds: float


FULL = Sampling(warmup=10, requests=200, min_requests=20, budget_seconds=8.0)
# Enough to see every page answer with its query count (`--tiny`): no timing to go by.
TINY = Sampling(warmup=1, requests=2, min_requests=2, budget_seconds=0.0)

# The measured pages; {id} is the cycle.
PAGES = (
    "/",
    "/cycli/{id}",
    *(f"/cycli/{{id}}/stappen/{number}" for number in range(7)),
    "/cycli/{id}/matrix",
)

_QUERIES = re.compile(r'db;desc="(\d+) queries";dur=([\d.]+)')
_APP = re.compile(r"app;dur=([\d.]+)")


@dataclass(frozen=True)
class PageTiming:
    requests: int
    p50_ms: float
    p95_ms: float
    queries: int
    # False when the query count differed between requests to the same page.
    queries_stable: bool
    # Medians of the server's own figures: the whole request in the app, and its queries.
    server_p50_ms: float
    db_p50_ms: float


@dataclass(frozen=True)
class _ServerTiming:
    queries: int
    db_ms: float
    app_ms: float


def _server_timing(response: httpx.Response) -> _ServerTiming:
    header = response.headers.get("server-timing", "")
    queries, app = _QUERIES.search(header), _APP.search(header)
    if queries is None or app is None:
        raise RuntimeError(f"No query count in the Server-Timing header of {response.url}.")
    return _ServerTiming(int(queries.group(1)), float(queries.group(2)), float(app.group(1)))


def _get(client: httpx.Client, url: str) -> httpx.Response:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}.")
    return response


def measure_page(client: httpx.Client, url: str, sampling: Sampling) -> PageTiming:
    """Warm up, then time sequential requests to `url` as `sampling` says."""
    for _ in range(sampling.warmup):
        _get(client, url)
    latencies: list[float] = []
    server: list[_ServerTiming] = []
    deadline = time.perf_counter() + sampling.budget_seconds
    while len(latencies) < sampling.requests and (
        len(latencies) < sampling.min_requests or time.perf_counter() < deadline
    ):
        started = time.perf_counter()
        response = _get(client, url)
        latencies.append((time.perf_counter() - started) * 1000)
        server.append(_server_timing(response))
    percentiles = statistics.quantiles(latencies, n=100, method="inclusive")
    counts = {s.queries for s in server}
    return PageTiming(
        requests=len(latencies),
        p50_ms=percentiles[49],
        p95_ms=percentiles[94],
        queries=max(counts),
        queries_stable=len(counts) == 1,
        server_p50_ms=statistics.median(s.app_ms for s in server),
        db_p50_ms=statistics.median(s.db_ms for s in server),
    )


def sign_in(client: httpx.Client) -> None:
    """As the measured member, through the sign-in form (its token, then the password)."""
    form = client.get("/inloggen").text
    token = re.search(r'name="_csrf" value="([^"]+)"', form)
    if token is None:
        raise RuntimeError("The sign-in page has no form token.")
    response = client.post(
        "/inloggen",
        data={"email": MEMBER, "password": PASSWORD, "_csrf": token.group(1), "_next": "/"},
    )
    if response.status_code != 303:
        raise RuntimeError(f"Signing in as {MEMBER} failed ({response.status_code}).")


def measure_pages(base_url: str, cycle_id: int, sampling: Sampling) -> dict[str, PageTiming]:
    """Every page of PAGES, keyed by its pattern, as a signed-in procesbegeleider.

    Signed in afresh for each page: a sign-in's idle clock is written once a minute, by
    whichever request comes then, and its queries would count as that page's (step 6 at 10x
    once showed 24 queries instead of 21 on a busy machine)."""
    timings = {}
    for page in PAGES:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            sign_in(client)
            timings[page] = measure_page(client, page.format(id=cycle_id), sampling)
    return timings
