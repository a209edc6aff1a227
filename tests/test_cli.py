"""`apierror` as a user runs it: exit codes, stdin, JSON, never a traceback."""

import json
import os
import subprocess
import sys

import pytest


def run(*args: str, stdin: bytes | None = b"", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_diagnose_json_from_argument() -> None:
    result = run("diagnose", "--json", "getting 429s")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == 429
    assert data["causes"][0]["id"] == "ratelimit.exceeded"


def test_diagnose_reads_stdin_and_dash() -> None:
    paste = b"HTTP/1.1 503 Service Unavailable\nRetry-After: 3600\n\n<h1>Down for maintenance</h1>"
    for args in (("diagnose", "--json"), ("diagnose", "--json", "-")):
        result = run(*args, stdin=paste)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["status"] == 503


def test_readable_output_has_headings_and_no_colour_when_piped() -> None:
    result = run("diagnose", "HTTP/1.1 405 Method Not Allowed\nAllow: GET, HEAD\n")
    assert result.returncode == 0
    text = result.stdout.decode()
    assert "Most likely:" in text and "HTTP 405" in text
    assert "\033[" not in text


def test_binary_stdin_gets_a_polite_answer() -> None:
    result = run("diagnose", "--json", stdin=bytes(range(256)) * 200)
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["warnings"]
    assert b"Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "stdin"),
    [(("diagnose",), b""), (("diagnose", "   "), b""), (("frobnicate",), b""), (("diagnose", "--bogus"), b""), ((), b"")],
)
def test_bad_usage_exits_2_with_one_line(args: tuple[str, ...], stdin: bytes) -> None:
    result = run(*args, stdin=stdin)
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
    assert result.stderr.strip()
    if args:
        assert len(result.stderr.decode().strip().splitlines()) == 1


def test_secret_is_never_echoed() -> None:
    key = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    result = run("diagnose", "--json", f"curl https://api.stripe.com/v1/charges -u {key}:")
    assert result.returncode == 0
    assert key.encode() not in result.stdout
    assert key.encode() not in result.stderr
    assert any("rotate" in w.lower() for w in json.loads(result.stdout)["warnings"])


def test_terminal_output_cannot_be_driven_by_the_paste() -> None:
    # A paste carrying ANSI escapes must not clear or recolour the user's terminal.
    result = run("diagnose", "\x1b[2J\x1b]0;pwned\x07 getting 429s")
    assert result.returncode == 0
    assert b"\x1b" not in result.stdout and b"\x07" not in result.stdout
