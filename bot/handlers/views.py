"""The "Mark fixed…" modal's submission: validated in the ack, stored and shown after it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.handlers import team_of
from bot.render_views import FIX_BLOCK_ID, FIX_CALLBACK_ID
from bot.services import Services, fix_text


def register(app: App, services: Services) -> None:
    @app.view(FIX_CALLBACK_ID)
    def on_fix_submitted(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        if not fix_text(body.get("view") or {}):
            ack(response_action="errors", errors={FIX_BLOCK_ID: "Say in a few words what fixed it."})
            return
        ack()
        services.background(services.on_fix_submitted, team_of(context, body), body)
