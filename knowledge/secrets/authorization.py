"""The Authorization header (Bearer, Token, Basic, bare tokens) and `Bearer x` anywhere.

Basic credentials are reported as the base64 value and, when it decodes to `user:password`,
as the password too (see `userinfo.py`).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

from knowledge.secrets.entropy import credential_like
from knowledge.secrets.model import MASK, PRIORITY_STRUCTURE, Hit, Secret
from knowledge.secrets.placeholders import is_placeholder
from knowledge.secrets.userinfo import userinfo_hits
from knowledge.secrets.view import HEADERISH, View, keyword_at, occurrences

_AUTH_AFTER_RE = re.compile(
    r"(?:\\?[\"'][ \t]{0,8}[:=,]|[ \t]{0,8}[:=])[ \t]{0,8}(?:\\?[\"'])?(?P<v>[^\r\n\"'`\\]{1,4096})"
)
# `Bearer x`, `Bearer "x"`, `"Bearer " + "x"`, Rust's `.bearer_auth("x")`, or `Bearer` at a line's
# end with the token alone on the next, indented line (a wrapped header; a YAML key such as
# `access_token:` on the next line is not a token).
_BEARER_AFTER_RE = re.compile(
    r"""(?:
        :?[ \t\u00a0]{1,4}(?:["'][ \t]{0,4}\+[ \t]{0,4})?["']?(?P<v>[A-Za-z0-9\-._~+/=|:]{8,4096})
      | _auth\([ \t]{0,4}["'](?P<c>[A-Za-z0-9\-._~+/=]{8,4096})["']
      | [ \t]{0,4}\n>?[ \t]{1,8}(?P<w>[A-Za-z0-9\-._~+/=]{16,4096})[ \t"']{0,4}(?=\n|$)
    )""",
    re.X,
)


_AUTH_SKIP_SCHEMES = frozenset({"digest", "negotiate", "ntlm", "hoba", "mutual", "vapid"})
_TOKEN_STRIP = "\"',;)]}>"


def token_hit(token: str, start: int, label: str, judged: set[str] | None = None) -> Hit | None:
    """A bearer-style credential, or None for placeholders, words and public ids.

    `judged` (updated here) holds values already reported by a detector at least as strong, or
    already judged by this function, in this paste. The verdict depends on the value alone and
    `find_secrets` keeps the first of equal hits, so a repeat (the `Bearer` of an Authorization
    header, a Stripe key the shapes found) is answered None without checking it again.
    """
    stripped = token.strip(_TOKEN_STRIP)
    start += token.find(stripped) if stripped else 0
    if judged is not None:
        if stripped in judged:
            return None
        judged.add(stripped)
    if (
        len(stripped) < 8
        or is_placeholder(stripped)
        or not credential_like(stripped)
        or stripped.lower().startswith(("pk_live_", "pk_test_"))
    ):
        return None
    return Hit(Secret("bearer_token", label, stripped, MASK), start, start + len(stripped), PRIORITY_STRUCTURE)


def _basic_hits(token: str, start: int) -> Iterator[Hit]:
    """`Authorization: Basic b64`: the base64 itself, and the password it decodes to."""
    token = token.strip(_TOKEN_STRIP)
    if len(token) < 4 or is_placeholder(token):
        return
    try:
        decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        decoded = ""
    if decoded and decoded.isprintable() and ":" in decoded:
        user, _, password = decoded.partition(":")
        if password and is_placeholder(password):
            return
        parts = list(userinfo_hits(user, password, start, "Basic credentials"))
        if not password and not parts:
            return  # `user:` with an ordinary user name: nothing secret in it
        yield Hit(
            Secret("basic_credentials", "Basic auth credentials", token, MASK),
            start,
            start + len(token),
            PRIORITY_STRUCTURE,
        )
        # Decoded parts are not in the paste, so spans point at the base64 they came from.
        for hit in parts:
            yield Hit(hit.secret, start, start + len(token), hit.priority)
    elif len(token) >= 8 and credential_like(token):
        yield Hit(
            Secret("basic_credentials", "Basic auth credentials", token, MASK),
            start,
            start + len(token),
            PRIORITY_STRUCTURE,
        )


def scan_authorization(view: View, shift: int = 0, judged: set[str] | None = None) -> Iterator[Hit]:
    """Authorization / Proxy-Authorization values: Bearer, Token, Basic, bare tokens, `Bearer:`.

    `shift` moves reported spans when `view` is a piece cut out of the paste; `judged` is as for
    `token_hit`.
    """
    for hit in _authorization_hits(view, judged):
        yield Hit(hit.secret, hit.start + shift, hit.end + shift, hit.priority) if shift else hit


def _authorization_hits(view: View, judged: set[str] | None) -> Iterator[Hit]:
    text = view.text
    consumed = 0  # a header value is read once, not again for each keyword inside it
    for index in occurrences(view.low, "authorization"):
        left = index - 6 if view.low.startswith("proxy-", max(0, index - 6)) else index
        if index < consumed or (left > 0 and text[left - 1] in HEADERISH):
            continue
        match = _AUTH_AFTER_RE.match(text, index + 13)
        if match is None:
            continue
        consumed = match.end()
        raw = match.group("v")
        stripped = raw.lstrip()
        offset = match.start("v") + (len(raw) - len(stripped))
        words = stripped.split(None, 2)[:2]
        if not words:
            continue
        if len(words) == 1:
            hit = token_hit(words[0], offset, "Token in Authorization header", judged)
            if hit:
                yield hit
            continue
        scheme, credential = words
        cred_start = stripped.find(credential, len(scheme)) + offset
        name = scheme.rstrip(":").lower()
        if name in _AUTH_SKIP_SCHEMES or name.startswith("aws4-"):
            continue
        if name == "basic":
            yield from _basic_hits(credential, cred_start)
            continue
        # `Token token=abc`, `Bearer access_token="abc"`: the value after `=`.
        key, eq, after = credential.partition("=")
        if eq and key.replace("_", "").isalpha() and after:
            cred_start += len(key) + 1
            credential = after
        hit = token_hit(credential, cred_start, f"{scheme.rstrip(':')} token in Authorization header", judged)
        if hit:
            yield hit


def scan_bearer(view: View, judged: set[str] | None = None) -> Iterator[Hit]:
    """`Bearer x` outside an Authorization header (prose, Postman, code); `judged` as for `token_hit`."""
    consumed = 0
    for index in keyword_at(view, "bearer"):
        match = _BEARER_AFTER_RE.match(view.text, index + 6) if index >= consumed else None
        if match:
            consumed = match.end()
            group = next(g for g in ("v", "c", "w") if match.group(g) is not None)
            hit = token_hit(match.group(group), match.start(group), "Bearer token", judged)
            if hit:
                yield hit
