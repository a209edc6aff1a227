"""Diagnosis (+ Recurrence) -> a Slack message: Block Kit blocks and a plain `text` fallback.

Pure functions, no Slack calls. Every string shown comes from the Diagnosis (already masked by the
engine) or from team memory; nothing is taken from the raw paste, which is how a leaked secret
never reaches a reply. Slack's limits are enforced here, for any input size:
50 blocks and 40,000 characters a message, 3,000 a section, 150 a header, 10 context elements,
75 a button label, 2,000 a button value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from knowledge.model import Cause, Diagnosis

if TYPE_CHECKING:
    from bot.memory import Fix, Note, Recurrence

MAX_BLOCKS = 50
MAX_MESSAGE_CHARS = 40_000
MAX_SECTION_CHARS = 3_000
MAX_HEADER_CHARS = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2_000
# The notification / screen-reader fallback stays short: it is a summary, not the answer.
MAX_FALLBACK_CHARS = 1_000

# How much of each list a reply shows; the rest would be noise in a chat thread.
MAX_EVIDENCE = 5
MAX_DEBUG = 6
MAX_FIXES = 5
MAX_OTHER_CAUSES = 6
MAX_HEADERS_SHOWN = 8
MAX_NOTES_SHOWN = 3
MAX_ITEM_CHARS = 600

STATUS_BLOCK_ID = "apierror_status"
ACTIONS_BLOCK_ID = "apierror_actions"
ACTION_HELPFUL = "apierror_helpful"
ACTION_NOT_IT = "apierror_not_it"
ACTION_MARK_FIXED = "apierror_mark_fixed"
ACTION_SHARE = "apierror_share"


@dataclass(frozen=True)
class Message:
    """What chat.postMessage / chat.update / response_url get: `text` and `blocks`."""

    text: str
    blocks: list[dict[str, Any]]

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


# -- text helpers -----------------------------------------------------------------------------

def clean(text: object, limit: int = MAX_SECTION_CHARS) -> str:
    """Printable, bounded text: control characters and lone surrogates dropped, length capped."""
    raw = str(text)[: limit * 2]
    raw = "".join(ch if ch >= " " or ch in "\n\t" else " " for ch in raw)
    raw = raw.encode("utf-8", "replace").decode("utf-8")
    return clip(raw, limit)


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, with an ellipsis when cut; never cuts an `&amp;`-style escape."""
    if len(text) <= limit:
        return text
    cut = max(limit - 1, 0)
    amp = text.rfind("&", max(cut - 5, 0), cut)
    if amp != -1 and ";" not in text[amp:cut]:
        cut = amp
    return text[:cut] + "…"


