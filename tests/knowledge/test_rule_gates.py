"""Rule gates (`@rule(..., needs=..., statuses=...)`) only ever skip rules that would have said
nothing: over the regression pastes, every skipped rule run anyway yields no finding and rules
nothing out, and `run_rules` equals running every rule."""

from __future__ import annotations

import glob
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from knowledge import kb as kb_module
from knowledge.evidence import Context, gather
from knowledge.evidence.vendor import detect_vendor
from knowledge.model import Paste
from knowledge.normalize import normalize
from knowledge.recognize import recognize
from knowledge.rules import _GATES, _ORDER, rule_names, run_rules

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
HERE = Path(__file__).parent
EVIDENCE_SOURCES = "".join(p.read_text() for p in (HERE.parents[1] / "knowledge" / "evidence").rglob("*.py"))


def _texts() -> list[str]:
    texts: list[str] = []
    for name in sorted(glob.glob(str(HERE / "pastes" / "*.toml"))):
        with open(name, "rb") as handle:
            texts += [paste["text"] for paste in tomllib.load(handle).get("paste", [])]
    return texts


def _context(text: str) -> Context:
    knowledge = kb_module.load()
    normalized = normalize(text)
    paste = recognize(normalized.text) if not normalized.binary else Paste(text=normalized.text)
    ctx = Context(paste=paste, kb=knowledge, now=NOW)
    detected = detect_vendor(paste, knowledge)
    if detected is not None:
        ctx.vendor, ctx.vendor_via = detected
    gather(ctx)
    return ctx


def _summary(findings: list) -> list[tuple]:
    return [(f.cause_id, f.confidence, [e.text for e in f.evidence], f.facts, f.debug, f.fixes) for f in findings]


TEXTS = _texts()


def test_every_needed_kind_is_one_an_extractor_names() -> None:
    run_rules(_context("401"))
    for needs, _ in _GATES:
        for kind in needs:
            assert f'"{kind}"' in EVIDENCE_SOURCES, kind


@pytest.mark.parametrize("text", TEXTS, ids=[str(i) for i in range(len(TEXTS))])
def test_skipped_rules_would_have_said_nothing(text: str) -> None:
    ctx = _context(text)
    gated = _summary(run_rules(ctx))
    ruled_out = set(ctx.ruled_out)
    woken = set(rule_names(ctx))
    everything = []
    for func in _ORDER:
        found = list(func(ctx))
        if f"{func.__module__.rsplit('.', 1)[-1]}.{func.__name__}" not in woken:
            assert found == [], func.__name__
        everything += found
    assert ctx.ruled_out == ruled_out
    assert _summary(everything) == gated
