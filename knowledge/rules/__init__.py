"""Rules: one small function per cause (or family) reading evidence and naming cause ids.

A rule is registered with `@rule("cause.id", ...)` (the ids it may name, so a reader finds a
rule by its cause id) and yields `Finding`s. Rules never look at raw text when evidence has it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from knowledge.evidence import Context
from knowledge.model import Finding

Rule = Callable[[Context], Iterable[Finding]]
RULES: dict[str, list[Rule]] = {}
_ORDER: list[Rule] = []


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


def _load_rules() -> None:
    from knowledge.rules import (  # noqa: F401
        auth,
        gateway,
        method,
        ok_response,
        ratelimit,
        redirect,
        request,
        server,
        url,
        vendor,
    )
