"""Evidence from response headers: when to retry, rate limits, auth challenges, CORS, redirects,
which proxy answered, request ids.

The parsing helpers are public so other modules (rules, vendors) can reuse them:
`parse_http_date`, `parse_retry_after`, `parse_duration`, `parse_www_authenticate`,
`server_layer`. `header_evidence` is the one registered extractor. Evidence kinds and their
facts (rules read these names):

- `retry_after`: seconds, retry_at, raw
- `ratelimit`: limit, remaining, reset_in, reset_at, policy, resource, header, exhausted
- `www_authenticate`: scheme, realm, error, error_description, scope
- `allow`: methods
- `cors`: allow_origin, allow_methods, allow_headers, allow_credentials, request_origin
- `location`: location, http_to_https, trailing_slash_only, same_host
- `server`: server, via, layer
- `request_id`: header, value
- `response_content_type`: content_type, mime (final response only)
- `date_header`: date
- `content_length`: length

Responses are read final first, so `evidence.first(kind)` is about the final response.
Nothing here raises for any header value: every value is capped before it is parsed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_tz
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from knowledge.evidence import Context, extractor
from knowledge.model import Evidence, Header, HttpRequest, HttpResponse

MAX_VALUE = 8192  # characters of one header value that are parsed
MAX_QUOTE = 160  # characters of a value quoted in evidence text
MAX_PER_KIND = 10  # evidence items of one kind from one response
MAX_RESPONSES = 10  # responses read (final first); redirect chains are short
MAX_SECONDS = 10 * 365 * 86400  # beyond this a "delay" is nonsense

_SAFE_ERRORS = (ValueError, TypeError, OverflowError, IndexError, KeyError, AttributeError)

REQUEST_ID_HEADERS: tuple[str, ...] = (
    "x-request-id", "x-amzn-requestid", "x-amz-request-id", "x-amz-id-2", "x-amz-cf-id",
    "x-amzn-trace-id", "x-github-request-id", "request-id", "cf-ray", "x-cloud-trace-context",
    "x-ms-request-id", "x-ms-correlation-request-id", "x-correlation-id", "traceparent",
    "apigw-requestid", "x-slack-req-id", "x-trace-id", "x-b3-traceid", "x-datadog-trace-id",
    "x-vercel-id", "fly-request-id", "x-guploader-uploadid",
)


# ---------------------------------------------------------------------------- small parsers


def parse_http_date(value: str) -> datetime | None:
    """An HTTP-date (RFC 9110 §5.6.7: IMF-fixdate, RFC 850 or asctime) as aware UTC, else None."""
    try:
        text = value.strip()[:100]
        fixed = _imf_fixdate(text)
        if fixed is not None:
            return fixed
        parts = parsedate_tz(text)
        if parts is None:
            return None
        offset = parts[9] or 0
        naive = datetime(*parts[:6])  # type: ignore[misc]
        return (naive - timedelta(seconds=offset)).replace(tzinfo=UTC)
    except _SAFE_ERRORS:
        return None


_MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}


def _imf_fixdate(text: str) -> datetime | None:
    """The usual form, IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), read by position; None
    for any other shape, which `parsedate_tz` (pure Python, several times slower) reads.

    Gives exactly what `parsedate_tz` gives for this shape; years below 1000 are left to it
    (it moves two-digit years into 1969-2068). Raises ValueError for an impossible date."""
    if (len(text) != 29 or text[3:5] != ", " or text[7] != " " or text[11] != " " or text[16] != " "
            or text[19] != ":" or text[22] != ":" or not text.endswith(" GMT")):
        return None
    month = _MONTHS.get(text[8:11])
    digits = text[5:7] + text[12:16] + text[17:19] + text[20:22] + text[23:25]
    if month is None or not text[:3].isalpha() or not (digits.isascii() and digits.isdigit()) or text[12] == "0":
        return None
    return datetime(int(text[12:16]), month, int(text[5:7]), int(text[17:19]), int(text[20:22]),
                    int(text[23:25]), tzinfo=UTC)


def _parse_iso(value: str) -> datetime | None:
    """RFC 3339 timestamps some APIs use for reset times (`2024-05-01T12:00:00Z`)."""
    text = value.strip()[:64]
    if len(text) < 10 or not text[:4].isdigit() or text[4:5] != "-":
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _number(value: str) -> float | None:
    """A plain non-negative decimal number, else None (no exponents, no inf/nan)."""
    text = value.strip()
    if not text or len(text) > 20 or text.count(".") > 1:
        return None
    # At most one dot (checked above), so dropping it leaves only digits, and at least one.
    if not text.replace(".", "").isdigit():
        return None
    return float(text)


def _aware(now: datetime) -> datetime:
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


def parse_retry_after(value: str, now: datetime) -> int | None:
    """Seconds to wait from a Retry-After value (RFC 9110 §10.2.3), relative to `now`.

    Accepts delay-seconds (and, leniently, decimals, rounded up) or an HTTP-date; a date in
    the past means 0. None for anything else.
    """
    try:
        number = _number(value)
        if number is not None:
            seconds = math.ceil(number)
            return seconds if seconds <= MAX_SECONDS else None
        when = parse_http_date(value)
        if when is None:
            return None
        delta = (when - _aware(now)).total_seconds()
        return max(0, min(math.ceil(delta), MAX_SECONDS))
    except _SAFE_ERRORS:
        return None


_DURATION_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001, "us": 1e-6, "µs": 1e-6,
                   "ns": 1e-9, "d": 86400.0}


def parse_duration(value: str) -> float | None:
    """Seconds in an OpenAI/Go style duration: `1s`, `6m0s`, `20ms`, `1h2m3.5s`; a bare
    number counts as seconds. None when the value is not a duration."""
    text = value.strip().lower()[:64]
    if not text:
        return None
    plain = _number(text)
    if plain is not None:
        return plain
    total = 0.0
    i = 0
    n = len(text)
    while i < n:
        start = i
        while i < n and (text[i].isdigit() or text[i] == "."):
            i += 1
        if i == start:
            return None
        number = _number(text[start:i])
        unit_start = i
        while i < n and text[i].isalpha():
            i += 1
        unit = text[unit_start:i]
        if number is None or unit not in _DURATION_UNITS:
            return None
        total += number * _DURATION_UNITS[unit]
    return total


def parse_www_authenticate(value: str) -> list[dict[str, str]]:
    """Challenges in a WWW-Authenticate value (RFC 9110 §11.6.1, RFC 6750 §3).

    Each challenge is a dict: `scheme` as written, every auth-param by lower-case name
    (quoted strings unescaped), and `token68` when the challenge carries one
    (`Negotiate YII...`). Several comma-separated challenges give several dicts.
    """
    text = value[:MAX_VALUE]
    out: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    after_scheme = False  # the next bare token (no `=`, no comma before it) is a token68
    i = 0
    n = len(text)
    while i < n and len(out) < 20:
        ch = text[i]
        if ch in " \t":
            i += 1
            continue
        if ch == ",":
            after_scheme = False
            i += 1
            continue
        start = i
        while i < n and (text[i] in _TOKEN68 or text[i].isalnum()):
            i += 1
        word = text[start:i]
        if not word:
            i += 1  # a stray character such as an unmatched quote
            after_scheme = False
            continue
        k = i
        while k < n and text[k] in " \t":
            k += 1
        if k < n and text[k] == "=" and current is not None and not _is_padding(text, k):
            param_value, i = _param_value(text, k + 1)
            current.setdefault(word.lower(), param_value)
            after_scheme = False
            continue
        if k < n and text[k] == "=" and current is not None:
            # token68 padding: `abc==`
            while k < n and text[k] == "=":
                k += 1
            current.setdefault("token68", text[start:k])
            i = k
            after_scheme = False
            continue
        if after_scheme and current is not None:
            current.setdefault("token68", word)
            after_scheme = False
            continue
        current = {"scheme": word}
        out.append(current)
        after_scheme = True
    return out


_TOKEN68 = frozenset("-._~+/!#$%&'*^`|")


def _is_padding(text: str, k: int) -> bool:
    """True when the `=` at `k` is token68 padding (`==`, or `=` then a comma or the end)."""
    j = k
    while j < len(text) and text[j] == "=":
        j += 1
    if j - k > 1:
        return True
    while j < len(text) and text[j] in " \t":
        j += 1
    return j >= len(text) or text[j] == ","


def _param_value(text: str, i: int) -> tuple[str, int]:
    """An auth-param value from `i`: a quoted string (escapes undone) or a token."""
    n = len(text)
    while i < n and text[i] in " \t":
        i += 1
    if i < n and text[i] == '"':
        i += 1
        chars: list[str] = []
        while i < n and text[i] != '"':
            if text[i] == "\\" and i + 1 < n:
                i += 1
            chars.append(text[i])
            i += 1
        return "".join(chars), i + 1
    start = i
    while i < n and text[i] not in ", \t":
        i += 1
    return text[start:i], i


def _leading_int(value: str) -> int | None:
    """The integer a value starts with: `100`, `100;w=60`, `100, 100;w=60` all give 100."""
    text = value.strip()[:32]
    end = 0
    while end < len(text) and text[end].isdigit():
        end += 1
    return int(text[:end]) if end else None


# ---------------------------------------------------------------------------- layers


_SERVER_LAYERS: tuple[tuple[str, str], ...] = (
    ("cloudflare", "cloudflare"),
    ("istio-envoy", "istio"),
    ("envoy", "envoy"),
    ("awselb", "awselb"),
    ("cloudfront", "cloudfront"),
    ("akamaighost", "akamai"),
    ("akamainetstorage", "akamai"),
    ("akamai", "akamai"),
    ("varnish", "varnish"),
    ("traefik", "traefik"),
    ("kong", "kong"),
    ("gunicorn", "gunicorn"),
    ("uvicorn", "uvicorn"),
    ("microsoft-iis", "iis"),
    ("microsoft-httpapi", "iis"),
    ("openresty", "nginx"),
    ("nginx", "nginx"),
    ("apache", "apache"),
    ("google frontend", "google"),
    ("gws", "google"),
    ("esf", "google"),
    ("heroku", "heroku"),
)
_VIA_LAYERS: tuple[tuple[str, str], ...] = (
    ("vegur", "heroku"),
    ("cloudfront", "cloudfront"),
    ("kong", "kong"),
    ("google", "google"),
    ("akamai", "akamai"),
    ("varnish", "varnish"),
)
_MARKER_LAYERS: tuple[tuple[str, str], ...] = (
    ("cf-ray", "cloudflare"),
    ("cf-cache-status", "cloudflare"),
    ("x-amz-cf-id", "cloudfront"),
    ("x-amz-cf-pop", "cloudfront"),
    ("x-fastly-request-id", "fastly"),
    ("fastly-debug-digest", "fastly"),
    ("akamai-grn", "akamai"),
    ("x-akamai-transformed", "akamai"),
    ("x-envoy-peer-metadata-id", "istio"),
    ("x-envoy-upstream-service-time", "envoy"),
    ("x-kong-proxy-latency", "kong"),
    ("x-kong-upstream-latency", "kong"),
    ("x-varnish", "varnish"),
)


def server_layer(headers: list[Header]) -> tuple[str, Header] | None:
    """Which server, proxy or CDN answered, and the header that shows it.

    The Server header names who wrote the response, so it wins; then X-Powered-By, Via, and
    headers only one product sets (CF-Ray, X-Amz-Cf-Id, X-Served-By: cache-...).
    """
    return _layer_of(_index(headers))


def _layer_of(index: dict[str, list[Header]]) -> tuple[str, Header] | None:
    """`server_layer` over an index the caller already built (the extractor builds one per
    response and shares it)."""
    if index.keys().isdisjoint(_LAYER_HEADERS):
        return _prefixed_layer(index)  # one C set test rules out every named header below
    for name, value in index.get("server", [])[:3]:
        lowered = value.lower()[:200]
        for needle, layer in _SERVER_LAYERS:
            if needle in lowered and _word_in(needle, lowered):  # `in` rules most out cheaply
                return layer, (name, value)
    for name, value in index.get("x-powered-by", [])[:3]:
        if "express" in value.lower()[:200]:
            return "express", (name, value)
    for name, value in index.get("x-served-by", [])[:3]:
        if value.lower().startswith("cache-"):
            return "fastly", (name, value)
    for name, value in index.get("via", [])[:3]:
        lowered = value.lower()[:400]
        for needle, layer in _VIA_LAYERS:
            if needle in lowered:
                if layer == "varnish" and "x-fastly-request-id" in index:
                    return "fastly", (name, value)
                return layer, (name, value)
    for marker, layer in _MARKER_LAYERS:
        if marker in index:
            name, value = index[marker][0]
            return layer, (name, value)
    return _prefixed_layer(index)


# Every header name `_layer_of` looks up by name; a response with none of them is read only
# for the x-envoy-/x-kong- prefixes.
_LAYER_HEADERS = frozenset(
    ("server", "x-powered-by", "x-served-by", "via", *(marker for marker, _ in _MARKER_LAYERS))
)


def _prefixed_layer(index: dict[str, list[Header]]) -> tuple[str, Header] | None:
    """Envoy and Kong by their header prefixes, the last resort of `_layer_of`."""
    for name_lower, items in index.items():
        if name_lower.startswith("x-envoy-"):
            return "envoy", items[0]
        if name_lower.startswith("x-kong-"):
            return "kong", items[0]
    return None


def _word_in(needle: str, haystack: str) -> bool:
    """`needle` in `haystack` as a whole product name (so `esf` does not match `Tesfa`)."""
    at = haystack.find(needle)
    while at >= 0:
        before = haystack[at - 1] if at > 0 else " "
        after_at = at + len(needle)
        after = haystack[after_at] if after_at < len(haystack) else " "
        if not before.isalnum() and not after.isalpha():
            return True
        at = haystack.find(needle, at + 1)
    return False


# ---------------------------------------------------------------------------- helpers


def _index(headers: list[Header]) -> dict[str, list[Header]]:
    """Headers by lower-case name, each list capped (a 5,000-header paste stays cheap)."""
    index: dict[str, list[Header]] = {}
    for name, value in headers:
        items = index.setdefault(name.lower(), [])
        if len(items) < MAX_PER_KIND:
            items.append((name, value[:MAX_VALUE]))
    return index


def _quote(name: str, value: str) -> str:
    shown = value if len(value) <= MAX_QUOTE else value[: MAX_QUOTE - 1] + "…"
    return f"`{name}: {shown}`"


def _iso(when: datetime) -> str:
    """`when` in UTC as `2026-11-25T12:00:00Z`."""
    utc = when.astimezone(UTC)
    if utc.year >= 1000:
        # %-formatting costs under half what strftime (or an f-string with format specs) does;
        # %04d pads years below 1000 where strftime's %Y does not, so those keep strftime.
        fields = (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)
        return "%04d-%02d-%02dT%02d:%02d:%02dZ" % fields  # noqa: UP031
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def _human(seconds: float) -> str:
    """`30 s`, `12 min`, `2 h 5 min`, `3 d 4 h`: how long a person should wait."""
    total = max(0, math.ceil(seconds))
    if total < 120:
        return f"{total} s"
    minutes = total // 60
    if minutes < 120:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def _response_date(index: dict[str, list[Header]]) -> datetime | None:
    """The response's own clock (its last Date header), when it has a valid one."""
    dates = index.get("date")
    return parse_http_date(dates[-1][1]) if dates else None


