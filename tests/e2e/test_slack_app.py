"""The real app over HTTP against the fake Slack: what Slack sends in, what the app calls out."""

from __future__ import annotations

import itertools
import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from bot.render import ACTION_HELPFUL, ACTION_MARK_FIXED, ACTION_NOT_IT, ACTION_SHARE
from tests.e2e.conftest import (
    CHANNEL,
    TEAM,
    USER,
    Running,
    direct_message,
    mention,
    next_ts,
    sign,
    start,
)
from tests.fakeslack import Call, FakeSlack

GITHUB_TOKEN = "ghp_" + "R8x2Kq9ZbT4mWv7LpN3cYh6JdF1sGe5uA0iQ"


def dumps(call: Call) -> str:
    return json.dumps(call.params, ensure_ascii=False)


def all_text(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def button(call: Call, action_id: str) -> dict[str, Any]:
    for block in call.params["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return element
    raise AssertionError(f"no {action_id} button in {all_text(call.params['blocks'])[:500]}")


def block_actions(call: Call, action_id: str, channel: str = CHANNEL, ephemeral: bool = False,
                  response_url: str = "", message_ts: str | None = None) -> dict[str, Any]:
    """A block_actions payload as Slack sends it for a click on a button of `call`'s message."""
    element = button(call, action_id)
    ts = message_ts or "1700000001.000100"
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": USER, "username": "dev", "name": "dev", "team_id": TEAM},
        "api_app_id": "A0APP", "token": "gIkuvaNzQIHg97ATvDxqgjtO",
        "container": {"type": "message", "message_ts": ts, "channel_id": channel,
                      "is_ephemeral": ephemeral},
        "trigger_id": "1234.5678.trigger",
        "team": {"id": TEAM, "domain": "example"},
        "enterprise": None, "is_enterprise_install": False,
        "channel": {"id": channel, "name": "general"},
        "response_url": response_url,
        "actions": [{"action_id": element["action_id"], "block_id": "apierror_actions",
                     "text": element["text"], "value": element["value"], "type": "button",
                     "action_ts": "1700000002.000001"}],
    }
    if not ephemeral:
        payload["message"] = {"type": "message", "user": "UBOT", "bot_id": "BBOT", "ts": ts,
                              "text": call.params["text"], "blocks": call.params["blocks"],
                              "thread_ts": call.params.get("thread_ts")}
    return payload


# -- protocol --------------------------------------------------------------------------------

def test_url_verification_answers_the_challenge(running: Running) -> None:
    body = json.dumps({"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                       "type": "url_verification"}).encode()
    response = running.slack.post(body, "application/json")
    assert response.status_code == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in response.text


def test_bad_and_stale_signatures_are_refused_with_401(running: Running) -> None:
    body = json.dumps({"type": "event_callback", "team_id": TEAM, "event_id": "EvBAD",
                       "event": mention("429")}).encode()
    bad = running.slack.post(body, "application/json", signature="v0=" + "0" * 64)
    assert bad.status_code == 401
    stale_ts = int(time.time()) - 6 * 60
    stale = running.slack.post(body, "application/json", timestamp=stale_ts,
                               signature=sign(body, stale_ts))
    assert stale.status_code == 401
    unsigned = httpx.post(running.slack.url, content=body, headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 401
    time.sleep(0.3)
    assert running.fake.calls_to("chat.postMessage") == []


def test_healthz_is_200_with_a_database_and_404_elsewhere(running: Running) -> None:
    health = httpx.get(running.base_url + "/healthz")
    assert health.status_code == 200
    assert health.json() == {"ok": True, "database": True}
    assert httpx.get(running.base_url + "/nope").status_code == 404
    too_big = httpx.post(running.slack.url, content=b"x" * (1024 * 1024 + 10))
    assert too_big.status_code == 413


# -- mentions --------------------------------------------------------------------------------

def test_mention_is_answered_in_its_thread_after_a_fast_ack(running: Running) -> None:
    event = mention("getting 503 from the orders API since the deploy")
    started = time.monotonic()
    response = running.slack.event(event)
    ack_seconds = time.monotonic() - started
    assert response.status_code == 200
    assert ack_seconds < 1.0
    (call,) = running.fake.wait_for("chat.postMessage")
    assert call.params["channel"] == CHANNEL
    assert call.params["thread_ts"] == event["ts"]
    assert call.token == running.fake.bot_token
    blocks = call.params["blocks"]
    assert "503" in call.params["text"]
    assert blocks[0]["type"] == "header" and "503" in blocks[0]["text"]["text"]
    assert len(blocks) <= 50
    ids = {e["action_id"] for b in blocks for e in b.get("elements", []) if "action_id" in e}
    assert {ACTION_HELPFUL, ACTION_NOT_IT, ACTION_MARK_FIXED} <= ids


def test_retries_and_duplicates_produce_one_reply(running: Running) -> None:
    event = mention("429 Too Many Requests")
    responses = [running.slack.event(event, event_id="EvDUPLICATE")]
    threads = [threading.Thread(target=lambda n=n: responses.append(
        running.slack.event(event, event_id="EvDUPLICATE", retry_num=n))) for n in (1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in responses] == [200] * 4
    running.fake.wait_for("chat.postMessage")
    time.sleep(0.5)
    assert len(running.fake.calls_to("chat.postMessage")) == 1


def test_mention_with_nothing_to_diagnose_gets_help(running: Running) -> None:
    event = mention("")
    running.slack.event(event)
    (call,) = running.fake.wait_for("chat.postMessage")
    assert call.params["thread_ts"] == event["ts"]
    assert "@apierror 429" in all_text(call.params["blocks"])
    assert not any(b.get("type") == "actions" for b in call.params["blocks"])


def test_leaked_secret_is_flagged_first_and_never_echoed(running: Running) -> None:
    paste = (f"curl -H 'Authorization: Bearer {GITHUB_TOKEN}' https://api.github.com/user/repos\n"
             "HTTP/2 401\ncontent-type: application/json\n\n"
             '{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}')
    running.slack.event(mention(paste))
    (call,) = running.fake.wait_for("chat.postMessage")
    assert GITHUB_TOKEN not in dumps(call)
    assert GITHUB_TOKEN[4:20] not in dumps(call)
    first = all_text(call.params["blocks"][:1]).lower()
    assert "rotate" in first and "delete your message" in first
    assert "rotate" in call.params["text"].lower()
    # Nothing secret went anywhere: not in any call, not in storage.
    assert all(GITHUB_TOKEN not in dumps(c) for c in running.fake.calls)
    memory = running.runtime.memory
    assert memory is not None
    stored = memory.occurrence(TEAM, 1)
    assert stored is not None and GITHUB_TOKEN not in stored.excerpt


def test_hostile_pastes_still_get_a_reply_within_slack_limits(running: Running) -> None:
    pastes = ["a" * 40_000, "\x00\x01" * 5_000 + " 500", "\n".join(f"line {i} 'unbalanced \"" for i in range(5_000)),
              "<!channel> <@U999> & 403 " * 300]
    for paste in pastes:
        running.slack.event(mention(paste, channel=f"C{len(paste)}"))
    calls = running.fake.wait_for("chat.postMessage", count=len(pastes), timeout=20)
    for call in calls:
        blocks = call.params["blocks"]
        assert 1 <= len(blocks) <= 50
        assert len(json.dumps(blocks)) + len(call.params["text"]) <= 40_000
        for block in blocks:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= 3_000
        # A pasted <!channel> must not ping anyone.
        assert "<!channel>" not in dumps(call)
        assert "\x00" not in dumps(call)


def test_snippet_attached_to_a_mention_is_downloaded_with_the_bot_token(running: Running) -> None:
    body = ("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\nContent-Type: application/json\r\n\r\n"
            '{"error":"rate_limited"}\n' + "x" * 1000)
    file = running.fake.add_file(body.encode(), name="response.txt")
    event = mention("what does this mean?", files=[file])
    running.slack.event(event)
    (call,) = running.fake.wait_for("chat.postMessage")
    downloads = running.fake.calls_to("file")
    assert downloads and all(d.token == running.fake.bot_token for d in downloads)
    assert "429" in call.params["text"]


def test_follow_up_in_a_thread_reads_the_earlier_paste(running: Running) -> None:
    root = running.fake.add_message(
        CHANNEL, "<@UBOT> curl -X POST https://api.example.com/v1/orders -d '{\"a\": 1}'\nHTTP/1.1 401 Unauthorized")
    running.slack.event(mention("curl -X POST https://api.example.com/v1/orders -d '{\"a\": 1}'\n"
                                "HTTP/1.1 401 Unauthorized", ts=root["ts"], event_ts=root["ts"]))
    first = running.fake.wait_for("chat.postMessage")[0]
    assert "401" in first.params["text"]
    follow = mention("and now 403", thread_ts=root["ts"])
    running.fake.add_message(CHANNEL, follow["text"], ts=follow["ts"], thread_ts=root["ts"])
    running.slack.event(follow)
    second = running.fake.wait_for("chat.postMessage", count=2)[1]
    assert second.params["thread_ts"] == root["ts"]
    assert "403" in second.params["text"]
    assert "api.example.com" in all_text(second.params["blocks"])


def test_direct_message_is_answered_and_own_messages_ignored(running: Running) -> None:
    running.slack.event(direct_message("HTTP/1.1 502 Bad Gateway"))
    (call,) = running.fake.wait_for("chat.postMessage")
    assert call.params["channel"] == "D0DM"
    assert "thread_ts" not in call.params
    assert "502" in call.params["text"]
    own = direct_message("502 again", user="UBOT", bot_id="BBOT")
    running.slack.event(own)
    edited = direct_message("502", subtype="message_changed")
    running.slack.event(edited)
    time.sleep(0.5)
    assert len(running.fake.calls_to("chat.postMessage")) == 1


# -- slash command, share, shortcut ----------------------------------------------------------

def test_slash_command_answers_ephemerally_through_response_url(running: Running) -> None:
    response_url = running.fake.response_url("slash1")
    reply = running.slack.command("429", response_url)
    assert reply.status_code == 200
    (call,) = running.fake.wait_for("response_url")
    assert call.path.endswith("/slash1")
    assert call.params["response_type"] == "ephemeral"
    assert "429" in call.params["text"]
    share = button(call, ACTION_SHARE)
    assert share["text"]["text"] == "Share in channel"
    assert running.fake.calls_to("chat.postMessage") == []

    # Share in channel: posted for everyone, the ephemeral one removed.
    click_url = running.fake.response_url("share1")
    running.slack.interaction(block_actions(call, ACTION_SHARE, ephemeral=True, response_url=click_url))
    (posted,) = running.fake.wait_for("chat.postMessage")
    assert posted.params["channel"] == CHANNEL
    assert "429" in posted.params["text"]
    assert f"<@{USER}>" in all_text(posted.params["blocks"])
    deleted = running.fake.wait_for("response_url", count=2)[1]
    assert deleted.params["delete_original"] is True
    assert deleted.path.endswith("/share1")


def test_slash_subcommands_help_note_and_top(running: Running) -> None:
    running.slack.command("help", running.fake.response_url("h"))
    help_call = running.fake.wait_for("response_url")[0]
    assert "/apierror top" in all_text(help_call.params["blocks"])

    running.slack.command("note 503 the staging gateway restarts at 02:00", running.fake.response_url("n"))
    noted = running.fake.wait_for("response_url", count=2)[1]
    assert "503" in noted.params["text"]

    running.slack.event(mention("HTTP/1.1 503 Service Unavailable"))
    reply = running.fake.wait_for("chat.postMessage")[0]
    assert "staging gateway restarts" in all_text(reply.params["blocks"])

    running.slack.command("top 7", running.fake.response_url("t"))
    top = running.fake.wait_for("response_url", count=3)[2]
    assert "503" in all_text(top.params["blocks"])

    running.slack.command("note 999 nonsense", running.fake.response_url("bad"))
    usage = running.fake.wait_for("response_url", count=4)[3]
    assert "note <code or cause id>" in usage.params["text"]


def test_digest_on_and_off(running: Running) -> None:
    running.slack.command("digest on <#C0DIGEST|alerts> 08:30", running.fake.response_url("d"))
    call = running.fake.wait_for("response_url")[0]
    assert "C0DIGEST" in call.params["text"]
    memory = running.runtime.memory
    assert memory is not None
    settings = memory.digest_settings(TEAM)
    assert settings is not None and settings.enabled
    assert (settings.channel_id, settings.hour, settings.minute) == ("C0DIGEST", 8, 30)
    running.slack.command("digest off", running.fake.response_url("d2"))
    running.fake.wait_for("response_url", count=2)
    after = memory.digest_settings(TEAM)
    assert after is None or not after.enabled


def test_message_shortcut_answers_in_that_messages_thread(running: Running) -> None:
    ts = next_ts()
    payload = {
        "type": "message_action", "callback_id": "apierror_diagnose", "trigger_id": "1.2.trigger",
        "team": {"id": TEAM, "domain": "example"}, "user": {"id": "U0MATE", "name": "mate"},
        "channel": {"id": CHANNEL, "name": "general"}, "message_ts": ts,
        "response_url": running.fake.response_url("sc"), "token": "x", "action_ts": "1.1",
        "message": {"type": "message", "user": USER, "ts": ts, "text": "why do I get HTTP/1.1 404 Not Found"},
    }
    assert running.slack.interaction(payload).status_code == 200
    (call,) = running.fake.wait_for("chat.postMessage")
    assert call.params["thread_ts"] == ts
    assert "404" in call.params["text"]


# -- buttons, modal, home ----------------------------------------------------------------------

def test_mark_fixed_modal_round_trip_updates_reply_and_shows_next_time(running: Running) -> None:
    paste = "curl https://api.example.com/v1/items\nHTTP/1.1 401 Unauthorized"
    running.slack.event(mention(paste))
    reply = running.fake.wait_for("chat.postMessage")[0]
    reply_ts = running.fake.messages[-1]["ts"]
    running.slack.interaction(block_actions(reply, ACTION_MARK_FIXED, message_ts=reply_ts))
    (opened,) = running.fake.wait_for("views.open")
    assert opened.params["trigger_id"] == "1234.5678.trigger"
    view = opened.params["view"]
    assert view["type"] == "modal" and view["callback_id"] == "apierror_fix"

    submission = {
        "type": "view_submission", "team": {"id": TEAM, "domain": "example"},
        "user": {"id": USER, "name": "dev", "team_id": TEAM}, "api_app_id": "A0APP", "token": "x",
        "trigger_id": "9.9.trigger",
        "view": {**view, "id": "V0001", "team_id": TEAM, "state": {"values": {
            "fix": {"text": {"type": "plain_text_input", "value": "regenerated the API key in the dashboard"}}}}},
    }
    empty = json.loads(json.dumps(submission))
    empty["view"]["state"]["values"]["fix"]["text"]["value"] = "  "
    refused = running.slack.interaction(empty)
    assert refused.json()["response_action"] == "errors"

    assert running.slack.interaction(submission).status_code == 200
    (update,) = running.fake.wait_for("chat.update")
    assert update.params["ts"] == reply_ts and update.params["channel"] == CHANNEL
    assert "regenerated the API key" in all_text(update.params["blocks"])

    running.slack.event(mention(paste, channel="C0OTHER"))  # same error, another channel
    again = running.fake.wait_for("chat.postMessage", count=2)[1]
    assert "regenerated the API key" in all_text(again.params["blocks"])
    assert "Fixed before" in all_text(again.params["blocks"])


def test_not_it_is_stored_and_updates_the_reply_in_place(running: Running) -> None:
    running.slack.event(mention("HTTP/1.1 429 Too Many Requests"))
    reply = running.fake.wait_for("chat.postMessage")[0]
    running.slack.interaction(block_actions(reply, ACTION_NOT_IT, response_url=running.fake.response_url()))
    (update,) = running.fake.wait_for("chat.update")
    assert "was not it" in all_text(update.params["blocks"])
    cause = json.loads(button(reply, ACTION_NOT_IT)["value"])["c"]
    memory = running.runtime.memory
    assert memory is not None
    assert memory.feedback_counts(TEAM, cause) == (0, 1)

    running.slack.interaction(block_actions(reply, ACTION_HELPFUL, response_url=running.fake.response_url()))
    thanks = running.fake.wait_for("response_url")[0]
    assert "Thanks" in thanks.params["text"]
    assert memory.feedback_counts(TEAM, cause) == (1, 0)  # same user: the vote is replaced


def test_app_home_shows_this_weeks_recurring_errors(running: Running) -> None:
    for channel in ("C0HOME1", "C0HOME2"):
        running.slack.event(mention("HTTP/1.1 503 Service Unavailable", channel=channel))
    running.fake.wait_for("chat.postMessage", count=2, timeout=8)
    ts = next_ts()
    running.slack.event({"type": "app_home_opened", "user": USER, "channel": "D0DM", "tab": "home",
                         "event_ts": ts})
    (call,) = running.fake.wait_for("views.publish")
    assert call.params["user_id"] == USER
    assert call.params["view"]["type"] == "home"
    text = all_text(call.params["view"]["blocks"])
    assert "503" in text and "2×" in text


# -- Slack's limits on us: 429 and pacing --------------------------------------------------------

def test_429_from_slack_is_honoured_then_retried(running: Running) -> None:
    running.fake.fail("chat.postMessage", status=429, retry_after=1)
    running.slack.event(mention("500 Internal Server Error"))
    first, second = running.fake.wait_for("chat.postMessage", count=2, timeout=10)
    assert second.at - first.at >= 1.0
    time.sleep(0.3)
    assert len(running.fake.calls_to("chat.postMessage")) == 2


def test_burst_in_one_channel_is_paced_not_refused(running: Running) -> None:
    for status in (400, 401, 403):
        running.slack.event(mention(str(status), channel="C0BURST"))
    calls = running.fake.wait_for("chat.postMessage", count=3, timeout=10)
    gaps = [b.at - a.at for a, b in itertools.pairwise(calls)]
    assert all(gap >= 0.9 for gap in gaps), gaps


# -- storage down --------------------------------------------------------------------------------

def test_without_storage_the_bot_still_answers_and_healthz_says_503(fake: FakeSlack, tmp_path: Path) -> None:
    app = start(fake, tmp_path, use_memory=False)
    try:
        assert httpx.get(app.base_url + "/healthz").status_code == 503
        event = mention("HTTP/1.1 504 Gateway Timeout")
        app.slack.event(event, event_id="EvNOSTORE")
        app.slack.event(event, event_id="EvNOSTORE", retry_num=1)
        (call,) = fake.wait_for("chat.postMessage")
        assert "504" in call.params["text"]
        assert not any(b.get("type") == "actions" for b in call.params["blocks"])
        time.sleep(0.3)
        assert len(fake.calls_to("chat.postMessage")) == 1
        app.slack.command("top", fake.response_url("t"))
        assert "unavailable" in fake.wait_for("response_url")[0].params["text"]
    finally:
        app.server.close()
        app.runtime.close()


def test_answers_even_when_auth_test_fails_at_start(fake: FakeSlack, tmp_path: Path,
                                                    migrated_db: Path) -> None:
    # A Slack hiccup (or a Web API without auth.test) at start must not silence the bot.
    fake.fail("auth.test", status=404, retry_after=None, times=1000)
    app = start(fake, tmp_path, template=migrated_db)
    try:
        event = mention("getting 502 from the gateway")
        assert app.slack.event(event).status_code == 200
        (call,) = fake.wait_for("chat.postMessage")
        assert call.params["thread_ts"] == event["ts"]
        assert "502" in call.params["text"]
    finally:
        app.server.close()
        app.runtime.close()
