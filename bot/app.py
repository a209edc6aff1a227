"""The Bolt app factory: one `App` per call, listeners registered, nothing global.

Bolt runs with `process_before_response=False`: events are acked before their listener runs and
every other listener calls `ack()` first, so the HTTP answer leaves within milliseconds while the
work continues on the listener pool (Bolt's equivalent of lazy listeners for a long-running server).
Request signatures and the 5-minute timestamp window are Bolt's RequestVerification middleware.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App

from bot.handlers import register_all
from bot.services import Services

# Listeners wait on the database and the Web API. More threads than this only fight over the
# GIL and SQLite's lock, and the thread that acks new requests then waits its turn.
LISTENER_WORKERS = 16


def create_app(services: Services, *, verify_token: bool = True,
               workers: int = LISTENER_WORKERS) -> App:
    """A Bolt app over `services` (its settings, client and memory).

    `verify_token` calls auth.test once at start so a wrong token or API URL fails fast and Bolt
    learns the bot's own user id (used to ignore our own messages and strip our mention).
    """
    settings = services.settings
    app = App(
        # An empty secret makes every signature check fail: safe when misconfigured.
        signing_secret=settings.signing_secret or "",
        # The client carries the token, SLACK_API_URL and the retry handlers.
        client=services.client,
        process_before_response=False,
        token_verification_enabled=verify_token,
        listener_executor=ThreadPoolExecutor(max_workers=workers, thread_name_prefix="listener"),
        logger=logging.getLogger("bot.app"),
    )
    register_all(app, services)
    return app
