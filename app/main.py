"""Builds the Kompas application: pages, JSON API, static files and error handling."""

import gc
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app.activities import api as activities_api
from app.activities import routes as activities_routes
from app.ambitions import api as ambitions_api
from app.ambitions import routes as ambitions_routes
from app.config import ROOT, settings
from app.cycles import api as cycles_api
from app.cycles import routes as cycles_routes
from app.db import engine
from app.errors import AppError, InvalidInput
from app.forms import api_errors
from app.improvement import api as improvement_api
from app.improvement import routes as improvement_routes
from app.organisations import api as organisations_api
from app.organisations import routes as organisations_routes
from app.progress import routes as progress_routes
from app.results import api as results_api
from app.results import routes as results_routes
from app.server_timing import ServerTimingMiddleware, count_queries
from app.templating import render, use_router

log = logging.getLogger("kompas")

_HTTP_TITLES = {
    404: ("Niet gevonden", "Deze pagina bestaat niet (meer). Controleer het adres."),
    405: ("Dat kan zo niet", "Deze handeling is op deze pagina niet mogelijk."),
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    response = render(
        request,
        "error.html",
        {"title": title, "message": message},
        status_code=status,
        block="error",
    )
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true":
        # A failed in-page action shows its message in the status region, not over the page.
        response.headers["HX-Retarget"] = "#flash"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def _handle_app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    if _is_api(request):
        if isinstance(exc, InvalidInput):
            detail = [
                {"loc": ["body", field], "msg": message, "type": "invalid"}
                for field, message in exc.errors.items()
            ]
            return JSONResponse({"detail": detail}, status_code=422)
        return JSONResponse(
            {"detail": exc.message, "error": type(exc).__name__}, status_code=exc.status_code
        )
    return _error_page(request, exc.status_code, exc.title, exc.message)


def _handle_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _is_api(request):
        return JSONResponse({"detail": api_errors(list(exc.errors()))}, status_code=422)
    # Pages only see this for malformed addresses such as /cycli/abc.
    title, message = _HTTP_TITLES[404]
    return _error_page(request, 404, title, message)


def _handle_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    title, message = _HTTP_TITLES.get(exc.status_code, ("Er ging iets mis", str(exc.detail)))
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=exc.status_code)
    return _error_page(request, exc.status_code, title, message)


def _handle_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("Unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    message = "Er ging iets mis aan onze kant. Je invoer is niet opgeslagen; probeer het opnieuw."
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=500)
    return _error_page(request, 500, "Er ging iets mis", message)


def _tune_garbage_collection() -> None:
    """Pages build many short-lived objects; with Python's default thresholds the collector
    runs full passes over the whole heap every few requests, which shows as latency spikes.
    Freeze what exists at start-up and collect the young generation less eagerly."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def create_app() -> FastAPI:
    app = FastAPI(
        title="Kompas",
        summary="De Kwaliteitskompas-cyclus van gemeenten en hun partners.",
        version="1.0",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
    for api in (
        organisations_api,
        cycles_api,
        ambitions_api,
        results_api,
        activities_api,
        improvement_api,
    ):
        app.include_router(api.router, prefix="/api/v1")
    for pages in (
        progress_routes,
        organisations_routes,
        cycles_routes,
        ambitions_routes,
        results_routes,
        activities_routes,
        improvement_routes,
    ):
        app.include_router(pages.router)
    app.add_exception_handler(AppError, _handle_app_error)
    app.add_exception_handler(RequestValidationError, _handle_validation_error)
    app.add_exception_handler(HTTPException, _handle_http_error)
    app.add_exception_handler(Exception, _handle_unexpected)
    use_router(app)
    _tune_garbage_collection()
    if settings.server_timing:
        count_queries(engine)
        app.add_middleware(ServerTimingMiddleware)

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


app = create_app()
