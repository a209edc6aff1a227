"""Engines and sessions: one place that knows how we talk to SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

# A database that does not answer within this many seconds is treated as down, so the Slack
# app can still reply to the user instead of hanging on a dead connection.
CONNECT_TIMEOUT_SECONDS = 3
# SQLite serialises writers; a second process waits this long for the lock before failing.
SQLITE_BUSY_SECONDS = 30


def normalise_url(url: str | URL) -> URL:
    """The SQLAlchemy URL with our driver choices: `postgres://` and `postgresql://` use psycopg 3."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str | URL, *, statement_timeout_ms: int | None = None, **kwargs: Any) -> Engine:
    """An engine with short connect timeouts and health-checked pooled connections.

    `statement_timeout_ms` bounds each PostgreSQL statement (the Slack app's requests must not
    wait on a stuck query); migrations and the bench leave it unset.
    """
    parsed = normalise_url(url)
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        # The scheduler thread and request threads share the pool.
        connect_args = {"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False}
    elif parsed.get_backend_name() == "postgresql":
        connect_args = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
        if statement_timeout_ms:
            # Keep any libpq options already in the URL (a search_path, say).
            given = parsed.query.get("options", "")
            given = given if isinstance(given, str) else " ".join(given)
            connect_args["options"] = f"{given} -c statement_timeout={int(statement_timeout_ms)}".strip()
    kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(parsed, connect_args=connect_args, **kwargs)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers work beside the one writer, and synchronous=NORMAL syncs at checkpoints
    instead of on every commit: the Slack app commits three times per event, and a full fsync
    each time stalled replies for seconds on a slow disk. A crash can lose the last commits
    (not corrupt the file), which for dedupe rows and occurrences is an acceptable trade."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    # Results are plain values copied into dataclasses, so nothing needs refreshing after commit.
    return sessionmaker(engine, expire_on_commit=False)
