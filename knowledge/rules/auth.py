"""401/403: who the caller is, and whether the server believes it."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from knowledge.evidence import Context
from knowledge.model import Evidence, Finding
from knowledge.rules import finding, rule, status_is
from knowledge.text import clip

_AUTH_STATUSES = (401, 403, 419, 440, 498)


@rule("auth.token_expired", needs=("jwt_claims", "jwt_expired", "www_authenticate"))
def token_expired(ctx: Context) -> Iterator[Finding]:
    # A token whose exp is still ahead did not expire, and a request with no JWT and an opaque
    # key is rarely "expired" either: leave that to the server's own words.
    claims = ctx.evidence.of("jwt_claims")
    if claims and not ctx.evidence.has("jwt_expired") and all(c.facts.get("exp") for c in claims):
        ctx.ruled_out.add("auth.token_expired")
    for item in ctx.evidence.of("jwt_expired"):
        confidence = 0.96 if status_is(ctx, *_AUTH_STATUSES) else 0.55
        yield finding("auth.token_expired", confidence, item)
    for item in ctx.evidence.of("www_authenticate"):
        description = str(item.facts.get("error_description") or "").lower()
        if item.facts.get("error") == "invalid_token" and "expire" in description:
            yield finding("auth.token_expired", 0.93, item)


@rule("auth.token_not_yet_valid", needs=("jwt_not_yet_valid",))
def token_not_yet_valid(ctx: Context) -> Iterator[Finding]:
    for item in ctx.evidence.of("jwt_not_yet_valid"):
        yield finding("auth.token_not_yet_valid", 0.9 if status_is(ctx, *_AUTH_STATUSES) else 0.5, item)


@rule("auth.missing_credentials")
def missing_credentials(ctx: Context) -> Iterator[Finding]:
    missing = ctx.evidence.first("auth_missing")
    if missing is None:
        if ctx.paste.request is not None:
            ctx.ruled_out.add("auth.missing_credentials")
        return
    challenge = ctx.evidence.first("www_authenticate")
    if ctx.paste.status == 401:
        yield finding("auth.missing_credentials", 0.88, missing, challenge)
    elif ctx.paste.status == 403:
        yield finding("auth.missing_credentials", 0.55, missing)
    elif ctx.paste.status is None and challenge is not None:
        yield finding("auth.missing_credentials", 0.6, missing, challenge)


@rule("auth.missing_bearer_prefix")
def missing_bearer_prefix(ctx: Context) -> Iterator[Finding]:
    request = ctx.paste.request
    if request is not None and not ctx.evidence.has("auth_bare_token"):
        ctx.ruled_out.add("auth.missing_bearer_prefix")
    for item in ctx.evidence.of("auth_bare_token"):
        yield finding("auth.missing_bearer_prefix", 0.92 if status_is(ctx, 401, 403) else 0.6, item)


@rule("auth.malformed_header", needs=("auth_malformed",))
def malformed_header(ctx: Context) -> Iterator[Finding]:
    for item in ctx.evidence.of("auth_malformed"):
        yield finding("auth.malformed_header", 0.9 if status_is(ctx, 400, 401, 403) else 0.55, item)


@rule("auth.invalid_credentials", needs=("auth_placeholder", "www_authenticate"), statuses=(401,))
def invalid_credentials(ctx: Context) -> Iterator[Finding]:
    for item in ctx.evidence.of("auth_placeholder"):
        yield finding("auth.invalid_credentials", 0.9 if status_is(ctx, 401, 403) else 0.6, item,
                      message="a placeholder was sent instead of the real credential")
    for item in ctx.evidence.of("www_authenticate"):
        description = str(item.facts.get("error_description") or "").lower()
        if item.facts.get("error") == "invalid_token" and "expire" not in description:
            yield finding("auth.invalid_credentials", 0.82, item)
    # Credentials were sent, nothing is wrong with their shape, and the server still says 401.
    if (
        ctx.paste.status == 401
        and ctx.paste.request is not None
        and not ctx.evidence.has("auth_missing", "auth_bare_token", "auth_malformed", "jwt_expired",
                                 "jwt_not_yet_valid", "auth_placeholder")
    ):
        yield finding("auth.invalid_credentials", 0.6, ctx.evidence.first("method_used"),
                      message="credentials were sent and rejected")


@rule("auth.wrong_environment", needs=("key_environment",))
def wrong_environment(ctx: Context) -> Iterator[Finding]:
    for item in ctx.evidence.of("key_environment"):
        yield finding("auth.wrong_environment", 0.9 if status_is(ctx, 401, 403, 404) else 0.6, item)


@rule("auth.wrong_audience", needs=("jwt_claims",))
def wrong_audience(ctx: Context) -> Iterator[Finding]:
    request = ctx.paste.request
    if request is None or not request.host or not status_is(ctx, 401, 403):
        return
    for item in ctx.evidence.of("jwt_claims"):
        audiences = item.facts.get("aud")
        if isinstance(audiences, str):
            audiences = [audiences]
        if not audiences:
            continue
        hosts = set()
        for aud in audiences:
            aud = str(aud)
            host = urlsplit(aud).hostname if "://" in aud else None
            if host:
                hosts.add(host.lower())
        if hosts and request.host not in hosts and not any(request.host.endswith("." + h) for h in hosts):
            yield finding("auth.wrong_audience", 0.78, item, origin=", ".join(sorted(hosts)))


@rule("authz.insufficient_scope", needs=("www_authenticate", "scopes_needed"))
def insufficient_scope(ctx: Context) -> Iterator[Finding]:
    for item in ctx.evidence.of("www_authenticate"):
        if item.facts.get("error") == "insufficient_scope":
            scope = item.facts.get("scope")
            yield finding("authz.insufficient_scope", 0.95, item, **({"scope": scope} if scope else {}))
    # The endpoint names the scopes it accepts and the token has none of them. On a 404 this is
    # a second opinion: GitHub hides what a token without `repo` cannot see.
    for item in ctx.evidence.of("scopes_needed"):
        if item.facts.get("lacking"):
            confidence = 0.6 if ctx.paste.status == 404 else 0.92 if status_is(ctx, 403, 401, 200) else 0.7
            yield finding("authz.insufficient_scope", confidence, item, scope=item.facts.get("scope") or "")
            return


@rule("authz.permission_denied", statuses=(403,))
def permission_denied(ctx: Context) -> Iterator[Finding]:
    # Authenticated (a token the server accepted enough to answer 403) but not allowed.
    if (
        ctx.paste.status == 403
        and ctx.paste.request is not None
        and not ctx.evidence.has("auth_missing", "ratelimit", "message_match", "vendor_error", "cors")
    ):
        yield finding("authz.permission_denied", 0.55, ctx.evidence.first("method_used"))


@rule("authz.cors_blocked", needs=("cors",))
def cors_blocked(ctx: Context) -> Iterator[Finding]:
    # Only a browser enforces CORS. A curl command (often Chrome's "Copy as cURL", which keeps
    # the Origin header) got its answer whatever the CORS headers say, so there they are only
    # a hint for the browser the user started from, never the reason curl saw an error.
    request = ctx.paste.request
    weight = 0.5 if request is not None and request.source == "curl" else 1.0
    for item in ctx.evidence.of("cors"):
        origin = item.facts.get("request_origin")
        allowed = item.facts.get("allow_origin")
        if origin and not allowed:
            yield finding("authz.cors_blocked", 0.9 * weight, item, origin=origin,
                          message="the response has no Access-Control-Allow-Origin for this Origin")
        elif origin and allowed and allowed != "*" and allowed.rstrip("/") != str(origin).rstrip("/"):
            yield finding("authz.cors_blocked", 0.9 * weight, item, origin=origin)
        elif origin and allowed == "*" and item.facts.get("allow_credentials"):
            yield finding("authz.cors_blocked", 0.85 * weight, item, origin=origin,
                          message="a wildcard origin cannot be used with credentials")


@rule("authz.csrf_failed", statuses=(403, 419, 422))
def csrf_failed(ctx: Context) -> Iterator[Finding]:
    # Django, Rails and Laravel say so in the page body, below a generic "403 Forbidden" title.
    response = ctx.paste.response
    if response is not None and ctx.paste.status in (403, 419, 422):
        head = response.body[:8192]
        at = head.lower().find("csrf")
        if at >= 0:
            # The sentence around it, between the tags that enclose it.
            start = max(head.rfind(">", max(0, at - 200), at) + 1, at - 200, 0)
            end = head.find("<", at, at + 200)
            quote = clip(head[start : end if end > 0 else at + 80], 80)
            said = Evidence("csrf_page", f"The {ctx.paste.status} page says “{quote}”", {"message": quote})
            yield finding("authz.csrf_failed", 0.92, said)
    request = ctx.paste.request
    if ctx.paste.status in (403, 419) and request is not None and request.method not in ("GET", "HEAD", "OPTIONS"):
        names = {name.lower() for name, _ in request.headers}
        if "cookie" in names and not names & {"x-csrf-token", "x-xsrf-token", "x-csrftoken", "authorization"}:
            yield finding("authz.csrf_failed", 0.6 if ctx.paste.status == 403 else 0.85,
                          ctx.evidence.first("method_used"),
                          message="a cookie-authenticated write without a CSRF token header")


@rule("*status", needs=("message_match",))
def cors_error_on_a_failed_request(ctx: Context) -> Iterator[Finding]:
    # Proxies' and servers' own error pages carry no CORS headers, so a browser reports a 502 or
    # 504 as a CORS error: the status, not the CORS configuration, is what went wrong.
    status = ctx.paste.status
    if status is None or status < 500:
        return
    cors = [item for item in ctx.evidence.of("message_match") if item.facts.get("cause") == "authz.cors_blocked"]
    entry = ctx.kb.status(status)
    if not cors or entry is None or not entry.causes:
        return
    said = Evidence("cors_side_effect",
                    f"The request itself failed with {status}; error responses from a proxy or a crashed "
                    "handler carry no CORS headers, so the browser reports CORS as well",
                    {"status": status})
    yield finding(entry.causes[0], 0.88, said)
    ctx.ruled_out.add("authz.cors_blocked")