def _safe(items: Iterable[Evidence]) -> list[Evidence]:
    """Evidence from one reader; a value no reader foresaw costs that reader, not the paste."""
    try:
        return list(items)
    except _SAFE_ERRORS:
        return []


# ---------------------------------------------------------------------------- the extractor


@extractor
def header_evidence(ctx: Context) -> Iterable[Evidence]:
    """Everything the response headers say, final response first (see the module docstring)."""
    paste = ctx.paste
    if not paste.responses:
        # Most pastes show no response: only the request's Origin can say anything here.
        return _safe(_cors(paste.requests, []))
    now = _aware(ctx.now)
    responses = paste.responses[-MAX_RESPONSES:]
    bases = _request_urls(paste.request, responses)
    found: list[Evidence] = []
    # One index per response, shared by every reader below (and by the CORS pass after).
    indexes = [_index(response.headers) for response in responses]
    id_rank = _request_id_rank(ctx.vendor.request_id_headers if ctx.vendor else ())
    for position in range(len(responses) - 1, -1, -1):
        response = responses[position]
        index = indexes[position]
        # The Date header is parsed once: it is both the clock for delays and evidence itself.
        date = _response_date(index)
        base_time = date or now
        final = position == len(responses) - 1
        # A reader of one header is called only when that header is there (it would find
        # nothing otherwise): most responses carry few of them.
        if "retry-after" in index:
            found += _safe(_retry_after(index, base_time))
        # Every rate-limit name has "rate" in it; the reader is skipped on responses without one.
        if any("rate" in name for name in index):
            found += _safe(_ratelimits(index, base_time))
        if "www-authenticate" in index:
            found += _safe(_www_authenticate(index))
        if "allow" in index:
            found += _safe(_allow(index))
        if "location" in index:
            found += _safe(_location(index, bases[position]))
        found += _safe(_server(response, index))
        if not id_rank.keys().isdisjoint(index):
            found += _safe(_request_ids(index, id_rank))
        if final and "content-type" in index:
            found += _safe(_content_type(index))
        if date is not None:
            found += _safe(_date(index, date))
        if "content-length" in index:
            found += _safe(_content_length(index))
    found += _safe(_cors(paste.requests, indexes))
    return found


