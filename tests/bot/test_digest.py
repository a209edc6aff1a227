"""The daily digest on both databases: content, schedule, exactly-once posting, retention."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import digest as dg
from bot.memory import DigestSettings, Memory
from bot.slack_client import make_client
from bot.store import models, repo
from knowledge.model import Cause, Diagnosis
from tests.fakeslack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
# 08:30 UTC = 09:30 in Paris (winter): past a 09:00 Paris digest.
NOW = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


def diag(status: int, path: str = "/v2/orders/1", cause: str = "server.unavailable") -> Diagnosis:
    return Diagnosis(status=status, recognized=["status_code"], request=None,
                     causes=[Cause(cause, "t", 0.8)], host="api.example.com", method="GET",
                     path=path, masked_text=f"HTTP/1.1 {status}")


def seen(memory: Memory, team: str, status: int, *hours_ago: float) -> list[int]:
    return [memory.record(team, "C1", "U1", diag(status), NOW - timedelta(hours=h)).occurrence_id
            for h in hours_ago]


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


def client_for(fake: FakeSlack) -> object:
    return make_client(token=fake.bot_token, base_url=fake.api_url)


def posts(fake: FakeSlack, channel: str | None = None) -> list[dict]:
    return [c.params for c in fake.calls_to("chat.postMessage")
            if channel is None or c.params.get("channel") == channel]


# -- schedule (pure) ---------------------------------------------------------------------------

def test_due_in_the_teams_own_time_zone() -> None:
    paris = DigestSettings("T1", "C1", 9, 0, "Europe/Paris", True)
    assert not dg.is_due(paris, datetime(2026, 11, 20, 7, 59, tzinfo=UTC))  # 08:59 in Paris
    assert dg.is_due(paris, datetime(2026, 11, 20, 8, 0, tzinfo=UTC))
    assert dg.is_due(paris, datetime(2026, 11, 20, 22, 59, tzinfo=UTC))  # 23:59, still today
    assert not dg.is_due(paris, datetime(2026, 11, 20, 23, 0, tzinfo=UTC))  # a new local day
    summer = datetime(2026, 7, 1, 7, 0, tzinfo=UTC)  # 09:00 CEST
    assert dg.is_due(paris, summer)
    tokyo = DigestSettings("T1", "C1", 9, 0, "Asia/Tokyo", True)
    late = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    assert dg.local_date(tokyo, late) == date(2026, 11, 21)
    assert dg.local_date(paris, late) == date(2026, 11, 21)
    assert dg.local_date(DigestSettings("T1", "C1", 9, 0, "America/Los_Angeles", True), late) == date(2026, 11, 20)
    assert dg.local_date(DigestSettings("T1", "C1", 9, 0, "Gone/Zone", True), late) == date(2026, 11, 20)


# -- content -----------------------------------------------------------------------------------

def test_digest_lists_recurring_new_stopped_and_fixes(memory: Memory) -> None:
    old = seen(memory, "T1", 500, 3, 10, 24 * 5)  # recurring: twice today, seen before
    seen(memory, "T1", 502, 2, 5, 7)  # new: first seen today (three times)
    seen(memory, "T1", 503, 30, 40, 24 * 4)  # stopped: yesterday, twice that week, not today
    seen(memory, "T1", 504, 4, 24 * 3)  # once today, seen before: not worth a line
    seen(memory, "T1", 418, 24 * 3, 24 * 4)  # quiet for days: stopped long ago, not news
    seen(memory, "T2", 599, 1, 2)  # another team's
    memory.record_fix("T1", old[2], "raised the DB pool <!channel>", "U7", NOW - timedelta(days=2))
    digest = dg.compute_digest(memory, "T1", NOW)
    assert [(i.status, i.count) for i in digest.recurring] == [(500, 2)]
    assert [(i.status, i.count) for i in digest.new] == [(502, 3)]
    assert [(i.status, i.yesterday) for i in digest.stopped] == [(503, 2)]
    assert digest.recurring[0].fix is not None
    assert digest.recurring[0].fix.text == "raised the DB pool <!channel>"
    assert digest.recurring[0].first_seen == NOW - timedelta(days=5)
    blocks = dg.render_blocks(digest)
    body = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "Recurring" in body and "New" in body and "Stopped" in body
    assert "raised the DB pool &lt;!channel&gt;" in body  # user text cannot ping the channel
    assert "`GET api.example.com/v2/orders/{id}`" in body
    assert "599" not in body and "418" not in body and "504" not in body


def test_big_days_stay_within_block_kit_limits(memory: Memory) -> None:
    for n in range(40):
        memory.record("T1", "C1", "U1", diag(500, path=f"/p{n}/x"), NOW - timedelta(hours=1))
    digest = dg.compute_digest(memory, "T1", NOW)
    assert len(digest.new) == 40
    blocks = dg.render_blocks(digest)
    assert len(blocks) <= 50
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
            assert "and 30 more" in block["text"]["text"]
    assert len(blocks[0]["text"]["text"]) <= 150


# -- posting -----------------------------------------------------------------------------------

def test_posts_once_per_local_day(memory: Memory, fake: FakeSlack) -> None:
    memory.set_digest("T1", "CDIGEST", 9, 0, "Europe/Paris")
    seen(memory, "T1", 500, 1, 2)
    client = client_for(fake)
    [outcome] = dg.run_due(memory, client, NOW)
    assert outcome.result == "posted" and outcome.local_date == date(2026, 11, 20)
    [post] = posts(fake, "CDIGEST")
    assert post["blocks"][0]["type"] == "header"
    assert post["metadata"]["event_payload"] == {"team_id": "T1", "date": "2026-11-20"}
    again = dg.run_due(memory, client, NOW + timedelta(hours=3))
    assert [o.result for o in again] == ["done"]
    assert dg.run_due(memory, client, NOW, force=True)[0].result == "done"
    assert len(posts(fake)) == 1
    # The next local day gets its own digest (the errors recurred again).
    seen(memory, "T1", 500, -20, -21)
    tomorrow = dg.run_due(memory, client, NOW + timedelta(days=1))
    assert [o.result for o in tomorrow] == ["posted"]
    assert len(posts(fake)) == 2


def test_waits_for_the_hour_unless_forced(memory: Memory, fake: FakeSlack) -> None:
    memory.set_digest("T1", "CDIGEST", 10, 0, "Europe/Paris")
    seen(memory, "T1", 500, 1, 2)
    client = client_for(fake)
    assert [o.result for o in dg.run_due(memory, client, NOW)] == ["not_due"]
    assert posts(fake) == []
    assert [o.result for o in dg.run_due(memory, client, NOW, force=True)] == ["posted"]


def test_nothing_to_say_posts_nothing_and_marks_the_day(memory: Memory, fake: FakeSlack) -> None:
    memory.set_digest("T1", "CDIGEST", 8, 0, "UTC")
    seen(memory, "T1", 500, 24 * 3)
    client = client_for(fake)
    assert [o.result for o in dg.run_due(memory, client, NOW)] == ["empty"]
    assert [o.result for o in dg.run_due(memory, client, NOW)] == ["done"]
    assert posts(fake) == []


def test_disabled_teams_get_nothing(memory: Memory, fake: FakeSlack) -> None:
    memory.set_digest("T1", "CDIGEST", 8, 0, "UTC")
    memory.disable_digest("T1")
    seen(memory, "T1", 500, 1, 2)
    assert dg.run_due(memory, client_for(fake), NOW, force=True) == []
    assert posts(fake) == []


def _claim_as_crashed_run(memory: Memory, team: str, day: date, at: datetime) -> None:
    with memory.session() as session:
        assert repo.claim_digest(session, team, day, "dead-run", at, at - dg.CLAIM_TIMEOUT) == 1


def test_crash_between_claim_and_post_is_retried_after_the_timeout(memory: Memory,
                                                                    fake: FakeSlack) -> None:
    memory.set_digest("T1", "CDIGEST", 8, 0, "UTC")
    seen(memory, "T1", 500, 1, 2)
    _claim_as_crashed_run(memory, "T1", NOW.date(), NOW)
    client = client_for(fake)
    assert [o.result for o in dg.run_due(memory, client, NOW + timedelta(minutes=5))] == ["busy"]
    assert posts(fake) == []
    later = NOW + dg.CLAIM_TIMEOUT + timedelta(minutes=1)
    assert [o.result for o in dg.run_due(memory, client, later)] == ["posted"]
    assert [o.result for o in dg.run_due(memory, client, later)] == ["done"]
    assert len(posts(fake)) == 1
    with memory.session() as session:
        run = repo.digest_run(session, "T1", NOW.date())
        assert run is not None and run.attempts == 2 and run.outcome == "posted"


def test_crash_after_posting_is_not_doubled(memory: Memory, fake: FakeSlack) -> None:
    """The dead run's message is in the channel (found by its metadata): it is adopted, not resent."""
    memory.set_digest("T1", "CDIGEST", 8, 0, "UTC")
    seen(memory, "T1", 500, 1, 2)
    _claim_as_crashed_run(memory, "T1", NOW.date(), NOW)
    sent = fake.add_message("CDIGEST", "API errors digest", user="UBOT", metadata={
        "event_type": dg.METADATA_EVENT,
        "event_payload": {"team_id": "T1", "date": NOW.date().isoformat()}})
    later = NOW + dg.CLAIM_TIMEOUT + timedelta(minutes=1)
    [outcome] = dg.run_due(memory, client_for(fake), later)
    assert (outcome.result, outcome.message_ts) == ("posted", sent["ts"])
    assert posts(fake) == []


