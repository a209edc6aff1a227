"""Response headers pasted with no status line: a run of header lines holding one that only
responses carry (so `Note: ...` prose is not taken for headers)."""

from __future__ import annotations

from knowledge.recognize.http.headers import parse_header_line
from knowledge.recognize.http.limits import MAX_HEADERS

# Headers only a response carries: a bare block of headers holding one is a response's.
_RESPONSE_ONLY = frozenset(
    {
        "server",
        "date",
        "retry-after",
        "www-authenticate",
        "set-cookie",
        "location",
        "via",
        "cf-ray",
        "x-request-id",
        "x-amzn-requestid",
        "x-amz-request-id",
        "x-github-request-id",
        "request-id",
        "allow",
        "etag",
        "last-modified",
        "x-powered-by",
        "age",
        "x-cache",
        "content-security-policy",
        "strict-transport-security",
        "vary",
        "x-envoy-upstream-service-time",
    }
)


class BareHeaders:
    """Judges runs of header lines once: lines of a run already judged are not judged again,
    which keeps the walk linear over thousands of header-like lines."""

    __slots__ = ("checked_to",)

    def __init__(self) -> None:
        self.checked_to = 0

    def starts_at(self, lines: list[str], i: int) -> bool:
        """Two or more header lines in a row from `i`, one of them response-only."""
        if i < self.checked_to:
            return False
        j = i
        n = len(lines)
        response_only = False
        while j < n and j < i + MAX_HEADERS:
            header = parse_header_line(lines[j].strip())
            if header is None:
                break
            name = header[0].lower()
            response_only = (
                response_only
                or name in _RESPONSE_ONLY
                or name.startswith(("x-ratelimit-", "access-control-allow-", "ratelimit"))
            )
            j += 1
        self.checked_to = j
        return response_only and j - i >= 2