def _request_urls(request: HttpRequest | None, responses: list[HttpResponse]) -> list[str]:
    """The URL each response answered: the request's, then each redirect's Location."""
    urls: list[str] = []
    current = request.url if request is not None else ""
    for response in responses:
        urls.append(current)
        # Only a redirect's Location moves on: the status is checked before the headers.
        location = response.header("Location") if 300 <= (response.status or 0) < 400 else None
        if location:
            try:
                current = urljoin(current, location.strip()[:MAX_VALUE]) if current else location
            except ValueError:
                current = location
    return urls


def _retry_after(index: dict[str, list[Header]], base: datetime) -> Iterator[Evidence]:
    for name, value in index.get("retry-after", [])[-1:]:
        seconds = parse_retry_after(value, base)
        if seconds is None:
            continue
        retry_at = _iso(base + timedelta(seconds=seconds))
        if _number(value) is not None:
            text = f"{_quote(name, value)} asks to wait {_human(seconds)}"
        else:
            text = f"{_quote(name, value)} asks to wait until {retry_at} ({_human(seconds)} after the response)"
        yield Evidence("retry_after", text, {"seconds": seconds, "retry_at": retry_at, "raw": value})


# -- rate limits


class _Family:
    """One set of rate-limit headers that describe the same limit."""

    __slots__ = (
        "combined",
        "limit",
        "names",
        "policy",
        "remaining",
        "reset",
        "reset_is_delta",
        "resource",
        "used",
    )

    def __init__(self, resource: str | None) -> None:
        self.resource = resource
        self.limit: Header | None = None
        self.remaining: Header | None = None
        self.reset: Header | None = None
        self.policy: Header | None = None
        self.used: Header | None = None
        self.combined: Header | None = None  # the IETF `RateLimit` field
        self.names: list[str] = []
        self.reset_is_delta = False  # the IETF drafts always send a delay

    def set(self, field: str, header: Header) -> None:
        if getattr(self, field) is None:
            setattr(self, field, header)
            self.names.append(header[0])


