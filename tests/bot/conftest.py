"""Database fixtures: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL: `APIERROR_TEST_POSTGRES_URL` (default postgresql+psycopg://postgres@127.0.0.1:5432/test)
names a server we may create databases on. One throwaway database per test session holds the
migrated schema (tables are emptied between tests); migration tests get their own empty
database. Everything created is dropped at the end. Tests skip, saying why, only when the server
cannot be reached.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def postgres_url() -> URL:
    url = make_url(os.environ.get("APIERROR_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL)
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    return url


class PostgresServer:
    """Creates and drops throwaway databases on the test server."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self.created: list[str] = []
        # AUTOCOMMIT: CREATE/DROP DATABASE cannot run inside a transaction.
        self.admin = create_engine(url, isolation_level="AUTOCOMMIT",
                                   connect_args={"connect_timeout": 3})

    def reachable(self) -> str | None:
        try:
            with self.admin.connect() as connection:
                connection.execute(text("SELECT 1"))
            return None
        except Exception as exc:
            return f"PostgreSQL at {self.url.render_as_string(hide_password=True)} unreachable: {exc}"

    def create(self) -> str:
        name = f"apierror_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.admin.connect() as connection:
            for name in self.created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    server = PostgresServer(postgres_url())
    problem = server.reachable()
    if problem:
        server.admin.dispose()
        pytest.skip(problem)
    yield server
    server.drop_all()


@pytest.fixture(scope="session")
def pg_migrated_url(pg_server: PostgresServer) -> str:
    from bot.store.migrate import upgrade

    url = pg_server.create()
    upgrade(url)
    return url


def _empty_tables(url: str) -> None:
    from bot.store.models import Base

    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        from bot.store.migrate import upgrade

        url = f"sqlite:///{tmp_path}/apierror.db"
        upgrade(url)
        return url
    url = request.getfixturevalue("pg_migrated_url")
    _empty_tables(url)
    return url


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """A database with nothing in it, not even our schema (for migration tests)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/empty.db"
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.create()


@pytest.fixture
def memory(db_url: str) -> Iterator[object]:
    from bot.memory import Memory

    mem = Memory(db_url)
    yield mem
    mem.close()
