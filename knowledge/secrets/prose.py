"""A credential keyword followed by a high-entropy value, in prose or code (the generic rule)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.secrets.entropy import looks_random
from knowledge.secrets.model import MASK, PRIORITY_GENERIC, Hit, Secret
from knowledge.secrets.view import WORD, View, occurrences

# After a keyword: an optional suffix (`_key`, `-token`), whitespace and optional `is`/`:`,
# then a value (gitleaks-style generic rule, for prose and code without a `name=value` shape).
_PROSE_AFTER_RE = re.compile(
    r"[A-Za-z_\-]{0,12}[ \t]{1,3}(?:(?i:is|was|of|=|:)[ \t]{1,3})?[\"'`]?"
    r"(?P<v>[A-Za-z0-9_\-+/=.~]{16,512})"
)
_PROSE_KEYWORDS = ("secret", "token", "key", "password", "passwd", "pwd", "auth")


def scan_prose(view: View) -> Iterator[Hit]:
    """Keyword then a high-entropy value, in prose or code."""
    text = view.text
    low = view.low
    for keyword in _PROSE_KEYWORDS:
        if keyword not in low:
            continue  # most keywords are absent: an `in` test is cheaper than a call
        for index in occurrences(low, keyword):
            if index > 0 and text[index - 1] in WORD:
                continue
            match = _PROSE_AFTER_RE.match(text, index + len(keyword))
            if match is None:
                continue
            value = match.group("v").rstrip(".")
            if "//" in value or value.startswith("/"):
                continue
            if looks_random(value, 16, 3.5):
                start = match.start("v")
                yield Hit(
                    Secret("generic_api_key", "High-entropy value after a credential keyword", value, MASK),
                    start,
                    start + len(value),
                    PRIORITY_GENERIC,
                )
