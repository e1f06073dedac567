"""Headers every response carries by convention: the API's version on every API response (NL
API Design Rules, /core/version-header), and `Cache-Control: no-store` on everything that is not
a static file, so that pages with someone's data (or a token shown once) are never kept in a
browser's or proxy's cache."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send


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

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if is_api:
                    headers.append((b"api-version", self.api_version))
                if not is_static and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
