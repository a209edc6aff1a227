"""Engine speed: prints figures, asserts nothing (shared machines are noisy).

Goals (engine issue), on one core:
- at least 5,000 diagnoses/s over a mixed corpus of typical pastes (under 2 KB)
- under 20 ms for a 40 KB paste
- no adversarial input over 100 ms
- `apierror diagnose` one-shot under 250 ms more than a bare `python -c pass`

Run: python bench/engine.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime

from knowledge import diagnose

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)

TYPICAL = [
    "getting 429s from the search API since 10am",
    "@apierror HTTP 502 from the gateway on checkout",
    "503 Service Unavailable",
    """curl -X POST https://api.acme.io/v2/orders -H 'Authorization: Bearer abc.def.ghi' \\
  -H 'Content-Type: application/json' -d '{"sku": "A-1", "qty": 2,}'
HTTP/1.1 400 Bad Request
Content-Type: application/json

{"error": {"code": "invalid_json", "message": "Unexpected token } in JSON at position 27"}}""",
    """HTTP/2 429
date: Wed, 25 Nov 2026 11:59:00 GMT
content-type: application/json
retry-after: 30
x-ratelimit-limit: 5000
x-ratelimit-remaining: 0
x-ratelimit-reset: 1795608000

{"message": "API rate limit exceeded for user ID 1.", "documentation_url": "https://docs.github.com/rest"}""",
    """curl 'https://api.example.com/graphql' -H 'content-type: application/json' --data-raw '{"query":"{ me { id } }"}'
{"data": null, "errors": [{"message": "Cannot query field \\"me\\" on type \\"Query\\".", "locations": [{"line": 1, "column": 3}]}]}""",
    '{"ok": false, "error": "missing_scope", "needed": "chat:write", "provided": "channels:read"}',
    """* Connected to api.stripe.com (52.1.1.1) port 443
> POST /v1/charges HTTP/2
> Host: api.stripe.com
> Authorization: Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc
>
< HTTP/2 402
< request-id: req_8a7sd8f7
<
{"error": {"type": "card_error", "code": "card_declined", "message": "Your card was declined."}}""",
    """<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx/1.25.3</center></body></html>""",
    "HTTP/1.1 405 Method Not Allowed\nAllow: GET, HEAD\nContent-Length: 0\n",
]


def _adversarial() -> dict[str, str]:
    return {
        "40 KB of quotes": "'" * 40_000,
        "40 KB of backslashes": "\\" * 40_000,
        "deep brackets": "[" * 60_000,
        "binary": "".join(chr(i % 256) for i in range(60_000)),
        "5,000 headers": "HTTP/1.1 500 Internal Server Error\n" + "X-Header: value\n" * 5000,
        "many curls": "curl https://a.io -H 'x: y'\n" * 1500,
        "many numbers": "got 401 " * 8000,
        "jwt-ish": "eyJ" * 20_000,
        "unbalanced json": '{"a": [' * 8000,
        "one char": "a" * 1_000_000,
        "slack links": "<https://a.io|a.io> " * 3000,
        "ansi-c quote": "curl $'" + "\\x41" * 10_000,
    }


def _forty_kb() -> str:
    body = '{"items": [' + ", ".join(f'{{"id": {i}, "name": "item {i}"}}' for i in range(1400)) + "]}"
    return (
        "curl -X POST https://api.acme.io/v1/import -H 'Content-Type: application/json' -d '"
        + body[:38_000] + "'\nHTTP/1.1 413 Payload Too Large\n\n"
    )


def throughput(seconds: float, rounds: int = 5) -> list[float]:
    """Diagnoses per second in each of `rounds` equal slices of `seconds`, sorted: the median
    is the figure, the spread shows how noisy the machine was while it ran."""
    rates = []
    for _ in range(rounds):
        count = 0
        started = time.perf_counter()
        while time.perf_counter() - started < seconds / rounds:
            for text in TYPICAL:
                diagnose(text, now=NOW)
            count += len(TYPICAL)
        rates.append(count / (time.perf_counter() - started))
    return sorted(rates)


def per_paste(rounds: int = 300) -> list[tuple[float, str]]:
    """Mean time of each typical paste, to see which forms cost the most."""
    out = []
    for text in TYPICAL:
        started = time.perf_counter()
        for _ in range(rounds):
            diagnose(text, now=NOW)
        out.append(((time.perf_counter() - started) / rounds, text))
    return out


def timed(text: str, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        diagnose(text, now=NOW)
        best = min(best, time.perf_counter() - started)
    return best


def one_shot() -> tuple[float, float]:
    def median_run(args: list[str]) -> float:
        runs = []
        for _ in range(7):
            started = time.perf_counter()
            subprocess.run(args, capture_output=True, check=False)
            runs.append(time.perf_counter() - started)
        return statistics.median(runs)

    bare = median_run([sys.executable, "-c", "pass"])
    full = median_run([sys.executable, "-m", "bot", "diagnose", "--json", "getting 429s"])
    return bare, full


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()

    diagnose("warm up the knowledge base", now=NOW)
    sizes = [len(t) for t in TYPICAL]
    print(f"corpus: {len(TYPICAL)} typical pastes, {min(sizes)}-{max(sizes)} bytes")
    rates = throughput(args.seconds)
    print(f"throughput: {statistics.median(rates):,.0f} diagnoses/s, median of {len(rates)} rounds "
          f"({rates[0]:,.0f}-{rates[-1]:,.0f}) (goal >= 5,000)")
    for seconds, text in per_paste():
        first_line = " ".join(text.split())[:60]
        print(f"  {seconds * 1e6:6.0f} us  {len(text):4d} B  {first_line}")
    text = _forty_kb()
    print(f"40 KB paste ({len(text) // 1024} KB): {timed(text) * 1000:.1f} ms (goal < 20 ms)")
    worst_name, worst = "", 0.0
    for name, hostile in _adversarial().items():
        elapsed = timed(hostile, repeat=2)
        print(f"  adversarial {name:<22} {elapsed * 1000:7.1f} ms")
        if elapsed > worst:
            worst_name, worst = name, elapsed
    print(f"worst adversarial: {worst_name} {worst * 1000:.1f} ms (goal < 100 ms)")
    bare, full = one_shot()
    print(
        f"one-shot `apierror diagnose`: {full * 1000:.0f} ms vs bare python {bare * 1000:.0f} ms: "
        f"+{(full - bare) * 1000:.0f} ms (goal < +250 ms)"
    )


if __name__ == "__main__":
    main()
