"""Evidence extractors: small pure functions from a `Paste` to `Evidence`.

Each extractor module registers its functions with `@extractor`; `gather()` runs them all, then
the `@late_extractor`s, which may read what the first ones found through `ctx.evidence` (message
matching reads the error messages body extraction found). Evidence kinds are documented where
they are produced; rules read them by kind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from knowledge.kb import KnowledgeBase, VendorEntry
from knowledge.model import Evidence, Paste


@dataclass
class Context:
    """What every extractor and rule may read: the paste, the knowledge, the clock."""

    paste: Paste
    kb: KnowledgeBase
    now: datetime
    vendor: VendorEntry | None = None
    vendor_via: str = ""
    evidence: EvidenceSet = field(default_factory=lambda: EvidenceSet([]))
    # Causes the paste contradicts (credentials were sent, so not "missing credentials"):
    # rules add to it, ranking drops them from the status's generic causes.
    ruled_out: set[str] = field(default_factory=set)
    # Parsed JSON by text, for this one diagnosis: the body extractor and several vendor
    # modules read the same bodies, and each body is parsed once (see `loads`).
    json_memo: dict[str, Any] = field(default_factory=dict, repr=False)
    # `vendors.json_bodies(ctx, limit)` by limit, for the same reason.
    json_objects: dict[int, list[dict[str, Any]]] = field(default_factory=dict, repr=False)

    @cached_property
    def bodies(self) -> list[str]:
        """`paste.all_bodies()`, listed once per diagnosis: several extractors read it, and
        the paste does not change after recognition."""
        return self.paste.all_bodies()

    def loads(self, text: str) -> Any:
        """`json.loads(text)`, or `NOT_JSON` where it raises ValueError or RecursionError.

        Memoised per Context, so it lives exactly as long as one diagnosis. Callers share the
        result: they must read it, never change it."""
        try:
            return self.json_memo[text]
        except KeyError:
            pass
        try:
            value: Any = json.loads(text)
        except (ValueError, RecursionError):
            value = NOT_JSON
        self.json_memo[text] = value
        return value


# What `Context.loads` returns for text that is not JSON (None is a valid JSON value).
NOT_JSON: Any = object()


class EvidenceSet:
    """Evidence indexed by kind, in the order it was found."""

    def __init__(self, items: list[Evidence]) -> None:
        self.items = items
        self._by_kind: dict[str, list[Evidence]] = {}
        for item in items:
            self._by_kind.setdefault(item.kind, []).append(item)

    def of(self, kind: str) -> list[Evidence]:
        return self._by_kind.get(kind, [])

    def first(self, kind: str) -> Evidence | None:
        found = self._by_kind.get(kind)
        return found[0] if found else None

    def has(self, *kinds: str) -> bool:
        # A plain loop: rules ask this dozens of times per diagnosis.
        by_kind = self._by_kind
        for kind in kinds:  # noqa: SIM110
            if kind in by_kind:
                return True
        return False

    def __iter__(self) -> Iterator[Evidence]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


Extractor = Callable[[Context], Iterable[Evidence]]
EXTRACTORS: list[Extractor] = []
LATE_EXTRACTORS: list[Extractor] = []


def extractor(func: Extractor) -> Extractor:
    """Register an evidence extractor that reads only the paste."""
    EXTRACTORS.append(func)
    return func


def late_extractor(func: Extractor) -> Extractor:
    """Register an extractor that also reads the first phase's evidence (`ctx.evidence`)."""
    LATE_EXTRACTORS.append(func)
    return func


def gather(ctx: Context) -> EvidenceSet:
    """Run every extractor; sets and returns `ctx.evidence`."""
    _load_extractors()
    found: list[Evidence] = []
    seen: set[tuple[str, str, str]] = set()
    for phase in (EXTRACTORS, LATE_EXTRACTORS):
        for func in phase:
            for item in func(ctx):
                # Two patterns may quote the same sentence for different causes: keep both.
                key = (item.kind, item.text, str(item.facts.get("cause", "")))
                if key not in seen:
                    seen.add(key)
                    found.append(item)
        # A fresh set (and list) per phase: late extractors see exactly the first phase's
        # evidence, by kind or by iteration, whatever order they run in.
        ctx.evidence = EvidenceSet(list(found))
    return ctx.evidence


_loaded = False


def _load_extractors() -> None:
    # Imported for their @extractor registrations; kept here so the order is explicit.
    global _loaded
    if _loaded:
        return
    from knowledge.evidence import (  # noqa: F401
        body,
        headers,
        jwt,
        messages,
        request,
        timing,
        vendor,
        vendors,
    )

    vendors.load()
    _loaded = True
