"""3xx: the client did not follow, followed into the wrong method, or was sent to https."""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context
from knowledge.model import Finding
from knowledge.rules import finding, rule

_REDIRECTS = (301, 302, 303, 307, 308)


@rule("redirect.not_followed", statuses=_REDIRECTS)
def not_followed(ctx: Context) -> Iterator[Finding]:
    if ctx.paste.status not in _REDIRECTS:
        return
    location = ctx.evidence.first("location")
    no_follow = ctx.evidence.first("no_follow")
    if no_follow is not None:
        yield finding("redirect.not_followed", 0.85, no_follow, location)
    elif location is not None:
        yield finding("redirect.not_followed", 0.6, location)


@rule("redirect.http_to_https", needs=("location", "plain_http"))
def http_to_https(ctx: Context) -> Iterator[Finding]:
    for item in ctx.evidence.of("location"):
        if item.facts.get("http_to_https"):
            yield finding("redirect.http_to_https", 0.93, item)
            return
    plain = ctx.evidence.first("plain_http")
    if plain is not None and ctx.paste.status in (*_REDIRECTS, 400, 403, 426):
        yield finding("redirect.http_to_https", 0.8, plain)


@rule("redirect.method_changed")
def method_changed(ctx: Context) -> Iterator[Finding]:
    request = ctx.paste.request
    responses = ctx.paste.responses
    if request is None or request.method in ("GET", "HEAD") or len(responses) < 2:
        return
    hops = [r for r in responses[:-1] if r.status in (301, 302, 303)]
    if hops and request.follow_redirects:
        hop = hops[0]
        location = hop.header("Location") or "another URL"
        final = responses[-1].status
        # The final refusal (405, 400, 411...) is what the lost method or body caused.
        confidence = 0.96 if final in (405, 400, 404, 411, 415, 422) else 0.88
        yield finding(
            "redirect.method_changed", confidence, ctx.evidence.first("method_used"),
            location=location,
            message=f"{hop.status} to {location}, then {final}: curl -L re-sent the {request.method} as a GET",
        )


@rule("url.trailing_slash_mismatch", needs=("location", "trailing_slash"))
def trailing_slash(ctx: Context) -> Iterator[Finding]:
    for item in ctx.evidence.of("location"):
        if item.facts.get("trailing_slash_only"):
            yield finding("url.trailing_slash_mismatch", 0.9, item)
            return
    slash = ctx.evidence.first("trailing_slash")
    if slash is not None and ctx.paste.status in (404, 405):
        yield finding("url.trailing_slash_mismatch", 0.45, slash)