def escape(text: str) -> str:
    """Slack's three mrkdwn escapes: `<!channel>` or `<@U1>` in a paste must not ping anyone."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(text: object, limit: int = MAX_ITEM_CHARS) -> str:
    """Untrusted text made safe for a mrkdwn field and bounded."""
    return clip(escape(clean(text, limit)), limit)


def code(text: object, limit: int = MAX_ITEM_CHARS) -> str:
    """Inline code; backticks inside would end the span, so they are swapped for a look-alike."""
    return "`" + mrkdwn(str(text).replace("`", "ˋ"), limit) + "`"


def user_ref(user_id: str | None) -> str:
    """`<@U123>` for a real Slack user id, else a neutral word (ids come from Slack, but be strict)."""
    if user_id and user_id.isalnum() and len(user_id) <= 32:
        return f"<@{user_id}>"
    return "a teammate"


def slack_date(when: datetime | None) -> str:
    """Slack renders `<!date^...>` in each reader's own time zone."""
    if when is None:
        return "never"
    fallback = when.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(when.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def percent(confidence: float) -> str:
    return f"{round(max(0.0, min(1.0, confidence)) * 100)}%"


# -- blocks -----------------------------------------------------------------------------------

def section(text: str, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section",
                             "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION_CHARS)}}
    if block_id:
        block["block_id"] = block_id
    return block


def context(texts: list[str], block_id: str | None = None) -> dict[str, Any]:
    elements = [{"type": "mrkdwn", "text": clip(t, MAX_SECTION_CHARS)}
                for t in texts[:MAX_CONTEXT_ELEMENTS] if t]
    block: dict[str, Any] = {"type": "context", "elements": elements or [{"type": "mrkdwn", "text": " "}]}
    if block_id:
        block["block_id"] = block_id
    return block


def header(text: str) -> dict[str, Any]:
    plain = clean(text, MAX_HEADER_CHARS) or " "
    return {"type": "header", "text": {"type": "plain_text", "text": plain, "emoji": True}}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "button", "action_id": action_id,
                             "text": {"type": "plain_text", "text": clip(text, MAX_BUTTON_TEXT),
                                      "emoji": True},
                             "value": value[:MAX_BUTTON_VALUE]}
    if style:
        block["style"] = style
    return block


DIVIDER: dict[str, Any] = {"type": "divider"}


# -- the diagnosis reply ----------------------------------------------------------------------

def secret_warning(diagnosis: Diagnosis) -> str | None:
    """The first thing a reply says when the paste carried a live credential."""
    if not diagnosis.secrets_found:
        return None
    labels = ", ".join(mrkdwn(label, 80) for label in diagnosis.secrets_found[:5])
    return (f":rotating_light: *Your paste contains a secret ({labels}).* Rotate it now and "
            "delete your message: anyone who can read it can use the key. It is masked below.")


def headline(diagnosis: Diagnosis) -> str:
    """One line for the top cause, e.g. `401 · Access token expired (93%)`."""
    status = f"{diagnosis.status} · " if diagnosis.status is not None else ""
    top = diagnosis.top
    if top is None:
        return f"{status}no specific cause found"
    return f"{status}{clean(top.title, 200)} ({percent(top.confidence)})"


def fallback_text(diagnosis: Diagnosis) -> str:
    parts = []
    if diagnosis.secrets_found:
        parts.append("Your paste contains a secret: rotate it and delete your message.")
    parts.append(headline(diagnosis))
    return clip(escape(" ".join(parts)), MAX_FALLBACK_CHARS)


def _bullets(items: list[str], limit: int, numbered: bool = False) -> str:
    shown = [mrkdwn(item) for item in items[:limit] if str(item).strip()]
    lines = [f"{i}. {s}" if numbered else f"• {s}" for i, s in enumerate(shown, 1)]
    if len(items) > limit:
        lines.append(f"_…and {len(items) - limit} more_")
    return "\n".join(lines)


def _top_cause_blocks(cause: Cause) -> list[dict[str, Any]]:
    blocks = []
    if cause.evidence:
        quoted = "\n".join("> " + mrkdwn(item).replace("\n", "\n> ")
                           for item in cause.evidence[:MAX_EVIDENCE])
        blocks.append(section("*What your paste shows*\n" + quoted))
    if cause.debug:
        blocks.append(section("*Check*\n" + _bullets(cause.debug, MAX_DEBUG, numbered=True)))
    if cause.fixes:
        blocks.append(section("*Fix*\n" + _bullets(cause.fixes, MAX_FIXES)))
    return blocks


def _other_causes(causes: list[Cause]) -> dict[str, Any] | None:
    if not causes:
        return None
    lines = []
    for cause in causes[:MAX_OTHER_CAUSES]:
        line = f"• *{mrkdwn(cause.title, 150)}* ({percent(cause.confidence)})"
        if cause.evidence:
            line += " — " + mrkdwn(cause.evidence[0], 160)
        lines.append(line)
    if len(causes) > MAX_OTHER_CAUSES:
        lines.append(f"_…and {len(causes) - MAX_OTHER_CAUSES} less likely_")
    return section("*Also possible*\n" + "\n".join(lines))


def _request_context(diagnosis: Diagnosis) -> dict[str, Any] | None:
    """The request as understood (method, URL, masked headers), small and at the bottom."""
    request = diagnosis.request or {}
    texts: list[str] = []
    method, url = request.get("method"), request.get("url")
    if method or url:
        texts.append("Understood: " + code(f"{method or ''} {url or ''}".strip(), 400))
    headers = request.get("headers")
    if isinstance(headers, dict) and headers:
        shown = [f"{name}: {value}" for name, value in list(headers.items())[:MAX_HEADERS_SHOWN]]
        more = len(headers) - len(shown)
        texts.append(" · ".join(code(item, 200) for item in shown) + (f" +{more} more" if more > 0 else ""))
    if diagnosis.vendor:
        texts.append("Vendor: " + mrkdwn(diagnosis.vendor, 60))
    if diagnosis.request_ids:
        texts.append("Request id: " + ", ".join(code(rid, 80) for rid in diagnosis.request_ids[:3]))
    if not texts:
        return None
    return context(texts)


def _recurrence_blocks(recurrence: Recurrence | None) -> list[dict[str, Any]]:
    if recurrence is None:
        return []
    blocks: list[dict[str, Any]] = []
    if recurrence.last_fix is not None:
        blocks.append(section(fix_line(recurrence.last_fix, before=True)))
    if recurrence.count > 1:
        seen = (f":repeat: Seen {recurrence.count} times by your team "
                f"({recurrence.count_week} this week), first {slack_date(recurrence.first_seen)}")
        if recurrence.previous_seen is not None:
            seen += f", last before this {slack_date(recurrence.previous_seen)}"
        blocks.append(context([seen]))
    notes = list(recurrence.notes)[-MAX_NOTES_SHOWN:]
    if notes:
        blocks.append(context([note_line(note) for note in notes]))
    return blocks


def fix_line(fix: Fix, before: bool = False) -> str:
    lead = "Fixed before" if before else "Marked fixed"
    return (f":white_check_mark: *{lead}* by {user_ref(fix.user_id)} {slack_date(fix.created_at)}:\n"
            f"> {mrkdwn(fix.text, 1500).replace(chr(10), chr(10) + '> ')}")


def note_line(note: Note) -> str:
    return f":memo: Note on {code(note.key, 60)} from {user_ref(note.user_id)}: {mrkdwn(note.text, 400)}"


def action_value(**values: Any) -> str:
    return json.dumps(values, separators=(",", ":"))[:MAX_BUTTON_VALUE]


def _actions(diagnosis: Diagnosis, occurrence_id: int | None, share_key: str | None) -> dict[str, Any] | None:
    elements = []
    top = diagnosis.top
    if share_key is not None:
        elements.append(button("Share in channel", ACTION_SHARE,
                               action_value(k=share_key, o=occurrence_id), style="primary"))
    if occurrence_id is not None and top is not None:
        value = action_value(o=occurrence_id, c=top.id)
        elements.append(button(":thumbsup: Helpful", ACTION_HELPFUL, value))
        elements.append(button(":thumbsdown: Not it", ACTION_NOT_IT, value))
    if occurrence_id is not None:
        elements.append(button("Mark fixed…", ACTION_MARK_FIXED, action_value(o=occurrence_id)))
    if not elements:
        return None
    return {"type": "actions", "block_id": ACTIONS_BLOCK_ID, "elements": elements}


def render_diagnosis(diagnosis: Diagnosis, recurrence: Recurrence | None = None, *,
                     occurrence_id: int | None = None, share_key: str | None = None,
                     footer: str | None = None) -> Message:
    """The full reply: secret warning first, headline and its evidence, steps, fixes, team
    memory, other causes one line each, the understood request, then the buttons.

    `occurrence_id` (stored) enables Helpful / Not it / Mark fixed; `share_key` adds the
    "Share in channel" button of ephemeral slash-command answers; `footer` is a trusted mrkdwn
    line we wrote (e.g. "Shared by <@U1>") shown just above the buttons.
    """
    blocks: list[dict[str, Any]] = []
    warning = secret_warning(diagnosis)
    if warning:
        blocks.append(section(warning))
    blocks.append(header(headline(diagnosis)))
    if diagnosis.top is not None:
        blocks.extend(_top_cause_blocks(diagnosis.top))
    blocks.extend(_recurrence_blocks(recurrence))
    others = _other_causes(diagnosis.causes[1:])
    if others:
        blocks.append(others)
    warnings = [w for w in diagnosis.warnings if w][:5]
    if warnings:
        blocks.append(context([":warning: " + mrkdwn(w, 400) for w in warnings]))
    request = _request_context(diagnosis)
    if request:
        blocks.append(request)
    if footer:
        blocks.append(context([footer]))
    actions = _actions(diagnosis, occurrence_id, share_key)
    if actions:
        blocks.append(actions)
    return fit(Message(fallback_text(diagnosis), blocks))


def fit(message: Message) -> Message:
    """Enforce the block count and the message size by dropping the least important blocks.

    The first block (secret warning or headline) and the actions block always stay; blocks are
    removed from just before the end, where the least important content sits.
    """
    blocks = list(message.blocks)
    text = clip(message.text, MAX_FALLBACK_CHARS)
    budget = MAX_MESSAGE_CHARS - len(text)
    while len(blocks) > 1 and (len(blocks) > MAX_BLOCKS or _size(blocks) > budget):
        removable = [i for i, b in enumerate(blocks) if i > 0 and b.get("type") != "actions"]
        if not removable:
            break
        del blocks[removable[-1]]
    return Message(text, blocks)


def _size(blocks: list[dict[str, Any]]) -> int:
    return len(json.dumps(blocks, ensure_ascii=False))


def with_status(blocks: list[dict[str, Any]], line: str) -> list[dict[str, Any]]:
    """The same message with a status line (fix marked, cause voted down) added or replaced.

    Used to update the original reply in place; the line sits just above the buttons.
    """
    kept = [b for b in blocks if b.get("block_id") != STATUS_BLOCK_ID]
    status = section(line, block_id=STATUS_BLOCK_ID)
    at = next((i for i, b in enumerate(kept) if b.get("type") == "actions"), len(kept))
    updated = [*kept[:at], status, *kept[at:]]
    return fit(Message("", updated)).blocks


def render_help(reason: str | None = None) -> Message:
    """The short reply to a mention with nothing to diagnose."""
    lead = reason or "Paste an HTTP error and I'll tell you what most likely caused it."
    body = (
        f"{lead}\n"
        "• a status: `@apierror 429`\n"
        "• a curl command: `@apierror curl -H 'Authorization: Bearer …' https://api.example.com/v1/items`\n"
        "• a response, or all of it with your question: `@apierror why this? HTTP/1.1 403 Forbidden …`\n"
        "Long pastes can go in a text snippet or file attached to the mention. In a thread I answered, "
        "`@apierror and now 403` reuses the earlier paste. `/apierror help` lists the commands."
    )
    return Message(clip(lead, MAX_FALLBACK_CHARS), [section(body)])
