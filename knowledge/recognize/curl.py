"""curl commands: find them in a paste and work out the request exactly as curl would.

STUB: replaced by the curl parser.
"""

from __future__ import annotations

from knowledge.model import HttpRequest


def find_curl_commands(text: str) -> list[HttpRequest]:
    """Every curl command in `text` (prose around it allowed), parsed. Never raises."""
    return []


def parse_curl(command: str) -> HttpRequest | None:
    """One curl command line (already located) as the request curl would send."""
    return None
