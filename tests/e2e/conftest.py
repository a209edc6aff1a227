"""End-to-end fixtures: the real app on a free port, a fake Slack Web API, signed requests.

Requests are built exactly as Slack sends them: Events API envelopes as JSON, slash commands
form-encoded, interactivity as a form field `payload=<json>`, each signed with v0 HMAC-SHA256
over `v0:{timestamp}:{body}` in X-Slack-Signature / X-Slack-Request-Timestamp.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from bot.config import Settings
from bot.memory import Memory
from bot.serve import HttpServer, Runtime, build, start_http
from tests.fakeslack import FakeSlack

SIGNING_SECRET = "e2e-signing-secret"
TEAM = "T0001"
CHANNEL = "C0001"
USER = "U0USER"
_ids = itertools.count(1)


def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def next_ts() -> str:
    return f"{1_800_000_000 + next(_ids)}.{next(_ids):06d}"


def free_port() -> int:
    """A port nothing listens on now (the OS picks it), for a `serve` subprocess."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_process(process: subprocess.Popen[bytes], timeout: float) -> int:
    """SIGTERM a `serve` subprocess and wait for its exit status; kill it (and fail) past `timeout`."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
    return int(process.returncode)


@dataclass
class SlackSender:
    """Posts signed requests to the app the way Slack does."""

    url: str
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10))

    def post(self, body: bytes, content_type: str, timestamp: int | None = None,
             signature: str | None = None, headers: dict[str, str] | None = None) -> httpx.Response:
        ts = int(time.time()) if timestamp is None else timestamp
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature or sign(body, ts),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **(headers or {}),
        }
        return self.http.post(self.url, content=body, headers=all_headers)

    def event(self, event: dict[str, Any], event_id: str | None = None, retry_num: int | None = None,
              **kwargs: Any) -> httpx.Response:
        envelope = envelope_for(event, event_id)
        headers = {}
        if retry_num:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(json.dumps(envelope).encode(), "application/json", headers=headers, **kwargs)

    def command(self, text: str, response_url: str, channel: str = CHANNEL, user: str = USER) -> httpx.Response:
        form = {
            "token": "gIkuvaNzQIHg97ATvDxqgjtO", "team_id": TEAM, "team_domain": "example",
            "channel_id": channel, "channel_name": "general", "user_id": user, "user_name": "dev",
            "command": "/apierror", "text": text, "api_app_id": "A0APP", "is_enterprise_install": "false",
            "response_url": response_url, "trigger_id": f"{next(_ids)}.{next(_ids)}.trigger",
        }
        return self.post(urlencode(form).encode(), "application/x-www-form-urlencoded")

    def interaction(self, payload: dict[str, Any]) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")


def envelope_for(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "token": "gIkuvaNzQIHg97ATvDxqgjtO",
        "team_id": TEAM,
        "api_app_id": "A0APP",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):08d}",
        "event_time": int(time.time()),
        "authorizations": [{"enterprise_id": None, "team_id": TEAM, "user_id": "UBOT",
                            "is_bot": True, "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
        "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIn0",
    }


def mention(text: str, channel: str = CHANNEL, thread_ts: str | None = None, **extra: Any) -> dict[str, Any]:
    ts = next_ts()
    event = {"type": "app_mention", "user": USER, "text": f"<@UBOT> {text}", "ts": ts,
             "channel": channel, "event_ts": ts, "team": TEAM,
             "client_msg_id": f"msg-{next(_ids)}", **extra}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def direct_message(text: str, channel: str = "D0DM", **extra: Any) -> dict[str, Any]:
    ts = next_ts()
    return {"type": "message", "channel_type": "im", "user": USER, "text": text, "ts": ts,
            "channel": channel, "event_ts": ts, "team": TEAM, "client_msg_id": f"m{next(_ids)}", **extra}


def settings_for(fake: FakeSlack, database: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        bot_token=fake.bot_token, signing_secret=SIGNING_SECRET, app_token=None, api_url=fake.api_url,
        database_url=f"sqlite:///{database}", port=0, retention_days=90, max_file_bytes=256 * 1024)
    values.update(overrides)
    return Settings(**values)


@dataclass
class Running:
    fake: FakeSlack
    runtime: Runtime
    server: HttpServer
    slack: SlackSender

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database migrated once; each test gets a copy (migrations cost ~0.4 s each)."""
    path = tmp_path_factory.mktemp("template") / "apierror.db"
    Memory(f"sqlite:///{path}", create=True).close()
    return path


def start(fake: FakeSlack, tmp_path: Path, use_memory: bool = True,
          template: Path | None = None) -> Running:
    database = tmp_path / "apierror.db"
    memory = None
    if use_memory and template is not None:
        shutil.copy(template, database)
        memory = Memory(f"sqlite:///{database}")
    runtime = build(settings_for(fake, database), memory=memory, use_memory=use_memory)
    server = start_http(runtime, "127.0.0.1", 0)
    return Running(fake, runtime, server, SlackSender(f"http://127.0.0.1:{server.port}/slack/events"))


@pytest.fixture
def running(fake: FakeSlack, tmp_path: Path, migrated_db: Path) -> Iterator[Running]:
    app = start(fake, tmp_path, template=migrated_db)
    yield app
    app.server.close()
    app.runtime.close()
