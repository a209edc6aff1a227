"""Browser devtools and Postman copies: where one starts (Chrome's General block or header
sections, Firefox's summary rows, Postman's status bar, pseudo-headers, `GET https://...`,
bare response headers), reading the block, and Firefox's "Copy All" JSON of the headers."""

from __future__ import annotations

import json

from knowledge.model import HttpRequest, HttpResponse
from knowledge.recognize.http.bare_headers import BareHeaders
from knowledge.recognize.http.devtools_block import (
    GENERAL_KEYS,
    METHOD_URL,
    POSTMAN_STATUS,
    DevtoolsBlock,
    general_key,
    heading,
)
from knowledge.recognize.http.limits import MAX_HEADERS
from knowledge.recognize.http.line_kinds import is_message_start, verbose_kind

_PSEUDO = (":status", ":method", ":path", ":authority", ":scheme")


def devtools_start(lines: list[str], i: int, bare: BareHeaders) -> bool:
    """Does a devtools or Postman copy (or a bare block of response headers) start at `i`?"""
    line = lines[i].strip()
    lowered = line.lower()
    key = lowered.split(":", 1)[0].strip() if ":" in lowered else lowered
    if key in GENERAL_KEYS:
        return True
    section = heading(line)
    if section in ("response", "request"):
        return True
    if section == "general":
        nxt = _next_nonblank(lines, i + 1)
        return nxt is not None and general_key(lines[nxt]) is not None
    if line.startswith(_PSEUDO):
        return True
    if lowered.startswith("status") and POSTMAN_STATUS.match(line):
        return True
    if lowered.startswith("scheme:") and lowered[7:].strip() in ("http", "https"):
        return True  # Firefox's summary rows
    # METHOD_URL needs "://" (https?://): the `in` test spares most lines the regex.
    return ("://" in line and METHOD_URL.match(line) is not None) or bare.starts_at(lines, i)


def _next_nonblank(lines: list[str], i: int) -> int | None:
    for j in range(i, min(len(lines), i + 4)):
        if lines[j].strip():
            return j
    return None


def read_devtools(lines: list[str], i: int) -> tuple[HttpResponse | None, HttpRequest | None, int]:
    """The copy starting at line `i`: (response, request, next line); General block, header
    sections, pseudo-headers, up to a line that is none of these or the next message."""
    block = DevtoolsBlock()
    n = len(lines)
    j = i
    while j < n:
        line = lines[j].strip()
        if not line:
            j += 1
            continue
        if j > i and (is_message_start(lines[j]) or verbose_kind(lines[j])):
            break
        nxt = lines[j + 1].strip() if j + 1 < n else ""
        used = block.feed(line, nxt)
        if used == 0:
            break
        j += used
    response, request = block.build()
    return response, request, j


def devtools_json(body: str) -> tuple[HttpResponse | None, HttpRequest | None] | None:
    """Firefox's "Copy All" of the headers panel: JSON with `... headers (1.2 kB)` keys.
    (response, request), at least one present, or None when `body` is not such a copy."""
    if '"headers"' not in body or "eaders (" not in body:
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    block = DevtoolsBlock()
    for key, section in data.items():
        which = heading(str(key))
        if which not in ("response", "request") or not isinstance(section, dict):
            continue
        items = section.get("headers")
        if not isinstance(items, list):
            continue
        block.section = which
        for item in items[: MAX_HEADERS * 2]:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                block.add(item["name"], str(item.get("value", "")).strip())
    response, request = block.build()
    if response is None and request is None:
        return None
    return response, request
