"""Settings, read once from the environment (prefix KOMPAS_) and an optional .env file."""

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


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


settings = Settings()