def _family(families: dict[str, _Family], key: str, resource: str | None) -> _Family:
    """The family filed under `key`, made on first use."""
    found = families.get(key)
    if found is None:
        found = families[key] = _Family(resource)
    return found


def _ratelimits(index: dict[str, list[Header]], base: datetime) -> Iterator[Evidence]:
    families: dict[str, _Family] = {}
    for lowered, items in index.items():
        if "rate" not in lowered:
            continue  # every name read below has "ratelimit" or "rate-limit" in it
        header = items[0]
        # The four shapes below exclude one another (by prefix or exact name): one test each.
        if lowered.startswith(_X_PREFIXES):
            rest = lowered[len("x-ratelimit-") :] if lowered.startswith("x-ratelimit-") else lowered[len("x-rate-limit-") :]
            if rest in ("limit", "remaining", "reset", "used"):
                _family(families, "x", None).set(rest, header)
            elif rest == "reset-after":
                _family(families, "x", None).set("reset", header)  # Discord: a delay; magnitude tells
            elif rest == "resource":
                _family(families, "x", None).resource = header[1].strip()[:64] or None
            else:
                for field in ("limit", "remaining", "reset"):
                    if rest.startswith(field + "-") and len(rest) > len(field) + 1:
                        resource = rest[len(field) + 1 :]
                        _family(families, "x-" + resource, resource).set(field, header)
        elif lowered.startswith("anthropic-ratelimit-"):
            rest = lowered[len("anthropic-ratelimit-") :]
            for field in ("limit", "remaining", "reset"):
                if rest.endswith("-" + field) and len(rest) > len(field) + 1:
                    resource = rest[: -len(field) - 1]
                    _family(families, "anthropic-" + resource, resource).set(field, header)
        elif lowered in ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"):
            fam = _family(families, "ietf", None)
            fam.reset_is_delta = True
            fam.set(lowered.split("-", 1)[1], header)
        elif lowered in ("ratelimit", "ratelimit-policy"):
            fam = _family(families, "ietf", None)
            fam.reset_is_delta = True
            fam.set("policy" if lowered == "ratelimit-policy" else "combined", header)
    for fam in families.values():
        yield from _ratelimit_evidence(fam, base)


