"""Settings, read once from the environment (prefix KOMPAS_) and an optional .env file."""

from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_SECRET = "alleen-voor-ontwikkeling-niet-in-productie"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="KOMPAS_", env_file=".env", env_ignore_empty=True, extra="ignore"
    )

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = f"sqlite:///{ROOT / 'var' / 'kompas.db'}"
    host: str = "127.0.0.1"
    port: int = 8000
    # Echo SQL to the log; handy when chasing a query count.
    sql_echo: bool = False
    # Report the number of database queries per request in a Server-Timing header.
    server_timing: bool = False
    # Keys the hashes of session cookies, reset links and API tokens. Set your own in production.
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    # A signed-in session ends after this long without a request, and after this long at most.
    session_idle_minutes: int = 120
    session_max_hours: int = 12
    # Requests of one process that use the database at once (app/admission.py); the others
    # wait their turn for up to `admission_wait_seconds`, then get 503 with Retry-After.
    max_concurrent_requests: int = Field(default=16, ge=1, le=200)
    admission_wait_seconds: float = Field(default=15.0, gt=0, le=120)
    admission_queue_limit: int = Field(default=2000, ge=1)
    # The accessibility statement (/toegankelijkheid): the organisation that runs this
    # installation, and where people report a barrier (an e-mail address or https:// page).
    operator: str | None = None
    accessibility_contact: str | None = Field(
        default=None, pattern=r"^(https://\S+|[^@\s]+@[^@\s]+\.[^@\s]+)$"
    )
    # Who integrators of the JSON API write to (info.contact of the OpenAPI document).
    api_contact_name: str = "Beheer Kompas"
    api_contact_email: str = Field(default="api@kompas.example", pattern=r"^[^@\s]+@[^@\s]+$")
    api_contact_url: str = Field(
        default="https://kompas.example/api-documentatie", pattern=r"^https://\S+$"
    )
    # Exports (PDF, Word, Excel, summary, ballots) one process makes at once (app/exports.py);
    # the others wait their turn on the export page. Each takes seconds of CPU and, for the
    # whole organisation, 80 MiB (1x) to 1.3 GiB (16x): more at once than cores is no faster.
    max_concurrent_exports: int = Field(default=2, ge=1, le=64)
    # Where people reach this installation (https://kompas.gemeente.nl); links in e-mails
    # start with it. Without it: http://{host}:{port}.
    public_url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+(/\S*)?$")
    # Outgoing e-mail through the organisation's relay (app/mail.py). Without a host Kompas
    # sends no e-mail and beheerders pass the links on themselves.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    # starttls (port 587), tls (implicit TLS, port 465) or none (a relay on this machine only).
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    # The relay's certificate is checked against the system's CAs, plus this file's (an
    # organisation's own CA, PEM).
    smtp_ca_file: Path | None = None
    smtp_timeout_seconds: float = Field(default=20, gt=0, le=300)
    # The background worker (app/worker.py) runs inside every server process; set to false
    # when `kompas worker` runs as a process of its own.
    worker_in_server: bool = True
    # Where to report a vulnerability in this installation (/.well-known/security.txt): an
    # e-mail address or an https:// page.
    security_contact: str | None = Field(
        default=None, pattern=r"^(https://\S+|[^@\s]+@[^@\s]+\.[^@\s]+)$"
    )
    # Logs: one JSON object per line on stdout (app/logs.py), from this level up.
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Bearer token for /metrics (app/metrics.py); without it /metrics answers 404.
    metrics_token: SecretStr | None = Field(default=None, min_length=16)
    # Adopting a live session's round warns of a low turnout below this many participants
    # (or with a perspective unheard), with the figures (sessions/adoption.py).
    session_min_turnout: int = Field(default=5, ge=1, le=10_000)
    # On SIGTERM a process finishes its requests for at most this long, then cancels what is
    # left and exits (app/stopping.py); Kubernetes' terminationGracePeriodSeconds must be longer.
    shutdown_timeout: int = Field(default=20, ge=1, le=600)

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_in_capitals(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _own_secret_in_production(self) -> Self:
        if self.environment == "production" and (
            self.secret_key.get_secret_value() == DEVELOPMENT_SECRET
            or len(self.secret_key.get_secret_value()) < 32
        ):
            raise ValueError(
                "KOMPAS_SECRET_KEY must be set to a secret of at least 32 characters in "
                "production (for example: python -c 'import secrets; print(secrets.token_hex())')."
            )
        if self.smtp_host and not self.smtp_from:
            raise ValueError("KOMPAS_SMTP_FROM must be set with KOMPAS_SMTP_HOST.")
        return self

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


settings = Settings()
