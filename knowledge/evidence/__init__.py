"""Evidence extractors: small pure functions from a `Paste` to `Evidence`.

Each extractor module registers its functions with `@extractor`; `gather()` runs them all.
Evidence kinds are documented where they are produced; rules read them by kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from knowledge.kb import KnowledgeBase, VendorEntry
from knowledge.model import Evidence, Paste


@dataclass
class Context:
    """What every extractor and rule may read: the paste, the knowledge, the clock."""

    paste: Paste
    kb: KnowledgeBase
    now: datetime
    vendor: VendorEntry | None = None
    evidence: EvidenceSet = field(default_factory=lambda: EvidenceSet([]))


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
        return any(kind in self._by_kind for kind in kinds)

    def __iter__(self) -> Iterator[Evidence]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


Extractor = Callable[[Context], Iterable[Evidence]]
EXTRACTORS: list[Extractor] = []


def extractor(func: Extractor) -> Extractor:
    """Register an evidence extractor."""
    EXTRACTORS.append(func)
    return func


def gather(ctx: Context) -> EvidenceSet:
    _load_extractors()
    found: list[Evidence] = []
    seen: set[tuple[str, str]] = set()
    for func in EXTRACTORS:
        for item in func(ctx):
            key = (item.kind, item.text)
            if key not in seen:
                seen.add(key)
                found.append(item)
    return EvidenceSet(found)


def _load_extractors() -> None:
    # Imported for their @extractor registrations; kept here so the order is explicit.
    from knowledge.evidence import (  # noqa: F401
        body,
        headers,
        jwt,
        request,
        vendor,
    )