_X_PREFIXES = ("x-ratelimit-", "x-rate-limit-")


def _structured(value: str) -> dict[str, str]:
    """Parameters of an IETF RateLimit field, either draft style: `limit=100, remaining=0,
    reset=30` or `"default";r=0;t=30`; the first value of each name wins."""
    params: dict[str, str] = {}
    for item in value[:MAX_VALUE].replace(";", ",").split(",")[:50]:
        if "=" in item:
            key, _, val = item.partition("=")
            params.setdefault(key.strip().lower(), val.strip().strip('"'))
        elif item.strip() and "name" not in params:
            params["name"] = item.strip().strip('"')
    return params


def _ratelimit_evidence(fam: _Family, base: datetime) -> Iterator[Evidence]:
    limit = _leading_int(fam.limit[1]) if fam.limit else None
    remaining = _leading_int(fam.remaining[1]) if fam.remaining else None
    reset_raw = fam.reset[1] if fam.reset else None
    policy = fam.policy[1].strip()[:200] if fam.policy else None
    quoted: list[str] = []
    if fam.combined is not None:
        # The combined IETF field: its parameters fill what the triplet did not.
        params = _structured(fam.combined[1])
        if remaining is None:
            remaining = _leading_int(params.get("remaining", params.get("r", "")))
        if limit is None:
            limit = _leading_int(params.get("limit", params.get("l", "")))
        if reset_raw is None:
            reset_raw = params.get("reset", params.get("t"))
        quoted.append(_quote(*fam.combined))
    if limit is None and policy is not None:
        params = _structured(policy)
        limit = _leading_int(params.get("q", "")) or _leading_int(policy)
    reset_in, reset_at = _reset(reset_raw, base, fam.reset_is_delta) if reset_raw else (None, None)
    if limit is None and remaining is None and reset_in is None and fam.used is None:
        return
    exhausted = remaining is not None and remaining <= 0
    for header in (fam.remaining, fam.limit, fam.used, fam.reset, fam.policy):
        if header is not None:
            quoted.append(_quote(*header))
    text = ", ".join(quoted)
    if exhausted:
        text += ": the limit is used up"
    elif remaining is not None:
        text += f": {remaining} requests left" if fam.resource in (None, "requests") else f": {remaining} left"
    if reset_in is not None:
        text += f"; resets in {_human(reset_in)}"
        if reset_at:
            text += f" ({reset_at})"
    facts: dict[str, Any] = {
        "limit": limit,
        "remaining": remaining,
        "reset_in": reset_in,
        "reset_at": reset_at,
        "policy": policy,
        "resource": fam.resource,
        "header": ", ".join(fam.names),
        "exhausted": exhausted,
    }
    yield Evidence("ratelimit", text, facts)


