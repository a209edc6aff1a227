"""Team-memory views: App Home, `/apierror top`, the "Mark fixed…" modal, command help.

Pure like bot/render.py and built from the same helpers, so the same escaping and limits hold:
App Home and modals allow 100 blocks, private_metadata 3,000 characters, modal titles 24.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from bot.render import (
    DIVIDER,
    MAX_SECTION_CHARS,
    Message,
    clip,
    code,
    context,
    fix_line,
    header,
    mrkdwn,
    note_line,
    section,
    slack_date,
)

if TYPE_CHECKING:
    from bot.memory import TopRow

MAX_VIEW_BLOCKS = 100
MAX_PRIVATE_METADATA = 3_000
MAX_FIX_CHARS = 2_000
FIX_CALLBACK_ID = "apierror_fix"
FIX_BLOCK_ID = "fix"
FIX_ACTION_ID = "text"

TREND_ICONS = {"new": ":new:", "up": ":arrow_upper_right:", "down": ":arrow_lower_right:",
               "flat": ":left_right_arrow:"}


def row_title(row: TopRow) -> str:
    """`503 GET api.example.com/v1/items/{id}` from what the fingerprint kept."""
    status = f"*{row.status}*" if row.status is not None else "*no status*"
    target = " ".join(part for part in (row.method, (row.host or "") + (row.path_template or "")) if part)
    line = status + (" " + code(target, 200) if target else "")
    if row.cause_id:
        line += " — " + code(row.cause_id, 80)
    return line


def trend_text(row: TopRow) -> str:
    icon = TREND_ICONS.get(row.trend, "")
    if row.trend == "new":
        return f"{icon} new"
    return f"{icon} {row.trend} (from {row.previous_count})"


def row_blocks(row: TopRow) -> list[dict[str, Any]]:
    blocks = [section(f"{row_title(row)}\n{row.count}× · {trend_text(row)} · "
                      f"last {slack_date(row.last_seen)}")]
    extras = []
    if row.latest_fix is not None:
        extras.append(fix_line(row.latest_fix))
    if row.latest_note is not None:
        extras.append(note_line(row.latest_note))
    if extras:
        blocks.append(context(extras))
    return blocks


def render_top(rows: list[TopRow], days: int) -> Message:
    """`/apierror top [days]`: the team's most frequent errors, with trend, fixes and notes."""
    if not rows:
        text = f"No errors diagnosed for your team in the last {days} days."
        return Message(text, [section(text)])
    blocks: list[dict[str, Any]] = [section(f"*Top errors for your team, last {days} days*")]
    for row in rows:
        blocks.extend(row_blocks(row))
    return Message(f"Top errors for your team, last {days} days", blocks[:50])


def home_view(rows: list[TopRow], days: int = 7, unavailable: bool = False) -> dict[str, Any]:
    """The App Home tab: this week's recurring errors, their trend, notes and fixes."""
    blocks: list[dict[str, Any]] = [header("Your team's API errors this week")]
    if unavailable:
        blocks.append(section(":warning: Team memory is unavailable right now; try again shortly."))
    elif not rows:
        blocks.append(section("Nothing recorded this week. Mention `@apierror` with a status code, "
                              "a curl command or an HTTP response and it will show up here."))
    else:
        for row in rows:
            if len(blocks) + 3 > MAX_VIEW_BLOCKS:
                break
            blocks.append(DIVIDER)
            blocks.extend(row_blocks(row))
    blocks.append(context([f"Last {days} days · `/apierror top 30` for a month · "
                           "`/apierror note 503 <text>` to leave a hint for the team"]))
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}


def fix_modal(metadata: dict[str, Any], headline: str | None = None) -> dict[str, Any]:
    """The "Mark fixed…" modal; `metadata` (occurrence, channel, ts) rides in private_metadata."""
    blocks: list[dict[str, Any]] = []
    if headline:
        blocks.append(section(mrkdwn(headline, 300)))
    blocks.append({
        "type": "input",
        "block_id": FIX_BLOCK_ID,
        "label": {"type": "plain_text", "text": "What fixed it?"},
        "element": {
            "type": "plain_text_input",
            "action_id": FIX_ACTION_ID,
            "multiline": True,
            "max_length": MAX_FIX_CHARS,
            "placeholder": {"type": "plain_text",
                            "text": "e.g. rotated the staging key; the token had expired"},
        },
    })
    blocks.append(context(["Saved for your team and shown the next time this error comes back."]))
    return {
        "type": "modal",
        "callback_id": FIX_CALLBACK_ID,
        "title": {"type": "plain_text", "text": "Mark fixed"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(metadata, separators=(",", ":"))[:MAX_PRIVATE_METADATA],
        "blocks": blocks,
    }


COMMAND_HELP = (
    "*/apierror* diagnoses HTTP API errors.\n"
    "• `/apierror 429` or `/apierror <curl command or response>`: a diagnosis only you see, "
    "with a button to share it\n"
    "• `/apierror top [days]`: your team's most frequent errors (default 7 days)\n"
    "• `/apierror digest on [#channel] [HH:MM]` / `/apierror digest off`: a daily digest\n"
    "• `/apierror note <code or cause id> <text>`: a hint shown with that error from now on\n"
    "• `/apierror help`: this message\n"
    "Or mention `@apierror` with a paste in any channel it is in, or send it a direct message."
)


def render_command_help() -> Message:
    return Message("apierror commands", [section(clip(COMMAND_HELP, MAX_SECTION_CHARS))])


def render_notice(text: str) -> Message:
    """A one-line answer (confirmations, usage errors); `text` is trusted mrkdwn we wrote."""
    return Message(clip(text, 1_000), [section(text)])
