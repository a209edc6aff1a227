"""The knowledge base: status codes, causes and vendors, read from TOML data files.

Layout (all under `knowledge/data/`):
- `causes.toml`: one table per cause id: title, summary, debug, fixes.
- `status/*.toml`: one file per status family; one table per code ("429") or class ("4xx").
- `vendors/*.toml`: one file per vendor: how to recognise it, its error codes, its advice.
- `messages.toml`: phrases in error messages ("jwt expired", "duplicate key") that name a cause.

Text lines in `debug` and `fixes` may carry `{placeholders}` filled from evidence facts; a line
whose placeholders are not all known is left out, so data can hold a specific line beside a
generic one. Everything is validated when loaded (`load()` raises `KnowledgeError`) and cached.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from knowledge.phrases import PhraseIndex

CAUSE_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


# The facts rules may provide, and so the only placeholders data text may use.
PLACEHOLDERS = frozenset({
    "host", "method", "url", "path", "status", "vendor", "retry_after", "retry_at", "reset_at",
    "limit", "remaining", "field", "header", "allow", "location", "origin", "scope", "exp",
    "expired_ago", "request_id", "server", "layer", "line", "column", "fault", "content_type",
    "curl", "error_code", "message", "region", "model", "param",
})


class KnowledgeError(ValueError):
    """A data file does not follow the schema."""


@dataclass(frozen=True)
class CauseEntry:
    id: str
    title: str
    summary: str
    debug: tuple[str, ...] = ()
    fixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatusEntry:
    """A status code (`code` set) or a class such as 4xx (`code` None, `key` "4xx")."""

    key: str
    code: int | None
    title: str
    meaning: str
    official: bool
    origin: str
    reference: str
    causes: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    debug: tuple[str, ...] = ()
    fixes: tuple[str, ...] = ()
    next: str = ""


@dataclass(frozen=True)
class VendorError:
    code: str
    cause: str
    confidence: float
    note: str = ""


@dataclass(frozen=True)
class VendorEntry:
    id: str
    name: str
    hosts: tuple[str, ...]
    # Response headers whose presence alone names the vendor (lower case)
    headers: tuple[str, ...] = ()
    # Substrings of a body or page that name the vendor (case-sensitive)
    markers: tuple[str, ...] = ()
    request_id_headers: tuple[str, ...] = ()
    docs: str = ""
    status_page: str = ""
    errors: dict[str, VendorError] = field(default_factory=dict)
    # Vendor-specific debug and fix lines per cause id
    debug: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fixes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def matches_host(self, host: str) -> bool:
        host = host.lower()
        for pattern in self.hosts:
            if pattern.startswith("*."):
                if host.endswith(pattern[1:]) or host == pattern[2:]:
                    return True
            elif host == pattern:
                return True
        return False


@dataclass(frozen=True)
class MessagePattern:
    """Phrases in what the server (or the user) said that point at a cause.

    `phrases` are matched case-insensitively as substrings of error messages and codes;
    `statuses`, when given, limits the pattern to pastes with one of those statuses (or none).
    `debug` and `fixes`, when given, come before the cause's own: what this wording says to do
    ("unable to get local issuer certificate" is fixed on the client, not on the proxy).
    """

    cause: str
    phrases: tuple[str, ...]
    confidence: float
    statuses: tuple[int, ...] = ()
    debug: tuple[str, ...] = ()
    fixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnowledgeBase:
    causes: dict[str, CauseEntry]
    statuses: dict[str, StatusEntry]
    vendors: dict[str, VendorEntry]
    messages: tuple[MessagePattern, ...] = ()

    def cause(self, cause_id: str) -> CauseEntry | None:
        return self.causes.get(cause_id)

    @cached_property
    def phrase_index(self) -> PhraseIndex:
        """Every message phrase, keyed by the index of its pattern in `messages`."""
        return PhraseIndex.build(
            (phrase, i) for i, pattern in enumerate(self.messages) for phrase in pattern.phrases
        )

    def status(self, code: int) -> StatusEntry | None:
        """The entry for `code`, or its class's entry when the code has none of its own."""
        return self.statuses.get(str(code)) or self.statuses.get(f"{code // 100}xx")

    def status_class(self, klass: int) -> StatusEntry | None:
        return self.statuses.get(f"{klass}xx")


def fill(lines: tuple[str, ...] | list[str], facts: dict[str, Any]) -> list[str]:
    """Fill `{placeholders}` from facts; drop lines that need a fact we do not have."""
    compiled = _compiled(lines)
    if compiled is None:  # no placeholder anywhere: most knowledge tuples
        return list(lines)
    out: list[str] = []
    for literal, parts, names in compiled:
        if literal is not None:
            out.append(literal)
            continue
        pieces = list(parts)
        slot = 1
        for name in names:
            value = facts.get(name)
            if value is None or value == "":
                break
            pieces[slot] = str(value)
            slot += 2
        else:
            out.append("".join(pieces))
    return out


