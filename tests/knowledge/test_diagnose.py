"""The engine's contract: `diagnose(text).to_dict()` is INTERFACE.md's JSON object, for any text."""

import base64
import json
import re
import time
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge import diagnose
from knowledge.kb import load

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _jwt(claims: dict) -> str:
    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJlLXZhbHVl"


def _check_shape(result: dict) -> None:
    assert set(result) <= {"status", "recognized", "request", "causes", "warnings"}
    assert {"status", "recognized", "causes", "warnings"} <= set(result)
    assert result["status"] is None or 100 <= result["status"] <= 599
    assert all(isinstance(kind, str) for kind in result["recognized"])
    assert result["causes"], "there is always at least one cause"
    known = set(load().causes)
    for cause in result["causes"]:
        assert set(cause) == {"id", "title", "confidence", "evidence", "debug", "fixes"}
        assert cause["id"] in known
        assert 0 <= cause["confidence"] <= 1
        assert all(isinstance(x, str) for x in cause["evidence"] + cause["debug"] + cause["fixes"])
    confidences = [c["confidence"] for c in result["causes"]]
    assert confidences == sorted(confidences, reverse=True)
    json.dumps(result)  # serialisable as is


def test_interface_example_shape() -> None:
    token = _jwt({"sub": "42", "exp": int(datetime(2026, 11, 24, 9, tzinfo=UTC).timestamp())})
    text = (
        f"curl -X POST https://api.example.com/v1/items -H 'Authorization: Bearer {token}' "
        "-H 'Content-Type: application/json' -d '{\"name\": \"x\"}'\n"
        "HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n{\"error\": \"unauthorized\"}"
    )
    result = diagnose(text, now=NOW).to_dict()
    _check_shape(result)
    assert result["status"] == 401
    assert result["recognized"][:2] == ["curl", "response"]
    assert "status_code" in result["recognized"]
    assert result["request"]["method"] == "POST"
    assert result["request"]["url"] == "https://api.example.com/v1/items"
    top = result["causes"][0]
    assert top["id"] == "auth.token_expired"
    assert any("2026-11-24T09:00:00Z" in line and "27 h" in line for line in top["evidence"])
    assert token not in json.dumps(result)


def test_expiry_is_judged_against_the_response_date() -> None:
    exp = int(datetime(2026, 11, 25, 10, tzinfo=UTC).timestamp())
    token = _jwt({"exp": exp})
    # Expired now, but valid when the server answered at 09:00: not the cause.
    text = f"Authorization: Bearer {token}\nHTTP/1.1 401 Unauthorized\nDate: Wed, 25 Nov 2026 09:00:00 GMT\n\n"
    ids = [c["id"] for c in diagnose(text, now=NOW).to_dict()["causes"]]
    assert ids[0] != "auth.token_expired"


def test_not_yet_valid_token_is_clock_skew() -> None:
    nbf = int(datetime(2026, 11, 25, 12, 5, tzinfo=UTC).timestamp())
    text = f"got 401 with Authorization: Bearer {_jwt({'nbf': nbf, 'exp': nbf + 3600})}"
    top = diagnose(text, now=NOW).to_dict()["causes"][0]
    assert top["id"] == "auth.token_not_yet_valid"
    assert "5 min" in top["evidence"][0]


def test_bare_status_gives_the_knowledge_base_causes_in_order() -> None:
    result = diagnose("429").to_dict()
    kb_order = list(load().status(429).causes)
    assert [c["id"] for c in result["causes"]] == kb_order[: len(result["causes"])]
    assert result["causes"][0]["confidence"] <= 0.5  # generic knowledge never looks certain


def test_trailing_comma_named_with_line_and_column() -> None:
    text = """curl https://api.acme.io/v2/orders -H 'Content-Type: application/json' -d '{
  "sku": "A-1",
  "qty": 2,
}'
HTTP/1.1 400 Bad Request"""
    top = diagnose(text).to_dict()["causes"][0]
    assert top["id"] == "request.malformed_json"
    assert any("trailing comma" in e and "line 3, column 11" in e for e in top["evidence"])


def test_nothing_recognisable_is_unknown_with_a_hint() -> None:
    result = diagnose("hello, can you help me?").to_dict()
    assert [c["id"] for c in result["causes"]] == ["unknown.unrecognized"]
    assert result["status"] is None
    assert result["warnings"]


