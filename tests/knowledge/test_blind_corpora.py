"""The blind corpora stay well formed and honest, never leak a secret, and report accuracy.

The suite fails only on malformed entries, unknown cause ids, an uncovered shared cause, a
leaked credential, or a top-3 share below the floor; otherwise it prints each corpus's top-1 /
top-3 accuracy and every miss (`python -m pytest -s tests/knowledge/test_blind_corpora.py`).
"""

from __future__ import annotations

import json
import re

import pytest

from knowledge import kb
from tests.knowledge.blind_corpus import (
    CORPORA,
    FIELDS,
    REQUIRED,
    SECRET_TAIL,
    TOP3_FLOOR,
    BlindPaste,
    Corpus,
    diagnosis_of,
    pastes,
    raw_entries,
    report,
    shared_cause_ids,
)

by_corpus = pytest.mark.parametrize("corpus", CORPORA, ids=[c.name for c in CORPORA])


@by_corpus
def test_corpus_has_its_size(corpus: Corpus) -> None:
    assert len(pastes(corpus)) == corpus.size


@by_corpus
def test_every_entry_is_well_formed(corpus: Corpus) -> None:
    for source, entry in raw_entries(corpus):
        where = f"{corpus.name}/{source} {entry.get('id', '?')}"
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


@by_corpus
def test_ids_are_unique(corpus: Corpus) -> None:
    ids = [paste.id for paste in pastes(corpus)]
    assert not sorted({i for i in ids if ids.count(i) > 1})


@by_corpus
def test_every_label_is_a_known_cause_id(corpus: Corpus) -> None:
    # The public table and the engine's knowledge base may each run ahead of the other.
    known = set(kb.load().causes) | set(shared_cause_ids() or ())
    unknown = sorted(
        f"{paste.id}: {cause_id}"
        for paste in pastes(corpus)
        for cause_id in sorted(paste.right)
        if cause_id not in known
    )
    assert not unknown


@by_corpus
def test_every_shared_cause_is_covered(corpus: Corpus) -> None:
    shared = shared_cause_ids()
    if shared is None:
        pytest.skip("shared/cause-ids.md is not present")
    counts = {cause_id: 0 for cause_id in shared}
    for paste in pastes(corpus):
        counts[paste.expect_top] = counts.get(paste.expect_top, 0) + 1
    assert not sorted(c for c in shared if counts[c] < corpus.min_per_cause)


@by_corpus
def test_every_secret_is_in_its_text(corpus: Corpus) -> None:
    # A secret missing from its paste would make the leak check pass for nothing.
    stale = [
        f"{paste.id}: {secret[:12]}"
        for paste in pastes(corpus)
        for secret in paste.secrets
        if secret not in paste.text or len(secret) < SECRET_TAIL
    ]
    assert not stale
    assert sum(bool(paste.secrets) for paste in pastes(corpus)) >= corpus.min_secret_pastes


@pytest.mark.parametrize(
    "paste",
    [p for c in CORPORA for p in pastes(c) if p.secrets],
    ids=lambda p: f"{p.source}-{p.id}",
)
def test_no_secret_comes_back_in_the_json(paste: BlindPaste) -> None:
    answer = json.dumps(diagnosis_of(paste).to_dict(), ensure_ascii=False)
    for secret in paste.secrets:
        assert secret not in answer, f"{paste.id}: the whole key is in the answer"
        # A mask that only drops a vendor prefix ("sk_test_") still leaks the key.
        assert secret[-SECRET_TAIL:] not in answer, f"{paste.id}: the key's tail is in the answer"


@by_corpus
def test_report_accuracy_and_keep_a_floor(corpus: Corpus) -> None:
    result = report(corpus)
    print()
    print(result.render())
    assert result.top3 >= TOP3_FLOOR, result.render()
