"""How the JSON API reads a request and what every response carries by convention.

- `ApiRoute`, the route class of every API router: a body is JSON (else 415), in UTF-8 and
  well formed (else 400 with a Dutch detail), and its numbers are read as exact decimals, so
  `12500.10` is stored as sent, never through a float; an `Accept` the API cannot answer is
  406.
- `ConventionHeadersMiddleware`: the API's version on every API response (NL API Design Rules,
  /core/version-header); HEAD on the API answers as GET without the body; and
  `Cache-Control: no-store` on everything that is not a static file, so that pages with
  someone's data (or a token shown once) are never kept in a browser's or proxy's cache.
"""

import json
from collections.abc import Callable, Coroutine
from decimal import Decimal
from email.message import Message as MimeHeader
from typing import Any

from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import AppError, Unreadable

# What the API answers in: JSON, and problem details for errors.
ANSWERS = ("application/json", "application/problem+json")


class NotAcceptable(AppError):
    status_code = 406
    title = "Dit formaat kan niet"

    def __init__(self) -> None:
        super().__init__("De API antwoordt alleen in JSON: vraag application/json.")


class UnsupportedMediaType(AppError):
    status_code = 415
    title = "Stuur JSON"

    def __init__(self) -> None:
        super().__init__("Stuur de inhoud als JSON, met Content-Type: application/json.")


def accepts_json(accept: str) -> bool:
    """Whether an Accept header admits JSON (a media range with q=0 refuses it)."""
    for part in accept.split(","):
        media, *params = [piece.strip() for piece in part.split(";")]
        refused = any(p.replace(" ", "").lower() in ("q=0", "q=0.0", "q=0.00") for p in params)
        if not refused and media.lower() in (*ANSWERS, "application/*", "*/*"):
            return True
    return False


def _is_json(content_type: str) -> bool:
    header = MimeHeader()
    header["content-type"] = content_type
    subtype = header.get_content_subtype()
    return header.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are no JSON


def read_json(body: bytes) -> Any:
    """The body as JSON with exact decimals, or Unreadable with a Dutch reason."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Unreadable("De inhoud is geen tekst in UTF-8.") from None
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except (json.JSONDecodeError, ValueError) as exc:
        where = (
            f" (regel {exc.lineno}, teken {exc.colno})"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise Unreadable(f"De inhoud is geen geldige JSON{where}.") from None


def _query_names(dependant: Dependant) -> set[str]:
    """The query parameters an operation takes, its dependencies' included."""
    names = {field.alias for field in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return names


class ApiRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        takes_body = self.body_field is not None
        # Its own and its dependencies' (paging, filters): any other is a mistake to say, not
        # to ignore (`?pagna=2` would silently give the first page).
        known = _query_names(self.dependant)

        async def negotiated(request: Request) -> Response:
            if not accepts_json(request.headers.get("accept", "*/*")):
                raise NotAcceptable()
            if unknown := [name for name in request.query_params if name not in known]:
                raise RequestValidationError(
                    [
                        {"type": "extra_forbidden", "loc": ("query", name), "msg": "", "input": ""}
                        for name in dict.fromkeys(unknown)
                    ]
                )
            body = await request.body()
            if body:
                if not _is_json(request.headers.get("content-type", "")):
                    raise UnsupportedMediaType()
                if takes_body:
                    # Read once, here; FastAPI's own reading finds it (Request._json).
                    request._json = read_json(body)
            return await handle(request)

        return negotiated


class ConventionHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, api_prefix: str, api_version: str) -> None:
        self.app = app
        self.api_prefix = api_prefix
        self.api_version = api_version.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        is_api = path.startswith(self.api_prefix)
        is_static = path.startswith("/static/")
        head = is_api and scope["method"] == "HEAD"
        if head:  # HEAD is GET without the body (RFC 9110, 9.3.2)
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if is_api:
                    headers.append((b"api-version", self.api_version))
                if not is_static and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_headers)
