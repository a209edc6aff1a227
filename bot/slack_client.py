"""The one way apierror builds a Slack Web API client.

Every call goes to `SLACK_API_URL` (tests point it at a local fake) and is retried by slack-sdk's
own handlers: 429 waits Retry-After then retries; 5xx and dropped connections back off and retry.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler

from bot.config import Settings, slack_api_url

# Slack asks clients to honour Retry-After; a handful of tries covers a busy minute.
RATE_LIMIT_RETRIES = 5
SERVER_ERROR_RETRIES = 3
# Web API calls are small; a stuck connection must not hold a worker for long.
TIMEOUT_SECONDS = 15


def retry_handlers() -> list[RetryHandler]:
    """Fresh handler instances (they hold no shared state, but a list per client is cheap)."""
    backoff = BackoffRetryIntervalCalculator(backoff_factor=0.5)
    return [
        ConnectionErrorRetryHandler(max_retry_count=2, interval_calculator=backoff),
        RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES, interval_calculator=backoff),
    ]


def make_client(token: str | None = None, base_url: str | None = None,
                settings: Settings | None = None) -> WebClient:
    """A WebClient for the bot token against `SLACK_API_URL`, with the retry handlers attached.

    `token`/`base_url` override the environment (tests, multi-workspace installs later).
    """
    if settings is not None:
        token = token or settings.bot_token
        base_url = base_url or settings.api_url
    if token is None:
        token = Settings.from_env().bot_token
    return WebClient(
        token=token,
        base_url=base_url or slack_api_url(),
        timeout=TIMEOUT_SECONDS,
        retry_handlers=retry_handlers(),
    )
