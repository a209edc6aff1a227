"""Bench: every team's daily digest and one team's `top`, on PostgreSQL at production scale.

Loads 1,000 teams x 1,000 occurrences (30 days of history, a few dozen distinct errors per team,
some fixes and notes) into a throwaway database, then prints how long it takes to compute every
team's digest and one team's `/apierror top`. Goals: all digests under 10 s, one top under 50 ms.

    python bench/digest.py                     # server from APIERROR_BENCH_POSTGRES_URL or the test one
    python bench/digest.py --teams 100 --per-team 500 --keep

The database is created fresh (schema by the real migrations) and dropped afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.digest import compute_digest
from bot.fingerprint import fingerprint, path_template
from bot.memory import Memory
from bot.store.migrate import upgrade

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
STATUSES = [(400, "request.malformed_json"), (401, "auth.token_expired"), (403, "authz.insufficient_scope"),
            (404, "url.wrong_path"), (409, "request.conflict"), (422, "validation.field_format"),
            (429, "ratelimit.exceeded"), (500, "server.internal_error"), (502, "gateway.bad_gateway"),
            (503, "server.unavailable"), (504, "gateway.timeout")]
PATHS = ["/v2/orders/{n}", "/v1/customers/cus_{n}abc", "/api/users/{n}/keys", "/v1/charges",
         "/oauth2/token", "/v3/repos/o/r/pulls/{n}", "/v1/items/{n}/prices", "/graphql"]
HOSTS = ["api.example.com", "api.stripe.com", "api.github.com", "internal.billing.svc"]


def error_kinds(rng: random.Random, count: int) -> list[tuple[str, str, str, int, str]]:
    kinds = []
    for _ in range(count):
        status, cause = rng.choice(STATUSES)
        path = rng.choice(PATHS).replace("{n}", str(rng.randint(1, 10**6)))
        kinds.append((rng.choice(HOSTS), rng.choice(["GET", "POST", "PUT"]), path, status, cause))
    return kinds


def load(url: str, teams: int, per_team: int, now: datetime, seed: int = 7) -> list[str]:
    """Bulk-load with COPY (the ORM would take minutes for a million rows)."""
    rng = random.Random(seed)
    team_ids = [f"T{n:07d}" for n in range(teams)]
    engine = create_engine(url)
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert conn is not None
        with conn.cursor() as cursor:
            with cursor.copy("COPY occurrences (team_id, channel_id, user_id, created_at, fingerprint,"
                             " status, cause_id, host, method, path_template, excerpt) FROM STDIN") as copy:
                for team in team_ids:
                    kinds = error_kinds(rng, rng.randint(20, 60))
                    # A few errors dominate, as in real life.
                    weights = [1 / (i + 1) for i in range(len(kinds))]
                    for _ in range(per_team):
                        host, method, path, status, cause = rng.choices(kinds, weights)[0]
                        template = path_template(path)
                        when = now - timedelta(seconds=rng.randint(0, 30 * 86400))
                        copy.write_row((team, "C0001", "U0001", when,
                                        fingerprint(host, method, template, status, cause), status,
                                        cause, host, method, template, f"HTTP/1.1 {status}"))
            with cursor.copy("COPY team_settings (team_id, digest_enabled, digest_channel_id, digest_hour,"
                             " digest_minute, timezone, updated_at) FROM STDIN") as copy:
                for team in team_ids:
                    copy.write_row((team, True, "CDIGEST", 9, 0, "Europe/Paris", now))
            cursor.execute(
                "INSERT INTO fixes (team_id, fingerprint, occurrence_id, text, user_id, created_at)"
                " SELECT team_id, fingerprint, max(id), 'restarted the pool', 'U0001', max(created_at)"
                " FROM occurrences GROUP BY team_id, fingerprint HAVING count(*) % 3 = 0")
            cursor.execute(
                "INSERT INTO notes (team_id, key, text, user_id, created_at)"
                " SELECT DISTINCT team_id, status::text, 'check #deploys first', 'U0001', %s"
                " FROM occurrences WHERE status IN (502, 503)", (now,))
        conn.commit()
        with conn.cursor() as cursor:
            cursor.execute("ANALYZE")
        conn.commit()
    finally:
        raw.close()
        engine.dispose()
    return team_ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("APIERROR_BENCH_POSTGRES_URL") or DEFAULT_SERVER)
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--per-team", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    server = make_url(args.server)
    name = f"apierror_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    now = datetime.now(UTC)
    try:
        upgrade(url)
        started = time.perf_counter()
        team_ids = load(url, args.teams, args.per_team, now)
        print(f"loaded {args.teams} teams x {args.per_team} occurrences in "
              f"{time.perf_counter() - started:.1f} s ({name})")

        memory = Memory(url)
        memory.top(team_ids[0], now=now)  # warm the pool
        started = time.perf_counter()
        non_empty = 0
        for team in team_ids:
            non_empty += not compute_digest(memory, team, now).empty
        digests = time.perf_counter() - started
        print(f"all {len(team_ids)} digests: {digests:.2f} s "
              f"({digests / len(team_ids) * 1000:.2f} ms per team; {non_empty} with something to say)"
              f"  goal < 10 s: {'OK' if digests < 10 else 'MISSED'}")

        team = team_ids[len(team_ids) // 2]
        timings = []
        for _ in range(30):
            started = time.perf_counter()
            rows = memory.top(team, days=7, now=now)
            timings.append((time.perf_counter() - started) * 1000)
        median = statistics.median(timings)
        print(f"one team's top (7 days, {len(rows)} rows): median {median:.1f} ms, "
              f"max {max(timings):.1f} ms  goal < 50 ms: {'OK' if median < 50 else 'MISSED'}")
        with memory.engine.connect() as connection:
            plan = connection.execute(text(
                "EXPLAIN SELECT fingerprint, count(*) FROM occurrences WHERE team_id = :t"
                " AND created_at >= :s GROUP BY fingerprint"),
                {"t": team, "s": now - timedelta(days=14)}).scalars().all()
        print("top's scan: " + next((line.strip() for line in plan if "Index" in line or "Scan" in line),
                                    plan[0]))
        memory.close()
    finally:
        if not args.keep:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
