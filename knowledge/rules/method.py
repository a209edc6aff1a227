"""405/501: the method the request really used against the ones the endpoint takes."""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context
from knowledge.model import Finding
from knowledge.rules import finding, rule


def _changed_by_redirect(ctx: Context) -> bool:
    """curl -L followed a 301/302/303 and re-sent a write as GET: the 405 is the redirect's doing."""
    request = ctx.paste.request
    return (request is not None and request.follow_redirects and request.method not in ("GET", "HEAD")
            and any(r.status in (301, 302, 303) for r in ctx.paste.responses[:-1]))


@rule("method.not_allowed", needs=("allow", "get_with_body"), statuses=(405,))
def not_allowed(ctx: Context) -> Iterator[Finding]:
    if _changed_by_redirect(ctx):
        return
    used = ctx.evidence.first("method_used")
    allow = ctx.evidence.first("allow")
    method = used.facts["method"] if used else None
    if allow is not None and ctx.paste.status in (405, None, 404, 400):
        methods = [m.upper() for m in allow.facts.get("methods", [])]
        if method and methods and method not in methods:
            yield finding("method.not_allowed", 0.95, allow, used, allow=", ".join(methods), method=method)
            return
    if ctx.paste.status == 405 and used is not None:
        implied = used.facts.get("implied") and method == "POST" and ctx.paste.request is not None \
            and ctx.paste.request.source == "curl"
        yield finding("method.not_allowed", 0.9 if implied else 0.8, used, method=method,
                      message="curl -d made this a POST" if implied else "")
    get_body = ctx.evidence.first("get_with_body")
    if get_body is not None and ctx.paste.status in (400, 405, 411, 413):
        yield finding("method.not_allowed", 0.6, get_body)
