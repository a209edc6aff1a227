"""The Bolt app factory: one `App` per call, listeners registered, nothing global.

Bolt runs with `process_before_response=False`: events are acked before their listener runs and
every other listener calls `ack()` first, so the HTTP answer leaves within milliseconds while the
work continues on the listener pool (Bolt's equivalent of lazy listeners for a long-running server).
Request signatures and the 5-minute timestamp window are Bolt's RequestVerification middleware.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient

from bot.handlers import register_all
from bot.services import Services
from bot.slack_client import RetryingRespond

log = logging.getLogger(__name__)

# Listeners wait on the database and the Web API. More threads than this only fight over the
# GIL and SQLite's lock, and the thread that acks new requests then waits its turn.
LISTENER_WORKERS = 16


# After a failed auth.test, try again at most this often.
AUTH_RETRY_SECONDS = 60


class BotAuthorization:
    """Single-workspace authorization that never stops the bot answering.

    Bolt's built-in single-team mode calls auth.test before every request until it succeeds
    and refuses requests meanwhile, so a Slack hiccup at start (or a Web API that lacks
    auth.test) would silence the bot. Here auth.test runs once and its answer (the bot's own
    user id, used to strip our mention and ignore our own messages) is cached; while it fails,
    requests are still served with the configured token, and auth.test is retried later.
    """

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._result: AuthorizeResult | None = None
        self._last_try = float("-inf")
        self._lock = threading.Lock()

    def verify(self) -> AuthorizeResult | None:
        with self._lock:
            if self._result is not None or time.monotonic() - self._last_try < AUTH_RETRY_SECONDS:
                return self._result
            self._last_try = time.monotonic()
            try:
                response = self.client.auth_test()
                self._result = AuthorizeResult.from_auth_test_response(
                    auth_test_response=response, bot_token=self.client.token, user_token=None
                )
            except Exception as exc:
                log.warning("auth.test failed (%s); answering without the bot's user id for now",
                            type(exc).__name__)
            return self._result

    def authorize(self, enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
        verified = self.verify()
        if verified is not None:
            return verified
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=self.client.token)


class OneLineLog(logging.Filter):
    """Bolt's own log lines on one line each, without tracebacks.

    Our listeners only ack and hand over (failures in the work are logged by services.logged),
    so what Bolt logs is about requests it could not route: an "Unhandled request" warning
    with a ten-line code suggestion, or a traceback. One line says the same to an operator and
    keeps a flood of odd requests from flooding the log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            message = f"{message} ({type(error).__name__}: {error})"
        first = message.strip().splitlines()[0] if message.strip() else ""
        record.msg, record.args, record.exc_info, record.exc_text = first[:500], None, None, None
        record.stack_info = None
        return True


def create_app(services: Services, *, verify_token: bool = True,
               workers: int = LISTENER_WORKERS) -> App:
    """A Bolt app over `services` (its settings, client and memory).

    `verify_token` calls auth.test once at start, so the bot learns its own user id before the
    first event; a failure is logged, not fatal (see BotAuthorization).
    """
    settings = services.settings
    authorization = BotAuthorization(services.client)
    if verify_token:
        authorization.verify()
    app = App(
        # An empty secret makes every signature check fail: safe when misconfigured.
        signing_secret=settings.signing_secret or "",
        # The client carries the token, SLACK_API_URL and the retry handlers.
        client=services.client,
        # A plain function: Bolt matches authorize's parameters by name (a bound method's `self` confuses it).
        authorize=lambda enterprise_id, team_id: authorization.authorize(enterprise_id, team_id),
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(max_workers=workers, thread_name_prefix="listener"),
        logger=_bolt_logger(),
    )
    @app.middleware
    def retrying_respond(context: BoltContext, next: Callable[[], None]) -> None:
        # Listeners' `respond` retries a response_url that answers 429 or 5xx (see RetryingRespond).
        context["respond"] = RetryingRespond(context.response_url)
        next()

    register_all(app, services)
    return app


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger("bot.app")
    if not any(isinstance(f, OneLineLog) for f in logger.filters):
        logger.addFilter(OneLineLog())
    return logger
