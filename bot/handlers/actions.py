"""Buttons on a diagnosis: Helpful / Not it / Mark fixed… and Share in channel."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.handlers import team_of
from bot.render import ACTION_HELPFUL, ACTION_MARK_FIXED, ACTION_NOT_IT, ACTION_SHARE
from bot.services import Services, logged


def register(app: App, services: Services) -> None:
    @app.action(ACTION_HELPFUL)
    def on_helpful(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        services.background(services.on_vote, team_of(context, body), body, True, ACTION_HELPFUL,
                            respond)

    @app.action(ACTION_NOT_IT)
    def on_not_it(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        services.background(services.on_vote, team_of(context, body), body, False, ACTION_NOT_IT,
                            respond)

    @app.action(ACTION_MARK_FIXED)
    def on_mark_fixed(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        # trigger_id lives 3 s: views.open is made here, not behind queued work.
        logged(services.on_mark_fixed, team_of(context, body), body, ACTION_MARK_FIXED)

    @app.action(ACTION_SHARE)
    def on_share(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        services.background(services.on_share, team_of(context, body), body, respond)
