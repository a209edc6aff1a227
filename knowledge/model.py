"""Typed values that flow through the engine: what was pasted, what it shows, what it means.

Everything here is a plain dataclass. Recognisers build a `Paste`; evidence extractors turn it
into `Evidence`; rules turn evidence into `Finding`s; ranking turns findings into a `Diagnosis`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

Header = tuple[str, str]


def header_values(headers: list[Header], name: str) -> list[str]:
    """Every value of header `name` (case-insensitive), in order."""
    wanted = name.lower()
    return [value for key, value in headers if key.lower() == wanted]


def header_value(headers: list[Header], name: str) -> str | None:
    """The last value of header `name`, as a client would see an overriding header."""
    values = header_values(headers, name)
    return values[-1] if values else None


@dataclass
class HttpRequest:
    """The request a paste shows, worked out the way the client that sent it would.

    `source` says where it came from: "curl" (a parsed command), "http" (a raw request) or
    "verbose" (the `> ` lines of `curl -v`).
    """

    method: str
    url: str
    headers: list[Header] = field(default_factory=list)
    body: str | None = None
    source: str = "curl"
    # -X / --request given explicitly (so a method/body mismatch is the user's choice)
    explicit_method: bool = False
    # curl -L: redirects are followed
    follow_redirects: bool = False
    # `@file` / `-T file` references: the body lives in a file we cannot see
    body_files: list[str] = field(default_factory=list)
    # -F parts as (name, value) pairs, values as written (`@file` kept)
    form: list[tuple[str, str]] = field(default_factory=list)
    # Long option names curl saw (without `--`), mapped to their last argument or True.
    options: dict[str, str | bool] = field(default_factory=dict)
    # curl -u user:password, as given
    user: str | None = None
    # Words or options the parser could not place; never fatal
    notes: list[str] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        return header_value(self.headers, name)

    @property
    def host(self) -> str:
        try:
            return (urlsplit(self.url).hostname or "").lower()
        except ValueError:
            return ""

    @property
    def scheme(self) -> str:
        try:
            return urlsplit(self.url).scheme.lower()
        except ValueError:
            return ""

    @property
    def path(self) -> str:
        try:
            return urlsplit(self.url).path or "/"
        except ValueError:
            return "/"


@dataclass
class HttpResponse:
    """A response as pasted: status line (when there was one), headers and body."""

    status: int | None
    reason: str = ""
    version: str = ""
    headers: list[Header] = field(default_factory=list)
    body: str = ""
    # "status_line" (curl -i, raw), "verbose" (curl -v `< ` lines), "devtools", "body" (body only)
    source: str = "status_line"

    def header(self, name: str) -> str | None:
        return header_value(self.headers, name)


@dataclass(frozen=True)
class StatusMention:
    """A status code named in prose ("getting 429s") or a class ("a 4xx": code None)."""

    code: int | None
    klass: int | None
    text: str


@dataclass
class Jwt:
    """A JSON Web Token found in the paste, decoded without verifying its signature."""

    token: str
    header: dict[str, Any]
    claims: dict[str, Any]
    where: str  # "Authorization header", "cookie", "body", "text"


@dataclass
class Paste:
    """Everything the recognisers found in one piece of pasted text.

    Built once by `recognize()` and read-only after that: `status` is computed on first use
    and kept (rules and extractors ask for it dozens of times per diagnosis)."""

    text: str
    statuses: list[StatusMention] = field(default_factory=list)
    requests: list[HttpRequest] = field(default_factory=list)
    responses: list[HttpResponse] = field(default_factory=list)
    # Bodies pasted on their own (a JSON error, an HTML page) with no status line
    bodies: list[str] = field(default_factory=list)
    jwts: list[Jwt] = field(default_factory=list)
    recognized: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def request(self) -> HttpRequest | None:
        return self.requests[0] if self.requests else None

    @property
    def response(self) -> HttpResponse | None:
        """The final response: after redirects curl -L followed, the last one printed."""
        return self.responses[-1] if self.responses else None

    @cached_property
    def status(self) -> int | None:
        """The status the paste is about: the final response's, else the first error status
        mentioned ("DELETE gave 204, then GET gave 404" is about the 404), else the first."""
        for response in reversed(self.responses):
            if response.status is not None:
                return response.status
        codes = [mention.code for mention in self.statuses if mention.code is not None]
        for code in codes:
            if code >= 400:
                return code
        return codes[0] if codes else None

    @cached_property
    def status_class(self) -> int | None:
        status = self.status
        if status is not None:
            return status // 100
        for mention in self.statuses:
            if mention.klass is not None:
                return mention.klass
        return None

    def all_bodies(self) -> list[str]:
        """Response bodies and standalone bodies, the last response first."""
        found = [r.body for r in reversed(self.responses) if r.body.strip()]
        return found + [b for b in self.bodies if b.strip()]


@dataclass(frozen=True)
class Evidence:
    """One fact found in the paste, with the exact text that shows it.

    `kind` names the extractor's finding ("json_syntax", "retry_after", "jwt_expired", ...);
    `text` is a sentence for humans quoting the paste; `facts` carries values for rules and for
    the placeholders of debug and fix text (`{retry_after}`, `{host}`, `{field}`).
    """

    kind: str
    text: str
    facts: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass
class Finding:
    """A rule's verdict: this cause, this sure, because of this evidence."""

    cause_id: str
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)
    # Placeholder values for the cause's debug and fix text
    facts: dict[str, Any] = field(default_factory=dict)
    # Steps specific to this paste, shown before the knowledge base's generic ones
    debug: list[str] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)


@dataclass
class Cause:
    """One ranked cause as the outside world sees it (see INTERFACE.md)."""

    id: str
    title: str
    confidence: float
    evidence: list[str] = field(default_factory=list)
    debug: list[str] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "confidence": round(self.confidence, 2),
            "evidence": list(self.evidence),
            "debug": list(self.debug),
            "fixes": list(self.fixes),
        }


@dataclass
class Diagnosis:
    """The engine's answer. `to_dict()` is the `diagnose --json` object of INTERFACE.md."""

    status: int | None
    recognized: list[str]
    request: dict[str, Any] | None
    causes: list[Cause]
    warnings: list[str] = field(default_factory=list)
    # Not part of the JSON contract: context the Slack app shows or stores
    vendor: str | None = None
    host: str | None = None
    method: str | None = None
    path: str | None = None
    request_ids: list[str] = field(default_factory=list)
    secrets_found: list[str] = field(default_factory=list)
    # The paste with every secret masked, for storing a bounded excerpt
    masked_text: str = ""

    @property
    def top(self) -> Cause | None:
        return self.causes[0] if self.causes else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": self.status,
            "recognized": list(self.recognized),
        }
        if self.request is not None:
            out["request"] = self.request
        out["causes"] = [cause.to_dict() for cause in self.causes]
        out["warnings"] = list(self.warnings)
        return out
