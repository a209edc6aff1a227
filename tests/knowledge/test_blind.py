"""The blind corpus: real-world pastes labelled by hand, without reading the engine's rules.

`tests/knowledge/blind/*.toml` holds pastes as developers drop them into Slack, each labelled
with the cause a senior engineer would name. The engine's own paste table was written by the
author of the rules, so it flatters them; this one measures the engine honestly.

The suite does not fail on misses: it checks that every entry is well formed and names known
cause ids, prints top-1 / top-3 accuracy and every miss, and keeps a low top-3 floor so the
number cannot rot silently. See the report with

    python -m pytest -s tests/knowledge/test_blind.py
    python tests/knowledge/test_blind.py      (the report alone)
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest

from knowledge import Diagnosis, diagnose, kb

HERE = Path(__file__).parent
BLIND = HERE / "blind"
REPO = HERE.parent.parent
# Every JWT and log date in the corpus is written relative to this instant.
NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
FIELDS = {"id", "text", "expect_top", "acceptable", "why"}
REQUIRED = {"id", "text", "expect_top", "why"}
# Top-3 below this means the engine (or the corpus) broke, not that it merely got worse.
TOP3_FLOOR = 0.60
MIN_PER_CAUSE = 2


@dataclass(frozen=True)
class BlindPaste:
    """One labelled paste: what was pasted and which causes a senior engineer would accept."""

    id: str
    text: str
    expect_top: str
    acceptable: tuple[str, ...]
    why: str
    source: str

    @property
    def right(self) -> set[str]:
        """Every cause id that counts as a right answer."""
        return {self.expect_top, *self.acceptable}


@dataclass(frozen=True)
class Outcome:
    """How the engine did on one paste."""

    paste: BlindPaste
    top3: tuple[tuple[str, float], ...]

    @property
    def top1_right(self) -> bool:
        return bool(self.top3) and self.top3[0][0] in self.paste.right

    @property
    def top1_strict(self) -> bool:
        return bool(self.top3) and self.top3[0][0] == self.paste.expect_top

    @property
    def top3_right(self) -> bool:
        return any(cause_id in self.paste.right for cause_id, _ in self.top3)


@dataclass(frozen=True)
class Report:
    """Accuracy over the whole corpus, with the misses to read."""

    outcomes: tuple[Outcome, ...]

    def share(self, hits: int) -> float:
        return hits / len(self.outcomes) if self.outcomes else 0.0

    @property
    def top1(self) -> float:
        return self.share(sum(o.top1_right for o in self.outcomes))

    @property
    def top1_strict(self) -> float:
        return self.share(sum(o.top1_strict for o in self.outcomes))

    @property
    def top3(self) -> float:
        return self.share(sum(o.top3_right for o in self.outcomes))

    def by_family(self) -> str:
        """Hits per cause family (`auth`, `gateway`, ...), to see where the misses cluster."""
        tally: dict[str, list[int]] = {}
        for outcome in self.outcomes:
            counts = tally.setdefault(outcome.paste.expect_top.split(".")[0], [0, 0, 0])
            counts[0] += outcome.top1_right
            counts[1] += outcome.top3_right
            counts[2] += 1
        return ", ".join(f"{fam} {a}/{b}/{n}" for fam, (a, b, n) in sorted(tally.items()))

    def render(self) -> str:
        lines = [
            f"blind corpus: {len(self.outcomes)} pastes",
            f"  top-1 {self.top1:.1%} (strict, expect_top only: {self.top1_strict:.1%})",
            f"  top-3 {self.top3:.1%}",
        ]
        lines.append("  by family (top-1 / top-3 / pastes): " + self.by_family())
        misses = [o for o in self.outcomes if not o.top1_right]
        if misses:
            lines.append(f"top-1 misses ({len(misses)}; '*' = also missed in top 3):")
        for outcome in misses:
            got = ", ".join(f"{cid} {conf:.2f}" for cid, conf in outcome.top3) or "(nothing)"
            mark = " " if outcome.top3_right else "*"
            lines.append(f" {mark}{outcome.paste.id}: want {outcome.paste.expect_top}; got {got}")
        return "\n".join(lines)


def load_corpus(folder: Path = BLIND) -> list[BlindPaste]:
    """Every paste of every TOML file in `folder`, in file then entry order."""
    pastes: list[BlindPaste] = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for entry in data.get("paste", []):
            pastes.append(
                BlindPaste(
                    id=entry.get("id", ""),
                    text=entry.get("text", ""),
                    expect_top=entry.get("expect_top", ""),
                    acceptable=tuple(entry.get("acceptable", ())),
                    why=entry.get("why", ""),
                    source=path.name,
                )
            )
    return pastes


@cache
def corpus() -> tuple[BlindPaste, ...]:
    return tuple(load_corpus())


@cache
def raw_entries() -> tuple[tuple[str, dict[str, object]], ...]:
    """The TOML tables as written, to check their keys and types."""
    found: list[tuple[str, dict[str, object]]] = []
    for path in sorted(BLIND.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert set(data) == {"paste"}, f"{path.name}: only [[paste]] tables belong here"
        found.extend((path.name, entry) for entry in data["paste"])
    return tuple(found)


def shared_cause_ids() -> list[str] | None:
    """Ids from the first column of shared/cause-ids.md, or None when the file is absent."""
    for candidate in (REPO.parent / "shared" / "cause-ids.md", REPO / "shared" / "cause-ids.md"):
        if candidate.is_file():
            text = candidate.read_text(encoding="utf-8")
            return re.findall(r"^\|\s*([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\s*\|", text, re.MULTILINE)
    return None


def outcome_of(paste: BlindPaste) -> Outcome:
    diagnosis: Diagnosis = diagnose(paste.text, now=NOW)
    top3 = tuple((cause.id, cause.confidence) for cause in diagnosis.causes[:3])
    return Outcome(paste=paste, top3=top3)


@cache
def report() -> Report:
    return Report(outcomes=tuple(outcome_of(paste) for paste in corpus()))


def test_corpus_is_big_enough_to_mean_something() -> None:
    assert len(corpus()) >= 150


def test_every_entry_is_well_formed() -> None:
    for source, entry in raw_entries():
        where = f"{source} {entry.get('id', '?')}"
        assert set(entry) >= REQUIRED, f"{where}: missing {REQUIRED - set(entry)}"
        assert set(entry) <= FIELDS, f"{where}: unknown keys {set(entry) - FIELDS}"
        for key in REQUIRED:
            value = entry[key]
            assert isinstance(value, str) and value.strip(), f"{where}: {key} must be text"
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", str(entry["id"])), f"{where}: id shape"
        assert "\n" not in str(entry["why"]), f"{where}: why is one line"
        acceptable = entry.get("acceptable", [])
        assert isinstance(acceptable, list), f"{where}: acceptable is a list"
        assert all(isinstance(a, str) for a in acceptable), f"{where}: acceptable holds ids"
        assert entry["expect_top"] not in acceptable, f"{where}: expect_top repeated"


def test_ids_are_unique() -> None:
    ids = [paste.id for paste in corpus()]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates


def test_every_label_is_a_known_cause_id() -> None:
    # The public table and the engine's knowledge base may each run ahead of the other.
    known = set(kb.load().causes) | set(shared_cause_ids() or ())
    unknown = sorted(
        f"{paste.id}: {cause_id}"
        for paste in corpus()
        for cause_id in sorted(paste.right)
        if cause_id not in known
    )
    assert not unknown


def test_every_shared_cause_is_covered_at_least_twice() -> None:
    shared = shared_cause_ids()
    if shared is None:
        pytest.skip("shared/cause-ids.md is not present")
    counts = {cause_id: 0 for cause_id in shared}
    for paste in corpus():
        counts[paste.expect_top] = counts.get(paste.expect_top, 0) + 1
    thin = sorted(cause_id for cause_id in shared if counts[cause_id] < MIN_PER_CAUSE)
    assert not thin


def test_report_accuracy_and_keep_a_floor() -> None:
    result = report()
    print()
    print(result.render())
    assert result.top3 >= TOP3_FLOOR, result.render()


if __name__ == "__main__":
    sys.stdout.write(report().render() + "\n")
