"""Curl commands inside the paste, skipped whole: their `-d` data is the request body, never
a response body, and `curl -v` output after them is read by the other readers."""

from __future__ import annotations

import re

from knowledge.recognize.http.limits import MAX_BODY, MAX_CURL_LINES
from knowledge.recognize.http.line_kinds import curl_start, is_message_start

_HEREDOC = re.compile(r"<<(-?)[ \t]*(?:'([^'\n]+)'|\"([^\"\n]+)\"|\\?([A-Za-z0-9_.-]+))")


def skip_curl(lines: list[str], i: int) -> int:
    """The line after the curl command starting on line `i` and its continuation lines
    (trailing `\\`, `^`, `` ` `` or an open quote), and after the body of a heredoc it reads
    (`-d @- <<EOF` ... `EOF`): that is the command's input, not a message."""
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
    return _skip_heredoc(lines, i, j, end)


def _skip_heredoc(lines: list[str], first: int, after: int, end: int) -> int:
    """After the command's lines `first`..`after`, the line after its heredoc's delimiter."""
    for line in lines[first:after]:
        if "<<" not in line:
            continue
        m = _HEREDOC.search(line.replace("<<<", "  "))
        if m is None:
            continue
        delimiter = m.group(2) or m.group(3) or m.group(4)
        for k in range(after, min(len(lines), end + MAX_CURL_LINES)):
            candidate = lines[k].lstrip("\t") if m.group(1) else lines[k]
            if candidate.rstrip("\r") == delimiter:
                return k + 1
        return after
    return after


# The characters that can change the quote state, per state: a search jumps (in C) from one
# to the next instead of looking at every character in Python.
_SPECIAL = {"": re.compile(r"[\\'\"]"), '"': re.compile(r'[\\"]')}


def quote_state(segment: str, state: str) -> str:
    """Shell quote state after `segment`: "" (none), "'" or '"'. POSIX rules, bounded input.

    Inside single quotes only the closing quote counts; elsewhere a backslash escapes the
    next character (so it changes nothing) and a quote opens or closes a string."""
    end = min(len(segment), MAX_BODY)
    at = 0
    while at < end:
        if state == "'":
            close = segment.find("'", at, end)
            if close < 0:
                break
            state = ""
            at = close + 1
            continue
        special = _SPECIAL[state].search(segment, at, end)
        if special is None:
            break
        ch = special.group()
        if ch == "\\":
            at = special.start() + 2  # the escaped character is taken as it is
            continue
        state = "" if state else ch  # closes "..." or opens either kind of string
        at = special.start() + 1
    return state
