"""The project's own curl option table, checked against shared/data/curl-options.csv."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from knowledge.recognize.curl_options import (
    ARG,
    BOOL,
    DEPRECATED,
    DOCUMENTED_AS_NO,
    FLAG,
    OPTIONS,
    SHORT,
    resolve_long,
)

_CANDIDATES = [
    Path(__file__).parents[2] / ".." / "shared" / "data" / "curl-options.csv",
    Path("/work/shared/data/curl-options.csv"),
]


def _reference() -> list[dict[str, str]]:
    for path in _CANDIDATES:
        if path.exists():
            with path.open(newline="", encoding="utf-8") as handle:
                return list(csv.DictReader(handle))
    pytest.skip("shared/data/curl-options.csv is not present")


def test_table_matches_curl_reference() -> None:
    rows = _reference()
    assert {row["long"] for row in rows} == set(OPTIONS)
    for row in rows:
        option = OPTIONS[row["long"]]
        assert option.short == (row["short"] or None), row["long"]
        expected_kind = {"none": FLAG, "bool": BOOL}.get(row["argument"], ARG)
        assert option.kind == expected_kind, row["long"]
        assert option.takes_argument == (row["argument"] not in ("none", "bool"))
        assert option.is_bool == (row["argument"] == "bool")
        assert (row["long"] in DOCUMENTED_AS_NO) == (row["documented_as_no"] == "yes")
        assert (row["long"] in DEPRECATED) == (row["deprecated"] == "yes")


def test_short_letters_are_unique_and_known() -> None:
    assert SHORT["X"].name == "request"
    assert SHORT["d"].name == "data"
    assert SHORT[":"].name == "next"
    assert SHORT["#"].name == "progress-bar"
    assert len(SHORT) == sum(1 for o in OPTIONS.values() if o.short)


def test_resolve_long_forms() -> None:
    assert resolve_long("--data").option is OPTIONS["data"]
    match = resolve_long("--data=a=b")
    assert (match.option, match.value) == (OPTIONS["data"], "a=b")
    match = resolve_long("--no-buffer")
    assert match.option is OPTIONS["buffer"] and match.negated
    assert resolve_long("--no-data").option is None  # --no- is only for booleans
    match = resolve_long("--expand-data")
    assert match.option is OPTIONS["data"] and match.expand
    assert resolve_long("--expand-silent").option is None
    # older curls accepted an unambiguous prefix
    match = resolve_long("--sil")
    assert match.option is OPTIONS["silent"] and match.by_prefix
    assert resolve_long("--dat").option is None  # data, data-ascii, ... : ambiguous
    assert "ambiguous" in (resolve_long("--dat").problem or "")
    assert resolve_long("--bogus-option").option is None
    # an '=' past the longest option name is not a separator
    assert resolve_long("--" + "x" * 40 + "=1").option is None
