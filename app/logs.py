"""The server's log: one JSON object per line on stdout, for the platform to collect.

Every line has `timestamp` (UTC, ISO 8601), `level`, `logger`, `message`, the `version` of
Kompas and, within a request, its `request_id` (app/request_log.py); requests add their
method, path (secrets left out, app/access_log.py), route, status and duration. No personal
data beyond ids: no names, e-mail or network addresses, no tokens, codes or passwords.

`kompas serve` hands `config()` to uvicorn, so its workers and uvicorn's own messages log the
same way; from `KOMPAS_LOG_LEVEL` up.
"""

import contextvars
import logging
from typing import Any

from app.config import settings
from app.version import VERSION

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


class Context(logging.Filter):
    """Adds the version and the request's id to each line."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.version = VERSION
        current = request_id.get()
        if current is not None:
            record.request_id = current
        return True


def config() -> dict[str, Any]:
    """A logging configuration (logging.config.dictConfig) for the server's processes."""
    level = settings.log_level
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": Context}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": True,
                "json_ensure_ascii": False,
            }
        },
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
                "filters": ["context"],
            }
        },
        # uvicorn's loggers pass their lines on to the root's handler; its access log stays
        # off (app/request_log.py writes one line per request with the route and request id).
        "loggers": {
            "uvicorn": {"level": level, "handlers": [], "propagate": True},
            "uvicorn.error": {"level": level, "handlers": [], "propagate": True},
            "uvicorn.access": {"level": level, "handlers": [], "propagate": True},
        },
        "root": {"level": level, "handlers": ["stdout"]},
    }
