"""HTML pages and XML documents as bodies: where one starts on a line and where it ends
(`</html>` or the root element's end tag), searched within the body cap."""

from __future__ import annotations

import re

from knowledge.recognize.http.limits import MAX_BODY
from knowledge.recognize.http.lines import Lines

MARKUP_START = re.compile(r"<!doctype html|<html|<\?xml", re.IGNORECASE)
_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)
_TAG_NAME = re.compile(r"<([A-Za-z][A-Za-z0-9:_.-]{0,63})")


def closed_markup(src: Lines, i: int, col: int) -> tuple[str, int] | None:
    """(document, next line) for markup starting at line `i`, column `col`; None when its
    end is not within the cap."""
    text = src.text
    start = src.offsets[i] + col
    limit = min(len(text), start + MAX_BODY)
    head = text[start : start + 4096]
    end_at: int | None = None
    if head[:2] == "<?":
        close = head.find("?>")
        root = _TAG_NAME.search(head, close + 2 if close >= 0 else 2)
        end_at = _close_tag(text, root.group(1) if root else "", start, limit)
    elif head[:2] == "<!":
        html = _HTML_END.search(text, start, limit)
        end_at = html.end() if html is not None else None
    else:
        root = _TAG_NAME.match(head)
        if root is not None:
            if root.group(1).lower() == "html":
                html = _HTML_END.search(text, start, limit)
                end_at = html.end() if html else None
            else:
                end_at = _close_tag(text, root.group(1), start, limit)
    if end_at is None:
        return None
    return text[start:end_at], src.line_after(i, end_at)


def _close_tag(text: str, name: str, start: int, limit: int) -> int | None:
    if not name:
        return None
    at = text.find(f"</{name}>", start, limit)
    return at + len(name) + 3 if at >= 0 else None
