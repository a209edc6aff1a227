"""Curl commands inside the paste, skipped whole: their `-d` data is the request body, never
a response body, and `curl -v` output after them is read by the other readers."""

from __future__ import annotations

from knowledge.recognize.http.limits import MAX_BODY, MAX_CURL_LINES
from knowledge.recognize.http.line_kinds import curl_start, is_message_start


def skip_curl(lines: list[str], i: int) -> int:
    """The line after the curl command starting on line `i` and its continuation lines
    (trailing `\\`, `^`, `` ` `` or an open quote)."""
    col = curl_start(lines[i]) or 0
    state = ""
    j = i
    segment = lines[i][col:]
    end = min(len(lines), i + MAX_CURL_LINES)
    while j < end:
        state = quote_state(segment, state)
        cont = segment.rstrip().endswith(("\\", "^", "`"))
        j += 1
        if j >= end or not (cont or state):
            break
        segment = lines[j]
        # An open quote never runs past a blank line or a response: quotes were unbalanced.
        if not segment.strip() or is_message_start(segment):
            break
    return j


def quote_state(segment: str, state: str) -> str:
    """Shell quote state after `segment`: "" (none), "'" or '"'. POSIX rules, bounded input."""
    escaped = False
    for ch in segment[:MAX_BODY]:
        if escaped:
            escaped = False
        elif state == "'":
            if ch == "'":
                state = ""
        elif ch == "\\":
            escaped = True
        elif state == '"':
            if ch == '"':
                state = ""
        elif ch in "'\"":
            state = ch
    return state
