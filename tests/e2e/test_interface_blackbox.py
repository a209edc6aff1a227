"""`apierror serve` and the CLI driven only through the outside interface (shared/INTERFACE.md).

Everything here goes through a real `apierror serve` process: signed HTTP requests shaped as
Slack sends them (Events API envelopes, slash command forms, interactivity `payload=`), a fake
Slack Web API (tests/fakeslack.py) that records what the app posts, and the database named by
DATABASE_URL (SQLite; PostgreSQL when the test server is up; an unreachable one). Each test uses
its own channels and teams so one process serves most of them.

Bugs these tests caught (each fixed in bot/):
- signed but malformed bodies (`{not json`, `[]`, `payload=null`, `"event": "x"`,
  `"actions": []`) answered 500 with a traceback in the log; unsigned garbage was parsed first;
- GET on /slack/events said 404 instead of 405; HEAD /healthz sent a body;
- a slash command was not acked within 3 s while listener threads were busy with other work
  (e.g. a rate-limited thread read): Bolt answered 404 "unhandled request" after 3 s;
- a response_url answering 429 lost the slash command's answer (no retry);
- `apierror` without a command printed the whole help (many lines) on stderr, a failing command
  printed a multi-line driver error, a malformed PORT exited 1 with a Python message;
- a database that came up after `serve` (or was empty) never got its tables, while /healthz
  said 200: every command answered "team memory is unavailable" until a restart.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.e2e.conftest import SIGNING_SECRET, envelope_for, free_port, next_ts, sign, stop_process
from tests.fakeslack import Call, FakeSlack

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get("APIERROR_TEST_POSTGRES_URL") or \
    "postgresql+psycopg://postgres@127.0.0.1:5432/test"
LIVE_KEY = "sk_live_" + "51HxYzAbCdEfGhIjKlMnOpQrStUv"
_ids = itertools.count(1)


# -- a real `apierror serve` ---------------------------------------------------------------------

@dataclass
class Serve:
    process: subprocess.Popen[bytes]
    port: int
    fake: FakeSlack
    log: Path
    database_url: str

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def events_url(self) -> str:
        return self.base + "/slack/events"

    def stderr(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> int:
        return stop_process(self.process, timeout=20)

    # Slack's requests -----------------------------------------------------------------------
    def post(self, body: bytes, content_type: str = "application/json",
             timestamp: int | None = None, signature: str | None = None,
             headers: dict[str, str] | None = None) -> httpx.Response:
        ts = int(time.time()) if timestamp is None else timestamp
        sent = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(ts),
                "X-Slack-Signature": signature or sign(body, ts),
                "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)", **(headers or {})}
        return httpx.post(self.events_url, content=body, headers=sent, timeout=10)

    def event(self, event: dict[str, Any], team: str, event_id: str | None = None,
              retry: int | None = None) -> httpx.Response:
        envelope = envelope_for(event, event_id)
        envelope["team_id"] = team
        envelope["authorizations"][0]["team_id"] = team
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} \
            if retry else None
        return self.post(json.dumps(envelope).encode(), headers=headers)

    def command(self, text: str, team: str, channel: str, response_url: str,
                user: str = "U0USER") -> httpx.Response:
        form = {"token": "gIkuvaNzQIHg97ATvDxqgjtO", "team_id": team, "team_domain": "example",
                "channel_id": channel, "channel_name": "general", "user_id": user,
                "user_name": "dev", "command": "/apierror", "text": text, "api_app_id": "A0APP",
                "is_enterprise_install": "false", "response_url": response_url,
                "trigger_id": f"{next(_ids)}.{next(_ids)}.trigger"}
        return self.post(urlencode(form).encode(), "application/x-www-form-urlencoded")

    def interaction(self, payload: dict[str, Any]) -> httpx.Response:
        return self.post(urlencode({"payload": json.dumps(payload)}).encode(),
                         "application/x-www-form-urlencoded")


def serve_env(fake: FakeSlack, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "APIERROR_"))}
    env.update(SLACK_BOT_TOKEN=fake.bot_token, SLACK_SIGNING_SECRET=SIGNING_SECRET,
               SLACK_API_URL=fake.api_url, DATABASE_URL=database_url, PYTHONPATH=str(ROOT),
               **extra)
    env.pop("PORT", None)
    return env


def launch(fake: FakeSlack, tmp_path: Path, database_url: str | None = None) -> Serve:
    """`apierror serve --port P`, stderr to a file (a pipe nobody reads would block the app)."""
    n = next(_ids)
    database_url = database_url or f"sqlite:///{tmp_path / f'blackbox-{n}.db'}"
    port = free_port()
    log = tmp_path / f"blackbox-{n}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=serve_env(fake, database_url), cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=sink)
    serve = Serve(process, port, fake, log, database_url)
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(serve.base + "/livez", timeout=1)
            return serve
        except httpx.HTTPError:
            if process.poll() is not None or time.monotonic() > deadline:
                serve.stop()
                raise AssertionError(f"serve did not start:\n{serve.stderr()}") from None
            time.sleep(0.05)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture(scope="module")
def serve(fake: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    app = launch(fake, tmp_path_factory.mktemp("blackbox"))
    try:
        yield app
    finally:
        assert app.stop() == 0
    assert "Traceback" not in app.stderr(), app.stderr()[-4000:]


# -- helpers ---------------------------------------------------------------------------------------

def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8].upper()}"


def mention(text: str, channel: str, team: str, **extra: Any) -> dict[str, Any]:
    ts = next_ts()
    return {"type": "app_mention", "user": "U0USER", "text": f"<@UBOT> {text}".rstrip(), "ts": ts,
            "channel": channel, "event_ts": ts, "team": team,
            "client_msg_id": str(uuid.uuid4()), **extra}


def posts_in(fake: FakeSlack, channel: str) -> list[Call]:
    return [c for c in fake.calls_to("chat.postMessage") if c.params.get("channel") == channel]


def wait_posts(fake: FakeSlack, channel: str, count: int = 1, timeout: float = 10) -> list[Call]:
    deadline = time.monotonic() + timeout
    while len(found := posts_in(fake, channel)) < count:
        assert time.monotonic() < deadline, f"{len(found)} of {count} posts in {channel}"
        time.sleep(0.02)
    return found


def answers(fake: FakeSlack, name: str) -> list[Call]:
    return [c for c in fake.calls_to("response_url") if c.path.endswith("/" + name)]


def wait_answer(fake: FakeSlack, name: str, count: int = 1, timeout: float = 10) -> list[Call]:
    deadline = time.monotonic() + timeout
    while len(found := answers(fake, name)) < count:
        assert time.monotonic() < deadline, f"no answer at response_url {name}"
        time.sleep(0.02)
    return found


def slash(serve: Serve, text: str, team: str = "T0BBOX", channel: str = "C0BBOX") -> Call:
    """Run `/apierror text`: acked at once with an empty 200, answered ephemerally."""
    name = unique("r")
    started = time.monotonic()
    ack = serve.command(text, team, channel, serve.fake.response_url(name))
    assert ack.status_code == 200 and ack.text == "", (ack.status_code, ack.text)
    assert time.monotonic() - started < 2.5
    (answer,) = wait_answer(serve.fake, name)
    assert answer.params["response_type"] == "ephemeral"
    return answer


def dumps(call: Call) -> str:
    return json.dumps(call.params, ensure_ascii=False)


# -- protocol --------------------------------------------------------------------------------------

def test_url_verification_is_answered_with_the_challenge(serve: Serve) -> None:
    body = json.dumps({"token": "Jhj5dZrVaK7ZwHHjRyZWjbDl", "type": "url_verification",
                       "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}).encode()
    answer = serve.post(body)
    assert answer.status_code == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in answer.text


def test_bad_stale_and_missing_signatures_get_401_and_change_nothing(serve: Serve) -> None:
    channel, team = unique("C"), unique("T")
    envelope = envelope_for(mention("HTTP 502 from the gateway", channel, team))
    body = json.dumps(envelope).encode()
    now = int(time.time())
    refused = [
        serve.post(body, signature="v0=" + "0" * 64),
        serve.post(body, signature=sign(body, now, "another-secret")),
        serve.post(body, timestamp=now - 6 * 60, signature=sign(body, now - 6 * 60)),
        serve.post(body, timestamp=now + 6 * 60, signature=sign(body, now + 6 * 60)),
        serve.post(body, headers={"X-Slack-Request-Timestamp": "soon"}),
        httpx.post(serve.events_url, content=body, headers={"Content-Type": "application/json"}),
        # Signed garbage with a wrong signature: refused before it is even parsed.
        serve.post(b"{not json", signature="v0=" + "1" * 64),
        serve.post(b"payload=null", "application/x-www-form-urlencoded", signature="v0=2"),
    ]
    name = unique("r")
    form = urlencode({"team_id": team, "channel_id": channel, "user_id": "U1", "command": "/apierror",
                      "text": "top", "response_url": serve.fake.response_url(name)}).encode()
    refused.append(serve.post(form, "application/x-www-form-urlencoded", signature="v0=" + "f" * 64))
    assert [r.status_code for r in refused] == [401] * len(refused)
    # Slack's certificate check of the slash command URL is answered 200, and does nothing.
    ssl_check = urlencode({"ssl_check": "1", "token": "x"}).encode()
    assert httpx.post(serve.events_url, content=ssl_check).status_code == 200
    time.sleep(0.5)
    assert posts_in(serve.fake, channel) == [] and answers(serve.fake, name) == []
    # The same event, signed, is still new: the refused copies left no trace (not even dedupe).
    assert serve.post(body).status_code == 200
    wait_posts(serve.fake, channel)


def test_routes_unknown_paths_404_wrong_methods_405_and_head_has_no_body(serve: Serve) -> None:
    health = httpx.get(serve.base + "/healthz")
    assert health.status_code == 200 and health.json()["database"] is True
    for path in ("/", "/nope", "/slack/events/", "/slack", "/healthz/x"):
        assert httpx.get(serve.base + path).status_code == 404, path
    events_get = httpx.get(serve.events_url)
    assert events_get.status_code == 405 and events_get.headers["allow"] == "POST"
    for method in ("PUT", "DELETE", "PATCH"):
        assert httpx.request(method, serve.events_url).status_code == 405
    assert httpx.post(serve.base + "/healthz").status_code == 405
    head = httpx.head(serve.base + "/healthz")
    assert head.status_code == 200 and head.content == b""


MALFORMED = [
    (b"{not json", "application/json"),
    (b"", "application/json"),
    (b"[]", "application/json"),
    (b"null", "application/json"),
    (b'"x"', "application/json"),
    (b"\xff\xfe\x00garbage", "application/json"),
    (b'{"type": "event_callback"}', "application/json"),
    (b'{"type": "event_callback", "event": "x"}', "application/json"),
    (b'{"type": "event_callback", "event": null}', "application/json"),
    (b'{"type": "event_callback", "event": {"type": "app_mention"}, "authorizations": "x"}',
     "application/json"),
    (b'{"type": "event_callback", "event": {"type": ["app_mention"]}}', "application/json"),
    (b'{"type": "event_callback", "event": {"type": "app_mention", "channel": 5}}',
     "application/json"),
    (b'{"type": "event_callback", "team": [], "event": {"type": "message"}}', "application/json"),
    (b"payload=notjson", "application/x-www-form-urlencoded"),
    (b"payload=%5B%5D", "application/x-www-form-urlencoded"),
    (b"payload=null", "application/x-www-form-urlencoded"),
    (b'payload={"type":"block_actions"}', "application/x-www-form-urlencoded"),
    (b'payload={"type":"block_actions","actions":"x"}', "application/x-www-form-urlencoded"),
    (b'payload={"type":"block_actions","actions":[]}', "application/x-www-form-urlencoded"),
    (b'payload={"type":"block_actions","actions":[{"value":"x"}]}',
     "application/x-www-form-urlencoded"),
    (b'payload={"type":"view_submission","view":{"callback_id":"apierror_fix"}}',
     "application/x-www-form-urlencoded"),
    (b'payload={"type":"message_action","callback_id":"apierror_diagnose","message":"x"}',
     "application/x-www-form-urlencoded"),
    (b"garbage&&==", "application/x-www-form-urlencoded"),
    (b"command=/apierror&text=429", "application/x-www-form-urlencoded"),
    (b"\x00\x01\x02", "application/octet-stream"),
]


def test_malformed_signed_bodies_never_get_a_500_or_a_traceback(serve: Serve) -> None:
    statuses = {}
    for body, content_type in MALFORMED:
        answer = serve.post(body, content_type)
        statuses[body[:60]] = answer.status_code
        assert answer.status_code < 500, (body, answer.status_code, answer.text)
        assert "Traceback" not in answer.text
    assert statuses[b"{not json"] == 400 and statuses[b"[]"] == 400
    assert statuses[b'{"type": "event_callback", "event": "x"}'] == 400
    time.sleep(0.5)  # anything the app hands to its workers has run
    assert "Traceback" not in serve.stderr(), serve.stderr()[-3000:]
    assert httpx.get(serve.base + "/healthz").status_code == 200  # and it still serves


def test_an_event_nobody_listens_to_is_acked_not_retried(serve: Serve) -> None:
    event = {"type": "reaction_added", "user": "U1", "reaction": "thumbsup", "event_ts": next_ts(),
             "item": {"type": "message", "channel": "C1", "ts": next_ts()}}
    assert serve.event(event, "T0BBOX").status_code == 200


# -- mentions and DMs ------------------------------------------------------------------------------

def test_mentions_are_acked_fast_and_answered_in_their_thread(serve: Serve) -> None:
    team, channel = unique("T"), unique("C")
    lone = mention("", channel, team)
    assert lone["text"] == "<@UBOT>"
    started = time.monotonic()
    assert serve.event(lone, team).status_code == 200
    assert time.monotonic() - started < 1.0
    (helped,) = wait_posts(serve.fake, channel)
    assert helped.params["thread_ts"] == lone["ts"]
    assert "paste" in helped.params["text"].lower()

    # A mention inside a thread is answered in that thread (its parent's ts).
    parent = next_ts()
    inner = mention("HTTP/1.1 429 Too Many Requests\nRetry-After: 30", channel, team,
                    thread_ts=parent)
    serve.event(inner, team)
    second = wait_posts(serve.fake, channel, 2)[1]
    assert second.params["thread_ts"] == parent
    assert "429" in second.params["text"]


def test_slack_escaping_and_links_are_undone_before_diagnosis(serve: Serve) -> None:
    team, channel = unique("T"), unique("C")
    text = ("curl -X POST '<https://api.example.com/v1/items?a=1&amp;b=2|api.example.com/v1/items>' "
            "-H 'Content-Type: application/json' -d '{\"name\": \"x\",}' &amp;&amp; echo done\n"
            "HTTP/1.1 400 Bad Request &lt;html&gt;")
    serve.event(mention(text, channel, team), team)
    (reply,) = wait_posts(serve.fake, channel)
    shown = dumps(reply)
    assert "400" in reply.params["text"]
    assert "https://api.example.com/v1/items" in shown
    assert "|api.example.com" not in shown and "<https://" not in shown
    assert "&amp;amp;" not in shown  # escaped once for Slack, not twice


def test_a_live_key_is_never_echoed_or_stored_and_the_reply_says_rotate(serve: Serve) -> None:
    team, channel = unique("T"), unique("C")
    text = f"curl -H 'Authorization: Bearer {LIVE_KEY}' https://api.stripe.com/v1/charges -> 401"
    serve.event(mention(text, channel, team), team)
    (reply,) = wait_posts(serve.fake, channel)
    assert LIVE_KEY not in dumps(reply)
    assert "rotate" in dumps(reply).lower()
    # The database file holds the masked paste only.
    database = Path(serve.database_url.removeprefix("sqlite:///"))
    time.sleep(0.3)
    stored = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
    assert LIVE_KEY.encode() not in stored
    assert LIVE_KEY not in serve.stderr()


def test_a_retried_event_is_answered_once_and_a_first_seen_retry_is_answered(serve: Serve) -> None:
    team, channel = unique("T"), unique("C")
    event = mention("503 Service Unavailable from the gateway", channel, team)
    event_id = unique("Ev")
    answers_ = [serve.event(event, team, event_id),
                serve.event(event, team, event_id, retry=1),
                serve.event(event, team, event_id, retry=2)]
    assert [a.status_code for a in answers_] == [200, 200, 200]
    # Slack's first delivery never arrived: the retry is the first we see, and is answered.
    lost = mention("504 Gateway Timeout", channel, team)
    serve.event(lost, team, unique("Ev"), retry=1)
    wait_posts(serve.fake, channel, 2)
    time.sleep(1.0)
    assert sorted(p.params["thread_ts"] for p in posts_in(serve.fake, channel)) == \
        sorted([event["ts"], lost["ts"]])


def test_direct_messages_are_answered_and_own_or_edited_messages_ignored(serve: Serve) -> None:
    team, channel = unique("T"), unique("D")
    ts = next_ts()
    dm = {"type": "message", "channel_type": "im", "user": "U0USER", "text": "getting 429s",
          "ts": ts, "channel": channel, "event_ts": ts, "team": team}
    serve.event(dm, team)
    (reply,) = wait_posts(serve.fake, channel)
    assert "429" in reply.params["text"]
    serve.event({**dm, "ts": next_ts(), "user": "UBOT", "bot_id": "BBOT"}, team)
    serve.event({**dm, "ts": next_ts(), "subtype": "message_changed"}, team)
    time.sleep(0.5)
    assert len(posts_in(serve.fake, channel)) == 1


def test_slack_429_is_waited_out_then_the_reply_is_posted_once(serve: Serve) -> None:
    team, channel = unique("T"), unique("C")
    serve.fake.fail("chat.postMessage", status=429, retry_after=1)
    serve.event(mention("HTTP/1.1 404 Not Found", channel, team), team)
    deadline = time.monotonic() + 10
    while True:
        calls = [c for c in serve.fake.calls_to("chat.postMessage")
                 if c.params.get("channel") == channel]
        if len(calls) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    time.sleep(0.5)
    calls = [c for c in serve.fake.calls_to("chat.postMessage") if c.params.get("channel") == channel]
    assert len(calls) == 2, "one refused with 429, then exactly one accepted"
    assert calls[1].at - calls[0].at >= 0.95  # Retry-After: 1


# -- slash command ---------------------------------------------------------------------------------

def test_slash_commands_are_acked_empty_and_answered_ephemerally(serve: Serve) -> None:
    assert "429" in slash(serve, "429").params["text"]
    assert "commands" in slash(serve, "help").params["text"].lower()
    assert "commands" in slash(serve, "").params["text"].lower()
    assert "top errors" in slash(serve, "top 7").params["text"].lower()
    on = slash(serve, "digest on <#C0DIGEST|alerts> 09:00")
    assert "09:00" in on.params["text"] and "C0DIGEST" in on.params["text"]
    assert "off" in slash(serve, "digest off").params["text"].lower()
    assert "502" in slash(serve, "note 502 restart the pod").params["text"]
    garbage = slash(serve, "\x00\x01\xff\ufffd binary \x7f garbage")
    assert garbage.params["text"]
    big = "HTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\nContent-Type: text/html\r\n\r\n" + \
        "<p>upstream connect error or disconnect/reset before headers</p>\n" * 620
    assert len(big) > 40_000
    answer = slash(serve, big)
    assert "502" in answer.params["text"]
    assert len(answer.params.get("blocks") or []) <= 50 and len(dumps(answer)) < 60_000


def test_slash_acks_stay_fast_while_other_work_waits_on_slack(serve: Serve) -> None:
    """Thread reads rate-limited by Slack (429, Retry-After) must not hold up slash acks."""
    team, channels = unique("T"), [unique("C") for _ in range(20)]
    serve.fake.fail("conversations.replies", status=429, retry_after=1, times=40)
    parent = next_ts()
    with ThreadPoolExecutor(20) as pool:
        sent = list(pool.map(lambda channel: serve.event(
            mention("and now 403", channel, team, thread_ts=parent), team), channels))
    assert {r.status_code for r in sent} == {200}
    time.sleep(0.3)  # the mentions are now waiting out Retry-After
    name = unique("r")
    started = time.monotonic()
    ack = serve.command("429", team, unique("C"), serve.fake.response_url(name))
    took = time.monotonic() - started
    assert ack.status_code == 200 and took < 1.0, (ack.status_code, ack.text, took)
    wait_answer(serve.fake, name, timeout=5)
    for channel in channels:  # and the mentions are answered once Slack lets them read
        wait_posts(serve.fake, channel, timeout=20)


def test_a_response_url_answering_429_is_retried_after_retry_after(serve: Serve) -> None:
    serve.fake.fail("response_url", status=429, retry_after=1)
    name = unique("r")
    serve.command("429", "T0BBOX", "C0BBOX", serve.fake.response_url(name))
    first, second = wait_answer(serve.fake, name, 2, timeout=8)
    assert second.at - first.at >= 0.95
    time.sleep(0.5)
    assert len(answers(serve.fake, name)) == 2
    assert "429" in second.params["text"]


# -- interactivity and home ------------------------------------------------------------------------

def test_buttons_shortcut_and_app_home(serve: Serve) -> None:
    team, channel = unique("T"), unique("C")
    serve.event(mention("HTTP/1.1 502 Bad Gateway from api.acme.io", channel, team), team)
    (reply,) = wait_posts(serve.fake, channel)
    buttons = {e["action_id"]: e for b in reply.params["blocks"] if b.get("type") == "actions"
               for e in b["elements"]}
    helpful = buttons["apierror_helpful"]
    name = unique("r")
    click = {
        "type": "block_actions", "user": {"id": "U0USER", "username": "dev", "team_id": team},
        "api_app_id": "A0APP", "token": "x", "trigger_id": "1.2.3",
        "container": {"type": "message", "message_ts": "1700000001.000100", "channel_id": channel,
                      "is_ephemeral": False},
        "team": {"id": team, "domain": "example"}, "enterprise": None,
        "channel": {"id": channel, "name": "general"}, "response_url": serve.fake.response_url(name),
        "message": {"type": "message", "ts": "1700000001.000100", "text": reply.params["text"],
                    "blocks": reply.params["blocks"]},
        "actions": [{"action_id": helpful["action_id"], "block_id": "apierror_actions",
                     "text": helpful["text"], "value": helpful["value"], "type": "button",
                     "action_ts": "1700000002.000001"}],
    }
    started = time.monotonic()
    assert serve.interaction(click).status_code == 200
    assert time.monotonic() - started < 2.5
    (thanks,) = wait_answer(serve.fake, name)
    assert "thanks" in thanks.params["text"].lower()

    shortcut_channel = unique("C")
    shortcut = {"type": "message_action", "callback_id": "apierror_diagnose", "trigger_id": "1.2.3",
                "response_url": serve.fake.response_url(), "team": {"id": team, "domain": "ex"},
                "channel": {"id": shortcut_channel, "name": "x"}, "user": {"id": "U3", "name": "y"},
                "message": {"type": "message", "user": "U4", "ts": "1700000099.000100",
                            "text": "HTTP/1.1 401 Unauthorized"},
                "message_ts": "1700000099.000100", "token": "x", "action_ts": "1.2"}
    assert serve.interaction(shortcut).status_code == 200
    (diagnosed,) = wait_posts(serve.fake, shortcut_channel)
    assert diagnosed.params["thread_ts"] == "1700000099.000100" and "401" in diagnosed.params["text"]

    user = unique("U")
    opened = {"type": "app_home_opened", "user": user, "channel": unique("D"), "tab": "home",
              "event_ts": next_ts()}
    serve.event(opened, team)
    deadline = time.monotonic() + 5
    while not [c for c in serve.fake.calls_to("views.publish") if c.params.get("user_id") == user]:
        assert time.monotonic() < deadline, "App Home not published"
        time.sleep(0.02)


def test_each_team_sees_only_its_own_data(serve: Serve) -> None:
    team_a, team_b = unique("TA"), unique("TB")
    channel_a, channel_b = unique("C"), unique("C")
    assert "502" in slash(serve, "note 502 restart the pod", team_a, channel_a).params["text"]
    for _ in range(3):
        serve.event(mention("502 from api.acme-a.io/v1/orders", channel_a, team_a), team_a)
    replies_a = wait_posts(serve.fake, channel_a, 3)
    serve.event(mention("502 from api.acme-b.io/v1/orders", channel_b, team_b), team_b)
    (reply_b,) = wait_posts(serve.fake, channel_b)
    assert "restart the pod" in dumps(replies_a[-1])
    assert "restart the pod" not in dumps(reply_b)
    top_a, top_b = slash(serve, "top 7", team_a, channel_a), slash(serve, "top 7", team_b, channel_b)
    assert "acme-a.io" in dumps(top_a) and "acme-b.io" not in dumps(top_a)
    assert "acme-b.io" in dumps(top_b) and "acme-a.io" not in dumps(top_b)
    assert "restart the pod" not in dumps(top_b)
    # A button from team A's answer, clicked in team B, touches nothing of A's.
    value = next(e["value"] for b in replies_a[0].params["blocks"] if b.get("type") == "actions"
                 for e in b["elements"] if e["action_id"] == "apierror_helpful")
    name = unique("r")
    serve.interaction({
        "type": "block_actions", "user": {"id": "U9", "team_id": team_b}, "team": {"id": team_b},
        "api_app_id": "A0APP", "trigger_id": "1.2.3", "response_url": serve.fake.response_url(name),
        "container": {"type": "message", "message_ts": "1.2", "channel_id": channel_b,
                      "is_ephemeral": True},
        "channel": {"id": channel_b}, "actions": [{"action_id": "apierror_helpful", "value": value,
                                                  "block_id": "apierror_actions", "type": "button"}]})
    (refused,) = wait_answer(serve.fake, name)
    assert "thanks" not in refused.params["text"].lower()


def test_digest_from_cron_on_several_hosts_posts_once(serve: Serve) -> None:
    team, channel, digest_channel = unique("T"), unique("C"), unique("C")
    assert digest_channel in slash(serve, f"digest on <#{digest_channel}|alerts> 08:30", team,
                                   channel).params["text"]
    for _ in range(2):
        serve.event(mention("HTTP/1.1 502 Bad Gateway from api.digest.io", channel, team), team)
    wait_posts(serve.fake, channel, 2)
    env = {"DATABASE_URL": serve.database_url, "SLACK_API_URL": serve.fake.api_url}
    dry = cli("digest", "--dry-run", "--team", team, env=env)
    assert dry.returncode == 0 and "api.digest.io" in dry.stdout, dry.stderr
    assert posts_in(serve.fake, digest_channel) == []
    env["SLACK_BOT_TOKEN"] = serve.fake.bot_token
    command = [sys.executable, "-m", "bot", "digest", "--team", team]
    runs = [subprocess.Popen(command, env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]
    results = [(run.wait(timeout=60), run.stderr.read() if run.stderr else "") for run in runs]
    for run in runs:
        for stream in (run.stdout, run.stderr):
            if stream is not None:
                stream.close()
    assert [code for code, _ in results] == [0, 0, 0], results
    (posted,) = posts_in(serve.fake, digest_channel)
    assert "api.digest.io" in dumps(posted)


# -- databases -------------------------------------------------------------------------------------

def test_with_the_database_down_the_bot_still_answers_and_healthz_is_503(
        fake: FakeSlack, tmp_path: Path) -> None:
    app = launch(fake, tmp_path, "postgresql+psycopg://postgres@127.0.0.1:1/unreachable")
    try:
        health = httpx.get(app.base + "/healthz", timeout=10)
        assert health.status_code == 503
        assert httpx.get(app.base + "/livez").status_code == 200
        team, channel = unique("T"), unique("C")
        app.event(mention("HTTP/1.1 429 Too Many Requests", channel, team), team)
        (reply,) = wait_posts(fake, channel)
        assert "429" in reply.params["text"]
        assert "429" in slash(app, "429", team, channel).params["text"]
        assert "unavailable" in slash(app, "top 7", team, channel).params["text"].lower()
    finally:
        assert app.stop() == 0
    assert "Traceback" not in app.stderr()


def test_a_database_that_comes_up_after_serve_gets_its_schema_and_healthz_turns_200(
        fake: FakeSlack, tmp_path: Path) -> None:
    """Containers start in any order: serve must not stay without tables until restarted."""
    later = tmp_path / "not-yet"
    app = launch(fake, tmp_path, f"sqlite:///{later / 'late.db'}")
    try:
        assert httpx.get(app.base + "/healthz").status_code == 503
        later.mkdir()  # the database can now be opened, but holds no tables
        deadline = time.monotonic() + 15
        while httpx.get(app.base + "/healthz").status_code != 200:
            assert time.monotonic() < deadline, app.stderr()[-2000:]
            time.sleep(0.2)
        team, channel = unique("T"), unique("C")
        slash(app, "note 503 check the deploy first", team, channel)
        app.event(mention("HTTP/1.1 503 Service Unavailable", channel, team), team)
        (reply,) = wait_posts(fake, channel)
        assert "check the deploy first" in dumps(reply)
    finally:
        assert app.stop() == 0


@pytest.fixture
def postgres_url() -> Iterator[str]:
    sqlalchemy = pytest.importorskip("sqlalchemy")
    pytest.importorskip("psycopg")
    server = sqlalchemy.engine.make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    admin = sqlalchemy.create_engine(server, isolation_level="AUTOCOMMIT",
                                     connect_args={"connect_timeout": 3})
    name = f"apierror_blackbox_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL at {POSTGRES_URL} unusable: {type(exc).__name__}")
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.postgres
def test_on_postgresql_answers_remember_and_never_store_the_key(
        fake: FakeSlack, tmp_path: Path, postgres_url: str) -> None:
    sqlalchemy = pytest.importorskip("sqlalchemy")
    app = launch(fake, tmp_path, postgres_url)
    try:
        assert httpx.get(app.base + "/healthz").status_code == 200
        team, channel = unique("T"), unique("C")
        app.event(mention(f"curl -u {LIVE_KEY}: https://api.stripe.com/v1/charges gives 401",
                          channel, team), team)
        (reply,) = wait_posts(fake, channel)
        assert LIVE_KEY not in dumps(reply)
        assert "top errors" in slash(app, "top 7", team, channel).params["text"].lower()
    finally:
        assert app.stop() == 0
    engine = sqlalchemy.create_engine(postgres_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sqlalchemy.text(
                "SELECT * FROM occurrences WHERE team_id = :team"), {"team": team}).fetchall()
    finally:
        engine.dispose()
    assert len(rows) == 1
    assert LIVE_KEY not in repr(rows)
    assert "Traceback" not in app.stderr()


# -- the command line ------------------------------------------------------------------------------

def cli(*args: str, env: dict[str, str] | None = None, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin.decode(),
                          capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env={**base, "PYTHONPATH": str(ROOT), **(env or {})})


def test_cli_manifest_db_upgrade_digest_and_usage_errors(tmp_path: Path) -> None:
    yaml = pytest.importorskip("yaml")
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    manifest = cli("manifest", "--url", "https://apierror.example.org")
    assert manifest.returncode == 0, manifest.stderr
    data = yaml.safe_load(manifest.stdout)
    url = "https://apierror.example.org/slack/events"
    assert data["settings"]["event_subscriptions"]["request_url"] == url
    assert data["settings"]["interactivity"]["request_url"] == url
    assert data["features"]["slash_commands"][0]["url"] == url
    assert {"app_mention", "message.im", "app_home_opened"} <= \
        set(data["settings"]["event_subscriptions"]["bot_events"])
    assert yaml.safe_load(cli("manifest").stdout)["settings"]["event_subscriptions"][
        "request_url"].endswith("/slack/events")

    upgraded = cli("db", "upgrade", env=database)
    assert upgraded.returncode == 0 and upgraded.stderr.count("\n") <= 30
    assert cli("db", "upgrade", env=database).returncode == 0  # idempotent
    dry = cli("digest", "--dry-run", env=database)
    assert dry.returncode == 0, dry.stderr
    team_dry = cli("digest", "--dry-run", "--team", "T0NONE", env=database)
    assert team_dry.returncode == 0 and "T0NONE" in team_dry.stdout

    def one_line_error(done: subprocess.CompletedProcess[str], code: int) -> None:
        assert done.returncode == code, (done.returncode, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "Traceback" not in done.stderr

    one_line_error(cli("diagnose"), 2)
    one_line_error(cli("diagnose", "   "), 2)
    one_line_error(cli("diagnose", "--bogus", "429"), 2)
    one_line_error(cli(), 2)
    one_line_error(cli("frobnicate"), 2)
    one_line_error(cli("db"), 2)
    one_line_error(cli("manifest", "--url", "ftp://x"), 2)
    one_line_error(cli("serve", "--port", "x"), 2)
    one_line_error(cli("serve", env={"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "s",
                                     "PORT": "eighty"}), 2)
    one_line_error(cli("db", "upgrade",
                       env={"DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/x"}), 1)
    one_line_error(cli("digest", env=database), 2)  # no SLACK_BOT_TOKEN to post with
    ok = cli("diagnose", "--json", "HTTP 429 from the search API")
    assert ok.returncode == 0 and json.loads(ok.stdout)["status"] == 429
