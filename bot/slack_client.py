"""The one way apierror builds a Slack Web API client.

Every call goes to `SLACK_API_URL` (tests point it at a local fake) and is retried by slack-sdk's
own handlers: 429 waits Retry-After then retries; 5xx and dropped connections back off and retry.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.webhook import WebhookClient, WebhookResponse

from bot.config import Settings, slack_api_url

log = logging.getLogger(__name__)

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


class RetryingRespond:
    """`respond(...)` for a response_url, retried like the Web API client.

    Bolt's own `respond` posts once with a bare WebhookClient: a 429 (with Retry-After) or a 5xx
    from the response_url returned a failed response nobody looked at, and the slash command's
    answer was lost. This one waits Retry-After and retries (slack-sdk's handlers), and logs a
    final failure. Without a response_url it logs and does nothing instead of raising.
    """

    def __init__(self, response_url: str | None) -> None:
        self.response_url = response_url

    def __call__(self, text: str | dict[str, Any] = "", **fields: Any) -> WebhookResponse | None:
        if not self.response_url:
            log.info("nothing to answer through: the request had no response_url")
            return None
        message: dict[str, Any] = dict(text) if isinstance(text, dict) else {"text": text}
        # As Bolt builds it: unset fields and empty block/attachment lists are left out.
        message.update({key: value for key, value in fields.items()
                        if value is not None and not (key in ("blocks", "attachments") and not value)})
        client = WebhookClient(url=self.response_url, timeout=TIMEOUT_SECONDS,
                               retry_handlers=retry_handlers())
        response = client.send_dict(message)
        if response.status_code >= 300:
            log.warning("response_url answered %s: %s", response.status_code, str(response.body)[:200])
        return response
