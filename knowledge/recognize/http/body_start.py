"""Where a body pasted on its own begins on a line, possibly inside prose (`got {"a": 1}`),
and whether what was found looks like JSON rather than `{id}` or `[x]` in a sentence."""

from __future__ import annotations

from knowledge.recognize.http.markup import MARKUP_START


def body_start(line: str, text: str, offset: int) -> tuple[int, str] | None:
    """(column, "json" | "markup") where a body begins on this line, else None."""
    stripped = line.lstrip()
    if stripped[:1] == "<":
        after = stripped[1:2]
        if after.isalpha() or after in ("?", "!"):
            return len(line) - len(stripped), "markup"
    # Every markup start begins with "<": skip the case-insensitive search on lines without one.
    markup = MARKUP_START.search(line, 0, 4096) if "<" in line else None
    tried = 0
    at = 0
    while tried < 5:
        brace = line.find("{", at, 4096)
        bracket = line.find("[", at, 4096)
        candidates = [pos for pos in (brace, bracket) if pos >= 0]
        if not candidates:
            break
        pos = min(candidates)
        if markup is not None and markup.start() < pos:
            return markup.start(), "markup"
        if jsonish_opening(text, offset + pos):
            return pos, "json"
        at = pos + 1
        tried += 1
    if markup is not None:
        return markup.start(), "markup"
    return None


def jsonish_opening(text: str, pos: int) -> bool:
    """Does the bracket at `pos` open something JSON-like (`{"a"`, `{a:`, `[{`), not prose?"""
    opener = text[pos]
    k = pos + 1
    end = min(len(text), pos + 200)
    while k < end and text[k] in " \t\n":
        k += 1
    if k >= end:
        return False
    ch = text[k]
    if opener == "{":
        return ch in "\"'“‘}" or ch.isalpha() or ch == "_"
    return ch in "{[\"'“"


def looks_jsonish(body: str) -> bool:
    """Whether a closed bracketed value reads as JSON (an early key colon, `{}`, quotes)."""
    if body.startswith("{"):
        # The first key's colon comes early in any real object; "{a ... much later :" is prose.
        return ":" in body[:512] or body.replace(" ", "") == "{}"
    return len(body) > 2 and any(ch in body for ch in '{":')
