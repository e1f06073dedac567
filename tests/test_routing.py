"""A section router answers for its own paths and turns every other path away."""

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from starlette.routing import Match

from app.main import PAGES, PUBLIC_PAGES
from app.routing import SectionRouter

router = SectionRouter()


@router.get("/sessies/{session_id}")
def a_session(session_id: int) -> dict[str, int]:
    return {"sessie": session_id}


@router.get("/sessies")
def sessions() -> dict[str, str]:
    return {"sessies": "alle"}


def _scope(path: str, method: str = "GET") -> dict:
    return {"type": "http", "path": path, "method": method, "root_path": "", "headers": []}


def test_its_own_paths_are_answered_and_others_are_not_found():
    app = FastAPI()
    app.include_router(router)
    with TestClient(app) as client:
        assert client.get("/sessies/7").json() == {"sessie": 7}
        assert client.get("/sessies").json() == {"sessies": "alle"}
        assert client.get("/rondes/7").status_code == 404
        assert client.post("/sessies/7").status_code == 405


def test_a_path_outside_its_sections_is_turned_away_without_trying_a_route(monkeypatch):
    tried = []
    for route in router.routes:
        monkeypatch.setattr(
            route, "matches", lambda scope, r=route: tried.append(r) or (Match.NONE, {})
        )
    assert router.matches(_scope("/rondes/7")) == (Match.NONE, {})
    assert router.matches(_scope("/sessiesx")) == (Match.NONE, {})
    assert tried == []


ROUTES = [
    (route.path, route.path_regex)
    for section in (*PUBLIC_PAGES, *PAGES)
    for route in section.routes
]


@given(st.sampled_from(ROUTES), st.from_regex(r"[A-Za-z0-9-]{1,12}", fullmatch=True))
def test_every_page_path_passes_its_router_s_gate(route, value):
    path_format, regex = route
    path = re.sub(r"\{[^}]+\}", value, path_format)
    owners = [
        section
        for section in (*PUBLIC_PAGES, *PAGES)
        if any(r.path == path_format for r in section.routes)
    ]
    exact, beginnings = owners[0]._beginnings()
    if regex.match(path):
        assert path in exact or path.startswith(beginnings)