_Compiled = tuple[tuple[str | None, tuple[str, ...], tuple[str, ...]], ...]
_COMPILED: dict[tuple[str, ...], _Compiled | None] = {}
# Knowledge tuples number in the hundreds; past this, lines are compiled but not cached.
_COMPILED_CACHE_MAX = 20_000


def _compiled(lines: tuple[str, ...] | list[str]) -> _Compiled | None:
    """Each line as (literal, (), ()) or (None, literal/name parts, names), or None when no line
    has a placeholder; compiled once per knowledge tuple (keyed by value: the tuples live as
    long as the knowledge base)."""
    if isinstance(lines, tuple):
        try:
            return _COMPILED[lines]
        except KeyError:
            pass
    compiled = tuple(_compile_line(line) for line in lines)
    result = None if all(literal is not None for literal, _, _ in compiled) else compiled
    if isinstance(lines, tuple) and len(_COMPILED) < _COMPILED_CACHE_MAX:
        _COMPILED[lines] = result
    return result


def _compile_line(line: str) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    parts = tuple(PLACEHOLDER.split(line)) if "{" in line else (line,)
    if len(parts) == 1:  # no placeholder (braces alone are kept as written)
        return line, (), ()
    return None, parts, parts[1::2]


# --- loading and validation -------------------------------------------------------------

