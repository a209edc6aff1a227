"""`/apierror ...`: acked at once; answers go ephemerally through the response_url."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.services import Services

COMMAND = "/apierror"


def register(app: App, services: Services) -> None:
    @app.command(COMMAND)
    def on_command(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        services.background(services.on_command, body, respond)
