"""Static files under fingerprinted URLs (`/static/kompas.1a2b3c4d5e6f.css`), cached for a
year and served precompressed (Brotli or gzip, as the browser offers) by servestatic.

`make assets` builds them into static/dist (see app.static_build); templates name a file by
its plain name: `static_url("kompas.css")`.
"""

import re
from functools import cache

from servestatic import ServeStaticASGI

from app.static_build import HASH_LENGTH, OUTPUT

PREFIX = "/static/"
_FINGERPRINTED = re.compile(rf"^(.+)\.[0-9a-f]{{{HASH_LENGTH}}}\.([a-z0-9]+)$")


@cache
def _urls() -> dict[str, str]:
    urls = {}
    for path in OUTPUT.glob("*.*"):
        if match := _FINGERPRINTED.match(path.name):
            urls[f"{match[1]}.{match[2]}"] = PREFIX + path.name
    if not urls:
        raise RuntimeError("static/dist is empty: build the static files with `make assets`.")
    return urls


def static_url(name: str) -> str:
    return _urls()[name]


class StaticFilesMiddleware(ServeStaticASGI):
    """Every file here has its hash in its name, so it never changes under its URL."""

    FOREVER = 365 * 24 * 60 * 60

    def __init__(self, app) -> None:
        super().__init__(app, root=OUTPUT, prefix=PREFIX)
