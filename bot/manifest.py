"""The Slack app manifest (`apierror manifest`): events, the slash command, the shortcut, the
App Home, and only the scopes the app uses.

Built as data and written as YAML by a tiny emitter (no YAML dependency at run time).
"""

from __future__ import annotations

import json
from typing import Any

from bot.handlers.shortcut import CALLBACK_ID
from bot.handlers.slash import COMMAND

PLACEHOLDER_URL = "https://apierror.example.com"
EVENTS_PATH = "/slack/events"

# Each scope and why it is needed; nothing else is requested.
BOT_SCOPES = {
    "app_mentions:read": "receive @apierror mentions",
    "chat:write": "reply in threads and DMs, update replies in place",
    "commands": "the /apierror command and the message shortcut",
    "im:history": "receive direct messages (message.im) and read DM threads",
    "channels:history": "read a public thread's earlier paste for follow-ups and the reply to update",
    "groups:history": "the same in private channels the bot was invited to",
    "files:read": "read text snippets and files attached to a mention",
    "users:read": "the user's time zone for `/apierror digest on HH:MM`",
}
BOT_EVENTS = ["app_mention", "message.im", "app_home_opened"]


def manifest(public_url: str = PLACEHOLDER_URL, socket_mode: bool = False) -> dict[str, Any]:
    """The manifest as a dict; in Socket Mode no request URLs are given (Slack ignores them)."""
    url = public_url.rstrip("/") + EVENTS_PATH
    command: dict[str, Any] = {
        "command": COMMAND,
        "description": "Diagnose an HTTP API error, or see your team's top errors",
        "usage_hint": "429 | <curl or response> | top [days] | digest on|off | note <code> <text> | help",
        "should_escape": True,
    }
    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if not socket_mode:
        command["url"] = url
        events["request_url"] = url
        interactivity["request_url"] = url
    return {
        "display_information": {
            "name": "apierror",
            "description": "Diagnoses HTTP API errors from a status code, a curl command or a response",
            "long_description": (
                "Mention @apierror with a status code, a curl command or a pasted HTTP response (or "
                "all of them with your question) and it answers in the thread with the most likely "
                "cause, the evidence in your paste, how to check and how to fix it. It remembers what "
                "your team saw and what fixed it, warns when a paste leaks a credential, and shows "
                "recurring errors in its App Home."),
            "background_color": "#1d3557",
        },
        "features": {
            "app_home": {"home_tab_enabled": True, "messages_tab_enabled": True,
                         "messages_tab_read_only_enabled": False},
            "bot_user": {"display_name": "apierror", "always_online": True},
            "slash_commands": [command],
            "shortcuts": [{"name": "Diagnose this error", "type": "message", "callback_id": CALLBACK_ID,
                           "description": "Diagnose the HTTP API error in this message"}],
        },
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }


def manifest_yaml(public_url: str = PLACEHOLDER_URL, socket_mode: bool = False) -> str:
    """`apierror manifest`: replace the placeholder URL with where `apierror serve` is reachable."""
    header = (f"# Slack app manifest for apierror. Replace {PLACEHOLDER_URL} with the public URL\n"
              "# of `apierror serve` (or set socket_mode_enabled and run with SLACK_APP_TOKEN).\n")
    return header + "\n".join(_emit(manifest(public_url, socket_mode), 0)) + "\n"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    # JSON strings are valid YAML double-quoted scalars: safe for any character.
    return json.dumps(str(value), ensure_ascii=False)


def _emit(value: Any, indent: int) -> list[str]:
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(_emit(item, indent + 1))
            else:
                lines.append(f"{pad}{key}: {_scalar(item) if not isinstance(item, dict | list) else '[]'}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                inner = _emit(item, indent + 1)
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines.extend(inner[1:])
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    return lines