def test_non_status_number_says_so() -> None:
    result = diagnose("600").to_dict()
    assert result["status"] is None
    assert any("not an HTTP status" in w for w in result["warnings"])


def test_hostile_inputs_answer_quickly() -> None:
    hostile = [
        "\x00\xff" * 20_000,
        "'" * 40_000,
        '"' * 40_000,
        "{" * 40_000,
        "[" * 100_000,
        "curl " + "-H 'a: b' " * 4000,
        "HTTP/1.1 500 Internal Server Error\n" + "X-A: b\n" * 5000,
        "a" * 1_000_000,
        "@apierror",
        "<@U123>",
        "curl 'unbalanced",
        "eyJ" * 10_000,
        ("\\" * 1000 + "\n") * 40,
    ]
    for text in hostile:
        started = time.perf_counter()
        result = diagnose(text).to_dict()
        _check_shape(result)
        assert time.perf_counter() - started < 5, text[:40]  # a hang guard, not a benchmark


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=50_000))
def test_any_text_gets_an_answer(text: str) -> None:
    _check_shape(diagnose(text).to_dict())


_PIECES = st.sampled_from([
    "curl ", "-X POST ", "-H 'Authorization: Bearer x' ", "-d '{\"a\": 1,}' ", "https://api.x.io/v1 ",
    "HTTP/1.1 429 Too Many Requests\n", "Retry-After: 30\n", "\n\n", "{\"error\": \"x\"}", "'", "\"",
    "\\\n", "^\n", "`\n", "$'", "429", "<https://a.io|a.io>", "&amp;", "```", "\t", "\u00a0", "\u201c",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_paste_shaped_text_gets_an_answer(text: str) -> None:
    _check_shape(diagnose(text).to_dict())


def test_every_cause_id_of_the_shared_list_is_known() -> None:
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "cause-ids.md"
    if not shared.exists():
        return
    ids = set(re.findall(r"^\| ([a-z_]+\.[a-z_]+) \|", shared.read_text(), re.MULTILINE))
    assert ids and ids <= set(load().causes)


def test_json_pasted_alone_is_checked_as_the_payload() -> None:
    top = diagnose('{\n  "name": "x",\n  "tags": ["a", "b",]\n}').to_dict()["causes"][0]
    assert top["id"] == "request.malformed_json"
    assert any("trailing comma" in e and "line 3" in e for e in top["evidence"])
    valid = diagnose('{"name": "x", "tags": ["a", "b"]}').to_dict()
    assert "request.malformed_json" not in [c["id"] for c in valid["causes"]]


def test_shell_variable_in_single_quotes_is_sent_literally() -> None:
    single = diagnose("curl https://api.x.io/v1/me -H 'Authorization: Bearer $TOKEN'\nHTTP/1.1 401 Unauthorized")
    top = single.to_dict()["causes"][0]
    assert top["id"] == "auth.invalid_credentials"
    assert any("single quotes" in e for e in top["evidence"])
    # In double quotes the shell expands it: the real token was sent, nothing to say about it.
    double = diagnose('curl https://api.x.io/v1/me -H "Authorization: Bearer $TOKEN"\nHTTP/1.1 401 Unauthorized')
    assert not any("single quotes" in e or "placeholder" in e
                   for c in double.to_dict()["causes"] for e in c["evidence"])


def test_same_paste_same_answer_in_every_process() -> None:
    # Set iteration order changes with the hash seed between processes; answers must not.
    import os
    import subprocess
    import sys

    script = (
        "import glob, json, tomllib\n"
        "from datetime import UTC, datetime\n"
        "from knowledge import diagnose\n"
        "now = datetime(2025, 3, 14, 12, tzinfo=UTC)\n"
        "texts = [p['text'] for f in sorted(glob.glob('tests/knowledge/blind*/*.toml'))\n"
        "         for p in tomllib.load(open(f, 'rb'))['paste']]\n"
        "print(json.dumps([diagnose(t, now=now).to_dict() for t in texts], sort_keys=True))\n"
    )
    root = Path(__file__).resolve().parents[2]
    outputs = {
        subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120, check=True).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
