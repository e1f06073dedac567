"""Every request: an id, a line in the log, and its count and duration in the metrics.

The id is the caller's `X-Request-ID` when it looks like one (a load balancer's), else a new
one; it goes back in the response's `X-Request-ID` and into every log line written while the
request runs (app/logs.py), so a person's report of a failure can be found in the log.

The line and the metric name the route's template (`/cycli/{cycle_id}`), never the path's
values; the line also has the path with its secrets left out (app/access_log.py) and no
query. The probes and /metrics log at DEBUG: a platform asks them every few seconds.
"""

import logging
import re
import time
import uuid

from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import access_log, logs, metrics, probes
from app.static_files import PREFIX as STATIC_PREFIX

HEADER = "X-Request-ID"
_GIVEN = re.compile(r"[A-Za-z0-9._:-]{8,128}")
_QUIET = probes.PATHS | {metrics.METRICS_PATH}
log = logging.getLogger("kompas.requests")


def route_of(scope: Scope) -> str:
    """The template of the route that answered; the static files and unknown paths by kind."""
    route, path = scope.get("route"), scope["path"]
    if isinstance(route, Route):
        # A router included under a prefix (the API's) keeps its routes' own paths: the
        # prefix is what comes before the part of the path the route matched.
        for cut in (i for i, c in enumerate(path) if c == "/"):
            if route.path_regex.fullmatch(path[cut:]):
                return path[:cut] + route.path_format
        return route.path_format
    return "static" if path.startswith(STATIC_PREFIX) else "unmatched"


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(HEADER.lower().encode(), b"").decode("latin-1")
        current = given if _GIVEN.fullmatch(given) else uuid.uuid4().hex
        # Not reset afterwards: each request runs in a task (and context) of its own, and an
        # unexpected error is logged after this middleware, by the app's outermost handler.
        logs.request_id.set(current)
        status = 500
        started = time.perf_counter()

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                header = (b"x-request-id", current.encode())
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            seconds = time.perf_counter() - started
            route = route_of(scope)
            metrics.REQUESTS.labels(scope["method"], route, str(status)).observe(seconds)
            log.log(
                logging.DEBUG if scope["path"] in _QUIET else logging.INFO,
                "%s %s %s",
                scope["method"],
                route,
                status,
                extra={
                    "method": scope["method"],
                    "path": access_log.redact(scope["path"]),
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )
