"""Compressed pages and JSON: Brotli when the client offers it, otherwise gzip.

Starlette's GZip middleware decides what to compress (large enough, not yet encoded, not a
stream such as Server-Sent Events, which must reach the browser event by event); Brotli only
adds its own encoder. Static files are precompressed at install time (`app.static_build`).
"""

import brotli
from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware, IdentityResponder
from starlette.types import Receive, Scope, Send

# Pages are compressed per request: a quick setting still takes most of the gain.
BROTLI_QUALITY = 4


def _offers_brotli(scope: Scope) -> bool:
    offered = Headers(scope=scope).get("accept-encoding", "")
    return any(coding.split(";")[0].strip() == "br" for coding in offered.split(","))


class _BrotliResponder(IdentityResponder):
    content_encoding = "br"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._compressor = brotli.Compressor(mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)

    async def apply_compression(self, body: bytes, *, more_body: bool) -> bytes:
        compressed = self._compressor.process(body)
        return compressed + (self._compressor.flush() if more_body else self._compressor.finish())


class CompressionMiddleware(GZipMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _offers_brotli(scope):
            responder = _BrotliResponder(
                self.app, self.minimum_size, exclude_content_types=self.exclude_content_types
            )
            await responder(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)
