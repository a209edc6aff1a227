"""Direct messages to the bot, answered like mentions (people paste privately first)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.handlers import team_of
from bot.services import Services


def register(app: App, services: Services) -> None:
    @app.event("message")
    def on_message(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
        # Only DMs are subscribed; edits, deletions and our own messages arrive too and are skipped.
        if event.get("channel_type") != "im" or event.get("bot_id"):
            return
        services.background(direct_message, team_of(context, body), body.get("event_id"), event,
                            context.bot_user_id, context.bot_id)

    def direct_message(team: str, event_id: str | None, event: dict[str, Any],
                       bot_user_id: str | None, bot_id: str | None) -> None:
        if services.claim(team, event_id):
            services.on_direct_message(team, event, bot_user_id, bot_id)
