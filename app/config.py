"""Settings, read once from the environment (prefix KOMPAS_) and an optional .env file."""

from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator
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
        return self


settings = Settings()
