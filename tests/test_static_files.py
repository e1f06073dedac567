"""Light pages: static files under fingerprinted URLs, cached for a year and precompressed;
pages and JSON compressed per request, with Brotli where the client offers it."""

import gzip
import re

import brotli
import pytest
from starlette.applications import Starlette
from starlette.responses import StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from app.compression import CompressionMiddleware
from app.static_build import OUTPUT, bundle_css, used_classes
from app.static_files import static_url

IMMUTABLE = "max-age=31536000, public, immutable"


def _raw(client, url: str, encoding: str):
    """The response as sent, still encoded (httpx would decode it)."""
    with client.stream("GET", url, headers={"Accept-Encoding": encoding}) as response:
        return response, b"".join(response.iter_raw())


def test_pages_name_their_static_files_with_a_fingerprint(anonymous):
    page = anonymous.get("/inloggen").text
    for name in ("kompas.css", "htmx.js", "favicon.svg"):
        url = static_url(name)
        assert re.fullmatch(r"/static/[a-z]+\.[0-9a-f]{12}\.[a-z]+", url)
        assert f'"{url}"' in page


@pytest.mark.parametrize("name", ["kompas.css", "htmx.js"])
@pytest.mark.parametrize(
    ("encoding", "decode"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_static_files_come_precompressed_and_cached_for_a_year(anonymous, name, encoding, decode):
    url = static_url(name)
    response, body = _raw(anonymous, url, f"{encoding}, identity")
    assert response.status_code == 200
    assert response.headers["content-encoding"] == encoding
    assert response.headers["cache-control"] == IMMUTABLE
    assert "Accept-Encoding" in response.headers["vary"]
    assert decode(body) == (OUTPUT / url.removeprefix("/static/")).read_bytes()


def test_a_plain_static_address_is_not_served_as_immutable(anonymous):
    response = anonymous.get("/static/kompas.css")
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("cache-control", "")


@pytest.mark.parametrize(
    ("encoding", "decode"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_pages_are_compressed(client, encoding, decode):
    response, body = _raw(client, "/partners", encoding)
    assert response.status_code == 200
    assert response.headers["content-encoding"] == encoding
    assert "Accept-Encoding" in response.headers["vary"]
    html = decode(body)
    assert html.startswith(b"<!DOCTYPE html>")
    assert len(body) < len(html) / 2


def test_json_is_compressed_and_a_client_without_compression_gets_it_plain(client):
    response, _ = _raw(client, "/api/v2/openapi.json", "br")
    assert response.headers["content-encoding"] == "br"
    plain, body = _raw(client, "/api/v2/openapi.json", "identity")
    assert "content-encoding" not in plain.headers
    assert body.startswith(b"{")


def test_server_sent_events_are_not_compressed():
    """A compressing encoder would hold events back until its buffer fills."""

    async def events():
        for number in range(3):
            yield f"data: {'x' * 400} {number}\n\n"

    def stream(request):
        return StreamingResponse(events(), media_type="text/event-stream")

    app = CompressionMiddleware(Starlette(routes=[Route("/events", stream)]))
    response, body = _raw(TestClient(app), "/events", "br, gzip")
    assert "content-encoding" not in response.headers
    assert body.count(b"data: ") == 3


def test_the_stylesheet_keeps_the_components_the_templates_use():
    used = used_classes()
    assert {"utrecht-button", "utrecht-form-field--", "utrecht-table__cell"} <= used
    css = bundle_css(used)
    assert ".utrecht-button{" in css
    assert ".utrecht-accordion" not in css  # not used by Kompas
    assert "--basis-color-default-color-document:" in css  # a token a rule refers to
    assert "--lux-login-link-hover-color" not in css  # a token nothing refers to


def test_an_empty_required_field_is_not_red_before_anyone_typed():
    css = bundle_css(used_classes())
    assert ".utrecht-textarea--html-textarea:user-invalid" in css
    assert not re.search(r"(?<!user-):invalid\b", css)
    assert "[aria-invalid=true]" in css  # a form sent back with errors still shows them
