"""What the server's logs show of a request: never a secret.

Reset links (/wachtwoord-instellen/{token}), invitations (/uitnodiging/{token}), partner links
(/partnerlink/{token}), published reports (/gepubliceerd/{token}) and join codes
(/doe-mee/{code}) carry their secret in the path, and a path can come back in a query
(/inloggen?volgende=/uitnodiging/...). uvicorn's access log
prints both, as an error log would print the path. `redact` gives the path with those
segments replaced by their parameter's name, as in the route, and no query; `install` puts
it on uvicorn's access log in every app process, however the server was started.
"""

import logging
import re
from urllib.parse import quote, unquote

# The first segment of a path that carries a secret, and the name of the secret after it.
SECRET_AFTER = {
    "wachtwoord-instellen": "token",
    "uitnodiging": "token",
    "partnerlink": "token",
    "gepubliceerd": "token",
    "doe-mee": "code",
}
_SECRET = re.compile(r"/(" + "|".join(map(re.escape, SECRET_AFTER)) + r")/[^/]+", re.IGNORECASE)
ACCESS_LOGGER = "uvicorn.access"


def redact(target: str) -> str:
    """A request's path, and whether it had a query, as a log may show it."""
    path, question, _ = target.partition("?")
    for _ in range(5):  # encoded more than once is still the same path to a reader
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    path = _SECRET.sub(lambda m: f"/{m[1]}/{{{SECRET_AFTER[m[1].lower()]}}}", path)
    return quote(path, safe="/{}") + ("?…" if question else "")


class RedactSecrets(logging.Filter):
    """On uvicorn's access log: its record's arguments are (client, method, path with query,
    HTTP version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], redact(args[2]), args[3], args[4])
        return True


def install() -> None:
    """Redact the access log of this process (once)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())
