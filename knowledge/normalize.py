"""Undo what Slack and chat clients do to a paste before anything reads it.

Slack escapes `&`, `<` and `>` as entities, wraps links as `<http://x|x>`, mentions as `<@U123>`
and channels as `<#C123|name>`; people wrap pastes in code fences. Text over `MAX_CHARS` is cut
(with a warning) so that no paste can make the engine slow. Line endings become LF; other
control characters are kept (the JSON check needs them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Pastes are read up to this many characters; the rest is dropped with a warning.
MAX_CHARS = 64 * 1024

# <http://x|label>, <mailto:a@b|a@b>, <@U123>, <#C123|name>, <!here>: no nesting, bounded.
_SLACK_MARKUP = re.compile(r"<([@#!]?)([^<>|\s]{1,2048})(?:\|([^<>]{0,2048}))?>")
_FENCE = re.compile(r"^[ \t]*```[A-Za-z0-9_+-]{0,20}[ \t]*$|```", re.MULTILINE)
# A paste is binary when at least this many characters, and over 5% of it, are NULs or
# undecodable bytes; below that a stray NUL is just part of what is being diagnosed.
_BINARY_MIN = 8


@dataclass
class Normalized:
    text: str
    warnings: list[str] = field(default_factory=list)
    truncated: bool = False
    binary: bool = False


def _markup(match: re.Match[str]) -> str:
    sigil, target, label = match.group(1), match.group(2), match.group(3)
    if sigil == "@":  # user mention: not part of the paste
        return ""
    if sigil == "#":
        return f"#{label}" if label else ""
    if sigil == "!":  # <!here>, <!channel>, <!date^...|fallback>
        return label or ""
    if "://" in target or target.startswith("mailto:"):
        # Slack shows the label but the target is what was typed, unless the label is a
        # shortened form of it. Keep the target: it is the real URL.
        if target.startswith("mailto:"):
            return label or target[len("mailto:"):]
        return target
    return match.group(0)


def unescape_slack(text: str) -> str:
    """Slack link markup and entities back to what the user typed."""
    if "<" in text:
        text = _SLACK_MARKUP.sub(_markup, text)
    if "&" in text:
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text


def normalize(text: str) -> Normalized:
    """Clean a paste for the recognisers. Never raises."""
    warnings: list[str] = []
    truncated = False
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        truncated = True
        warnings.append(
            f"The paste is longer than {MAX_CHARS // 1024} KB; only the first "
            f"{MAX_CHARS // 1024} KB were read."
        )
    total = len(text) or 1
    odd = text.count("\x00") + text.count("\ufffd")
    binary = odd >= _BINARY_MIN and odd * 20 > total
    if binary:
        warnings.append(
            "The paste looks like binary data, not text: paste the HTTP response as text "
            "(`curl -i ...`) or the command you ran."
        )
    # Control characters stay: a raw control character inside a JSON string is exactly the kind
    # of fault the JSON check must see. Whatever prints text (terminal, Slack) neutralises them.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unescape_slack(text)
    if "```" in text:
        text = _FENCE.sub("", text)
    return Normalized(text=text, warnings=warnings, truncated=truncated, binary=binary)
