"""Where a JSON-ish bracketed value ends: one forward scan over bracket and quote characters,
tolerant of invalid JSON, bounded by the caller's limit."""

from __future__ import annotations

import re

_JSONISH = re.compile(r"[{}\[\]\"'\\\n]")


def scan_balanced(text: str, start: int, limit: int, strings: bool) -> int | None:
    """End (exclusive) of the bracketed value starting at `start`, or None; see `scan`."""
    end, _open = scan(text, start, limit, strings)
    return end


def scan(text: str, start: int, limit: int, strings: bool) -> tuple[int | None, bool]:
    """(End (exclusive) of the bracketed value starting at `start` or None when unclosed,
    whether a string was still open at the end).

    Tolerates invalid JSON: bracket kinds need not match, single quotes count as strings, an
    apostrophe string ends at the line end (`it's` in unquoted prose). With `strings` off,
    quotes are ignored: the fallback for a string that never closes.
    """
    depth = 0
    in_str = ""
    skip_to = -1
    for match in _JSONISH.finditer(text, start, limit):
        pos = match.start()
        if pos < skip_to:
            continue
        ch = text[pos]
        if in_str:
            if ch == "\\":
                skip_to = pos + 2
            elif ch == in_str or (ch == "\n" and in_str == "'"):
                in_str = ""
            continue
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth <= 0:
                return pos + 1, False
        elif strings and ch in "\"'":
            in_str = ch
    return None, bool(in_str)
