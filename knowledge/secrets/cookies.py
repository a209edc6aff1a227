"""Cookie values: the Cookie header, the first pair of a Set-Cookie, and curl `-b`/`--cookie`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.secrets.curl_options import option_args
from knowledge.secrets.entropy import credential_like
from knowledge.secrets.model import MASK, MIN_FORM_LEN, PRIORITY_STRUCTURE, Hit, Secret
from knowledge.secrets.placeholders import is_placeholder
from knowledge.secrets.view import HEADERISH, View, occurrences

_COOKIE_AFTER_RE = re.compile(
    r"(?:\\?[\"'])?[ \t]{0,8}:[ \t]{0,8}(?:\\?[\"'])?(?P<v>[^\r\n\"'`\\]{1,8192})"
)


_SET_COOKIE_ATTRIBUTES = frozenset(
    {"path", "domain", "expires", "max-age", "samesite", "secure", "httponly", "priority",
     "partitioned", "version", "comment"}
)
_COOKIE_SECRET_NAMES = ("sess", "sid", "token", "auth", "remember", "login", "jwt", "csrf")
# Analytics and preference cookies: ids that track, not credentials.
_PUBLIC_COOKIES = frozenset(
    {"_ga", "_gid", "_gat", "_gcl_au", "_fbp", "_fbc", "ajs_anonymous_id", "_hjid", "_uetsid", "_uetvid",
     "theme", "lang", "locale", "timezone"}
)


def _bare_value_hit(part: str, start: int) -> Hit | None:
    value = part.strip()
    if len(value) < 16 or " " in value or is_placeholder(value) or not credential_like(value):
        return None
    value_start = start + part.find(value)
    return Hit(Secret("cookie", "Cookie value", value, MASK), value_start, value_start + len(value), PRIORITY_STRUCTURE)


def _cookie_hits(pairs: str, start: int, first_only: bool) -> Iterator[Hit]:
    """Values of `a=b; c=d` (a Cookie header, curl -b) or the first pair of a Set-Cookie."""
    offset = start
    for index, part in enumerate(pairs.split(";")[:200]):
        part_start = offset
        offset += len(part) + 1
        if first_only and index > 0:
            return
        name, eq, value = part.partition("=")
        name = name.strip()
        stripped = value.strip()
        if not eq and index == 0 and not first_only and ";" not in pairs:
            # `Cookie: <token>`: a bare session value, no name.
            bare = _bare_value_hit(part, part_start)
            if bare:
                yield bare
            return
        if not eq or not name or not stripped or name.lower() in _SET_COOKIE_ATTRIBUTES:
            continue
        if name.lower() in _PUBLIC_COOKIES or name.lower().startswith("_ga_"):
            continue
        value_start = part_start + len(part) - len(value) + value.find(stripped)
        if stripped.startswith('"') and stripped.endswith('"') and len(stripped) >= 2:
            stripped = stripped[1:-1]
            value_start += 1
        secret_named = any(word in name.lower() for word in _COOKIE_SECRET_NAMES)
        accept = (
            len(stripped) >= MIN_FORM_LEN
            and not is_placeholder(stripped)
            and (
                len(stripped) >= 12
                or (secret_named and credential_like(stripped))
                or (len(stripped) >= 6 and any(c.isdigit() for c in stripped)
                    and any(c.isalpha() for c in stripped))
            )
        )
        if accept:
            yield Hit(
                Secret("cookie", f"Cookie {name}", stripped, MASK),
                value_start,
                value_start + len(stripped),
                PRIORITY_STRUCTURE,
            )


def scan_cookies(view: View) -> Iterator[Hit]:
    text = view.text
    consumed = 0
    for index in occurrences(view.low, "cookie"):
        set_cookie = view.low.startswith("set-", max(0, index - 4)) and index >= 4
        left = index - 4 if set_cookie else index
        if index < consumed or (left > 0 and text[left - 1] in HEADERISH):
            continue
        match = _COOKIE_AFTER_RE.match(text, index + 6)
        if match:
            consumed = match.end()
            yield from _cookie_hits(match.group("v"), match.start("v"), set_cookie)
    for value, start in option_args(view, ("-b", "--cookie"), True):
        if "=" in value:
            yield from _cookie_hits(value, start, False)
