"""Message shortcut "Diagnose this error": a teammate diagnoses someone else's paste."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.handlers import team_of
from bot.services import Services

CALLBACK_ID = "apierror_diagnose"


def register(app: App, services: Services) -> None:
    @app.shortcut(CALLBACK_ID)
    def on_shortcut(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        services.background(services.on_shortcut, team_of(context, body), body, respond,
                            context.bot_user_id, context.bot_id)
