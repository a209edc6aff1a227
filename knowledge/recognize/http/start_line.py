"""The first line of an HTTP message: a status line (`HTTP/1.1 429 ...`) or a request line
(`POST /x HTTP/1.1`). Anchored patterns without nested quantifiers."""

from __future__ import annotations

import re

_STATUS_LINE = re.compile(r"HTTP/(\d(?:\.\d)?)[ \t]+(\d{3})(?:[ \t]+(.*))?$")
_REQUEST_LINE = re.compile(r"([A-Z][A-Z_-]{1,19})[ \t]+(\S+)[ \t]+HTTP/(\d(?:\.\d)?)[ \t]*$")


def status_line(line: str) -> tuple[str, int, str] | None:
    """(version, status, reason) for a stripped status line, else None."""
    if not line.startswith("HTTP/"):
        return None
    match = _STATUS_LINE.match(line)
    if match is None:
        return None
    return match.group(1), int(match.group(2)), (match.group(3) or "").strip()


def request_line(line: str) -> tuple[str, str, str] | None:
    """(method, target, version) for a stripped request line, else None."""
    if not line[:1].isupper():
        return None
    match = _REQUEST_LINE.match(line)
    if match is None:
        return None
    return match.group(1), match.group(2), match.group(3)
