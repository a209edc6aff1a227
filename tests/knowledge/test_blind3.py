"""The third blind corpus: 100 fresh pastes, written after the engine was tuned on the first two.

`tests/knowledge/blind/` and `blind2/` were both used to improve the engine, so they flatter it
now. `tests/knowledge/blind3/*.toml` was written without reading the rules, the knowledge data,
the evidence extractors or any earlier paste table, and weighted the way real questions are:
mostly plain 401/403/404/429/5xx from in-house APIs and common SaaS, a long tail of rarer causes
(every shared cause id at least once), some chatter that names no error at all, and ten pastes
carrying fake, live-looking credentials.

Contract (as for the earlier corpora): the suite fails only on malformed entries, unknown cause
ids or a top-3 share below the floor; otherwise it prints top-1 / top-3 accuracy and every miss.
One hard rule on top: no credential listed in an entry's `secrets` may come back in the JSON
answer, whole or by its tail.

    python -m pytest -s tests/knowledge/test_blind3.py
    python tests/knowledge/test_blind3.py      (the report alone)
"""

from __future__ import annotations

import json
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
BLIND3 = HERE / "blind3"
REPO = HERE.parent.parent
# Every JWT and date in the corpus is written relative to this instant.
NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
FIELDS = {"id", "text", "expect_top", "acceptable", "why", "secrets"}
REQUIRED = {"id", "text", "expect_top", "why"}
# Top-3 below this means the engine (or the corpus) broke, not that it merely got worse.
TOP3_FLOOR = 0.60
CORPUS_SIZE = 100
MIN_SECRET_PASTES = 10
UNRECOGNIZED = "unknown.unrecognized"
# A mask may keep a few leading characters; a tail this long is the key itself.
SECRET_TAIL = 16


@dataclass(frozen=True)
class BlindPaste:
    """One labelled paste: the text, the causes a senior engineer accepts, the keys it carries."""

    id: str
    text: str
    expect_top: str
    acceptable: tuple[str, ...]
    why: str
    secrets: tuple[str, ...]
    source: str

    @property
    def right(self) -> set[str]:
        """Every cause id that counts as a right answer."""
        return {self.expect_top, *self.acceptable}


@dataclass(frozen=True)
class Outcome:
    """How the engine did on one paste: its first three causes with their confidence."""

    paste: BlindPaste
    top3: tuple[tuple[str, float], ...]

    @property
    def ids(self) -> tuple[str, ...]:
        # An empty cause list is the engine saying "nothing here", right for chatter.
        return tuple(cause_id for cause_id, _ in self.top3) or (UNRECOGNIZED,)

    @property
    def top1_right(self) -> bool:
        return self.ids[0] in self.paste.right

    @property
    def top1_strict(self) -> bool:
        return self.ids[0] == self.paste.expect_top

    @property
    def top3_right(self) -> bool:
        return any(cause_id in self.paste.right for cause_id in self.ids)


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
            f"blind corpus 3: {len(self.outcomes)} pastes",
            f"  top-1 {self.top1:.1%} (strict, expect_top only: {self.top1_strict:.1%})",
            f"  top-3 {self.top3:.1%}",
            "  by family (top-1 / top-3 / pastes): " + self.by_family(),
        ]
        misses = [o for o in self.outcomes if not o.top1_right]
        if misses:
            lines.append(f"top-1 misses ({len(misses)}; '*' = also missed in top 3):")
        for outcome in misses:
            got = ", ".join(f"{cid} {conf:.2f}" for cid, conf in outcome.top3) or "(nothing)"
            mark = " " if outcome.top3_right else "*"
            lines.append(f" {mark}{outcome.paste.id}: want {outcome.paste.expect_top}; got {got}")
        return "\n".join(lines)


