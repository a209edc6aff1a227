"""`apierror serve` in Socket Mode, end to end: a real process, a fake Web API, a fake websocket.

The process gets `SLACK_APP_TOKEN`, calls `apps.connections.open` on the fake Web API, which hands
out a ws:// URL of tests/fakesocket.py; envelopes go in over that socket, acks come back over it,
and the answers land on the fake Web API (chat.postMessage) or the slash command's response_url.
No signing secret is set: Socket Mode does not need one.

One process serves the tests that only send envelopes (startup costs ~1.5 s); the tests of
startup and shutdown start their own. The slowest parts are the SDK's: moving to a new connection
and shutting down both wait out its 3 s socket read timeout.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.render import ACTION_SHARE
from tests.e2e.conftest import CHANNEL, TEAM, USER, envelope_for, free_port, mention, stop_process
from tests.fakeslack import Call, FakeSlack
from tests.fakesocket import FakeSocketMode

ROOT = Path(__file__).resolve().parents[2]
_ids = itertools.count(1)


@dataclass
class Serve:
    """A running `python -m bot serve` and what it talks to."""

    process: subprocess.Popen[bytes]
    port: int
    fake: FakeSlack
    sockets: FakeSocketMode
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stderr(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> int:
        return stop_process(self.process, timeout=15)


def serve_env(fake: FakeSlack, database: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(SLACK_BOT_TOKEN=fake.bot_token, SLACK_APP_TOKEN=fake.app_token,
               SLACK_API_URL=fake.api_url, DATABASE_URL=f"sqlite:///{database}",
               PYTHONPATH=str(ROOT))
    env.update(extra)
    return env


def launch(fake: FakeSlack, sockets: FakeSocketMode, tmp_path: Path, **extra: str) -> Serve:
    port, n = free_port(), next(_ids)
    log = tmp_path / f"serve-{n}.log"
    env = serve_env(fake, tmp_path / f"serve-{n}.db", **extra)  # one database per process
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1",
                                    "--port", str(port)], env=env,
                                   cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=sink)
    return Serve(process, port, fake, sockets, log)


def wait_until_up(serve: Serve, timeout: float = 20.0) -> None:
    """Until the process has its websocket open (it opens the HTTP port just before)."""
    deadline = time.monotonic() + timeout
    while not serve.sockets.open_connections():
        assert serve.process.poll() is None, f"serve exited early:\n{serve.stderr()}"
        assert time.monotonic() < deadline, f"serve did not connect:\n{serve.stderr()}"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def serving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    tmp_path = tmp_path_factory.mktemp("socket")
    with FakeSlack() as fake, FakeSocketMode() as sockets:
        fake.socket_url = sockets.new_url
        serve = launch(fake, sockets, tmp_path)
        try:
            wait_until_up(serve)
            yield serve
        finally:
            serve.stop()


def slash_payload(text: str, response_url: str, channel: str = CHANNEL) -> dict[str, Any]:
    """A slash command as Socket Mode delivers it: the HTTP form's fields as a JSON object."""
    return {
        "token": "gIkuvaNzQIHg97ATvDxqgjtO", "team_id": TEAM, "team_domain": "example",
        "channel_id": channel, "channel_name": "general", "user_id": USER, "user_name": "dev",
        "command": "/apierror", "text": text, "api_app_id": "A0APP", "is_enterprise_install": "false",
        "response_url": response_url, "trigger_id": f"{next(_ids)}.{next(_ids)}.trigger",
    }


def share_click(answer: Call, channel: str, response_url: str) -> dict[str, Any]:
    """The block_actions payload of a click on "Share in channel" under an ephemeral answer."""
    (element,) = [e for b in answer.params["blocks"] for e in b.get("elements", [])
                  if e.get("action_id") == ACTION_SHARE]
    return {
        "type": "block_actions", "api_app_id": "A0APP", "token": "gIkuvaNzQIHg97ATvDxqgjtO",
        "user": {"id": USER, "username": "dev", "name": "dev", "team_id": TEAM},
        "container": {"type": "message", "message_ts": "1700000001.000100", "channel_id": channel,
                      "is_ephemeral": True},
        "trigger_id": "1234.5678.trigger", "team": {"id": TEAM, "domain": "example"},
        "enterprise": None, "is_enterprise_install": False,
        "channel": {"id": channel, "name": "general"}, "response_url": response_url,
        "actions": [{"action_id": ACTION_SHARE, "block_id": "apierror_actions",
                     "text": element["text"], "value": element["value"], "type": "button",
                     "action_ts": "1700000002.000001"}],
    }


def posts_in(fake: FakeSlack, channel: str) -> list[Call]:
    return [c for c in fake.calls_to("chat.postMessage") if c.params.get("channel") == channel]


