"""The gate in front of Bolt on `POST /slack/events`: signed by Slack, parseable, Slack-shaped.

Bolt parses the body before it checks the signature, and its parsers and listener matchers index
into the payload without looking at types. So an unsigned or malformed body (`{not json`, `[]`,
`payload=null`, `"event": "x"`, `"actions": []`) used to end in a 500 and a traceback in the log,
and an unsigned one was parsed at all. Here, in this order:

1. the v0 signature and the 5-minute timestamp window are checked on the raw bytes (401);
2. the body must decode and parse the way Bolt will parse it, to a JSON object (400);
3. the fields Bolt and our listeners read must have the types Slack sends (400).

Only then does the request reach Bolt, which verifies the signature again (harmless).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import parse_qsl

# Slack: reject requests whose timestamp is more than five minutes from now (replays).
MAX_CLOCK_SKEW_SECONDS = 5 * 60
# No Slack payload nests deeper than this where we look.
_MAX_DEPTH = 4

# Where they appear, these must be JSON objects (Bolt and the listeners call .get on them).
_OBJECTS = frozenset({"event", "container", "message", "previous_message", "view", "state",
                      "item", "assistant_thread", "function_data"})
# Either an id string or an object with an id (events say "user": "U1", interactivity
# "user": {"id": "U1"}), or null.
_ID_OR_OBJECT = frozenset({"team", "user", "channel", "enterprise"})
# Lists of objects.
_OBJECT_LISTS = frozenset({"authorizations", "actions", "files", "response_urls"})
# Scalars Bolt compares, slices or matches as strings (null allowed). Not "text": a string in
# events, an object in actions and views (our listeners read it either way).
_STRINGS = frozenset({
    "type", "subtype", "callback_id", "action_id", "block_id", "command", "ts",
    "thread_ts", "event_ts", "message_ts", "team_id", "user_id", "channel_id", "enterprise_id",
    "response_url", "trigger_id", "event_id", "api_app_id", "bot_id", "channel_type", "tab",
    "private_metadata", "user_team", "function_execution_id", "bot_access_token",
    "app_installed_team_id", "value", "url_private", "url_private_download", "file_access",
    "filetype", "mimetype", "mode", "challenge", "ssl_check", "token",
})


class BadRequest(ValueError):
    """The body is not something Slack sends; the message says what (for the log, not a secret)."""


def signature_ok(secret: str | None, body: bytes, timestamp: str | None, signature: str | None,
                 now: float | None = None) -> bool:
    """Slack's v0 scheme: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}` with the secret."""
    if not secret or not timestamp or not signature:
        return False
    try:
        sent_at = int(timestamp.strip())
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent_at) > MAX_CLOCK_SKEW_SECONDS:
        return False
    # The timestamp is hashed as sent, as Bolt does.
    base = b"v0:" + timestamp.encode("utf-8", "replace") + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.strip().encode("utf-8", "replace"))


def is_ssl_check(body: bytes) -> bool:
    """`ssl_check=1&token=...`: Slack checking a slash command URL's certificate."""
    if len(body) > 1024 or b"ssl_check" not in body:
        return False
    fields = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return fields.get("ssl_check") == "1"


def parse(body: bytes, content_type: str | None) -> dict[str, Any]:
    """The payload as Bolt will see it (same branches as slack_bolt's parse_body); raises BadRequest."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest("body is not UTF-8") from exc
    if not text.strip():
        raise BadRequest("empty body")
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == "application/json" or text.startswith("{"):
        return _object(text, "JSON body")
    if "payload" in text:  # interactivity: form field `payload` holding JSON
        fields = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" in fields:
            return _object(fields["payload"], "payload field")
        return fields
    return dict(parse_qsl(text, keep_blank_values=True))


def _object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"{what} is not valid JSON") from exc
    if not isinstance(value, dict):
        raise BadRequest(f"{what} is not a JSON object")
    return value


def check_shape(payload: dict[str, Any]) -> None:
    """Raise BadRequest when a field Slack always sends as one type has another."""
    _check_object(payload, "body", 0)
    kind = payload.get("type")
    if kind == "event_callback" and not isinstance(payload.get("event"), dict):
        raise BadRequest("event_callback without an event object")
    if kind in ("block_actions", "interactive_message"):
        actions = payload.get("actions")
        if not actions:
            raise BadRequest(f"{kind} without actions")
        if kind == "block_actions" and not all(isinstance(a.get("action_id"), str) for a in actions):
            raise BadRequest("block action without an action_id")
    if kind in ("view_submission", "view_closed"):
        view = payload.get("view")
        if not (isinstance(view, dict) and isinstance(view.get("type"), str)
                and isinstance(view.get("callback_id"), str)):
            raise BadRequest(f"{kind} without a view object with a type and callback_id")
        if view["type"] == "workflow_step" and "workflow_step" not in payload:
            raise BadRequest("workflow step view without workflow_step")
    if kind == "workflow_step_edit" and "workflow_step" not in payload:
        raise BadRequest("workflow_step_edit without workflow_step")


def _check_object(value: dict[str, Any], where: str, depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    for key, item in value.items():
        path = f"{where}.{key}"
        if key in _OBJECTS:
            if item is None and key != "event":
                continue
            if not isinstance(item, dict):
                raise BadRequest(f"{path} is not an object")
            _check_object(item, path, depth + 1)
        elif key in _ID_OR_OBJECT:
            if isinstance(item, dict):
                if not isinstance(item.get("id"), str | None):
                    raise BadRequest(f"{path}.id is not a string")
            elif not isinstance(item, str | None):
                raise BadRequest(f"{path} is neither an id nor an object")
        elif key in _OBJECT_LISTS:
            if not isinstance(item, list) or not all(isinstance(entry, dict) for entry in item):
                raise BadRequest(f"{path} is not a list of objects")
            for entry in item[:20]:
                _check_object(entry, path + "[]", depth + 1)
        elif key in _STRINGS and not isinstance(item, str | None):
            raise BadRequest(f"{path} is not a string")


def validate(body: bytes, content_type: str | None) -> dict[str, Any]:
    """parse + check_shape: the payload, or BadRequest."""
    payload = parse(body, content_type)
    check_shape(payload)
    return payload
