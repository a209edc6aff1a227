"""200 that is not a success: GraphQL errors and `"ok": false` bodies."""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context
from knowledge.model import Finding
from knowledge.rules import finding, rule


@rule("graphql.errors_in_ok_response", needs=("graphql_errors",))
def graphql_errors(ctx: Context) -> Iterator[Finding]:
    item = ctx.evidence.first("graphql_errors")
    if item is not None:
        ok = ctx.paste.status in (200, None)
        # A code the vendor documents ("INSUFFICIENT_SCOPES") names the real cause; the
        # `errors` array is then the shape around it, still worth showing second.
        specific = any(v.facts.get("cause") != "graphql.errors_in_ok_response" for v in ctx.evidence.of("vendor_error"))
        confidence = (0.78 if specific else 0.9) if ok else 0.5
        yield finding("graphql.errors_in_ok_response", confidence, item,
                      message=(item.facts.get("messages") or [""])[0])


@rule("api.error_in_ok_response", needs=("ok_false",))
def ok_false(ctx: Context) -> Iterator[Finding]:
    item = ctx.evidence.first("ok_false")
    if item is not None:
        # A specific vendor code ("missing_scope") is the real cause; this is the shape around it.
        specific = ctx.evidence.has("vendor_error", "message_match")
        ok = ctx.paste.status in (200, None)
        confidence = (0.75 if specific else 0.9) if ok else 0.45
        yield finding("api.error_in_ok_response", confidence, item,
                      error_code=item.facts.get("error") or "")


@rule("api.html_instead_of_json", needs=("html_page",))
def html_instead_of_json(ctx: Context) -> Iterator[Finding]:
    """A success status whose body is an HTML page, where the caller expected JSON: an SPA's
    index.html served for an unknown /api path, a login page, a proxy's page."""
    page = ctx.evidence.first("html_page")
    if page is None or ctx.paste.status not in (200, None) or page.facts.get("layer"):
        return
    request = ctx.paste.request
    wants_json = request is not None and "json" in (request.header("Accept") or "").lower()
    said = [m for m in ctx.evidence.of("message_match") if m.facts.get("cause") == "api.html_instead_of_json"]
    if wants_json or said:
        yield finding("api.html_instead_of_json", 0.88, page, *said[:1])
