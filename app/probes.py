"""What a platform asks of a process (Kubernetes' probes, a load balancer, a monitor).

`/healthz`: the process lives and its event loop answers. `/readyz`: it can serve, meaning
the database answers and its schema is at the migrations' head (a process started before
`kompas db upgrade` ran, or against the wrong database, is kept out of the rotation); 503 with
the reason in JSON otherwise (also once the process is stopping, app/stopping.py), within
READY_SECONDS whatever the database does. `/versie`: the version it runs. `/health` is the
old name of `/healthz`, kept for monitors that use it.

All public, on the event loop, and not admitted (app/admission.py): they use no request
session and must answer while the process is full.
"""

import asyncio
from functools import cache

import anyio.to_thread
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc

from app import db, stopping
from app.config import settings
from app.migrate import alembic_config
from app.routing import SectionRouter
from app.version import VERSION

PATHS = frozenset({"/healthz", "/health", "/readyz", "/versie"})
READY_SECONDS = 1.0
# The readiness check's own threads: it must not queue behind the requests' (nor take theirs).
_checks = anyio.CapacityLimiter(2)

router = SectionRouter()


@router.get("/healthz", include_in_schema=False)
@router.get("/health", include_in_schema=False)
async def alive() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", include_in_schema=False)
async def ready() -> JSONResponse:
    if stopping.stopping().is_set():  # a load balancer's check on a kept-alive connection
        return _unavailable("the process is stopping")
    try:
        reason = await asyncio.wait_for(
            anyio.to_thread.run_sync(unready_reason, abandon_on_cancel=True, limiter=_checks),
            READY_SECONDS,
        )
    except TimeoutError:
        reason = f"the database did not answer within {READY_SECONDS:g} s"
    if reason is None:
        return JSONResponse({"status": "ok"})
    return _unavailable(reason)


def _unavailable(reason: str) -> JSONResponse:
    return JSONResponse(
        {"status": "unavailable", "reason": reason},
        status_code=503,
        headers={"Cache-Control": "no-store"},
    )


@router.get("/versie", include_in_schema=False)
async def version() -> dict[str, str]:
    return {"versie": VERSION}


@cache
def migration_heads() -> frozenset[str]:
    """The revisions the code expects (read from migrations/ once)."""
    return frozenset(ScriptDirectory.from_config(alembic_config(settings.database_url)).get_heads())


def unready_reason() -> str | None:
    """Why this process cannot serve, or None. The error itself is left out: a connection
    error can hold the database's address and user."""
    try:
        with db.engine.connect() as connection:
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except sa_exc.SQLAlchemyError as error:
        cause = getattr(error, "orig", None) or error
        return f"the database cannot be reached ({type(cause).__name__})"
    expected = migration_heads()
    if current != expected:
        at = ", ".join(sorted(current)) or "no revision"
        return f"the database schema is at {at}, the code expects {', '.join(sorted(expected))}"
    return None
