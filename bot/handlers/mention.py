"""`@apierror ...` in a channel: the answer goes in the mention's thread."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.handlers import team_of
from bot.services import Services


def register(app: App, services: Services) -> None:
    @app.event("app_mention")
    def on_app_mention(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
        team = team_of(context, body)
        # Retries (X-Slack-Retry-Num) and duplicate deliveries stop here.
        if not services.claim(team, body.get("event_id")):
            return
        services.on_mention(team, event, context.bot_user_id, context.bot_id)
