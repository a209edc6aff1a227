"""Run times people report, and the default proxy timeouts they reveal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from knowledge import diagnose
from knowledge.evidence.timing import find_elapsed

NOW = datetime(2025, 3, 14, 12, tzinfo=UTC)


@pytest.mark.parametrize(("text", "seconds"), [
    ("it takes ~60s and then 504", 60.0),
    ("504 after exactly 100 seconds", 100.0),
    ("dies after about a minute", 60.0),
    ("hangs for 29.5 s then 504", 29.5),
    ("took 30000ms", 30.0),
    ("real\t1m0.113s\nuser\t0m0.01s", 60.113),
    ("time_total: 15.004", 15.004),
    ("elapsed=2m", 120.0),
])
def test_run_times_are_read(text: str, seconds: float) -> None:
    found = find_elapsed(text)
    assert found and found[0][0] == pytest.approx(seconds)


@pytest.mark.parametrize("text", [
    "retry after 30s gives 504 again",
    "please wait: sleep after 60 s",
    "cache for 60s",
    "we get 504 every 60 seconds",
    "sleep 60s between calls",
])
def test_advice_and_intervals_are_not_run_times(text: str) -> None:
    assert find_elapsed(text) == []


def _top(text: str) -> tuple[str, list[str]]:
    cause = diagnose(text, now=NOW).causes[0]
    return cause.id, cause.evidence


def test_named_layer_and_matching_duration_point_at_that_layer() -> None:
    cause, evidence = _top("504 from nginx after 60 seconds on /export")
    assert cause == "gateway.upstream_timeout"
    assert any("proxy_read_timeout" in line for line in evidence)


def test_a_duration_no_named_layer_uses_is_not_blamed_on_it() -> None:
    # Cloudflare waits 100 s: a 504 after 60 s through Cloudflare is another layer's timeout.
    diagnosis = diagnose("504 from cloudflare after 60 seconds", now=NOW)
    assert not any("Cloudflare's proxy read timeout" in line for c in diagnosis.causes for line in c.evidence)


def test_an_application_log_timeout_on_a_503_is_not_a_proxy_timeout() -> None:
    text = ("all requests 503 and the log says: HikariPool-1 - Connection is not available, "
            "request timed out after 30000ms")
    diagnosis = diagnose(text, now=NOW)
    assert all("stopped waiting" not in line for c in diagnosis.causes for line in c.evidence)


def test_statuses_a_timeout_does_not_produce_are_not_read() -> None:
    diagnosis = diagnose("429 from the ALB after 60 seconds", now=NOW)
    assert all("ran about" not in line for c in diagnosis.causes for line in c.evidence)


@pytest.mark.parametrize("text", [
    "took " * 10_000,
    "504 after ~" + "9" * 40_000 + "s",
    "after " + " " * 40_000 + "60s",
    "real\t" + "1m" * 20_000,
    "time_total: " * 5_000,
    "".join(chr(i % 256) for i in range(40_000)),
])
def test_hostile_input_is_read_without_error(text: str) -> None:
    found = find_elapsed(text)
    assert all(0 < seconds <= 3600 for seconds, _ in found)
    assert diagnose("504 " + text, now=NOW).causes
