"""Routers that turn away a path that cannot be theirs without trying their routes.

FastAPI tries the app's routers in order, and each router tries each of its routes, a few
microseconds apiece (0.165 wraps every route in a context of its own). With some 300 routes a
page behind the API's routes paid over a millisecond before its own code ran. A route can only
match a path that begins with the part of its own path before the first parameter (or equals
its path, when it has none), so a router that knows those parts can say no at once.

Include a section router without a prefix: it reads the beginnings from its routes' own paths.
`prepare_routes` has FastAPI prepare every route at start-up instead of on first use.
"""

import contextlib

from fastapi import APIRouter, FastAPI
from starlette.routing import Match, NoMatchFound, Route
from starlette.types import Scope


class SectionRouter(APIRouter):
    _gate: tuple[int, frozenset[str], tuple[str, ...]] | None = None

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        exact, beginnings = self._beginnings()
        path = scope["path"]
        if path not in exact and not path.startswith(beginnings):
            return Match.NONE, {}
        return super().matches(scope)

    def _beginnings(self) -> tuple[frozenset[str], tuple[str, ...]]:
        # Routes are added at import time; recount only when their number changed.
        if self._gate is None or self._gate[0] != len(self.routes):
            exact, beginnings = set(), set()
            for route in self.routes:
                if not isinstance(route, Route):  # a mount or a nested router: no gate
                    beginnings.add("")
                elif "{" in route.path:
                    beginnings.add(route.path.split("{", 1)[0])
                else:
                    exact.add(route.path)
            self._gate = (len(self.routes), frozenset(exact), tuple(sorted(beginnings)))
        return self._gate[1], self._gate[2]


def prepare_routes(app: FastAPI) -> None:
    """Have FastAPI prepare every route now, at start-up.

    FastAPI (0.165) prepares an included router's routes (their dependencies and parameters)
    the first time a request or a link lookup passes through that router: in a fresh app
    process, someone's first page waited over 100 ms for it. A lookup of a name that no route
    has passes through every router."""
    with contextlib.suppress(NoMatchFound):
        app.url_path_for("kompas:no-such-route")
