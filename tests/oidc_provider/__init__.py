"""A real OpenID provider for the tests: the npm package oidc-provider, started by
tests/oidc_provider/server.mjs on a free port (see there for its test-only routes)."""

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urljoin

import httpx

from app.config import ROOT

SERVER = ROOT / "tests" / "oidc_provider" / "server.mjs"
STARTUP_SECONDS = 60


class OpenIdProvider:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            ["node", str(SERVER)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # blocks until it listens (or has stopped)
        if not line.startswith("READY "):
            self.stop()
            raise RuntimeError(f"oidc-provider did not start: {line!r}")
        self.issuer = line.split()[1]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def _post(self, path: str, data: dict) -> None:
        httpx.post(self.issuer + path, json=data, timeout=10).raise_for_status()

    def add_client(self, client_id: str, secret: str, redirect_uris: list[str]) -> None:
        self._post(
            "/test/clients",
            {"client_id": client_id, "client_secret": secret, "redirect_uris": redirect_uris},
        )

    @contextmanager
    def mode(self, mode: str) -> Iterator[None]:
        """ "wrong-issuer" or "wrong-keys" while the block runs."""
        self._post("/test/mode", {"mode": mode})
        try:
            yield
        finally:
            self._post("/test/mode", {"mode": ""})

    def expire_codes(self) -> None:
        self._post("/test/expire-codes", {})

    def sign_in(self, authorize_url: str, email: str, groups: str = "", name: str = "") -> str:
        """What a browser does at the provider: the login form, then back. Returns the
        address the provider sends the browser back to (Kompas's, with code and state)."""
        with httpx.Client(timeout=10) as browser:
            response = browser.get(authorize_url)
            while True:
                if response.status_code in (302, 303):
                    location = urljoin(str(response.url), response.headers["location"])
                    if not location.startswith(self.issuer):
                        return location
                    response = browser.get(location)
                elif response.status_code == 200 and "/login" in response.text:
                    action = response.text.split('action="')[1].split('"')[0]
                    response = browser.post(
                        urljoin(str(response.url), action),
                        data={"email": email, "groups": groups, "name": name},
                    )
                else:
                    raise AssertionError(f"provider answered {response.status_code}")
