"""The app served by uvicorn in a subprocess of its own, as in production."""

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.config import ROOT

HOST = "127.0.0.1"
# Starting takes a few seconds, many more on a machine busy with other work.
STARTUP_SECONDS = 180
APP = "app.main:app"


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def start(
    database_url: str,
    *,
    app: str = APP,
    env: dict[str, str] | None = None,
    workers: int = 1,
    deployed: bool = True,
) -> Iterator[Server]:
    """Serve `app` on a free port with `workers` processes on `database_url`, stop it
    afterwards."""
    port = _free_port()
    environment = {
        **os.environ,
        "KOMPAS_DATABASE_URL": database_url,
        "KOMPAS_SERVER_TIMING": "true",
        # As deployed (templates compiled once, a secret of its own), unless a test signs in
        # with cookies it made itself under the development secret.
        **(
            {"KOMPAS_ENVIRONMENT": "production", "KOMPAS_SECRET_KEY": secrets.token_hex(32)}
            if deployed
            else {}
        ),
        **(env or {}),
    }
    command = [sys.executable, "-m", "uvicorn", app, "--host", HOST]
    command += ["--port", str(port), "--workers", str(workers)]
    command += ["--log-level", "warning", "--no-access-log"]
    process = subprocess.Popen(command, cwd=ROOT, env=environment)
    try:
        base_url = f"http://{HOST}:{port}"
        _wait_until_healthy(base_url, process)
        yield Server(base_url, process)
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, and SIGKILL after 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def kompas_serve(
    url: str, log: Path, shutdown_timeout: int = 60, *, wait: bool = True
) -> Iterator[tuple[str, subprocess.Popen]]:
    """`kompas serve` (the container's command) with one process on `url`; its JSON log in
    `log`; once it answers, unless not to `wait`. Killed afterwards if still running."""
    port = _free_port()
    environment = {
        **os.environ,
        "KOMPAS_DATABASE_URL": url,
        "KOMPAS_SHUTDOWN_TIMEOUT": str(shutdown_timeout),
        "KOMPAS_WORKER_IN_SERVER": "false",
    }
    command = [str(Path(sys.executable).parent / "kompas"), "serve", "--host", HOST]
    command += ["--port", str(port), "--workers", "1"]
    with log.open("a") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=out, stderr=out)
    try:
        base_url = f"http://{HOST}:{port}"
        if wait:
            _wait_until_healthy(base_url, process)
        yield base_url, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@contextmanager
def serve(database_url: str) -> Iterator[str]:
    """Serve the app on a free port with one worker; yields its base URL, stops it afterwards."""
    with start(database_url) as server:
        yield server.url


def _wait_until_healthy(base_url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    # One client for every try: a new one each time loaded the certificates anew, a second of
    # CPU over a start-up, taken from the server starting beside it.
    with httpx.Client(base_url=base_url, timeout=1) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"The server stopped with exit code {process.returncode}.")
            try:
                if client.get("/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    raise RuntimeError(f"The server did not answer /health within {STARTUP_SECONDS} s.")
