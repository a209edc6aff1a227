"""`apierror serve` and `apierror manifest` as real processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot.manifest import BOT_EVENTS, BOT_SCOPES, manifest, manifest_yaml
from tests.e2e.conftest import SIGNING_SECRET, free_port, sign
from tests.fakeslack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]


def serve_env(fake: FakeSlack, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(SLACK_BOT_TOKEN=fake.bot_token, SLACK_SIGNING_SECRET=SIGNING_SECRET,
               SLACK_API_URL=fake.api_url, DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}",
               PYTHONPATH=str(ROOT), **extra)
    return env


def test_serve_answers_health_and_url_verification_then_stops_on_sigterm(
        fake: FakeSlack, tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1",
                                "--port", str(port)], env=serve_env(fake, tmp_path), cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                health = httpx.get(base + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                assert process.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        assert health.status_code == 200
        assert httpx.get(base + "/livez").status_code == 200
        assert fake.calls_to("auth.test")  # the token was checked against SLACK_API_URL
        body = json.dumps({"token": "x", "challenge": "abc123", "type": "url_verification"}).encode()
        now = int(time.time())
        answer = httpx.post(base + "/slack/events", content=body, headers={
            "Content-Type": "application/json", "X-Slack-Request-Timestamp": str(now),
            "X-Slack-Signature": sign(body, now)})
        assert answer.status_code == 200 and "abc123" in answer.text
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_without_configuration_says_what_is_missing(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-m", "bot", "serve", "--port", "0"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN" in done.stderr and "Traceback" not in done.stderr


def test_manifest_lists_events_command_shortcut_home_and_only_needed_scopes() -> None:
    data = manifest()
    assert data["settings"]["event_subscriptions"]["bot_events"] == BOT_EVENTS
    assert data["features"]["slash_commands"][0]["command"] == "/apierror"
    assert data["features"]["shortcuts"][0]["type"] == "message"
    assert data["features"]["app_home"]["home_tab_enabled"] is True
    assert set(data["oauth_config"]["scopes"]["bot"]) == set(BOT_SCOPES)
    assert not {"chat:write.public", "channels:read", "users:read.email", "admin"} & set(BOT_SCOPES)
    socket_mode = manifest(socket_mode=True)
    assert "request_url" not in socket_mode["settings"]["event_subscriptions"]


def test_manifest_yaml_parses_back_and_deploy_copy_is_current() -> None:
    yaml = pytest.importorskip("yaml")
    assert yaml.safe_load(manifest_yaml()) == manifest()
    assert (ROOT / "deploy" / "manifest.yaml").read_text() == manifest_yaml()
