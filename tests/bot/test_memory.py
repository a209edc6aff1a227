"""Team memory on both databases: recurrence, notes, fixes, feedback, dedupe, top, isolation."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.memory import Memory, MemoryUnavailable, UnknownOccurrence
from bot.store import models
from knowledge.model import Cause, Diagnosis

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
RAW_SECRET = "sk_live_51HxQeT0pSecretValue9876543210"


def diag(status: int | None = 503, cause: str | None = "server.unavailable",
         path: str | None = "/v2/orders/123", host: str | None = "api.example.com",
         method: str | None = "POST", masked: str = "HTTP/1.1 503 Service Unavailable") -> Diagnosis:
    return Diagnosis(status=status, recognized=["status_code"], request=None,
                     causes=[Cause(cause, "t", 0.8)] if cause else [], host=host, method=method,
                     path=path, masked_text=masked)


def test_first_occurrence_then_recurrence(memory: Memory) -> None:
    first = memory.record("T1", "C1", "U1", diag(path="/v2/orders/1"), NOW - timedelta(days=10))
    assert (first.count, first.count_week, first.previous_seen) == (1, 1, None)
    assert first.first_seen == NOW - timedelta(days=10)
    second = memory.record("T1", "C1", "U2", diag(path="/v2/orders/2"), NOW - timedelta(days=2))
    third = memory.record("T1", "C2", None, diag(path="/v2/orders/3"), NOW)
    assert third.fingerprint == first.fingerprint == second.fingerprint
    assert third.count == 3
    assert third.count_week == 2  # the one ten days ago is outside the week
    assert third.first_seen == NOW - timedelta(days=10)
    assert third.previous_seen == NOW - timedelta(days=2)
    assert third.occurrence_id not in (first.occurrence_id, second.occurrence_id)


def test_different_errors_do_not_share_counts(memory: Memory) -> None:
    memory.record("T1", "C1", "U1", diag(status=503), NOW)
    other = memory.record("T1", "C1", "U1", diag(status=502), NOW)
    assert other.count == 1


def test_recurrence_shows_notes_for_status_and_cause_and_the_last_fix(memory: Memory) -> None:
    memory.add_note("T1", "503", "check #deploys first", "U1", NOW - timedelta(days=3))
    memory.add_note("T1", "server.unavailable", "the LB drains for 30 s", "U2", NOW - timedelta(days=2))
    memory.add_note("T1", "429", "unrelated", "U1", NOW - timedelta(days=1))
    earlier = memory.record("T1", "C1", "U1", diag(), NOW - timedelta(days=1))
    memory.record_fix("T1", earlier.occurrence_id, "old fix", "U1", NOW - timedelta(hours=20))
    fix = memory.record_fix("T1", earlier.occurrence_id, "raised the pool size", "U3",
                            NOW - timedelta(hours=10))
    again = memory.record("T1", "C1", "U1", diag(path="/v2/orders/999"), NOW)
    assert [n.text for n in again.notes] == ["the LB drains for 30 s", "check #deploys first"]
    assert {n.key for n in again.notes} == {"503", "server.unavailable"}
    assert again.last_fix == fix
    assert again.last_fix is not None and again.last_fix.text == "raised the pool size"


def test_occurrence_view_and_reply(memory: Memory) -> None:
    rec = memory.record("T1", "C1", "U1", diag(), NOW)
    memory.set_reply("T1", rec.occurrence_id, "C1", "1700000000.000100")
    view = memory.occurrence("T1", rec.occurrence_id)
    assert view is not None
    assert (view.status, view.cause_id, view.host, view.method, view.path_template) == (
        503, "server.unavailable", "api.example.com", "POST", "/v2/orders/{id}")
    assert view.reply_ts == "1700000000.000100" and view.channel_id == "C1"
    assert view.created_at == NOW
    assert memory.occurrence("T1", rec.occurrence_id + 1000) is None


def test_only_a_bounded_masked_excerpt_is_stored(memory: Memory, db_url: str) -> None:
    masked = "curl -H 'Authorization: Bearer sk_live_***' https://api.example.com/x\n" + "y" * 5000
    d = diag(masked=masked)
    d.secrets_found = [RAW_SECRET]  # the raw value is on the diagnosis; it must not be stored
    d.request = {"headers": {"Authorization": f"Bearer {RAW_SECRET}"}}
    rec = memory.record("T1", "C1", "U1", d, NOW)
    view = memory.occurrence("T1", rec.occurrence_id)
    assert view is not None
    assert view.excerpt == masked[:2000]
    with memory.session() as session:
        for row in session.scalars(select(models.Occurrence)):
            assert RAW_SECRET not in repr(vars(row))


def test_secrets_typed_into_notes_and_fixes_are_masked(memory: Memory) -> None:
    from knowledge.secrets import find_secrets

    if not find_secrets(f"key {RAW_SECRET}"):
        pytest.skip("knowledge.secrets does not recognise a Stripe live key yet")
    rec = memory.record("T1", "C1", "U1", diag(), NOW)
    memory.add_note("T1", "503", f"our key is {RAW_SECRET} do not share", "U1", NOW)
    memory.record_fix("T1", rec.occurrence_id, f"rotated {RAW_SECRET}", "U1", NOW)
    with memory.session() as session:
        for model in (models.Note, models.Fix):
            rows = list(session.scalars(select(model)))
            assert rows
            for row in rows:
                assert RAW_SECRET not in row.text


def test_hostile_paste_is_stored_safely(memory: Memory) -> None:
    nasty = "\x00" * 1000 + "\ud800" + "é" * 100_000
    d = diag(path="/" + "\x00" * 50_000, host="\x00" * 500, method="\x00GET" * 100, masked=nasty)
    started = time.perf_counter()
    rec = memory.record("T1", "C1\x00"[:2], "U1", d, NOW)
    assert time.perf_counter() - started < 2
    view = memory.occurrence("T1", rec.occurrence_id)
    assert view is not None
    assert "\x00" not in view.excerpt and len(view.excerpt) == 2000


def test_record_without_request_or_cause(memory: Memory) -> None:
    rec = memory.record("T1", None, None, diag(status=None, cause=None, path=None, host=None,
                                               method=None, masked=""), NOW)
    view = memory.occurrence("T1", rec.occurrence_id)
    assert view is not None and view.status is None and view.path_template is None


def test_claim_event_dedupes_and_expires(memory: Memory) -> None:
    assert memory.claim_event("T1", "Ev1", NOW) is True
    assert memory.claim_event("T1", "Ev1", NOW + timedelta(minutes=5)) is False
    assert memory.claim_event("T2", "Ev1", NOW) is True  # another team's event space
    assert memory.claim_event("T1", "Ev1", NOW + timedelta(days=1, minutes=1)) is True


def test_feedback_latest_vote_wins(memory: Memory) -> None:
    rec = memory.record("T1", "C1", "U1", diag(), NOW)
    memory.record_feedback("T1", rec.occurrence_id, "server.unavailable", True, "U1", NOW)
    memory.record_feedback("T1", rec.occurrence_id, "server.unavailable", False, "U1", NOW)
    memory.record_feedback("T1", rec.occurrence_id, "server.unavailable", True, "U2", NOW)
    assert memory.feedback_counts("T1", "server.unavailable") == (1, 1)


def test_notes_and_fixes_validate_input(memory: Memory) -> None:
    with pytest.raises(ValueError):
        memory.add_note("T1", "503", "   ", "U1")
    with pytest.raises(ValueError):
        memory.add_note("T1", "has space", "x", "U1")
    with pytest.raises(UnknownOccurrence):
        memory.record_fix("T1", 12345, "x", "U1")
    with pytest.raises(ValueError):
        memory.record("", "C1", "U1", diag(), NOW)
    with pytest.raises(ValueError):
        memory.record("T1", "C1", "U1", diag(), datetime(2026, 1, 1))  # naive
    note = memory.add_note("T1", " Server.Unavailable ", "x" * 10_000, "U1", NOW)
    assert note.key == "server.unavailable" and len(note.text) == 2000


def test_top_ranks_by_count_with_trend_and_latest_fix_and_note(memory: Memory) -> None:
    # A: 3 this week, 1 the week before -> up. B: 2 this week, 4 before -> down.
    # C: 1 this week, first ever -> new. D: 1 and 1 -> flat. E: only the week before -> absent.
    def add(status: int, days_ago: float) -> int:
        return memory.record("T1", "C1", "U1", diag(status=status), NOW - timedelta(days=days_ago)).occurrence_id

    a = [add(500, d) for d in (1, 2, 3, 9)]
    for d in (1, 2, 8, 9, 10, 11):
        add(502, d)
    add(503, 0.5)
    add(504, 4)
    add(504, 12)
    add(418, 10)
    memory.record_fix("T1", a[0], "rolled back", "U1", NOW - timedelta(hours=1))
    memory.add_note("T1", "500", "old", "U1", NOW - timedelta(days=5))
    memory.add_note("T1", "server.unavailable", "newest note", "U2", NOW - timedelta(days=1))
    rows = memory.top("T1", days=7, now=NOW)
    assert [(r.status, r.count, r.previous_count, r.trend) for r in rows] == [
        (500, 3, 1, "up"), (502, 2, 4, "down"), (503, 1, 0, "new"), (504, 1, 1, "flat")]
    first = rows[0]
    assert first.first_seen == NOW - timedelta(days=9)
    assert first.last_seen == NOW - timedelta(days=1)
    assert first.latest_fix is not None and first.latest_fix.text == "rolled back"
    assert first.latest_note is not None and first.latest_note.text == "newest note"
    assert first.path_template == "/v2/orders/{id}" and first.method == "POST"
    assert rows[1].latest_fix is None
    assert len(memory.top("T1", days=7, now=NOW, limit=2)) == 2
    # One day back, inclusive: the 503 (latest) then the two seen exactly a day ago.
    day = memory.top("T1", days=1, now=NOW)
    assert day[0].status == 503 and {r.status for r in day[1:]} == {500, 502}
    assert memory.top("T1", days=0, now=NOW)  # clamped to one day, not an error


def test_a_team_never_sees_another_teams_rows(memory: Memory) -> None:
    a = memory.record("TA", "C1", "U1", diag(), NOW - timedelta(days=1))
    memory.add_note("TA", "503", "team A's secret runbook", "U1", NOW)
    memory.record_fix("TA", a.occurrence_id, "team A's fix", "U1", NOW)
    memory.set_digest("TA", "CA", 9, 0, "UTC")

    # Team B hits the very same error: same fingerprint, but its own history.
    b = memory.record("TB", "C9", "U9", diag(), NOW)
    assert b.fingerprint == a.fingerprint
    assert (b.count, b.previous_seen, b.notes, b.last_fix) == (1, None, [], None)
    assert memory.occurrence("TB", a.occurrence_id) is None
    assert [r.count for r in memory.top("TB", now=NOW)] == [1]
    assert memory.top("TB", now=NOW)[0].latest_fix is None
    assert memory.top("TB", now=NOW)[0].latest_note is None
    assert memory.digest_settings("TB") is None
    with pytest.raises(UnknownOccurrence):
        memory.record_fix("TB", a.occurrence_id, "hijack", "U9")
    with pytest.raises(UnknownOccurrence):
        memory.record_feedback("TB", a.occurrence_id, "server.unavailable", False, "U9")
    with pytest.raises(UnknownOccurrence):
        memory.set_reply("TB", a.occurrence_id, "C9", "1.2")
    assert memory.top("TC", now=NOW) == []
    # And team A is untouched by B's attempts.
    view = memory.occurrence("TA", a.occurrence_id)
    assert view is not None and view.reply_ts is None
    assert [f.text for f in [memory.top("TA", now=NOW)[0].latest_fix] if f] == ["team A's fix"]


def test_digest_settings(memory: Memory) -> None:
    assert memory.digest_settings("T1") is None
    settings = memory.set_digest("T1", "C1", 9, 30, "Europe/Paris")
    assert settings.enabled and (settings.hour, settings.minute) == (9, 30)
    memory.set_digest("T1", "C2", 8, 0, "America/New_York")
    assert memory.digest_settings("T1") == settings.__class__("T1", "C2", 8, 0, "America/New_York", True)
    memory.disable_digest("T1")
    current = memory.digest_settings("T1")
    assert current is not None and not current.enabled
    assert memory.digest_teams() == []
    with pytest.raises(ValueError):
        memory.set_digest("T1", "C1", 24, 0, "UTC")
    with pytest.raises(ValueError):
        memory.set_digest("T1", "C1", 9, 0, "Mars/Olympus_Mons")


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://postgres@127.0.0.1:1/nothing",
    "sqlite:////nonexistent-dir/sub/apierror.db",
])
def test_database_down_is_a_clear_quick_error(url: str) -> None:
    memory = Memory(url)
    started = time.perf_counter()
    assert memory.ping() is False
    with pytest.raises(MemoryUnavailable):
        memory.record("T1", "C1", "U1", diag(), NOW)
    with pytest.raises(MemoryUnavailable):
        memory.top("T1")
    assert time.perf_counter() - started < 5
    memory.close()


def test_unmigrated_database_is_unavailable_not_a_crash(tmp_path: object) -> None:
    memory = Memory(f"sqlite:///{tmp_path}/blank.db")
    assert memory.ping() is True
    with pytest.raises(MemoryUnavailable):
        memory.claim_event("T1", "Ev1")
    memory.close()
    created = Memory(f"sqlite:///{tmp_path}/blank.db", create=True)
    assert created.claim_event("T1", "Ev1") is True
    created.close()
