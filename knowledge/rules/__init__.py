"""Rules: one small function per cause (or family) reading evidence and naming cause ids.

A rule is registered with `@rule("cause.id", ...)` (the ids it may name, so a reader finds a
rule by its cause id) and yields `Finding`s. Rules never look at raw text when evidence has it.

A rule may also say when it can possibly say anything, so `run_rules` skips it otherwise
(each diagnosis would else start ~45 generators, most of which find nothing):

- `needs=("kind", ...)`: evidence kinds it reads; it runs when any of them is present.
- `statuses=(code, ...)`: statuses it acts on with no evidence; it runs when the paste has one.

The two are alternatives (either one wakes the rule). A rule that declares neither always
runs: keep it that way for rules that act on the *absence* of evidence (adding to
`ctx.ruled_out`) or on something that is neither a kind nor a status. A gate must only ever
skip a rule that would have yielded nothing and changed nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from knowledge.evidence import Context
from knowledge.model import Evidence, Finding

Rule = Callable[[Context], Iterable[Finding]]
RULES: dict[str, list[Rule]] = {}
_ORDER: list[Rule] = []
# Gates of the rules in `_ORDER`, same positions: (needs, statuses); both empty = always run.
_GATES: list[tuple[tuple[str, ...], tuple[int, ...]]] = []

# Fact values a finding keeps from its evidence (bool is an int, and is kept as before).
# A tuple, not `str | int | float`: isinstance() with a tuple is the faster check.
_SCALARS = (str, int, float)


def finding(cause_id: str, confidence: float, *evidence: Evidence | None, **facts: Any) -> Finding:
    """A Finding whose facts are the evidence's scalar facts plus `facts` (later ones win), with
    `confidence` clamped to [0, 1]."""
    # One plain loop: every rule that fires calls this, and comprehensions plus a per-item
    # dict.update cost more than the merge itself on these small dicts.
    kept: list[Evidence] = []
    merged: dict[str, Any] = {}
    for item in evidence:
        if item is None:
            continue
        kept.append(item)
        for key, value in item.facts.items():
            if isinstance(value, _SCALARS):
                merged[key] = value
    if facts:
        merged.update(facts)
    # Exactly max(0.0, min(1.0, confidence)) (same result for ints and NaN), without two calls.
    bounded = confidence if confidence < 1.0 else 1.0
    return Finding(cause_id, bounded if bounded > 0.0 else 0.0, kept, merged)


def status_is(ctx: Context, *codes: int, unknown: bool = True) -> bool:
    """The paste's status is one of `codes` (or there is none and `unknown` allows that)."""
    status = ctx.paste.status
    return (status is None and unknown) or status in codes


def rule(*cause_ids: str, needs: tuple[str, ...] = (), statuses: tuple[int, ...] = ()) -> Callable[[Rule], Rule]:
    """Register a rule under the cause ids it can name, with the gate that wakes it (see the
    module docstring)."""

    def register(func: Rule) -> Rule:
        for cause_id in cause_ids:
            RULES.setdefault(cause_id, []).append(func)
        _ORDER.append(func)
        _GATES.append((tuple(needs), tuple(statuses)))
        return func

    return register


@dataclass(frozen=True)
class _Index:
    """Which rule positions each evidence kind and each status wakes, built once per rule set
    so a diagnosis only looks up the kinds it has instead of asking every rule."""

    size: int
    always: tuple[int, ...]
    by_kind: dict[str, tuple[int, ...]]
    by_status: dict[int, tuple[int, ...]]


def _build_index() -> _Index:
    always: list[int] = []
    by_kind: dict[str, list[int]] = {}
    by_status: dict[int, list[int]] = {}
    for position, (needs, statuses) in enumerate(_GATES):
        if not needs and not statuses:
            always.append(position)
        for kind in needs:
            by_kind.setdefault(kind, []).append(position)
        for status in statuses:
            by_status.setdefault(status, []).append(position)
    return _Index(
        size=len(_GATES),
        always=tuple(always),
        by_kind={kind: tuple(found) for kind, found in by_kind.items()},
        by_status={status: tuple(found) for status, found in by_status.items()},
    )


_index: _Index | None = None


def _current_index() -> _Index:
    """The index of the rules registered so far, rebuilt only when a rule was added."""
    global _index
    if _index is None or _index.size != len(_GATES):
        _load_rules()
        _index = _build_index()
    return _index


def run_rules(ctx: Context) -> list[Finding]:
    """Every rule's findings, rules taken in registration order (ranking breaks ties by it)."""
    index = _current_index()
    woken = set(index.always)
    status = ctx.paste.status
    if status is not None and status in index.by_status:
        woken.update(index.by_status[status])
    by_kind = index.by_kind
    for kind in {item.kind for item in ctx.evidence.items}:
        positions = by_kind.get(kind)
        if positions:
            woken.update(positions)
    findings: list[Finding] = []
    for position in sorted(woken):
        findings.extend(_ORDER[position](ctx))
    return findings


def rule_names(woken_only_for: Context | None = None) -> list[str]:
    """`module.function` of every rule in run order; with a context, only those it wakes
    (for tests and for reading why a rule did not run)."""
    _load_rules()
    if woken_only_for is None:
        return [_name(func) for func in _ORDER]
    kinds = {item.kind for item in woken_only_for.evidence.items}
    status = woken_only_for.paste.status
    return [
        _name(func) for func, (needs, statuses) in zip(_ORDER, _GATES, strict=True)
        if (not needs and not statuses) or status in statuses or kinds.intersection(needs)
    ]


def _name(func: Rule) -> str:
    return f"{func.__module__.rsplit('.', 1)[-1]}.{getattr(func, '__name__', repr(func))}"


_loaded = False


def _load_rules() -> None:
    global _loaded
    if _loaded:
        return
    from knowledge.rules import (  # noqa: F401
        auth,
        gateway,
        messages,
        method,
        ok_response,
        ratelimit,
        redirect,
        request,
        server,
        timeouts,
        url,
        vendor,
        vendors,
    )

    vendors.load()
    _loaded = True
