"""Which OAuth scopes or permissions an endpoint needs, against the ones the token has.

Sources: the `X-OAuth-Scopes` / `X-Accepted-OAuth-Scopes` pair (GitHub, Slack), GitHub's
`X-Accepted-GitHub-Permissions` for fine-grained tokens, Slack's `needed` / `provided` body
fields, and GitHub GraphQL's "requires one of the following scopes: [...]" message.

Kind: `scopes_needed` {scope, provided, via, lacking}: `scope` is what the endpoint accepts,
`provided` what the token has (may be empty), `lacking` whether none of `scope` is covered.
"""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context, extractor
from knowledge.evidence.vendors import json_bodies, split_scopes
from knowledge.model import Evidence
from knowledge.text import clip

_GRAPHQL_NEEDS = "requires one of the following scopes:"
_GRAPHQL_HAS = "has only been granted the:"


def _covered(needed: str, have: list[str]) -> bool:
    """A scope the token has grants `needed` directly or as a parent (repo → repo:status,
    admin:org → read:org)."""
    for scope in have:
        if scope == needed or needed.startswith(scope + ":"):
            return True
        if needed == "public_repo" and scope == "repo":
            return True
        if ":" in needed and ":" in scope:
            need_verb, _, need_obj = needed.partition(":")
            has_verb, _, has_obj = scope.partition(":")
            if need_obj == has_obj and has_verb in ("admin", "write") and need_verb in ("read", "write"):
                return True
    return False


def _scopes(needed: list[str], have: list[str] | None, text: str, via: str) -> Evidence:
    lacking = have is not None and not any(_covered(scope, have) for scope in needed)
    return Evidence("scopes_needed", text, {
        "scope": ", ".join(needed), "provided": ", ".join(have or []), "via": via, "lacking": lacking,
    })


def _header_scopes(ctx: Context) -> Iterator[Evidence]:
    response = ctx.paste.response
    if response is None:
        return
    permissions = response.header("X-Accepted-GitHub-Permissions")
    if permissions and permissions.strip():
        shown = clip(permissions, 80)
        yield Evidence("scopes_needed", f"`x-accepted-github-permissions: {shown}`: the fine-grained permission this endpoint needs",
                       {"scope": permissions.strip()[:200], "provided": "", "via": "x-accepted-github-permissions",
                        "lacking": True})
    accepted = response.header("X-Accepted-OAuth-Scopes")
    has = response.header("X-OAuth-Scopes")
    if accepted and accepted.strip():
        needed = split_scopes(accepted)
        have = split_scopes(has) if has is not None else None
        if needed:
            text = f"The endpoint accepts scopes `{clip(accepted, 80)}`"
            if has is not None:
                text += f"; the token has `{clip(has, 80) or 'none'}` (x-oauth-scopes)"
            yield _scopes(needed, have, text, "x-accepted-oauth-scopes")


def _body_scopes(ctx: Context) -> Iterator[Evidence]:
    for data in json_bodies(ctx):
        needed = data.get("needed")
        if isinstance(needed, str) and needed.strip():  # Slack: "needed" / "provided"
            provided = data.get("provided")
            have = split_scopes(provided) if isinstance(provided, str) else None
            text = f"The body says the method needs scope `{clip(needed, 60)}`"
            if isinstance(provided, str):
                text += f" and the token has `{clip(provided, 80) or 'none'}`"
            yield _scopes(split_scopes(needed), have, text, "body")
            return
        errors = data.get("errors")
        if isinstance(errors, list):
            for item in errors[:5]:
                message = item.get("message") if isinstance(item, dict) else None
                if isinstance(message, str) and _GRAPHQL_NEEDS in message:
                    yield from _graphql_scopes(message)
                    return


def _graphql_scopes(message: str) -> Iterator[Evidence]:
    start = message.find(_GRAPHQL_NEEDS) + len(_GRAPHQL_NEEDS)
    end = message.find("]", start)
    needed = split_scopes(message[start : end + 1 if end > 0 else start + 200])
    have: list[str] | None = None
    has_at = message.find(_GRAPHQL_HAS)
    if has_at >= 0:
        has_end = message.find("]", has_at)
        have = split_scopes(message[has_at + len(_GRAPHQL_HAS) : has_end + 1 if has_end > 0 else has_at + 200])
        have = [scope for scope in have if scope != "scopes."]
    if needed:
        text = f"The query needs scope `{', '.join(needed)}`"
        if have is not None:
            text += f"; the token has `{', '.join(have) or 'none'}`"
        yield _scopes(needed, have, text, "graphql")


@extractor
def scope_evidence(ctx: Context) -> Iterator[Evidence]:
    yield from _header_scopes(ctx)
    yield from _body_scopes(ctx)
