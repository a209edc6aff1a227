"""Which vendor's API the paste is about, and what its own error codes say.

The vendor is told by the request host, by headers only it sends, or by markers in its bodies
and error pages (see `knowledge/data/vendors/*.toml`). `detect_vendor` runs before evidence is
gathered so every extractor and rule can read `ctx.vendor`.

Kinds: `vendor` {vendor, name, via}; `vendor_error` {vendor, code, cause, confidence, note}.
"""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context, extractor, late_extractor
from knowledge.kb import KnowledgeBase, VendorEntry
from knowledge.model import Evidence, Paste


class _HostIndex:
    """Every vendor's host patterns as two dicts, for one knowledge base: a lookup per label
    of the host instead of a test per pattern (`VendorEntry.matches_host`, which it mirrors).

    `exact` maps a plain pattern, `domains` the `X` of a `*.X` pattern (which matches `X` and
    any host ending in `.X`), each to the first vendor's position in knowledge order."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb  # which knowledge base this describes (compared by identity)
        self.vendors = list(kb.vendors.values())
        self.exact: dict[str, int] = {}
        self.domains: dict[str, int] = {}
        for position, vendor in enumerate(self.vendors):
            for pattern in vendor.hosts:
                if pattern.startswith("*."):
                    self.domains.setdefault(pattern[2:], position)
                else:
                    self.exact.setdefault(pattern, position)

    def first(self, host: str) -> VendorEntry | None:
        host = host.lower()
        found = [self.exact.get(host), self.domains.get(host)]
        # `host.endswith("." + X)` holds exactly when X is what follows one of host's dots.
        dot = host.find(".")
        while dot >= 0:
            found.append(self.domains.get(host[dot + 1 :]))
            dot = host.find(".", dot + 1)
        positions = [position for position in found if position is not None]
        return self.vendors[min(positions)] if positions else None


# The index of the knowledge base last asked about (there is one per process in practice).
_host_index: _HostIndex | None = None


def _vendor_for_host(kb: KnowledgeBase, host: str) -> VendorEntry | None:
    """The first vendor (in knowledge order) whose host patterns match `host`."""
    global _host_index
    if _host_index is None or _host_index.kb is not kb:
        _host_index = _HostIndex(kb)
    return _host_index.first(host)


def detect_vendor(paste: Paste, kb: KnowledgeBase) -> tuple[VendorEntry, str] | None:
    for request in paste.requests:
        host = request.host
        if host:
            vendor = _vendor_for_host(kb, host)
            if vendor is not None:
                return vendor, f"host {host}"
    names = {name.lower() for response in paste.responses for name, _ in response.headers}
    for vendor in kb.vendors.values():
        for header in vendor.headers:
            if header in names:
                return vendor, f"header {header}"
    bodies = "\n".join(body[:16384] for body in paste.all_bodies()[:3])
    if bodies:
        for vendor in kb.vendors.values():
            for marker in vendor.markers:
                if marker in bodies:
                    return vendor, f"“{marker}” in the body"
    return None


@extractor
def vendor_evidence(ctx: Context) -> Iterator[Evidence]:
    if ctx.vendor is not None:
        via = ctx.vendor_via
        yield Evidence("vendor", f"{ctx.vendor.name} API ({via})" if via else f"{ctx.vendor.name} API",
                       {"vendor": ctx.vendor.id, "name": ctx.vendor.name, "via": via})


def _codes(ctx: Context) -> list[str]:
    codes: list[str] = []
    for item in ctx.evidence.of("error_message"):
        codes.extend(item.facts.get("codes") or [])
    for item in ctx.evidence.of("graphql_errors"):
        codes.extend(item.facts.get("codes") or [])
    for item in ctx.evidence.of("ok_false"):
        if isinstance(item.facts.get("error"), str):
            codes.append(item.facts["error"])
    for item in ctx.evidence.of("www_authenticate"):
        if item.facts.get("error"):
            codes.append(str(item.facts["error"]))
    return codes


@late_extractor
def vendor_error_evidence(ctx: Context) -> Iterator[Evidence]:
    """Map the body's error codes through the vendor's table (every vendor's, more cautiously,
    when the paste does not say whose API it is)."""
    codes = _codes(ctx)
    if not codes:
        return
    vendors = [ctx.vendor] if ctx.vendor is not None else list(ctx.kb.vendors.values())
    damping = 1.0 if ctx.vendor is not None else 0.9
    for code in codes:
        lowered = code.lower()
        for vendor in vendors:
            error = vendor.errors.get(code) or vendor.errors.get(lowered)
            if error is None:
                continue
            note = f": {error.note}" if error.note else ""
            yield Evidence(
                "vendor_error",
                f"{vendor.name} error code `{code}`{note}",
                {"vendor": vendor.id, "code": code, "cause": error.cause,
                 "confidence": error.confidence * damping, "note": error.note},
            )
            break
