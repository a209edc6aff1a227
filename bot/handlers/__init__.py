"""Bolt listeners: thin adapters from Slack payloads to `bot.services.Services`.

Each module registers its listeners with `register(app, services)`. Events are acked by Bolt
before the listener runs; commands, shortcuts, actions and views call `ack()` first thing. Then
the listener hands the work (engine, database, Web API) to `services.background`, so Bolt's
listener threads are free within microseconds and no ack ever waits behind slow work.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.services import Services


def team_of(context: BoltContext, body: dict[str, Any]) -> str:
    """The workspace a request belongs to (org-wide installs fall back to the enterprise id)."""
    return str(context.team_id or body.get("team_id") or (body.get("team") or {}).get("id")
               or context.enterprise_id or "")


def register_all(app: App, services: Services) -> None:
    from bot.handlers import actions, dm, home, mention, shortcut, slash, views

    for module in (mention, dm, home, slash, shortcut, actions, views):
        module.register(app, services)