def _reset(value: str, base: datetime, delta_only: bool) -> tuple[int | None, str | None]:
    """(seconds until reset, reset time) from a reset value.

    A number is a delay unless it is big enough to be a Unix time (seconds, or milliseconds
    past 10^12): no delay is 30 years long. Durations (`6m0s`) are delays; dates are times.
    """
    number = _number(value)
    if number is not None:
        if not delta_only and number >= 1e9:
            epoch = number / 1000 if number >= 1e12 else number
            try:
                when = datetime.fromtimestamp(epoch, UTC)
            except (OverflowError, OSError, ValueError):
                return None, None
            return max(0, math.ceil((when - base).total_seconds())), _iso(when)
        if number > MAX_SECONDS:
            return None, None
        seconds = math.ceil(number)
        return seconds, _iso(base + timedelta(seconds=seconds))
    duration = parse_duration(value)
    if duration is not None and duration <= MAX_SECONDS:
        seconds = math.ceil(duration)
        return seconds, _iso(base + timedelta(seconds=seconds))
    when = parse_http_date(value) or _parse_iso(value)
    if when is not None:
        try:
            return max(0, math.ceil((when - base).total_seconds())), _iso(when)
        except (OverflowError, ValueError):
            return None, None
    return None, None


# -- the rest


_BEARER_ERRORS = {
    "invalid_request": "the request is malformed (a missing or repeated parameter)",
    "invalid_token": "the token is expired, revoked, malformed or invalid",
    "insufficient_scope": "the token lacks the scope this call needs",
}