def test_slack_error_keeps_the_claim_and_retries_later(memory: Memory, fake: FakeSlack) -> None:
    memory.set_digest("T1", "CDIGEST", 8, 0, "UTC")
    seen(memory, "T1", 500, 1, 2)
    fake.respond("chat.postMessage", lambda params: {"ok": False, "error": "not_in_channel"})
    client = client_for(fake)
    [failed] = dg.run_due(memory, client, NOW)
    assert failed.result == "failed" and "not_in_channel" in (failed.error or "")
    with memory.session() as session:
        run = repo.digest_run(session, "T1", NOW.date())
        assert run is not None and run.posted_at is None and "not_in_channel" in (run.last_error or "")
    fake.responders.clear()
    assert [o.result for o in dg.run_due(memory, client, NOW + timedelta(minutes=1))] == ["busy"]
    later = NOW + dg.CLAIM_TIMEOUT + timedelta(minutes=1)
    assert [o.result for o in dg.run_due(memory, client, later)] == ["posted"]
    assert len([c for c in fake.calls_to("chat.postMessage")]) == 2  # the failure and the retry


def test_dry_run_claims_and_posts_nothing(memory: Memory, fake: FakeSlack) -> None:
    memory.set_digest("T1", "CDIGEST", 8, 0, "UTC")
    seen(memory, "T1", 500, 1, 2)
    [outcome] = dg.run_due(memory, client_for(fake), NOW, dry_run=True)
    assert outcome.result == "dry_run" and outcome.text and "New" in outcome.text
    assert posts(fake) == []
    with memory.session() as session:
        assert repo.digest_run(session, "T1", NOW.date()) is None


