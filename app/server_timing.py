"""Optional `Server-Timing` header with the number of database queries a request made.

Switched on with KOMPAS_SERVER_TIMING=true (the benchmarks do); browsers show it in their
developer tools. Off by default: it tells outsiders something about the internals.
"""

import time
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import Engine, event
from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass
class _Tally:
    queries: int = 0
    seconds: float = 0.0


_current: ContextVar[_Tally | None] = ContextVar("kompas_query_tally", default=None)


def count_queries(engine: Engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info["kompas_started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany) -> None:
        tally = _current.get()
        if tally is not None:
            tally.queries += 1
            tally.seconds += time.perf_counter() - conn.info.pop("kompas_started", 0.0)


class ServerTimingMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tally = _Tally()
        token = _current.set(tally)
        started = time.perf_counter()

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                total = (time.perf_counter() - started) * 1000
                value = (
                    f'db;desc="{tally.queries} queries";dur={tally.seconds * 1000:.2f}, '
                    f"app;dur={total:.2f}"
                )
                message["headers"] = [
                    *message.get("headers", []),
                    (b"server-timing", value.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_timing)
        finally:
            _current.reset(token)