def _strs(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeError(f"{where}: expected a list of non-empty strings")
    for line in value:
        unknown = set(PLACEHOLDER.findall(line)) - PLACEHOLDERS
        if unknown:
            raise KnowledgeError(f"{where}: unknown placeholders {sorted(unknown)} in {line!r}")
    return tuple(value)


def _str(table: dict[str, Any], key: str, where: str, required: bool = True) -> str:
    value = table.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise KnowledgeError(f"{where}: `{key}` must be a non-empty string")
    return value


def _check_keys(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(table) - allowed
    if unknown:
        raise KnowledgeError(f"{where}: unknown keys {sorted(unknown)}")


_CAUSE_KEYS = {"title", "summary", "debug", "fixes"}
_STATUS_KEYS = {
    "title", "meaning", "official", "origin", "reference", "causes", "headers", "debug",
    "fixes", "next",
}
_VENDOR_KEYS = {
    "id", "name", "hosts", "headers", "markers", "request_id_headers", "docs", "status_page",
    "errors", "causes",
}
_STATUS_KEY = re.compile(r"^(?:[1-5][0-9][0-9]|[1-5]xx)$")


def parse_causes(data: dict[str, Any], where: str) -> dict[str, CauseEntry]:
    causes: dict[str, CauseEntry] = {}
    for cause_id, table in data.items():
        here = f"{where} [{cause_id}]"
        if not CAUSE_ID.match(cause_id):
            raise KnowledgeError(f"{here}: cause id must look like family.name")
        if not isinstance(table, dict):
            raise KnowledgeError(f"{here}: expected a table")
        _check_keys(table, _CAUSE_KEYS, here)
        causes[cause_id] = CauseEntry(
            id=cause_id,
            title=_str(table, "title", here),
            summary=_str(table, "summary", here),
            debug=_strs(table.get("debug"), f"{here}.debug"),
            fixes=_strs(table.get("fixes"), f"{here}.fixes"),
        )
    return causes


def parse_statuses(data: dict[str, Any], where: str) -> dict[str, StatusEntry]:
    statuses: dict[str, StatusEntry] = {}
    for key, table in data.items():
        here = f"{where} [{key}]"
        if not _STATUS_KEY.match(key):
            raise KnowledgeError(f"{here}: status key must be a code 100-599 or a class like 4xx")
        if not isinstance(table, dict):
            raise KnowledgeError(f"{here}: expected a table")
        _check_keys(table, _STATUS_KEYS, here)
        official = table.get("official", False)
        if not isinstance(official, bool):
            raise KnowledgeError(f"{here}: `official` must be true or false")
        statuses[key] = StatusEntry(
            key=key,
            code=None if key.endswith("xx") else int(key),
            title=_str(table, "title", here),
            meaning=_str(table, "meaning", here),
            official=official,
            origin=_str(table, "origin", here),
            reference=_str(table, "reference", here),
            causes=_strs(table.get("causes"), f"{here}.causes"),
            headers=_strs(table.get("headers"), f"{here}.headers"),
            debug=_strs(table.get("debug"), f"{here}.debug"),
            fixes=_strs(table.get("fixes"), f"{here}.fixes"),
            next=_str(table, "next", here, required=False),
        )
    return statuses


def parse_vendor(data: dict[str, Any], where: str) -> VendorEntry:
    _check_keys(data, _VENDOR_KEYS, where)
    errors: dict[str, VendorError] = {}
    for code, table in (data.get("errors") or {}).items():
        here = f"{where} errors.{code}"
        if not isinstance(table, dict):
            raise KnowledgeError(f"{here}: expected a table")
        _check_keys(table, {"cause", "confidence", "note"}, here)
        confidence = table.get("confidence", 0.9)
        if not isinstance(confidence, int | float) or not 0 < confidence <= 1:
            raise KnowledgeError(f"{here}: confidence must be in (0, 1]")
        errors[code] = VendorError(
            code=code,
            cause=_str(table, "cause", here),
            confidence=float(confidence),
            note=_str(table, "note", here, required=False),
        )
    debug: dict[str, tuple[str, ...]] = {}
    fixes: dict[str, tuple[str, ...]] = {}
    for cause_id, table in (data.get("causes") or {}).items():
        here = f"{where} causes.{cause_id}"
        if not isinstance(table, dict):
            raise KnowledgeError(f"{here}: expected a table")
        _check_keys(table, {"debug", "fixes"}, here)
        debug[cause_id] = _strs(table.get("debug"), f"{here}.debug")
        fixes[cause_id] = _strs(table.get("fixes"), f"{here}.fixes")
    hosts = _strs(data.get("hosts"), f"{where}.hosts")
    return VendorEntry(
        id=_str(data, "id", where),
        name=_str(data, "name", where),
        hosts=tuple(h.lower() for h in hosts),
        headers=tuple(h.lower() for h in _strs(data.get("headers"), f"{where}.headers")),
        markers=_strs(data.get("markers"), f"{where}.markers"),
        request_id_headers=tuple(
            h.lower() for h in _strs(data.get("request_id_headers"), f"{where}.request_id_headers")
        ),
        docs=_str(data, "docs", where, required=False),
        status_page=_str(data, "status_page", where, required=False),
        errors=errors,
        debug=debug,
        fixes=fixes,
    )


def parse_messages(data: dict[str, Any], where: str) -> tuple[MessagePattern, ...]:
    patterns: list[MessagePattern] = []
    for index, table in enumerate(data.get("pattern", [])):
        here = f"{where} pattern #{index + 1}"
        if not isinstance(table, dict):
            raise KnowledgeError(f"{here}: expected a table")
        _check_keys(table, {"cause", "phrases", "confidence", "statuses", "debug", "fixes"}, here)
        confidence = table.get("confidence", 0.7)
        if not isinstance(confidence, int | float) or not 0 < confidence <= 1:
            raise KnowledgeError(f"{here}: confidence must be in (0, 1]")
        statuses = table.get("statuses", [])
        if not isinstance(statuses, list) or not all(isinstance(c, int) and 100 <= c <= 599 for c in statuses):
            raise KnowledgeError(f"{here}: statuses must be a list of codes 100-599")
        phrases = _strs(table.get("phrases"), f"{here}.phrases")
        if not phrases:
            raise KnowledgeError(f"{here}: needs at least one phrase")
        patterns.append(MessagePattern(
            cause=_str(table, "cause", here),
            phrases=tuple(p.lower() for p in phrases),
            confidence=float(confidence),
            statuses=tuple(statuses),
            debug=_strs(table.get("debug"), f"{here}.debug"),
            fixes=_strs(table.get("fixes"), f"{here}.fixes"),
        ))
    return tuple(patterns)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(f"{path.name}: {exc}") from exc


def validate(kb: KnowledgeBase) -> None:
    """Cross-file checks: every cause id named anywhere is defined in causes.toml."""
    for key, entry in kb.statuses.items():
        for cause_id in entry.causes:
            if cause_id not in kb.causes:
                raise KnowledgeError(f"status [{key}] names unknown cause {cause_id}")
    for vendor in kb.vendors.values():
        for error in vendor.errors.values():
            if error.cause not in kb.causes:
                raise KnowledgeError(f"vendor {vendor.id} error {error.code}: unknown cause {error.cause}")
        for cause_id in (*vendor.debug, *vendor.fixes):
            if cause_id not in kb.causes:
                raise KnowledgeError(f"vendor {vendor.id}: unknown cause {cause_id}")
    for pattern in kb.messages:
        if pattern.cause not in kb.causes:
            raise KnowledgeError(f"messages.toml: unknown cause {pattern.cause}")


@cache
def load() -> KnowledgeBase:
    """Read and validate every data file once."""
    root = Path(__file__).parent / "data"
    causes = parse_causes(_read_toml(root / "causes.toml"), "causes.toml")
    statuses: dict[str, StatusEntry] = {}
    for path in sorted((root / "status").iterdir(), key=lambda p: p.name):
        if path.name.endswith(".toml"):
            for key, entry in parse_statuses(_read_toml(path), path.name).items():
                if key in statuses:
                    raise KnowledgeError(f"{path.name}: status {key} is defined twice")
                statuses[key] = entry
    vendors: dict[str, VendorEntry] = {}
    for path in sorted((root / "vendors").iterdir(), key=lambda p: p.name):
        if path.name.endswith(".toml"):
            vendor = parse_vendor(_read_toml(path), path.name)
            vendors[vendor.id] = vendor
    messages = parse_messages(_read_toml(root / "messages.toml"), "messages.toml")
    kb = KnowledgeBase(causes=causes, statuses=statuses, vendors=vendors, messages=messages)
    validate(kb)
    return kb
