"""`find_secrets`: run every detector over a paste and keep one Secret per value.

Detectors run only when their keyword occurs at all. A paste escaped once more than detectors
read (HTML entities, percent-encoding, a JSON string, a token split by a line continuation) is
also read with that layer undone. When several find the same value, the strongest wins (vendor shape > structure > named field > keyword + entropy), and a weaker hit
that merely wraps a stronger one (a named field holding a PEM block) is dropped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from urllib.parse import unquote

from knowledge.secrets.authorization import scan_authorization, scan_bearer
from knowledge.secrets.commands import COMMAND_KEYWORDS, scan_commands
from knowledge.secrets.cookies import scan_cookies
from knowledge.secrets.curl_options import scan_curl_config_user, scan_curl_user
from knowledge.secrets.model import MAX_SCAN_CHARS, MAX_SECRETS, Hit, Secret
from knowledge.secrets.named import KV_KEYWORDS, scan_name_value_pairs, scan_named
from knowledge.secrets.pairs import scan_pairs
from knowledge.secrets.prose import scan_prose
from knowledge.secrets.shapes import scan_shapes
from knowledge.secrets.userinfo import scan_auth_tuples, scan_url_credentials
from knowledge.secrets.view import View


def _contains_any(low: str, keywords: tuple[str, ...]) -> bool:
    """Whether any keyword occurs (a plain loop: cheaper than `any()` over a generator)."""
    for keyword in keywords:  # noqa: SIM110 (any() over a generator is slower here)
        if keyword in low:
            return True
    return False


# What a password option of `commands.py` looks like (cheaper than its dozen command names).
_COMMAND_HINTS = (" -p", " -a", "\t-", "pass", "htpasswd")


def _all_hits(view: View, named: bool) -> list[Hit]:
    """Every detector's hits, in the order `_resolve` relies on (strongest layer first). `named`
    says whether a credential keyword (KV_KEYWORDS) occurs.

    Built as one list rather than chained generators: most pastes hold no secret, and the
    per-detector generator setup was a large share of what they cost.
    """
    low = view.low
    hits = list(scan_shapes(view))
    if hits or view.token_runs():  # pairs need a vendor-shaped key id or a 34-character run
        hits += scan_pairs(view, hits)
    # Every hit so far is at least as strong as a bearer token's, so the token scans skip values
    # already reported, and values one of them already judged (see `token_hit`).
    judged = {hit.secret.value for hit in hits}
    if "authorization" in low:
        hits += scan_authorization(view, judged=judged)
    if "bearer" in low:
        judged.update(hit.secret.value for hit in hits)  # Basic credentials found since
        hits += scan_bearer(view, judged)
    if "-u" in low or "--oauth2-bearer" in low or "--pass" in low:  # -u finds --user too
        hits += scan_curl_user(view)
    if "user" in low and ("user =" in low or "user=" in low or "user:" in low):
        hits += scan_curl_config_user(view)
    if "@" in low and "://" in low:
        hits += scan_url_credentials(view)
    if "cookie" in low or "-b" in low:
        hits += scan_cookies(view)
    if named:
        hits += scan_named(view)
        hits += scan_prose(view)
        if "auth" in low and "(" in low:  # auth=("user", "pw"), HTTPBasicAuth(...)
            hits += scan_auth_tuples(view)
    if _contains_any(low, _COMMAND_HINTS) and _contains_any(low, COMMAND_KEYWORDS):
        hits += scan_commands(view)
    if '"value"' in low or 'value="' in low:
        hits += scan_name_value_pairs(view)
    return hits


_FILLER_RE = re.compile(r"(?:\\[nrt\"]|[\s\"'=:,;])+")


def _resolve(hits: Iterable[Hit]) -> list[Secret]:
    """One Secret per value, the strongest detector winning; weaker wrappers of a stronger value
    (a named field whose value is a PEM block plus a newline) are dropped."""
    best: dict[str, Hit] = {}
    for hit in hits:
        value = hit.secret.value
        known = best.get(value)
        if known is None:
            if len(best) >= MAX_SECRETS:
                break
            best[value] = hit
            continue
        forms = tuple(dict.fromkeys(known.secret.forms + hit.secret.forms))
        winner = hit if hit.priority > known.priority else known
        if forms != winner.secret.forms:
            s = winner.secret
            winner = Hit(Secret(s.kind, s.label, s.value, s.masked, s.live, forms),
                          winner.start, winner.end, winner.priority)
        best[value] = winner
    ranked = sorted(best.values(), key=lambda h: -h.priority)
    kept: list[Hit] = []
    for hit in ranked:
        wrapper = False
        for stronger in kept:
            if stronger.priority <= hit.priority or stronger.secret.value not in hit.secret.value:
                continue
            rest = hit.secret.value.replace(stronger.secret.value, "")
            if len(_FILLER_RE.sub("", rest)) < 8:
                wrapper = True
                break
        if not wrapper:
            kept.append(hit)
    kept.sort(key=lambda h: (h.start, -h.priority))
    return [hit.secret for hit in kept]


def find_secrets(text: str) -> list[Secret]:
    """Every live-looking credential in `text`, in order of appearance; never raises.

    Placeholders (`$TOKEN`, `<your-key>`, `sk_test_xxx`), ids (UUIDs, request ids, commit
    hashes) and publishable keys are not secrets. Test-mode keys are, with `live=False`.
    """
    if not text or not isinstance(text, str):
        return []
    text = text[:MAX_SCAN_CHARS]
    view = View.of(text)
    named = _contains_any(view.low, KV_KEYWORDS)
    hits = _all_hits(view, named)
    copies = _decoded_copies(text, view.low, named)
    if copies:
        found = [hit.secret.value for hit in hits]
        for decoded, decode in copies:
            # A value found in the paste, decoded, is the same secret: report it once.
            seen = {*found, *(decode(value) for value in found)}
            copy_view = View.of(decoded)
            copy_hits = _all_hits(copy_view, _contains_any(copy_view.low, KV_KEYWORDS))
            hits += [hit for hit in copy_hits if hit.secret.value not in seen]
    return _resolve(hits) if hits else []


# Besides KV_KEYWORDS: what the other name and structure detectors start from.
_COPY_KEYWORDS = ("bearer", "cookie", "user", "@", "-p")
# Markers of text that was escaped once more than the detectors read: HTML entities (a JSON body
# on an HTML error page) and percent-encoding (a URL or JSON carried inside a query parameter).
_HTML_MARKERS = ("&quot;", "&#3", "&#x2", "&apos;")
_PERCENT_MARKERS = ("%3a%2f%2f", "%22%3a", "%3d", "%40")


# A shell line continuation and the indentation after it.
_CONTINUATION_RE = re.compile(r"\\\n[ \t]{0,16}")
# A paste inside a JSON string (a log line's message field): `\"`, `\n`, `\u00a0`.
_JSON_ESCAPE_RE = re.compile(r'\\(["\\/bfnrt]|u[0-9a-fA-F]{4})')
_JSON_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _json_unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    return _JSON_ESCAPES[code] if len(code) == 1 else chr(int(code[1:], 16))


def _unescape_json(text: str) -> str:
    return _JSON_ESCAPE_RE.sub(_json_unescape, text)


def _join_continuations(text: str) -> str:
    return _CONTINUATION_RE.sub("", text)


def _decoded_copies(text: str, low: str, named: bool) -> list[tuple[str, Callable[[str], str]]]:
    """The paste with one layer of escaping undone, when it has one, and the function that undid
    it: secrets found there are masked in their escaped forms too (see `mask.py`)."""
    entities = "&" in low and _contains_any(low, _HTML_MARKERS)
    percent = "%" in low and _contains_any(low, _PERCENT_MARKERS)
    backslash = "\\" in low
    if not (entities or percent or backslash):
        return []  # most pastes
    # Vendor shapes see through escapes already; the copies serve the detectors that read names
    # and structure, so they are made only when such a keyword occurs.
    if not (named or _contains_any(low, _COPY_KEYWORDS) or (percent and "%40" in low)):
        return []
    copies: list[tuple[str, Callable[[str], str]]] = []
    if entities:
        copies.append((html.unescape(text), html.unescape))
    if percent:
        copies.append((unquote(text), unquote))
    if backslash and ('\\"' in low or "\\n" in low):
        copies.append((_unescape_json(text), _unescape_json))
    # A token split by a shell line continuation (`Bearer abc\<newline>def`), joined; not the
    # usual ` \` that ends each line of a multi-line command.
    if backslash:
        copies += [(_join_continuations(copy), _join_continuations)
                   for copy, _ in [(text, None), *copies] if _splits_token(copy)]
    unique: dict[str, Callable[[str], str]] = {}
    for copy, decode in copies:
        if copy != text:
            unique.setdefault(copy, decode)
    return list(unique.items())


def _splits_token(text: str) -> bool:
    index = text.find("\\\n", 1)
    while index > 0:
        if not text[index - 1].isspace():
            return True
        index = text.find("\\\n", index + 2)
    return False
