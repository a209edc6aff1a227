"""Strict JSON (RFC 8259) checking that names the fault and where it is.

STUB: replaced by the JSON checker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class JsonFault:
    kind: str  # trailing_comma, missing_comma, unquoted_key, single_quotes, smart_quotes, ...
    message: str  # "trailing comma before } at line 3, column 14"
    line: int  # 1-based
    column: int  # 1-based, in characters
    snippet: str  # the offending line, trimmed around the fault


def check_json(text: str) -> JsonFault | None:
    """None when `text` is valid JSON per RFC 8259, else the first fault."""
    try:
        json.loads(text)
    except (ValueError, RecursionError) as exc:
        return JsonFault("invalid", str(exc), 1, 1, text[:60])
    return None


def looks_like_json(text: str) -> bool:
    """True when `text` was meant to be JSON (starts with { or [ after whitespace)."""
    stripped = text.lstrip()
    return stripped[:1] in ("{", "[")
