"""Vendor-specific evidence extractors, one module per vendor; list each in `MODULES`.

Shared helpers for them live here: `json_bodies` parses each body once, bounded, and never
raises, so a vendor module reads dicts instead of scanning text.
"""

from __future__ import annotations

import importlib
from typing import Any

from knowledge.evidence import Context

MODULES: tuple[str, ...] = ("scopes", "slack", "sdk_errors", "aws", "cloudflare", "heroku", "frameworks")

# Bodies past this size are not parsed again here: error bodies are small.
MAX_JSON_BODY = 64 * 1024


def load() -> None:
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")


def json_bodies(ctx: Context, limit: int = 3) -> list[dict[str, Any]]:
    """The JSON objects among the paste's first `limit` bodies (final response first).

    Parsed through `ctx.loads`, so the body extractor and every vendor module share one parse
    of each body; the dicts are shared too and must not be changed. The list is made once per
    diagnosis (several vendor modules ask)."""
    found = ctx.json_objects.get(limit)
    if found is None:
        found = ctx.json_objects[limit] = []
        for body in ctx.bodies[:limit]:
            stripped = body.strip()
            if not stripped.startswith("{") or len(stripped) > MAX_JSON_BODY:
                continue
            data = ctx.loads(stripped)
            if isinstance(data, dict):
                found.append(data)
    return found


def split_scopes(value: str) -> list[str]:
    """Scopes as servers list them: comma- or space-separated, Python-list style tolerated."""
    cleaned = value[:2000].replace("[", " ").replace("]", " ").replace("'", " ").replace('"', " ")
    return [item for item in cleaned.replace(",", " ").split() if item][:50]