def test_retention_purges_old_occurrences_and_expired_events(memory: Memory, fake: FakeSlack,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APIERROR_RETENTION_DAYS", raising=False)
    seen(memory, "T1", 500, 24 * 91, 24 * 89)
    seen(memory, "T2", 500, 24 * 120)
    memory.claim_event("T1", "EvOld", NOW - timedelta(days=2))
    memory.claim_event("T1", "EvNew", NOW - timedelta(hours=1))
    dg.run_due(memory, client_for(fake), NOW)
    with memory.session() as session:
        left = session.scalars(select(models.Occurrence.created_at)).all()
        events = session.scalars(select(models.ProcessedEvent.event_id)).all()
    assert left == [NOW - timedelta(days=89)]
    assert events == ["EvNew"]
    monkeypatch.setenv("APIERROR_RETENTION_DAYS", "30")  # the configured retention applies
    dg.run_due(memory, client_for(fake), NOW)
    with memory.session() as session:
        assert session.scalars(select(models.Occurrence)).all() == []


# -- the command line, for real ----------------------------------------------------------------

def _env(db_url: str, fake: FakeSlack) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DATABASE_URL": db_url, "SLACK_API_URL": fake.api_url,
                "SLACK_BOT_TOKEN": fake.bot_token, "PYTHONPATH": str(ROOT)})
    return env


def test_two_concurrent_digest_processes_post_once_per_team(db_url: str, fake: FakeSlack) -> None:
    memory = Memory(db_url)
    teams = [f"T{n:03d}" for n in range(12)]
    try:
        for team in teams:
            memory.set_digest(team, f"C{team}", 9, 0, "Pacific/Kiritimati")
            for hours in (1, 2, 3):
                memory.record(team, "C1", "U1", diag(500), datetime.now(UTC) - timedelta(hours=hours))
    finally:
        memory.close()
    command = [sys.executable, "-m", "bot", "digest"]
    procs = [subprocess.Popen(command, cwd=ROOT, env=_env(db_url, fake), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [proc.communicate(timeout=60) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], results
    by_channel = [p["channel"] for p in posts(fake)]
    assert sorted(by_channel) == sorted(f"C{team}" for team in teams)
    # Both processes went through every team; between them each team was posted exactly once
    # (the other saw it "busy" or "done").
    for out, _ in results:
        assert sum(team in out for team in teams) == len(teams)
    outputs = "".join(out for out, _ in results)
    assert outputs.count(": posted") == len(teams)


def test_cli_dry_run_prints_and_missing_token_is_a_clear_error(db_url: str, fake: FakeSlack) -> None:
    memory = Memory(db_url)
    try:
        memory.set_digest("T1", "CDIGEST", 8, 0, "UTC")
        memory.record("T1", "C1", "U1", diag(502), datetime.now(UTC) - timedelta(hours=1))
    finally:
        memory.close()
    env = _env(db_url, fake)
    dry = subprocess.run([sys.executable, "-m", "bot", "digest", "--dry-run"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    assert "New" in dry.stdout and "502" in dry.stdout
    env.pop("SLACK_BOT_TOKEN")
    missing = subprocess.run([sys.executable, "-m", "bot", "digest"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "SLACK_BOT_TOKEN" in missing.stderr
    assert "Traceback" not in missing.stderr
    assert posts(fake) == []