def _www_authenticate(index: dict[str, list[Header]]) -> Iterator[Evidence]:
    count = 0
    for name, value in index.get("www-authenticate", []):
        for challenge in parse_www_authenticate(value):
            if count >= MAX_PER_KIND:
                return
            count += 1
            facts = {
                "scheme": challenge.get("scheme"),
                "realm": challenge.get("realm"),
                "error": challenge.get("error"),
                "error_description": challenge.get("error_description"),
                "scope": challenge.get("scope"),
            }
            text = f"{_quote(name, value)} asks for {facts['scheme']} credentials"
            error = facts["error"]
            if error:
                meaning = _BEARER_ERRORS.get(error.lower(), "the credentials were rejected")
                text += f" and reports `{error}`: {meaning}"
                if facts["error_description"]:
                    text += f" ({facts['error_description'][:MAX_QUOTE]})"
            if facts["scope"]:
                text += f"; scope needed: {facts['scope'][:MAX_QUOTE]}"
            yield Evidence("www_authenticate", text, facts)


def _allow(index: dict[str, list[Header]]) -> Iterator[Evidence]:
    items = index.get("allow", [])
    if not items:
        return
    methods: list[str] = []
    for _name, value in items:
        for method in value.split(",")[:50]:
            method = method.strip()
            if method and method not in methods:
                methods.append(method)
    name, value = items[0]
    shown = ", ".join(methods) if methods else "no method"
    yield Evidence("allow", f"{_quote(name, value)} says this URL accepts {shown}", {"methods": methods})


