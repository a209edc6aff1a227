"""GitHub: a 404 on a repository often means "private, and this token cannot see it"."""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context
from knowledge.model import Finding
from knowledge.rules import finding, rule

# Paths under which GitHub hides private objects behind a 404 instead of a 403.
_PRIVATE_PREFIXES = ("/repos/", "/orgs/", "/teams/", "/gists/", "/installation/", "/projects/")


def _is_github(ctx: Context) -> bool:
    return ctx.vendor is not None and ctx.vendor.id == "github"


@rule("url.hidden_by_access", "auth.missing_credentials", statuses=(404,))
def hidden_repository(ctx: Context) -> Iterator[Finding]:
    if not _is_github(ctx) or ctx.paste.status != 404:
        return
    vendor = ctx.evidence.first("vendor")
    request = ctx.paste.request
    if request is None:
        # A bare GitHub "Not Found" body: the likeliest reading is still a private object.
        yield finding("url.hidden_by_access", 0.6, vendor)
        return
    if not request.path.startswith(_PRIVATE_PREFIXES):
        return
    missing = ctx.evidence.first("auth_missing")
    if missing is not None:
        yield finding("url.hidden_by_access", 0.82, missing, vendor)
        yield finding("auth.missing_credentials", 0.7, missing)
    else:
        yield finding("url.hidden_by_access", 0.78, vendor, ctx.evidence.first("method_used"))
