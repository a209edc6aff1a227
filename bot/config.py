"""Environment, read and validated in one place (see INTERFACE.md for the variables)."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "sqlite:///apierror.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def slack_api_url() -> str:
    url = os.environ.get("SLACK_API_URL") or DEFAULT_SLACK_API_URL
    # slack-sdk joins method names onto the base URL, so it must end with a slash.
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True)
class Settings:
    bot_token: str | None
    signing_secret: str | None
    app_token: str | None
    api_url: str
    database_url: str
    port: int
    # Occurrences older than this are purged by the digest run.
    retention_days: int
    # Largest Slack file or snippet the bot downloads to diagnose.
    max_file_bytes: int

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            bot_token=os.environ.get("SLACK_BOT_TOKEN") or None,
            signing_secret=os.environ.get("SLACK_SIGNING_SECRET") or None,
            app_token=os.environ.get("SLACK_APP_TOKEN") or None,
            api_url=slack_api_url(),
            database_url=database_url(),
            port=_int_env("PORT", 3000),
            retention_days=_int_env("APIERROR_RETENTION_DAYS", 90),
            max_file_bytes=_int_env("APIERROR_MAX_FILE_BYTES", 1024 * 1024),
        )


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from exc
    if value <= 0:
        raise ValueError(f"{name} must be positive, not {value}")
    return value
