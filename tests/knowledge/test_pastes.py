"""The table of realistic pastes: what developers really paste, and the cause a senior engineer
would name for each.

Every case lives in `tests/knowledge/pastes/*.toml` as data:

    [[paste]]
    id = "github-403-remaining-zero"      # unique, names the failing case
    form = "curl -i"                      # how it was pasted (for readers; not asserted)
    text = '''...'''                      # exactly what was pasted
    expect_top = "ratelimit.exceeded"     # the top cause's id
    expect_in_top3 = ["..."]              # optional: ids that must also be in the top three
    expect_status = 403                   # the status the paste points at; 0 means none
    evidence_contains = ["x-ratelimit"]   # substrings of the top cause's evidence (any case)
    xfail = "why"                         # optional: a known gap, named in the report

A case marked `xfail` is strict: once the gap is fixed the test fails until the mark goes.

The clock is fixed so JWT expiry is judged the same way on every run.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from knowledge import diagnose

PASTES_DIR = Path(__file__).parent / "pastes"
CAUSE_IDS_FILE = Path(__file__).resolve().parents[3] / "shared" / "cause-ids.md"
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
_ID_CELL = re.compile(r"^\|\s*([a-z]+\.[a-z_]+)\s*\|")


@dataclass(frozen=True)
class PasteCase:
    """One row of the table, as read from its data file."""

    id: str
    file: str
    text: str
    expect_top: str
    expect_status: int | None
    expect_in_top3: tuple[str, ...] = ()
    evidence_contains: tuple[str, ...] = ()
    form: str = ""
    xfail: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def load_cases() -> list[PasteCase]:
    cases: list[PasteCase] = []
    for path in sorted(PASTES_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for row in data.get("paste", []):
            status = row.get("expect_status", 0)
            cases.append(PasteCase(
                id=row["id"],
                file=path.name,
                text=row["text"],
                expect_top=row["expect_top"],
                expect_status=status or None,
                expect_in_top3=tuple(row.get("expect_in_top3", ())),
                evidence_contains=tuple(row.get("evidence_contains", ())),
                form=row.get("form", ""),
                xfail=row.get("xfail", ""),
            ))
    return cases


CASES = load_cases()


def cause_ids_from_contract() -> list[str]:
    """The stable cause ids of shared/cause-ids.md (the first column of its table)."""
    ids: list[str] = []
    for line in CAUSE_IDS_FILE.read_text(encoding="utf-8").splitlines():
        match = _ID_CELL.match(line)
        if match:
            ids.append(match.group(1))
    return ids


def test_table_is_large_and_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) >= 120
    assert len(set(ids)) == len(ids), sorted({i for i in ids if ids.count(i) > 1})


def test_every_expected_cause_is_a_known_cause() -> None:
    from knowledge import kb

    known = kb.load().causes
    for case in CASES:
        for cause_id in (case.expect_top, *case.expect_in_top3):
            assert cause_id in known, f"{case.id}: unknown cause id {cause_id}"


def _param(case: PasteCase) -> Any:
    marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_paste(case: PasteCase) -> None:
    diagnosis = diagnose(case.text, now=NOW)
    ids = [cause.id for cause in diagnosis.causes]
    summary = [(c.id, c.confidence) for c in diagnosis.causes]
    assert diagnosis.status == case.expect_status, summary
    assert ids and ids[0] == case.expect_top, summary
    for cause_id in case.expect_in_top3:
        assert cause_id in ids[:3], summary
    evidence = " | ".join(diagnosis.causes[0].evidence).lower()
    for needle in case.evidence_contains:
        assert needle.lower() in evidence, f"{needle!r} not in top evidence: {diagnosis.causes[0].evidence}"


def test_every_contract_cause_is_reached() -> None:
    if not CAUSE_IDS_FILE.exists():
        pytest.skip("shared/cause-ids.md is not next to this checkout")
    reached: set[str] = set()
    for case in CASES:
        reached.add(case.expect_top)
        reached.update(case.expect_in_top3)
    missing = [cause_id for cause_id in cause_ids_from_contract() if cause_id not in reached]
    assert not missing, f"no paste reaches {missing}"
