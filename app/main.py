"""Builds the Kompas application: pages, JSON API, static files and error handling."""

import gc
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from urllib.parse import quote

import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from app import (
    access_log,
    accessibility,
    api_docs,
    metrics,
    outbox,
    probes,
    problems,
    security_txt,
    stopping,
    worker,
)
from app.activities import api as activities_api
from app.activities import routes as activities_routes
from app.admission import RETRY_AFTER_SECONDS, AdmissionMiddleware
from app.ambitions import api as ambitions_api
from app.ambitions import routes as ambitions_routes
from app.api_conventions import ConventionHeadersMiddleware
from app.api_document import finish
from app.api_names import ATTRIBUTES
from app.audit import events as audit_events
from app.audit import routes as audit_routes
from app.audit.models import AuditAction, AuditResult
from app.audit.recorder import start_recording
from app.auth import (
    FLUSHED,
    NotSignedIn,
    SecondStepNeeded,
    SignedInPage,
    client_address,
    current_member,
    is_api,
)
from app.compression import CompressionMiddleware
from app.config import settings
from app.cycles import api as cycles_api
from app.cycles import routes as cycles_routes
from app.db import UNSAFE_METHODS, Busy, engine
from app.errors import AppError, Forbidden, InvalidInput, PreconditionRequired
from app.exports import ExportGate, ExportLine
from app.forms import api_errors
from app.improvement import api as improvement_api
from app.improvement import routes as improvement_routes
from app.jobs import WORK
from app.organisations import api as organisations_api
from app.organisations import routes as organisations_routes
from app.organisations import second_factor_routes, signin_routes, sso_routes
from app.partner_requests import routes as partner_requests_routes
from app.problems import InvalidParam, field_name, problem
from app.progress import routes as progress_routes
from app.publications import routes as publications_routes
from app.reports import routes as reports_routes
from app.request_log import RequestLogMiddleware
from app.results import api as results_api
from app.results import routes as results_routes
from app.routing import prepare_routes
from app.scenarios import api as scenarios_api
from app.scenarios import routes as scenarios_routes
from app.security_headers import SecurityHeadersMiddleware
from app.server_timing import ServerTimingMiddleware, count_queries
from app.sessions import api as sessions_api
from app.sessions import notify, quick_vote
from app.sessions import participant as sessions_participant
from app.sessions import routes as sessions_routes
from app.static_files import StaticFilesMiddleware
from app.templating import load_templates, render, render_error, templates, to_sign_in, use_router
from app.version import VERSION

log = logging.getLogger("kompas")
# At the end of a stop: the writer has had the graceful timeout already, this is its last batch.
DOTS_CLOSE_SECONDS = 10.0

# Every route needs a signed-in member, except these (and the static files; /metrics has a
# token of its own).
PUBLIC_PAGES: tuple[APIRouter, ...] = (
    probes.router,
    metrics.router,
    security_txt.router,
    accessibility.router,
    signin_routes.public_router,
    sso_routes.public_router,
    second_factor_routes.router,
    partner_requests_routes.public_router,
    publications_routes.public_router,
    sessions_participant.router,
)
PAGES: tuple[APIRouter, ...] = (
    progress_routes.router,
    signin_routes.router,
    sso_routes.router,
    organisations_routes.router,
    cycles_routes.router,
    ambitions_routes.router,
    results_routes.router,
    activities_routes.router,
    improvement_routes.router,
    partner_requests_routes.router,
    publications_routes.router,
    scenarios_routes.router,
    sessions_routes.router,
    reports_routes.router,
    audit_routes.router,
)
API: tuple[APIRouter, ...] = (
    organisations_api.router,
    cycles_api.router,
    ambitions_api.router,
    results_api.router,
    activities_api.router,
    improvement_api.router,
    scenarios_api.router,
    sessions_api.router,
)
API_PREFIX = "/api/v2"
API_VERSION = VERSION  # the app's and its API's (app/version.py); see docs/api-changelog.md

_HTTP_TITLES = {
    404: ("Niet gevonden", "Deze pagina bestaat niet (meer). Controleer het adres."),
    405: ("Dat kan zo niet", "Deze handeling is op deze pagina niet mogelijk."),
}


def _error_page(
    request: Request, status: int, title: str, message: str, headers: dict | None = None
) -> Response:
    return render_error(request, status, {"title": title, "message": message}, headers)


