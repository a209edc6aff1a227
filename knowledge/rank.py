"""Merge rule findings with the status's generic causes, order them, and write them out.

Confidence model: each finding is a probability-like score from its rule. Several findings for
one cause combine like independent evidence, the later ones damped (they often share a source).
The status's knowledge-base causes add a prior that decays with their rank, so evidence from the
paste outranks generic knowledge, and a bare status yields the knowledge base's order.
"""

from __future__ import annotations

from typing import Any

from knowledge.evidence import Context
from knowledge.kb import KnowledgeBase, StatusEntry, fill
from knowledge.model import Cause, Evidence, Finding
from knowledge.text import unique

# Prior for the n-th generic cause of a status: a bare status never looks certain.
GENERIC_PRIORS = (0.5, 0.4, 0.32, 0.26, 0.21, 0.17, 0.14, 0.12)
MAX_CAUSES = 5
MAX_DEBUG = 6
MAX_FIXES = 5
UNKNOWN = "unknown.unrecognized"


class _Merged:
    """One cause's findings merged (a plain slotted class: ranking builds several per call)."""

    __slots__ = ("cause_id", "debug", "evidence", "facts", "fixes", "order", "scores")

    def __init__(self, cause_id: str, order: int) -> None:
        self.cause_id = cause_id
        self.scores: list[float] = []
        self.evidence: list[Evidence] = []
        self.facts: dict[str, Any] = {}
        self.debug: list[str] = []
        self.fixes: list[str] = []
        self.order = order

    @property
    def confidence(self) -> float:
        scores = self.scores
        if len(scores) == 1:
            return min(0.98, scores[0])
        scores = sorted(scores, reverse=True)
        if not scores:
            return 0.0
        remaining = 1.0 - scores[0]
        for score in scores[1:]:
            remaining *= 1.0 - 0.35 * score
        return min(0.98, 1.0 - remaining)


# A candidate for the list: (-confidence, generic, order, merged findings or a bare cause id).
# Sorting plain tuples orders by confidence, then evidence before knowledge, then first found.
_Candidate = tuple[float, bool, int, "_Merged | str"]


def _status_entry(ctx: Context) -> StatusEntry | None:
    status = ctx.paste.status
    if status is not None:
        return ctx.kb.status(status)
    klass = ctx.paste.status_class
    return ctx.kb.status_class(klass) if klass else None


def status_evidence(ctx: Context, entry: StatusEntry | None) -> str | None:
    """The sentence that quotes where the status came from."""
    paste = ctx.paste
    for response in reversed(paste.responses):
        if response.status is not None:
            version = response.version
            if version and not version.upper().startswith("HTTP"):
                version = f"HTTP/{version}"
            line = " ".join(p for p in (version, str(response.status), response.reason) if p)
            return f"Response status `{line}`" + (f" ({entry.title})" if entry and not response.reason else "")
    # A body's own `"status": 400` reads better as the body's than as something "you mentioned".
    body_status = ctx.evidence.first("body_status")
    if body_status is not None and body_status.facts.get("status") == paste.status:
        return body_status.text
    for mention in paste.statuses:
        if mention.code is not None or mention.klass is not None:
            return f"You mentioned “{mention.text}”"
    return body_status.text if body_status is not None else None


