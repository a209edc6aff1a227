"""bot.render: Diagnosis -> Block Kit within Slack's limits, escaped, secret warning first."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.memory import Fix, Note, Recurrence
from bot.render import (
    ACTION_HELPFUL,
    ACTION_MARK_FIXED,
    ACTION_NOT_IT,
    ACTION_SHARE,
    MAX_BLOCKS,
    MAX_MESSAGE_CHARS,
    MAX_SECTION_CHARS,
    STATUS_BLOCK_ID,
    Message,
    clip,
    escape,
    render_diagnosis,
    render_help,
    with_status,
)
from knowledge.model import Cause, Diagnosis

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def cause(i: int = 0, **kw: Any) -> Cause:
    values: dict[str, Any] = dict(id=f"auth.cause_{i}", title=f"Cause {i}", confidence=0.9 - i * 0.1,
                                  evidence=[f"evidence {i}"], debug=[f"check {i}"], fixes=[f"fix {i}"])
    values.update(kw)
    return Cause(**values)


def diagnosis(**kw: Any) -> Diagnosis:
    values: dict[str, Any] = dict(status=401, recognized=["curl", "response"],
                                  request={"method": "POST", "url": "https://api.example.com/v1/items",
                                           "headers": {"Authorization": "Bearer ***"}},
                                  causes=[cause(0), cause(1), cause(2)], warnings=[])
    values.update(kw)
    return Diagnosis(**values)


def texts(message: Message) -> str:
    return json.dumps(message.blocks, ensure_ascii=False)


def mrkdwn_texts(message: Message) -> list[str]:
    found = []
    for block in message.blocks:
        for part in [block.get("text"), *block.get("elements", [])]:
            if isinstance(part, dict) and part.get("type") == "mrkdwn":
                found.append(part["text"])
    return found


def check_limits(message: Message) -> None:
    assert 1 <= len(message.blocks) <= MAX_BLOCKS
    assert len(json.dumps(message.blocks, ensure_ascii=False)) + len(message.text) <= MAX_MESSAGE_CHARS
    assert message.text.strip()
    for block in message.blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= MAX_SECTION_CHARS
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "context":
            assert 1 <= len(block["elements"]) <= 10
        for element in block.get("elements", []):
            if element.get("type") == "button":
                assert len(element["text"]["text"]) <= 75 and len(element["value"]) <= 2000


def test_layout_headline_evidence_steps_others_request_buttons() -> None:
    message = render_diagnosis(diagnosis(), occurrence_id=7)
    kinds = [b["type"] for b in message.blocks]
    assert kinds[0] == "header" and kinds[-1] == "actions"
    assert message.blocks[0]["text"]["text"] == "401 · Cause 0 (90%)"
    body = texts(message)
    assert "> evidence 0" in body and "1. check 0" in body and "• fix 0" in body
    # The next causes collapse to one line each.
    also = next(b for b in message.blocks if "Also possible" in b.get("text", {}).get("text", ""))
    assert also["text"]["text"].count("\n") == 2 and "Cause 1" in also["text"]["text"]
    assert "check 1" not in body
    request = message.blocks[-2]
    assert request["type"] == "context" and "POST https://api.example.com/v1/items" in json.dumps(request)
    assert "Bearer ***" in json.dumps(request)
    actions = {e["action_id"]: json.loads(e["value"]) for e in message.blocks[-1]["elements"]}
    assert actions[ACTION_HELPFUL] == {"o": 7, "c": "auth.cause_0"} == actions[ACTION_NOT_IT]
    assert actions[ACTION_MARK_FIXED] == {"o": 7}
    assert "401" in message.text


def test_no_buttons_without_a_stored_occurrence_but_share_when_asked() -> None:
    assert all(b["type"] != "actions" for b in render_diagnosis(diagnosis()).blocks)
    shared = render_diagnosis(diagnosis(), share_key="abc")
    (element,) = shared.blocks[-1]["elements"]
    assert element["action_id"] == ACTION_SHARE and json.loads(element["value"])["k"] == "abc"


def test_secret_warning_comes_first_in_blocks_and_fallback() -> None:
    message = render_diagnosis(diagnosis(secrets_found=["GitHub token"],
                                         warnings=["The paste carries a live credential"]))
    first = message.blocks[0]["text"]["text"]
    assert "GitHub token" in first and "Rotate" in first and "delete your message" in first
    assert message.text.startswith("Your paste contains a secret")


def test_pasted_markup_cannot_ping_or_break_out() -> None:
    hostile = "<!channel> <@U123> <https://evil.example|click> & `code`"
    message = render_diagnosis(diagnosis(causes=[cause(0, title=hostile, evidence=[hostile])],
                                         request={"method": "GET", "url": hostile, "headers": {}}))
    # mrkdwn fields and the fallback parse mentions; plain_text (the header) never does.
    body = json.dumps(mrkdwn_texts(message)) + message.text
    assert "<!channel>" not in body and "<@U123>" not in body and "<https://" not in body
    assert "&lt;!channel&gt;" in body


def test_control_characters_and_surrogates_are_dropped() -> None:
    message = render_diagnosis(diagnosis(causes=[cause(0, title="a\x00b\x1bc\ud800d")]))
    header = message.blocks[0]["text"]["text"]
    assert "\x00" not in header and "\x1b" not in header
    header.encode("utf-8")  # would raise on a lone surrogate


def test_huge_diagnosis_is_cut_to_slack_limits_keeping_headline_and_buttons() -> None:
    big = "x" * 20_000
    many = [cause(i, title=big, evidence=[big] * 50, debug=[big] * 50, fixes=[big] * 50) for i in range(300)]
    message = render_diagnosis(diagnosis(causes=many, warnings=[big] * 100, secrets_found=[big] * 10,
                                         request={"method": "GET", "url": big,
                                                  "headers": {f"h{i}": big for i in range(100)}},
                                         request_ids=[big] * 10, vendor=big), occurrence_id=1)
    check_limits(message)
    assert message.blocks[0]["type"] == "section"  # the secret warning survives
    assert message.blocks[-1]["type"] == "actions"


def test_recurrence_shows_count_last_fix_and_notes() -> None:
    fix = Fix(id=1, fingerprint="fp", text="rotated the <staging> key", user_id="U42", created_at=NOW)
    note = Note(id=2, key="401", text="check the vault first", user_id="U43", created_at=NOW)
    recurrence = Recurrence(occurrence_id=9, fingerprint="fp", count=4, count_week=2,
                            first_seen=NOW - timedelta(days=20), previous_seen=NOW - timedelta(days=1),
                            notes=[note], last_fix=fix)
    body = texts(render_diagnosis(diagnosis(), recurrence, occurrence_id=9))
    assert "Seen 4 times" in body and "2 this week" in body
    assert "Fixed before" in body and "rotated the &lt;staging&gt; key" in body and "<@U42>" in body
    assert "check the vault first" in body and "<@U43>" in body
    assert "Seen" not in texts(render_diagnosis(diagnosis(), Recurrence(
        occurrence_id=1, fingerprint="fp", count=1, count_week=1, first_seen=NOW, previous_seen=None,
        notes=[], last_fix=None)))


def test_no_cause_and_no_status() -> None:
    message = render_diagnosis(diagnosis(status=None, causes=[], request=None))
    assert message.blocks[0]["text"]["text"] == "no specific cause found"
    check_limits(message)


def test_with_status_inserts_above_buttons_and_replaces_itself() -> None:
    blocks = render_diagnosis(diagnosis(), occurrence_id=3).blocks
    once = with_status(blocks, "first")
    twice = with_status(once, "second")
    assert [b.get("block_id") for b in twice].count(STATUS_BLOCK_ID) == 1
    assert twice[-2]["text"]["text"] == "second" and twice[-1]["type"] == "actions"
    full = [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}] * 60
    assert len(with_status(full, "s")) <= MAX_BLOCKS


def test_help_has_examples() -> None:
    message = render_help()
    assert "@apierror 429" in texts(message) and "curl" in texts(message)


def test_clip_and_escape() -> None:
    assert clip("abc", 3) == "abc" and clip("abcd", 3) == "ab…"
    assert clip(escape("a&b"), 4) == "a…"  # never half an escape
    assert escape("<&>") == "&lt;&amp;&gt;"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=4000), st.lists(st.text(max_size=300), max_size=30), st.integers(0, 30))
def test_any_text_renders_within_limits(title: str, items: list[str], n: int) -> None:
    causes = [cause(i, title=title, evidence=items, debug=items, fixes=items) for i in range(n)]
    message = render_diagnosis(diagnosis(causes=causes, warnings=items, request_ids=items),
                               occurrence_id=5, share_key="k")
    check_limits(message)
    assert "<!" not in json.dumps(mrkdwn_texts(message)).replace("<!date^", "")
