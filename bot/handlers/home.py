"""App Home: the team's recurring errors this week, published when the tab is opened."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.handlers import team_of
from bot.services import Services


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def on_home_opened(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        services.background(home_opened, team_of(context, body), body.get("event_id"),
                            str(event["user"]))

    def home_opened(team: str, event_id: str | None, user: str) -> None:
        if services.claim(team, event_id):
            services.on_home_opened(team, user)