def wait_for_posts(fake: FakeSlack, channel: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
    deadline = time.monotonic() + timeout
    while len(found := posts_in(fake, channel)) < count:
        assert time.monotonic() < deadline, f"expected {count} post(s) in {channel}, got {len(found)}"
        time.sleep(0.02)
    return found


def test_connects_with_the_app_token_and_a_valid_websocket_handshake(serving: Serve) -> None:
    (opened, *_) = serving.fake.calls_to("apps.connections.open")
    assert opened.token == serving.fake.app_token  # app-level token, in the Authorization header
    assert opened.headers["authorization"] == f"Bearer {serving.fake.app_token}"
    assert serving.fake.calls_to("auth.test")[0].token == serving.fake.bot_token
    connection = serving.sockets.connections[0]
    assert connection.path.startswith("/link/?ticket=")
    assert connection.headers["sec-websocket-version"] == "13"
    assert serving.sockets.refused_handshakes == []


def test_mention_is_acked_over_the_socket_and_answered_in_its_thread(serving: Serve) -> None:
    channel = "C0MENTION"
    event = mention("getting 503 from the orders API since the deploy", channel=channel)
    sent = time.monotonic()
    envelope_id = serving.sockets.send_event(envelope_for(event))
    (ack,) = serving.sockets.wait_for_ack(envelope_id)
    # Slack waits 3 s for the ack before it retries; Bolt acks before the listener runs.
    assert ack.at - sent < 1.0
    assert ack.payload is None  # events accept no response payload
    (post,) = wait_for_posts(serving.fake, channel)
    assert post.params["thread_ts"] == event["ts"]
    assert post.token == serving.fake.bot_token
    assert "503" in post.params["text"]
    assert post.params["blocks"][0]["type"] == "header"


def response_call(fake: FakeSlack, name: str, timeout: float = 10.0) -> Call:
    deadline = time.monotonic() + timeout
    while True:
        found = [c for c in fake.calls_to("response_url") if c.path.endswith(f"/{name}")]
        if found:
            return found[0]
        assert time.monotonic() < deadline, f"nothing posted to response_url {name}"
        time.sleep(0.02)


def test_slash_command_is_acked_and_answered_through_response_url(serving: Serve) -> None:
    channel = "C0SLASH"
    response_url = serving.fake.response_url("socket-slash")
    envelope_id = serving.sockets.send_slash_command(slash_payload("429", response_url, channel))
    (ack,) = serving.sockets.wait_for_ack(envelope_id)
    assert ack.payload is None  # an empty ack: the answer follows through response_url
    answer = response_call(serving.fake, "socket-slash")
    assert answer.params["response_type"] == "ephemeral"
    assert "429" in answer.params["text"]
    assert posts_in(serving.fake, channel) == []

    # The interactive path too: "Share in channel" arrives as an `interactive` envelope.
    click_url = serving.fake.response_url("socket-share")
    click = serving.sockets.send_interactive(share_click(answer, channel, click_url))
    serving.sockets.wait_for_ack(click)
    (shared,) = wait_for_posts(serving.fake, channel)
    assert "429" in shared.params["text"]
    assert response_call(serving.fake, "socket-share").params["delete_original"] is True


def test_redelivered_envelope_is_acked_each_time_and_answered_once(serving: Serve) -> None:
    channel = "C0RETRY"
    payload = envelope_for(mention("429 Too Many Requests", channel=channel), event_id="EvSOCKETDUP")
    envelope_id = serving.sockets.send_event(payload)
    serving.sockets.wait_for_ack(envelope_id)
    # Slack's redelivery of an envelope it saw no ack for: same envelope, retry_attempt counted up;
    # and the same event again in a new envelope (a second connection can receive it too).
    serving.sockets.send_event(payload, envelope_id=envelope_id, retry_attempt=1, retry_reason="timeout")
    serving.sockets.wait_for_ack(envelope_id, count=2)
    other = serving.sockets.send_event(payload, retry_attempt=2, retry_reason="timeout")
    serving.sockets.wait_for_ack(other)
    # A later event in the same channel is answered after the duplicates were dropped.
    follow = mention("401 Unauthorized", channel=channel)
    serving.sockets.wait_for_ack(serving.sockets.send_event(envelope_for(follow)))
    wait_for_posts(serving.fake, channel, count=2)
    time.sleep(0.3)  # room for a wrongly accepted duplicate to be posted too
    posts = posts_in(serving.fake, channel)
    assert sorted(p.params["thread_ts"] for p in posts) == sorted(
        [payload["event"]["ts"], follow["ts"]])


def test_an_envelope_over_a_megabyte_is_still_answered(serving: Serve) -> None:
    # Slack's 40,000-character text limit keeps real envelopes well under 1 MB; a bigger one
    # (rich blocks, a future payload) must not be dropped: slack_sdk's frame reader recursed
    # once per read, and at 1 KB reads a 1 MB frame hit Python's recursion limit.
    channel = "C0LARGE"
    event = mention("HTTP/1.1 429 Too Many Requests", channel=channel)
    event["blocks"] = [{"type": "rich_text", "block_id": "b1", "elements": [
        {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": "é" * 400_000}]}]}]
    payload = envelope_for(event)
    assert len(json.dumps(payload)) > 2_000_000  # "é" travels as a 6-byte \u escape
    envelope_id = serving.sockets.send_event(payload)
    serving.sockets.wait_for_ack(envelope_id)
    assert "429" in wait_for_posts(serving.fake, channel)[0].params["text"]


def test_health_is_still_served_on_the_port_and_events_only_over_the_socket(serving: Serve) -> None:
    health = httpx.get(serving.base_url + "/healthz", timeout=5)
    assert health.status_code == 200 and health.json() == {"ok": True, "database": True}
    assert httpx.get(serving.base_url + "/livez", timeout=5).status_code == 200
    # In Socket Mode nothing may inject events over HTTP: the events path is not served.
    posted = httpx.post(serving.base_url + "/slack/events", content=b"{}", timeout=5,
                        headers={"Content-Type": "application/json"})
    assert posted.status_code == 404


def test_pings_are_answered_and_the_client_pings_too(serving: Serve) -> None:
    serving.sockets.ping(b"are-you-there")
    serving.sockets.wait_for_pong(b"are-you-there")
    # slack_sdk pings right after the handshake with "<session id>:<time>".
    assert any(b":" in ping for ping in serving.sockets.pings)


def test_refresh_requested_disconnect_moves_to_a_new_connection(serving: Serve) -> None:
    first = serving.sockets.current()
    opened = len(serving.fake.calls_to("apps.connections.open"))
    serving.sockets.send_disconnect("refresh_requested")
    # A new URL is asked for, the new socket opened, then the old one closed (the SDK waits out
    # its 3 s read timeout before it lets go of the old socket).
    serving.sockets.wait_until_closed(first, timeout=10)
    second = serving.sockets.current()
    assert second.id != first.id
    assert len(serving.fake.calls_to("apps.connections.open")) == opened + 1
    channel = "C0REFRESH"
    event = mention("HTTP/1.1 404 Not Found", channel=channel)
    envelope_id = serving.sockets.send_event(envelope_for(event), connection=second)
    (ack,) = serving.sockets.wait_for_ack(envelope_id)
    assert ack.connection == second.id
    assert wait_for_posts(serving.fake, channel)[0].params["thread_ts"] == event["ts"]


def test_sigterm_closes_the_socket_and_exits_cleanly(tmp_path: Path) -> None:
    with FakeSlack() as fake, FakeSocketMode() as sockets:
        fake.socket_url = sockets.new_url
        serve = launch(fake, sockets, tmp_path)
        try:
            wait_until_up(serve)
            connection = sockets.current()
            # An envelope acked just before the signal is still answered: Slack will not resend it.
            event = mention("HTTP/1.1 502 Bad Gateway", channel="C0TERM")
            sockets.wait_for_ack(sockets.send_event(envelope_for(event)))
            started = time.monotonic()
            assert serve.stop() == 0
            assert [p.params["thread_ts"] for p in posts_in(fake, "C0TERM")] == [event["ts"]]
            took = time.monotonic() - started
            sockets.wait_until_closed(connection, timeout=1)
            assert took < 10, f"shutdown took {took:.1f} s"
            assert "Traceback" not in serve.stderr()
        finally:
            if serve.process.poll() is None:
                serve.process.kill()
                serve.process.wait()


def test_startup_failures_exit_1_with_one_line_and_no_secret(tmp_path: Path) -> None:
    """Each way Socket Mode can fail to start, in parallel processes (each takes ~2 s).

    (An unreachable SLACK_API_URL ends the same way, "URLError: ... Connection refused", but
    only after the client's connection retries, 5.5 s in all, so it is not run here.)"""
    with FakeSlack() as fake, FakeSocketMode() as sockets, FakeSlack() as forged, \
            FakeSlack() as odd:
        fake.socket_url = sockets.new_url
        # One hands out a ticket the socket server never issued; one answers without a URL.
        forged.socket_url = lambda: f"ws://127.0.0.1:{sockets.port}/link/?ticket=forged&app_id=A0APP"
        odd.respond("apps.connections.open", lambda params: {"ok": True})
        cases = {
            "SLACK_APP_TOKEN was rejected (invalid_auth)":
                launch(fake, sockets, tmp_path, SLACK_APP_TOKEN="xapp-1-A0APP-revoked"),
            # A common slip: the bot token pasted into SLACK_APP_TOKEN.
            "must be an app-level token (xapp-...)":
                launch(fake, sockets, tmp_path, SLACK_APP_TOKEN=fake.bot_token),
            "the websocket at 127.0.0.1 did not open":
                launch(forged, sockets, tmp_path),
            "apps.connections.open answered without a websocket URL":
                launch(odd, sockets, tmp_path),
        }
        try:
            for says, serve in cases.items():
                assert serve.process.wait(timeout=30) == 1, serve.stderr()
                stderr = serve.stderr()
                assert "Traceback" not in stderr
                message = [line for line in stderr.splitlines() if line.startswith("apierror:")]
                assert len(message) == 1 and says in message[0], stderr
                assert message[0].startswith("apierror: Socket Mode could not connect: ")
                # No token anywhere in the output, and no ticket URL (it opens our websocket).
                for secret in (fake.bot_token, "xapp-1-A0APP-revoked", "ticket="):
                    assert secret not in stderr, stderr
                assert fake.app_token not in message[0]
        finally:
            for serve in cases.values():
                if serve.process.poll() is None:
                    serve.process.kill()
                    serve.process.wait()
        assert sockets.connections == []
        assert sockets.refused_handshakes and sockets.refused_handshakes[0].startswith("401")


def test_raw_frames_masking_and_protocol_errors() -> None:
    """The fake itself: a hand-rolled client checks the handshake digest, masking and close codes."""
    import base64
    import struct

    from tests.fakesocket import (
        CLOSE_PROTOCOL_ERROR,
        OP_CLOSE,
        OP_PING,
        OP_PONG,
        OP_TEXT,
        accept_key,
        encode_frame,
        random_mask,
    )

    assert accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="  # RFC 6455 1.3
    with FakeSocketMode() as sockets:
        path = sockets.new_url().split(str(sockets.port), 1)[1]
        with socket.create_connection(("127.0.0.1", sockets.port), timeout=5) as sock:
            key = base64.b64encode(os.urandom(16)).decode()
            sock.sendall((f"GET {path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                          f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                          "Sec-WebSocket-Version: 13\r\n\r\n").encode())
            reader = sock.makefile("rb")
            status = reader.readline()
            headers = {}
            while (line := reader.readline().strip()):
                name, _, value = line.decode().partition(":")
                headers[name.lower()] = value.strip()
            assert status.startswith(b"HTTP/1.1 101")
            assert headers["sec-websocket-accept"] == accept_key(key)

            def frame() -> tuple[int, bytes]:
                head = reader.read(2)
                length = head[1] & 0x7F
                if length == 126:
                    length = struct.unpack("!H", reader.read(2))[0]
                assert not head[1] & 0x80  # servers never mask
                return head[0] & 0x0F, reader.read(length)

            opcode, hello = frame()
            assert opcode == OP_TEXT and json.loads(hello)["type"] == "hello"
            envelope_id = sockets.send_event({"type": "event_callback"})
            opcode, data = frame()
            assert json.loads(data)["envelope_id"] == envelope_id
            # An ack split over a text frame and a continuation frame, masked.
            ack = json.dumps({"envelope_id": envelope_id}).encode()
            sock.sendall(encode_frame(OP_TEXT, ack[:5], random_mask(), fin=False)
                         + encode_frame(0x0, ack[5:], random_mask()))
            sock.sendall(encode_frame(OP_PING, b"p1", random_mask()))
            assert frame() == (OP_PONG, b"p1")
            assert sockets.wait_for_ack(envelope_id)[0].payload is None
            # An unmasked client frame is a protocol error: close 1002.
            sock.sendall(encode_frame(OP_TEXT, b"{}"))
            opcode, data = frame()
            assert opcode == OP_CLOSE and struct.unpack("!H", data[:2])[0] == CLOSE_PROTOCOL_ERROR
        with socket.create_connection(("127.0.0.1", sockets.port), timeout=5) as sock:
            sock.sendall(b"GET /link/?ticket=nope HTTP/1.1\r\nUpgrade: websocket\r\n"
                         b"Connection: Upgrade\r\nSec-WebSocket-Key: a\r\nSec-WebSocket-Version: 13\r\n\r\n")
            assert sock.recv(100).startswith(b"HTTP/1.1 401")
        with socket.create_connection(("127.0.0.1", sockets.port), timeout=5) as sock:
            sock.sendall(b"\x00" * 20_000)  # no end of headers within the bound: dropped
            assert sock.recv(100) == b""
