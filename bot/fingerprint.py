"""Path templates and fingerprints: how two pastes of "the same error" are recognised as one.

`path_template("/v2/orders/123")` gives `"/v2/orders/{id}"`: ids, uuids, hashes, dates, emails
and long opaque tokens become placeholders so the path describes the endpoint, not the record.
`fingerprint(host, method, template, status, cause_id)` hashes those five into a short stable key.

Everything here is plain string scanning over bounded input (no regular expressions), so any
paste, however large or strange, is templated in linear time.
"""

from __future__ import annotations

import hashlib

# An endpoint path is short; anything longer is cut before we look at it.
MAX_PATH_CHARS = 2048
# Segments kept before the rest is summarised as "/…".
MAX_SEGMENTS = 24
# A stored template never exceeds the column size.
MAX_TEMPLATE_CHARS = 512
# A segment longer than this is a value (a blob, an encoded query), never a route word.
MAX_WORD_CHARS = 64
MAX_HOST_CHARS = 253
MAX_METHOD_CHARS = 16
MAX_CAUSE_CHARS = 100

_HEX = frozenset("0123456789abcdefABCDEF")
_DIGITS = frozenset("0123456789")
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.~:")
_MASK_MARK = "***"  # what knowledge.secrets leaves in place of a secret


def _is_uuid(segment: str) -> bool:
    if len(segment) != 36:
        return False
    for index, char in enumerate(segment):
        if index in (8, 13, 18, 23):
            if char != "-":
                return False
        elif char not in _HEX:
            return False
    return True


def _is_scheme(text: str) -> bool:
    """RFC 3986 scheme: a letter, then letters, digits, "+", "-" or "."."""
    return text[:1].isascii() and text[:1].isalpha() and all(
        char.isascii() and (char.isalnum() or char in "+-.") for char in text)


def _is_date(segment: str) -> bool:
    """YYYY-MM-DD, the usual shape of a day in a REST path."""
    return (len(segment) == 10 and segment[4] == "-" and segment[7] == "-"
            and all(segment[i] in _DIGITS for i in (0, 1, 2, 3, 5, 6, 8, 9)))


def template_segment(segment: str) -> str:
    """One path segment as it appears in a template (`123` -> `{id}`; `orders` unchanged)."""
    if not segment:
        return segment
    if _MASK_MARK in segment:
        return "{secret}"
    if all(char in _DIGITS for char in segment):
        return "{id}"
    if _is_uuid(segment):
        return "{uuid}"
    if _is_date(segment):
        return "{date}"
    if "@" in segment:
        return "{email}"
    digits = sum(1 for char in segment if char in _DIGITS)
    # Hex of hash length (git shas, md5, sha256, object ids of 24 hex).
    if len(segment) >= 16 and digits and all(char in _HEX for char in segment):
        return "{hash}"
    if len(segment) > MAX_WORD_CHARS:
        return "{value}"
    if all(char in _ID_CHARS for char in segment):
        # Prefixed ids (cus_9s8d7f6g, ord-20240101) carry several digits; route words such as
        # v2, oauth2 or s3 carry one or two. Long unbroken mixed tokens are opaque keys.
        if digits >= 3 and len(segment) >= 6:
            return "{id}"
        if len(segment) >= 20 and digits:
            return "{id}"
        # A long unbroken word that is not lower case is a key (webhook secrets), not a route.
        if len(segment) >= 20 and not any(c in "-_." for c in segment) and not segment.islower():
            return "{id}"
    return segment


def path_template(path: str | None) -> str | None:
    """The endpoint shape of a URL path: query and fragment dropped, values as placeholders.

    Returns None when there is no path. A full URL is accepted (scheme and host are dropped).
    """
    if path is None:
        return None
    text = path[:MAX_PATH_CHARS].strip()
    if not text:
        return None
    # A full URL: keep what follows the authority.
    scheme_end = text.find("://")
    if 0 < scheme_end < 16 and _is_scheme(text[:scheme_end]):
        slash = text.find("/", scheme_end + 3)
        text = text[slash:] if slash >= 0 else "/"
    for stop in ("?", "#"):
        cut = text.find(stop)
        if cut >= 0:
            text = text[:cut]
    # Strip again after the cut ("/0 ?x" -> "/0"), so templating a template changes nothing.
    text = text.strip()
    if not text.startswith("/"):
        text = "/" + text
    segments = text.split("/")[1:]
    more = len(segments) > MAX_SEGMENTS
    shaped = [template_segment(segment) for segment in segments[:MAX_SEGMENTS]]
    result = "/" + "/".join(shaped) + ("/…" if more else "")
    # Control characters (NULs from a binary paste) would only confuse storage and display.
    result = "".join(char if char >= " " and char != "\x7f" else "\ufffd" for char in result)
    if len(result) > MAX_TEMPLATE_CHARS:
        result = result[: MAX_TEMPLATE_CHARS - 1] + "…"
    return result


def clean_host(host: str | None) -> str | None:
    """Lower-case host without a trailing dot, bounded; None when empty."""
    if not host:
        return None
    cleaned = host.strip().lower().rstrip(".")[:MAX_HOST_CHARS]
    cleaned = "".join(char for char in cleaned if char > " " and char != "\x7f")
    return cleaned or None


def clean_method(method: str | None) -> str | None:
    if not method:
        return None
    cleaned = "".join(char for char in method.strip().upper() if char > " " and char != "\x7f")
    return cleaned[:MAX_METHOD_CHARS] or None


def clean_cause(cause_id: str | None) -> str | None:
    if not cause_id:
        return None
    return cause_id.strip()[:MAX_CAUSE_CHARS] or None


def fingerprint(host: str | None, method: str | None, template: str | None,
                status: int | None, cause_id: str | None) -> str:
    """A short, stable key for (host, method, path template, status, top cause).

    Inputs are normalised here too, so callers may pass raw values. 24 hex characters (96 bits)
    are plenty: fingerprints are only ever compared within one team.
    """
    parts = [
        clean_host(host) or "",
        clean_method(method) or "",
        path_template(template) or "",
        "" if status is None else str(status),
        clean_cause(cause_id) or "",
    ]
    # A separator that cannot appear in any part after cleaning keeps the tuple unambiguous.
    joined = "\x1f".join(part.replace("\x1f", "") for part in parts)
    return hashlib.sha256(joined.encode("utf-8", errors="replace")).hexdigest()[:24]
