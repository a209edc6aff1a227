"""Which layer answered, told by codes only that layer writes: Cloudflare's 1xxx errors and
Heroku's router codes. Their meaning is data (`errors` in cloudflare.toml / heroku.toml)."""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context
from knowledge.kb import fill
from knowledge.model import Finding
from knowledge.rules import finding, rule


def _coded(ctx: Context, kind: str, vendor_id: str, layer: str) -> Iterator[Finding]:
    vendor = ctx.kb.vendors.get(vendor_id)
    if vendor is None:
        return
    for item in ctx.evidence.of(kind):
        code = str(item.facts.get("code"))
        error = vendor.errors.get(code)
        if error is None:
            continue
        found = finding(error.cause, error.confidence, item, error_code=code, layer=layer)
        if error.note:
            found.evidence = [*found.evidence]
            found.facts["message"] = error.note
        # The paste may not name the vendor (a bare "error code: 1020"), so its advice travels
        # with the finding instead of relying on the detected vendor.
        if ctx.vendor is None or ctx.vendor.id != vendor_id:
            found.debug = fill(vendor.debug.get(error.cause, ()), found.facts)
            found.fixes = fill(vendor.fixes.get(error.cause, ()), found.facts)
        yield found


# Cloudflare codes written by the zone's own WAF or bot rules: the block is a firewall rule,
# whichever client attribute (IP, country, signature) it matched on.
_WAF_CODES = frozenset({"1010", "1012", "1020"})


@rule("*cloudflare", "authz.waf_blocked", needs=("cloudflare_error",))
def cloudflare_codes(ctx: Context) -> Iterator[Finding]:
    yield from _coded(ctx, "cloudflare_error", "cloudflare", "cloudflare")
    for item in ctx.evidence.of("cloudflare_error"):
        if item.facts.get("code") in _WAF_CODES:
            yield finding("authz.waf_blocked", 0.75, item, layer="cloudflare")
            return


@rule("*heroku", needs=("heroku_error",))
def heroku_codes(ctx: Context) -> Iterator[Finding]:
    yield from _coded(ctx, "heroku_error", "heroku", "heroku")
