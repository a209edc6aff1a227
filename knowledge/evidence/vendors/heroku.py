"""Heroku router log lines: `at=error code=H12 desc="Request timeout" ... status=503`.

Kind: `heroku_error` {code, desc}.
"""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context, extractor
from knowledge.model import Evidence
from knowledge.text import clip

_SCAN = 32 * 1024
_NEEDLE = "code=H"
_MAX_HITS = 20


def _desc(text: str, at: int) -> str:
    line_end = text.find("\n", at)
    line = text[at : line_end if line_end > 0 else len(text)]
    start = line.find('desc="')
    if start < 0:
        return ""
    end = line.find('"', start + 6)
    return line[start + 6 : end] if end > 0 else ""


@extractor
def heroku_evidence(ctx: Context) -> Iterator[Evidence]:
    text = ctx.paste.text[:_SCAN]
    at = text.find(_NEEDLE)
    seen: set[str] = set()
    hits = 0
    while at >= 0 and hits < _MAX_HITS:
        hits += 1
        digits = text[at + len(_NEEDLE) : at + len(_NEEDLE) + 2]
        after = text[at + len(_NEEDLE) + 2 : at + len(_NEEDLE) + 3]
        if digits.isdigit() and not after.isalnum():
            code = "H" + digits
            if code not in seen:
                seen.add(code)
                desc = _desc(text, at)
                shown = f"code={code}" + (f' desc="{clip(desc, 60)}"' if desc else "")
                yield Evidence("heroku_error", f"Heroku router log: `{shown}`", {"code": code, "desc": desc})
        at = text.find(_NEEDLE, at + len(_NEEDLE))