@cache
def raw_entries() -> tuple[tuple[str, dict[str, object]], ...]:
    """The TOML tables as written, with their file name, to check keys and types."""
    found: list[tuple[str, dict[str, object]]] = []
    for path in sorted(BLIND3.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert set(data) == {"paste"}, f"{path.name}: only [[paste]] tables belong here"
        found.extend((path.name, entry) for entry in data["paste"])
    return tuple(found)


def _texts(value: object) -> tuple[str, ...]:
    """A list-of-text field as a tuple; anything else is left for the shape test to reject."""
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


@cache
def corpus() -> tuple[BlindPaste, ...]:
    return tuple(
        BlindPaste(
            id=str(entry.get("id", "")),
            text=str(entry.get("text", "")),
            expect_top=str(entry.get("expect_top", "")),
            acceptable=_texts(entry.get("acceptable", [])),
            why=str(entry.get("why", "")),
            secrets=_texts(entry.get("secrets", [])),
            source=source,
        )
        for source, entry in raw_entries()
    )


def shared_cause_ids() -> list[str] | None:
    """Ids from the first column of shared/cause-ids.md, or None when the file is absent."""
    for candidate in (REPO.parent / "shared" / "cause-ids.md", REPO / "shared" / "cause-ids.md"):
        if candidate.is_file():
            text = candidate.read_text(encoding="utf-8")
            return re.findall(r"^\|\s*([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\s*\|", text, re.MULTILINE)
    return None


@cache
def diagnosis_of(paste: BlindPaste) -> Diagnosis:
    return diagnose(paste.text, now=NOW)


@cache
def report() -> Report:
    outcomes = []
    for paste in corpus():
        causes = diagnosis_of(paste).causes[:3]
        outcomes.append(Outcome(paste, tuple((c.id, c.confidence) for c in causes)))
    return Report(outcomes=tuple(outcomes))


def test_corpus_has_its_size() -> None:
    assert len(corpus()) == CORPUS_SIZE


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
        for key in ("acceptable", "secrets"):
            values = entry.get(key, [])
            assert isinstance(values, list), f"{where}: {key} is a list"
            assert all(isinstance(v, str) and v for v in values), f"{where}: {key} holds text"
        assert entry["expect_top"] not in entry.get("acceptable", []), f"{where}: repeated"


def test_ids_are_unique() -> None:
    ids = [paste.id for paste in corpus()]
    assert not sorted({i for i in ids if ids.count(i) > 1})


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


def test_every_shared_cause_is_covered() -> None:
    shared = shared_cause_ids()
    if shared is None:
        pytest.skip("shared/cause-ids.md is not present")
    labelled = {paste.expect_top for paste in corpus()}
    assert not sorted(set(shared) - labelled)


def test_every_secret_is_in_its_text() -> None:
    # A secret missing from its paste would make the leak check pass for nothing.
    stale = [
        f"{paste.id}: {secret[:12]}"
        for paste in corpus()
        for secret in paste.secrets
        if secret not in paste.text or len(secret) < SECRET_TAIL
    ]
    assert not stale
    assert sum(bool(paste.secrets) for paste in corpus()) >= MIN_SECRET_PASTES


@pytest.mark.parametrize("paste", [p for p in corpus() if p.secrets], ids=lambda p: p.id)
def test_no_secret_comes_back_in_the_json(paste: BlindPaste) -> None:
    answer = json.dumps(diagnosis_of(paste).to_dict(), ensure_ascii=False)
    for secret in paste.secrets:
        assert secret not in answer, f"{paste.id}: the whole key is in the answer"
        # A mask that only drops a vendor prefix ("sk_test_") still leaks the key.
        assert secret[-SECRET_TAIL:] not in answer, f"{paste.id}: the key's tail is in the answer"


def test_report_accuracy_and_keep_a_floor() -> None:
    result = report()
    print()
    print(result.render())
    assert result.top3 >= TOP3_FLOOR, result.render()


if __name__ == "__main__":
    sys.stdout.write(report().render() + "\n")
