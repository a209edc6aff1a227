"""`@apierror ...` in a channel: the answer goes in the mention's thread."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.handlers import team_of
from bot.services import Services


def register(app: App, services: Services) -> None:
    @app.event("app_mention")
    def on_app_mention(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
        services.background(mention, team_of(context, body), body.get("event_id"), event,
                            context.bot_user_id, context.bot_id)

    def mention(team: str, event_id: str | None, event: dict[str, Any], bot_user_id: str | None,
                bot_id: str | None) -> None:
        # Retries (X-Slack-Retry-Num) and duplicate deliveries stop here.
        if services.claim(team, event_id):
            services.on_mention(team, event, bot_user_id, bot_id)
