"""Load bench for the Slack app: signed app_mention events from concurrent clients.

Starts the fake Slack Web API (tests/fakeslack.py) and `python -m bot serve` against it with a
fresh SQLite database (a separate process, as in production), sends
`--events` events at `--rate` per second spread over `--channels` channels, re-sends
`--retry-share` of them as Slack retries (same event_id, X-Slack-Retry-Num 1-3) while the first
reply may still be in flight, and prints:

- ack latency p50 / p99 (HTTP response time of every delivery, retries included)
- event-to-reply p50 / p99 (first delivery sent -> chat.postMessage seen by the fake Slack)
- lost and doubled replies

    python bench/slack_load.py                       # 1,000 events at 50/s, 30% retried
    python bench/slack_load.py --events 3000 --rate 100 --check

The SQLite file goes in a fresh directory under TMPDIR. Each event commits three times (claim,
record, reply ts), so a disk with slow fsync shows up as second-long reply stalls; compare with
TMPDIR=/dev/shm to tell the app's own latency from the disk's.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakeslack import FakeSlack  # noqa: E402

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-token"
TEAM = "TBENCH"
PASTES = [
    "429",
    "getting 503 from the orders API since the deploy",
    "curl -X POST https://api.example.com/v1/items -H 'Content-Type: application/json' -d '{\"a\": 1,}'\n"
    "HTTP/1.1 400 Bad Request\n\n{\"error\": \"invalid json\"}",
    "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error=\"invalid_token\"\n\n{\"message\":\"Bad credentials\"}",
    "curl https://api.github.com/repos/acme/private\nHTTP/2 404\n\n{\"message\":\"Not Found\"}",
    "HTTP/1.1 429 Too Many Requests\nRetry-After: 30\nX-RateLimit-Remaining: 0\n\n",
    "why does this 403 when I call https://api.stripe.com/v1/charges with my test key?",
]


@dataclass
class Results:
    acks: list[float] = field(default_factory=list)
    sent_at: dict[str, float] = field(default_factory=dict)  # event ts -> first send time
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def sign(body: bytes, ts: int) -> str:
    return "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def envelope(n: int, channel: str) -> tuple[str, dict[str, object]]:
    ts = f"{1_800_000_000 + n}.{n % 1_000_000:06d}"
    event = {"type": "app_mention", "user": "UBENCH", "text": f"<@UBOT> {PASTES[n % len(PASTES)]}",
             "ts": ts, "channel": channel, "event_ts": ts, "team": TEAM}
    return ts, {"token": "x", "team_id": TEAM, "api_app_id": "ABENCH", "type": "event_callback",
                "event_id": f"EvBENCH{n:07d}", "event_time": int(time.time()), "event": event,
                "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}]}


_local = threading.local()


def deliver(url: str, body: bytes, retry: int, results: Results, first_ts: str | None) -> None:
    http = getattr(_local, "http", None)
    if http is None:
        http = _local.http = httpx.Client(timeout=10)
    now = int(time.time())
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": str(now),
               "X-Slack-Signature": sign(body, now)}
    if retry:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    started = time.monotonic()
    if first_ts is not None:
        with results.lock:
            results.sent_at.setdefault(first_ts, started)
    try:
        response = http.post(url, content=body, headers=headers)
        elapsed = time.monotonic() - started
        with results.lock:
            results.acks.append(elapsed)
            if response.status_code != 200:
                results.errors.append(f"HTTP {response.status_code}")
    except httpx.HTTPError as exc:
        with results.lock:
            results.errors.append(type(exc).__name__)


def drive(url: str, events: int, rate: float, channels: int, retry_share: float, clients: int,
          seed: int) -> tuple[Results, dict[str, str]]:
    """Send everything on schedule; returns results and event ts -> channel."""
    rng = random.Random(seed)
    results = Results()
    schedule: list[tuple[float, bytes, int, str | None]] = []
    expected: dict[str, str] = {}
    for n in range(events):
        channel = f"CB{n % channels:04d}"
        ts, env = envelope(n, channel)
        body = json.dumps(env).encode()
        at = n / rate
        expected[ts] = channel
        schedule.append((at, body, 0, ts))
        if rng.random() < retry_share:
            for retry in range(1, rng.randint(1, 3) + 1):
                schedule.append((at + rng.uniform(0.01, 1.5) * retry, body, retry, None))
    schedule.sort(key=lambda item: item[0])
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for at, body, retry, ts in schedule:
            delay = start + at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(deliver, url, body, retry, results, ts)
    return results, expected


def start_app(fake: FakeSlack, port: int, workdir: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.api_url,
               DATABASE_URL=f"sqlite:///{workdir}/bench.db", PYTHONPATH=str(ROOT))
    env.pop("SLACK_APP_TOKEN", None)
    with open(f"{workdir}/serve.log", "wb") as log:  # the child keeps its own descriptor
        process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1",
                                    "--port", str(port)], cwd=workdir, env=env,
                                   stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise SystemExit(f"the app did not start; see {workdir}/serve.log")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=50.0, help="events per second")
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--retry-share", type=float, default=0.3)
    parser.add_argument("--clients", type=int, default=32, help="concurrent senders")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the last replies")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="apierror-bench-")
    with FakeSlack(bot_token=TOKEN, team_id=TEAM, bot_user_id="UBOT") as fake:
        port = free_port()
        app = start_app(fake, port, workdir)
        try:
            url = f"http://127.0.0.1:{port}/slack/events"
            began = time.monotonic()
            results, expected = drive(url, args.events, args.rate, args.channels, args.retry_share,
                                      args.clients, args.seed)
            sent_seconds = time.monotonic() - began
            deadline = time.monotonic() + args.wait
            while time.monotonic() < deadline:
                if len({c.params.get("thread_ts") for c in fake.calls_to("chat.postMessage")}) >= len(expected):
                    break
                time.sleep(0.1)
            time.sleep(1.0)  # late duplicates would show up now
        finally:
            app.terminate()
            app.wait(timeout=10)
        replies: dict[str, list[float]] = {}
        for call in fake.calls_to("chat.postMessage"):
            replies.setdefault(str(call.params.get("thread_ts")), []).append(call.at)

    to_reply = [min(replies[ts]) - results.sent_at[ts] for ts in expected if ts in replies]
    lost = sum(1 for ts in expected if ts not in replies)
    doubled = sum(1 for ts in expected if len(replies.get(ts, [])) > 1)
    deliveries = len(results.acks) + len(results.errors)
    ack_p50, ack_p99 = percentile(results.acks, 50) * 1000, percentile(results.acks, 99) * 1000
    reply_p50, reply_p99 = percentile(to_reply, 50) * 1000, percentile(to_reply, 99) * 1000
    print(f"{len(expected)} events at {args.rate:g}/s plus {deliveries - len(expected)} retried "
          f"deliveries, sent in {sent_seconds:.1f} s; {args.channels} channels, {args.clients} clients")
    print(f"ack latency       p50 {ack_p50:7.1f} ms   p99 {ack_p99:7.1f} ms   max "
          f"{max(results.acks, default=0) * 1000:7.1f} ms")
    print(f"event-to-reply    p50 {reply_p50:7.1f} ms   p99 {reply_p99:7.1f} ms   max "
          f"{max(to_reply, default=0) * 1000:7.1f} ms   (p90 {percentile(to_reply, 90) * 1000:.1f} ms)")
    print(f"replies lost {lost}, doubled {doubled}, delivery errors {len(results.errors)}")
    goals = {"ack p99 < 100 ms": ack_p99 < 100, "event-to-reply p99 < 500 ms": reply_p99 < 500,
             "no lost or doubled reply": lost == 0 and doubled == 0 and not results.errors}
    for goal, met in goals.items():
        print(f"  {'PASS' if met else 'MISS'}  {goal}")
    return 1 if args.check and not all(goals.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