def _split_list(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [item.strip() for item in value.split(",")[:100] if item.strip()]


def _cors_value(cors: dict[str, Header], key: str) -> str | None:
    header = cors.get("access-control-allow-" + key)
    return header[1].strip() if header is not None else None


def _cors(requests: list[HttpRequest], indexes: list[dict[str, list[Header]]]) -> Iterator[Evidence]:
    """CORS headers of each response (final first), given as the extractor's header indexes."""
    origin: str | None = None
    origin_header: Header | None = None
    for request in requests[:MAX_RESPONSES]:
        for name, value in request.headers:
            if name.lower() == "origin":
                origin, origin_header = value[:MAX_VALUE], (name, value)
                break
        if origin is not None:
            break
    emitted = 0
    for index in reversed(indexes):
        cors = {key: items[0] for key, items in index.items() if key.startswith("access-control-allow-")}
        if not cors:
            continue
        credentials = _cors_value(cors, "credentials")
        facts = {
            "allow_origin": _cors_value(cors, "origin"),
            "allow_methods": _split_list(_cors_value(cors, "methods")),
            "allow_headers": _split_list(_cors_value(cors, "headers")),
            "allow_credentials": credentials.lower() == "true" if credentials is not None else None,
            "request_origin": origin,
        }
        quoted = [_quote(*header) for header in list(cors.values())[:4]]
        text = ", ".join(quoted)
        if origin_header is not None:
            text += f" answer a request sent with {_quote(*origin_header)}"
        yield Evidence("cors", text, facts)
        emitted += 1
    if emitted == 0 and origin_header is not None:
        facts = {
            "allow_origin": None, "allow_methods": None, "allow_headers": None,
            "allow_credentials": None, "request_origin": origin,
        }
        text = f"The request carries {_quote(*origin_header)}"
        text += " and no response shows an Access-Control-Allow-Origin header" if indexes else ""
        yield Evidence("cors", text, facts)


def _parts(url: str) -> tuple[str, str, str, str] | None:
    try:
        parts = urlsplit(url)
        return parts.scheme.lower(), (parts.hostname or "").lower(), parts.path, parts.query
    except ValueError:
        return None


def _location(index: dict[str, list[Header]], base_url: str) -> Iterator[Evidence]:
    items = index.get("location")
    if not items:
        return
    name, value = items[0]
    location = value.strip()
    target_url = location
    if base_url:
        try:
            target_url = urljoin(base_url, location)
        except ValueError:
            target_url = location
    target = _parts(target_url)
    base = _parts(base_url) if base_url else None
    http_to_https = trailing_slash_only = False
    if target is not None and base is not None and base[1]:
        same_host = target[1] == base[1] or not target[1]
        http_to_https = base[0] == "http" and target[0] == "https"
        bare = [base[2] or "/", target[2] or "/"]
        trailing_slash_only = (
            same_host and base[0] == target[0] and base[3] == target[3]
            and bare[0] != bare[1] and bare[0].rstrip("/") == bare[1].rstrip("/")
        )
    else:
        same_host = target is not None and not target[1]
    text = f"{_quote(name, value)} redirects"
    if http_to_https:
        text += " from http:// to https://"
    elif trailing_slash_only:
        text += " to the same path with the trailing slash " + (
            "added" if target is not None and target[2].endswith("/") else "removed"
        )
    elif base is not None and base[1] and not same_host:
        text += " to another host"
    else:
        text += " elsewhere"
    facts = {
        "location": location,
        "http_to_https": http_to_https,
        "trailing_slash_only": trailing_slash_only,
        "same_host": same_host,
    }
    yield Evidence("location", text, facts)


_LAYER_NAMES = {
    "cloudflare": "Cloudflare", "nginx": "nginx", "apache": "Apache httpd", "iis": "Microsoft IIS",
    "envoy": "Envoy", "awselb": "an AWS load balancer", "cloudfront": "Amazon CloudFront",
    "akamai": "Akamai", "fastly": "Fastly", "varnish": "Varnish", "traefik": "Traefik",
    "heroku": "the Heroku router", "kong": "Kong", "gunicorn": "gunicorn", "uvicorn": "uvicorn",
    "express": "Express", "google": "a Google front end", "istio": "an Istio sidecar",
}


def _server(response: HttpResponse, index: dict[str, list[Header]]) -> Iterator[Evidence]:
    # The last Server and Via values, uncapped (as `response.header` gives them), in one pass.
    server = via = None
    if "server" in index or "via" in index:  # the index has every name, lower-cased
        for name, value in response.headers:
            lowered = name.lower()
            if lowered == "server":
                server = value
            elif lowered == "via":
                via = value
    found = _layer_of(index)
    if server is None and via is None and found is None:
        return
    layer = found[0] if found else None
    if found is not None:
        text = f"{_quote(*found[1])} shows {_LAYER_NAMES.get(found[0], found[0])} answered"
    elif server is not None:
        text = f"{_quote('Server', server)} names the server that answered"
    else:
        text = f"{_quote('Via', via or '')} names the proxies on the way"
    facts = {
        "server": server[:MAX_VALUE] if server is not None else None,
        "via": via[:MAX_VALUE] if via is not None else None,
        "layer": layer,
    }
    yield Evidence("server", text, facts)


@lru_cache(maxsize=64)
def _request_id_rank(extra: tuple[str, ...]) -> dict[str, int]:
    """Position of each request-id header name in reporting order (ours, then the vendor's).
    Keyed by the vendor's tuple from the knowledge base, never by paste content."""
    return {name: rank for rank, name in enumerate(dict.fromkeys((*REQUEST_ID_HEADERS, *extra)))}


def _request_ids(index: dict[str, list[Header]], rank: dict[str, int]) -> Iterator[Evidence]:
    """Request ids to quote to support; `rank` is `_request_id_rank` of the detected vendor's
    own id headers (looked up once per paste by the extractor)."""
    # A response has a few headers and there are some 25 id names: look its names up, then
    # report them in the list's order.
    present = sorted((name for name in index if name in rank), key=rank.__getitem__)
    count = 0
    for wanted in present:
        for name, value in index[wanted][:1]:
            value = value.strip()
            if not value or count >= MAX_PER_KIND:
                continue
            count += 1
            text = f"{_quote(name, value)} identifies this request to the provider's support"
            yield Evidence("request_id", text, {"header": name, "value": value[:200]})


def _content_type(index: dict[str, list[Header]]) -> Iterator[Evidence]:
    items = index.get("content-type")
    if not items:
        return
    name, value = items[-1]
    mime = value.split(";", 1)[0].strip().lower()
    text = f"{_quote(name, value)}: the response body is {mime or 'of no stated type'}"
    yield Evidence("response_content_type", text, {"content_type": value.strip(), "mime": mime})


def _date(index: dict[str, list[Header]], when: datetime | None) -> Iterator[Evidence]:
    """`when` is the last Date header's value, already parsed by `_response_date`."""
    if when is None:
        return
    name, value = index["date"][-1]
    stamp = _iso(when)
    yield Evidence("date_header", f"{_quote(name, value)}: the response was sent at {stamp}", {"date": stamp})


def _content_length(index: dict[str, list[Header]]) -> Iterator[Evidence]:
    items = index.get("content-length")
    if not items:
        return
    name, value = items[0]
    length = _leading_int(value)
    if length is None:
        return
    yield Evidence("content_length", f"{_quote(name, value)}: the body is {length} bytes", {"length": length})
