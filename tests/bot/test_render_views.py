"""bot.render_views: App Home, `/apierror top`, the fix modal."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.memory import Fix, Note, TopRow
from bot.render_views import FIX_BLOCK_ID, fix_modal, home_view, render_top

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def row(i: int, trend: str = "up") -> TopRow:
    return TopRow(fingerprint=f"fp{i}", host="api.example.com", method="GET",
                  path_template="/v1/items/{id}", status=503, cause_id="server.overloaded", count=10 + i,
                  previous_count=3, first_seen=NOW, last_seen=NOW, trend=trend,
                  latest_fix=Fix(1, f"fp{i}", "scaled <the> pool", "U1", NOW),
                  latest_note=Note(2, "503", "ask #infra", "U2", NOW))


def test_home_lists_rows_with_trend_fix_and_note() -> None:
    view = home_view([row(1), row(2, "new")])
    body = json.dumps(view, ensure_ascii=False)
    assert view["type"] == "home"
    assert "11×" in body and "from 3" in body and ":new:" in body
    assert "scaled &lt;the&gt; pool" in body and "ask #infra" in body
    assert "GET api.example.com/v1/items/{id}" in body


def test_home_stays_within_100_blocks_and_handles_empty_and_unavailable() -> None:
    assert len(home_view([row(i) for i in range(200)])["blocks"]) <= 100
    assert "Nothing recorded" in json.dumps(home_view([]))
    assert "unavailable" in json.dumps(home_view([], unavailable=True))


def test_top_message() -> None:
    assert "last 30 days" in render_top([row(1)], 30).text
    assert "No errors" in render_top([], 7).text
    assert len(render_top([row(i) for i in range(50)], 7).blocks) <= 50


def test_fix_modal_carries_metadata_and_an_input() -> None:
    view = fix_modal({"o": 5, "c": "C1", "t": "1.2"})
    assert view["type"] == "modal" and len(view["title"]["text"]) <= 24
    assert json.loads(view["private_metadata"]) == {"o": 5, "c": "C1", "t": "1.2"}
    assert any(b.get("block_id") == FIX_BLOCK_ID and b["type"] == "input" for b in view["blocks"])
