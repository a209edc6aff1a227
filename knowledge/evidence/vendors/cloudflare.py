"""Cloudflare's 1xxx error codes and Ray IDs, from its error pages, plain bodies and prose.

Cloudflare writes "Error 1020" on HTML pages, `error code: 1020` as the whole body for API
clients, and `cf-error-code">1015<` in page markup. Codes are read only when the paste shows
Cloudflare answered (a `Server: cloudflare` or `CF-Ray` header, or "cloudflare" in the text),
so an "Error 1020" elsewhere is not taken for one.

Kinds: `cloudflare_error` {code}; `request_id` {header: "Ray ID", value} for a Ray ID printed on
the page (the CF-Ray header is reported by the header extractor).
"""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context, extractor
from knowledge.evidence.headers import server_layer
from knowledge.model import Evidence

_SCAN = 16 * 1024
_CODE_NEEDLES = ("error code: ", "error code ", "error ", 'cf-error-code">')
_MAX_HITS = 5


def _answered_by_cloudflare(ctx: Context, lowered: str) -> bool:
    if ctx.vendor is not None and ctx.vendor.id == "cloudflare":
        return True
    if "cloudflare" in lowered:
        return True  # tested before the headers: a substring test is cheaper than indexing them
    for response in ctx.paste.responses[-3:]:
        found = server_layer(response.headers)
        if found is not None and found[0] == "cloudflare":
            return True
    return False


def _codes(lowered: str) -> list[str]:
    codes: list[str] = []
    for needle in _CODE_NEEDLES:
        at = lowered.find(needle)
        hits = 0
        while at >= 0 and hits < _MAX_HITS:
            hits += 1
            start = at + len(needle)
            digits = lowered[start : start + 4]
            after = lowered[start + 4 : start + 5]
            is_code = len(digits) == 4 and digits.isdigit() and digits[0] == "1" and not after.isdigit()
            if is_code and digits not in codes:
                codes.append(digits)
            at = lowered.find(needle, start)
    return codes


def _ray_id(text: str) -> str | None:
    at = text.find("Ray ID:")
    if at < 0:
        return None
    rest = text[at + 7 : at + 80]
    # Skip markup (`<strong class="...">`) before the id.
    while rest.lstrip().startswith("<"):
        rest = rest.lstrip()
        close = rest.find(">")
        if close < 0:
            return None
        rest = rest[close + 1 :]
    token = rest.strip().split("<", 1)[0].split()[0] if rest.strip() else ""
    return token if 8 <= len(token) <= 40 and token.replace("-", "").isalnum() else None


@extractor
def cloudflare_evidence(ctx: Context) -> Iterator[Evidence]:
    bodies = "\n".join(body[:_SCAN] for body in ctx.bodies[:2])
    text = bodies + "\n" + ctx.paste.text[:_SCAN]
    lowered = text.lower()
    if not _answered_by_cloudflare(ctx, lowered):
        return
    for code in _codes(lowered):
        yield Evidence("cloudflare_error", f"Cloudflare error {code} in the response", {"code": code})
    ray = _ray_id(text)
    if ray is not None:
        yield Evidence("request_id", f"Cloudflare Ray ID {ray}", {"header": "Ray ID", "value": ray})
