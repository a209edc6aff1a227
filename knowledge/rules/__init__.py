"""Rules: one small function per cause (or family) reading evidence and naming cause ids.

A rule is registered with `@rule("cause.id", ...)` (the ids it may name, so a reader finds a
rule by its cause id) and yields `Finding`s. Rules never look at raw text when evidence has it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from knowledge.evidence import Context
from knowledge.model import Evidence, Finding

Rule = Callable[[Context], Iterable[Finding]]
RULES: dict[str, list[Rule]] = {}
_ORDER: list[Rule] = []


def finding(cause_id: str, confidence: float, *evidence: Evidence | None, **facts: Any) -> Finding:
    """A Finding whose facts are the evidence's facts plus `facts` (later ones win)."""
    kept = [item for item in evidence if item is not None]
    merged: dict[str, Any] = {}
    for item in kept:
        merged.update({k: v for k, v in item.facts.items() if isinstance(v, str | int | float)})
    merged.update(facts)
    return Finding(cause_id=cause_id, confidence=max(0.0, min(1.0, confidence)), evidence=kept, facts=merged)


def status_is(ctx: Context, *codes: int, unknown: bool = True) -> bool:
    """The paste's status is one of `codes` (or there is none and `unknown` allows that)."""
    status = ctx.paste.status
    return (status is None and unknown) or status in codes


def rule(*cause_ids: str) -> Callable[[Rule], Rule]:
    """Register a rule under the cause ids it can name."""

    def register(func: Rule) -> Rule:
        for cause_id in cause_ids:
            RULES.setdefault(cause_id, []).append(func)
        _ORDER.append(func)
        return func

    return register


def run_rules(ctx: Context) -> list[Finding]:
    _load_rules()
    findings: list[Finding] = []
    for func in _ORDER:
        findings.extend(func(ctx))
    return findings


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
        url,
        vendor,
        vendors,
    )

    vendors.load()
    _loaded = True