def _handle_not_signed_in(request: Request, exc: Exception) -> Response:
    if is_api(request):
        return problem(
            request,
            401,
            "Log eerst in",
            "Geef een geldig API-token mee: Authorization: Bearer <token>.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    target = f"/inloggen?volgende={quote(request.url.path)}"
    if isinstance(exc, SecondStepNeeded):
        target = f"{exc.path}?volgende={quote(request.url.path)}"
    return to_sign_in(request, target)


def _handle_busy(request: Request, exc: Exception) -> Response:
    """No connection or write lock in time (app/admission.py keeps this rare): 503, try again;
    the transaction was rolled back, so nothing is half done."""
    busy = exc if isinstance(exc, Busy) else Busy()
    if isinstance(exc, sa_exc.OperationalError) and "locked" not in str(exc.orig):
        return _handle_unexpected(request, exc)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if is_api(request):
        return problem(request, 503, busy.title, busy.message, headers=headers)
    return _error_page(request, 503, busy.title, busy.message, headers)


def _handle_app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    if isinstance(exc, Forbidden) and request.method in UNSAFE_METHODS:
        _log_refused_write(request)
    if is_api(request):
        invalid = (
            [
                InvalidParam(name=ATTRIBUTES.get(f, f), code="invalid", reason=m)
                for f, m in exc.errors.items()
            ]
            if isinstance(exc, InvalidInput)
            else None
        )
        # Input that breaks a rule is 400 in the API (/core/error-handling/invalid-input).
        status = 400 if exc.status_code == 422 else exc.status_code
        return problem(request, status, exc.title, exc.message, invalid=invalid)
    return _error_page(request, exc.status_code, exc.title, exc.message)


def _log_refused_write(request: Request) -> None:
    """A member's write that their role (or a missing CSRF token) does not allow: in the
    audit log, in a write of its own; whatever the request had done is not kept."""
    member, session = getattr(request.state, "member", None), getattr(request.state, "db", None)
    if member is None or session is None:
        return
    organisation_id, user_id = member.membership.organisation_id, member.user.id
    if session.info.get(FLUSHED):
        session.rollback()  # nothing of the refused request is kept
    else:
        session.expunge_all()  # nothing written yet: whatever was added is forgotten
    audit_events.record_apart(
        session,
        AuditAction.WRITE,
        organisation_id=organisation_id,
        actor_id=user_id,
        origin=client_address(request),
        result=AuditResult.REFUSED,
        entity="request",
        label=f"{request.method} {access_log.redact(request.url.path)}",
    )


def _handle_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if is_api(request):
        errors = list(exc.errors())
        if any(tuple(e["loc"]) == ("header", "If-Match") for e in errors):
            return _handle_app_error(
                request,
                PreconditionRequired(
                    "Zeg met If-Match op welke versie je wijziging is gebaseerd: de ETag die "
                    "je las."
                ),
            )
        invalid = [
            InvalidParam(name=field_name(e["loc"]), code=e["type"], reason=e["msg"])
            for e in api_errors(errors)
        ]
        return problem(
            request, 400, "Controleer de invoer", "De invoer klopt niet.", invalid=invalid
        )
    # Pages only see this for malformed addresses such as /cycli/abc.
    title, message = _HTTP_TITLES[404]
    return _error_page(request, 404, title, message)


def _handle_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    title, message = _HTTP_TITLES.get(exc.status_code, ("Er ging iets mis", str(exc.detail)))
    headers = dict(exc.headers) if exc.headers is not None else None
    if exc.status_code == 405:
        allowed = _allowed_methods(request)
        if request.method == "OPTIONS" and allowed:  # what the path takes (RFC 9110, 9.3.7)
            return Response(status_code=204, headers={"Allow": ", ".join(allowed)})
        headers = {**(headers or {}), "Allow": ", ".join(allowed)}
    if is_api(request):
        return problem(request, exc.status_code, title, message, headers=headers)
    return _error_page(request, exc.status_code, title, message, headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method of the path, with HEAD where there is GET and OPTIONS. Starlette names
    only those of the first route that matches the path, and FastAPI makes one route per
    method."""
    path = request.url.path
    routers = [(API_PREFIX, router) for router in API]
    routers += [("", router) for router in (*PUBLIC_PAGES, *PAGES, request.app.router)]
    allowed: set[str] = set()
    for prefix, router in routers:
        for route in router.routes:
            if (
                isinstance(route, APIRoute)
                and path.startswith(prefix)
                and route.path_regex.match(path.removeprefix(prefix))
            ):
                allowed |= route.methods or set()
    if not allowed:
        return []
    if "GET" in allowed and path.startswith(API_PREFIX):
        allowed.add("HEAD")  # app/api_conventions.py
    return sorted(allowed | {"OPTIONS"})


def _handle_client_gone(request: Request, exc: Exception) -> Response:
    """The connection dropped while the request was being read (a phone on a bad venue
    network): nobody is left to answer, nothing was done, nothing to log."""
    return Response(status_code=400)


def _handle_unexpected(request: Request, exc: Exception) -> Response:
    path = access_log.redact(request.url.path)
    log.exception("Unexpected error on %s %s", request.method, path, exc_info=exc)
    message = "Er ging iets mis aan onze kant. Je invoer is niet opgeslagen; probeer het opnieuw."
    if is_api(request):
        return problem(request, 500, "Er ging iets mis", message)
    return _error_page(request, 500, "Er ging iets mis", message)


def _tune_garbage_collection() -> None:
    """Pages build many short-lived objects; with Python's default thresholds the collector
    runs full passes over the whole heap every few requests, which shows as latency spikes.
    Freeze what exists at start-up and collect the young generation less eagerly."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    """Stopping gracefully (app/stopping.py); the background worker runs with the server
    unless it runs as a process of its own."""
    async with stopping.on_signals():
        try:
            if not settings.worker_in_server:
                yield
            else:
                async with worker.in_server(engine, WORK):
                    yield
        finally:
            # The requests have finished (or were cancelled): write the dots they handed over.
            if not await anyio.to_thread.run_sync(quick_vote.close, DOTS_CLOSE_SECONDS):
                log.error("The vote writer did not finish within %s s", DOTS_CLOSE_SECONDS)
            await anyio.to_thread.run_sync(notify.flush)  # the other processes' screens


def create_app() -> FastAPI:
    app = FastAPI(
        lifespan=_lifespan,
        title="Kompas",
        summary="De Kwaliteitskompas-cyclus van gemeenten en hun partners.",
        version=API_VERSION,
        openapi_url=None,  # served under /api/v2 below
        docs_url=None,
        redoc_url=None,
    )
    # FastAPI tries the routers in order. The pages' routers are section routers
    # (app/routing.py), which turn away another path at once; the API's routers, included
    # under a prefix, try each of their routes, so they come last. No page path overlaps an
    # API path, so the order changes nothing else.
    for router in PUBLIC_PAGES:
        app.include_router(router, include_in_schema=False)
    for router in PAGES:
        app.include_router(router, dependencies=SignedInPage, include_in_schema=False)
    for router in API:
        app.include_router(
            router,
            prefix=API_PREFIX,
            dependencies=[Depends(current_member)],
            responses=problems.RESPONSES,
        )
    app.add_exception_handler(NotSignedIn, _handle_not_signed_in)
    app.add_exception_handler(SecondStepNeeded, _handle_not_signed_in)
    app.add_exception_handler(Busy, _handle_busy)
    app.add_exception_handler(sa_exc.TimeoutError, _handle_busy)  # the pool's, not a query's
    app.add_exception_handler(sa_exc.OperationalError, _handle_busy)  # SQLite: database locked
    app.add_exception_handler(AppError, _handle_app_error)
    app.add_exception_handler(RequestValidationError, _handle_validation_error)
    app.add_exception_handler(HTTPException, _handle_http_error)
    app.add_exception_handler(ClientDisconnect, _handle_client_gone)
    app.add_exception_handler(Exception, _handle_unexpected)
    use_router(app)
    start_recording()
    access_log.install()  # no token or join code in the server's log
    # Innermost: static files and compression never wait for a place.
    app.add_middleware(AdmissionMiddleware)
    # An export waits for its turn before it asks for admission: waiting, it holds nothing.
    app.state.exports = ExportLine(settings.max_concurrent_exports)
    app.add_middleware(ExportGate, line=app.state.exports, held=_publishing())
    app.add_middleware(CompressionMiddleware)
    # Outside the compression: static files come precompressed.
    app.add_middleware(StaticFilesMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(
        ConventionHeadersMiddleware, api_prefix=API_PREFIX + "/", api_version=API_VERSION
    )
    app.router.redirect_slashes = False  # /api/v2/themas/ is not /api/v2/themas: 404
    if settings.server_timing:
        count_queries(engine)
        app.add_middleware(ServerTimingMiddleware)
    # Outermost: every request gets its id, log line and metrics, the static files too.
    app.add_middleware(RequestLogMiddleware)
    metrics.install()
    metrics.BACKLOGS["outbox"] = outbox.backlog  # mail not sent yet: a relay that is down

    @app.get(f"{API_PREFIX}/openapi.json", include_in_schema=False, name="api:openapi")
    def openapi_document() -> JSONResponse:
        """Public, as the NL API Design Rules ask: anyone may read what the API offers."""
        return JSONResponse(
            finish(app.openapi(), API_PREFIX), headers={"Access-Control-Allow-Origin": "*"}
        )

    @cache
    def api_description() -> api_docs.ApiDescription:
        return api_docs.describe(finish(app.openapi(), API_PREFIX))

    @app.get("/api-documentatie", include_in_schema=False, name="api:docs")
    def api_documentation(request: Request) -> Response:
        """Public too: the same document, as a page."""
        context = {
            "api": api_description(),
            "prefix": API_PREFIX,
            "openapi_url": f"{API_PREFIX}/openapi.json",
        }
        return render(request, "api_docs.html", context)

    _prepare_for_first_requests(app)
    return app


def _publishing() -> list[re.Pattern[str]]:
    """The paths that publish a report: they make its files, and wait their turn for it."""
    return [
        route.path_regex
        for route in publications_routes.router.routes
        if isinstance(route, APIRoute) and route.name.startswith("publications:publish-")
    ]


def _prepare_for_first_requests(app: FastAPI) -> None:
    """Work that a fresh app process would otherwise do during someone's first pages, done at
    start-up; then the collector is tuned over all that start-up made."""
    prepare_routes(app)
    if not templates.env.auto_reload:  # in development a template may change: compile on use
        load_templates()
    _tune_garbage_collection()


app = create_app()