def rank(findings: list[Finding], ctx: Context, facts: dict[str, Any]) -> list[Cause]:
    kb = ctx.kb
    merged: dict[str, _Merged] = {}
    for index, item in enumerate(findings):
        slot = merged.get(item.cause_id)
        if slot is None:
            slot = merged[item.cause_id] = _Merged(item.cause_id, order=index)
        slot.scores.append(item.confidence)
        for evidence in item.evidence:
            if evidence not in slot.evidence:
                slot.evidence.append(evidence)
        for key, value in item.facts.items():
            if value not in (None, ""):
                slot.facts.setdefault(key, value)
        slot.debug += [line for line in item.debug if line not in slot.debug]
        slot.fixes += [line for line in item.fixes if line not in slot.fixes]

    entry = _status_entry(ctx)
    status_text = status_evidence(ctx, entry)
    candidates: list[_Candidate] = []
    if entry is not None:
        ruled_out = ctx.ruled_out
        last = len(GENERIC_PRIORS) - 1
        for position, cause_id in enumerate(entry.causes):
            prior = GENERIC_PRIORS[position if position < last else last]
            slot = merged.get(cause_id)
            if slot is not None:
                slot.scores.append(prior)  # the paste and the knowledge agree
            elif cause_id not in ruled_out and cause_id in kb.causes:
                candidates.append((-prior, True, 1000 + position, cause_id))
    candidates += [(-slot.confidence, False, slot.order, slot) for slot in merged.values()]
    candidates.sort(key=_sort_key)
    top = candidates[:MAX_CAUSES]
    if not top:
        return [_fallback(ctx, entry, status_text, facts)]
    all_generic = all(generic for _, generic, _, _ in top)
    vendor = ctx.vendor
    causes: list[Cause] = []
    for position, (minus_confidence, _, _, item) in enumerate(top):
        if isinstance(item, _Merged):
            cause_id = item.cause_id
            merged_facts = {**facts, **item.facts} if item.facts else facts
            evidence_lines = [e.text for e in item.evidence]
            debug, fixes = list(item.debug), list(item.fixes)
        else:  # only the knowledge base names it
            cause_id, merged_facts, evidence_lines, debug, fixes = item, facts, [], [], []
        if status_text and not evidence_lines:
            evidence_lines.append(status_text)
        known = kb.causes.get(cause_id)
        if vendor is not None:
            debug += fill(vendor.debug.get(cause_id, ()), merged_facts)
            fixes += fill(vendor.fixes.get(cause_id, ()), merged_facts)
        if known is not None:
            debug += fill(known.debug, merged_facts)
            fixes += fill(known.fixes, merged_facts)
        # The status's own steps repeat its causes' steps; only its "paste this next" is added,
        # and only when nothing in the paste decided between the causes.
        if position == 0 and entry is not None and all_generic and entry.next:
            debug.append(f"To tell these causes apart: {entry.next}")
        causes.append(Cause(
            id=cause_id,
            title=known.title if known else cause_id,
            confidence=round(-minus_confidence, 2),
            evidence=_without_prefixes(_unique(evidence_lines))[:6] if len(evidence_lines) > 1 else evidence_lines,
            debug=_unique(debug)[:MAX_DEBUG],
            fixes=_unique(fixes)[:MAX_FIXES],
        ))
    return causes


def _sort_key(item: _Candidate) -> tuple[float, bool, int]:
    return item[0], item[1], item[2]


def _fallback(ctx: Context, entry: StatusEntry | None, status_text: str | None, facts: dict[str, Any]) -> Cause:
    """Nothing points at a cause: say what the status means (if any) and what to paste next."""
    kb: KnowledgeBase = ctx.kb
    unknown = kb.cause(UNKNOWN)
    evidence = [status_text] if status_text else []
    if entry is not None:
        evidence.append(f"{entry.title}: {entry.meaning}")
        debug = fill(entry.debug, facts) + ([f"To find the cause: {entry.next}"] if entry.next else [])
        fixes = fill(entry.fixes, facts)
        title = f"{entry.code or entry.key} {entry.title}"
        confidence = 0.3
    else:
        debug = fill(unknown.debug, facts) if unknown else []
        fixes = fill(unknown.fixes, facts) if unknown else []
        title = unknown.title if unknown else "Nothing recognisable to diagnose"
        confidence = 0.1
    if unknown is not None and entry is not None:
        debug += fill(unknown.debug, facts)
    return Cause(id=UNKNOWN, title=title, confidence=confidence, evidence=evidence,
                 debug=_unique(debug)[:MAX_DEBUG], fixes=_unique(fixes)[:MAX_FIXES])


def _without_prefixes(lines: list[str]) -> list[str]:
    """Drop a line that another line repeats and extends (the same quote, then its code), also
    when the shorter one was clipped (“…the message…” beside the whole message)."""
    return [line for line in lines if not any(o != line and o.startswith(_stem(line)) for o in lines)]


def _stem(line: str) -> str:
    """The line without a clipped quote's closing `…”` (what a longer line would go on with)."""
    return line[:-2] if line.endswith("…”") and len(line) > 40 else line


def _unique(lines: list[str]) -> list[str]:
    return [line for line in unique(lines) if line]
