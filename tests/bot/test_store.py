"""Schema: migrations up from nothing and back down, models in step with them, UTC round trips."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select
from sqlalchemy.exc import StatementError

from bot.store import models
from bot.store.engine import make_engine, make_sessionmaker, normalise_url
from bot.store.migrate import current, downgrade, head, upgrade

TABLES = {"team_settings", "occurrences", "notes", "fixes", "feedback", "processed_events",
          "digest_runs"}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_from_empty_then_downgrade_then_upgrade_again(empty_db_url: str) -> None:
    assert current(empty_db_url) is None
    upgrade(empty_db_url)
    assert current(empty_db_url) == head()
    assert _tables(empty_db_url) >= TABLES
    upgrade(empty_db_url)  # idempotent: already at head
    downgrade(empty_db_url, "base")
    assert current(empty_db_url) is None
    assert not (TABLES & _tables(empty_db_url))
    upgrade(empty_db_url)
    assert _tables(empty_db_url) >= TABLES


@pytest.mark.postgres
def test_replicas_upgrading_at_once_all_succeed(pg_server: object) -> None:
    url = pg_server.create()  # type: ignore[attr-defined]
    errors: list[BaseException] = []

    def run() -> None:
        try:
            upgrade(url)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert current(url) == head()


def test_models_and_migrations_agree(db_url: str) -> None:
    """Autogenerate against the migrated schema finds nothing to add, drop or alter."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, models.Base.metadata) == []
    finally:
        engine.dispose()


def test_query_indexes_exist(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        indexes = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("occurrences")}
    finally:
        engine.dispose()
    assert indexes["ix_occurrences_team_created"] == ["team_id", "created_at", "fingerprint"]
    assert indexes["ix_occurrences_team_fingerprint"] == ["team_id", "fingerprint", "created_at"]
    assert indexes["ix_occurrences_created"] == ["created_at"]


def test_timestamps_round_trip_as_aware_utc(db_url: str) -> None:
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)
    paris = timezone(timedelta(hours=1))
    written = datetime(2026, 3, 1, 10, 30, 15, 123456, tzinfo=paris)
    try:
        with sessions.begin() as session:
            session.add(models.Note(team_id="T1", key="503", text="x", user_id="U1",
                                    created_at=written))
        with sessions() as session:
            note = session.scalars(select(models.Note)).one()
            assert note.created_at == written
            assert note.created_at.tzinfo is not None and note.created_at.utcoffset() == timedelta(0)
            assert note.created_at.hour == 9
            # Comparisons in SQL use the same representation.
            later = session.scalars(select(models.Note).where(
                models.Note.created_at > written - timedelta(microseconds=1))).all()
            assert len(later) == 1
    finally:
        engine.dispose()


def test_naive_datetimes_are_refused(db_url: str) -> None:
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)
    try:
        with pytest.raises(StatementError), sessions.begin() as session:
            session.add(models.Note(team_id="T1", key="503", text="x", user_id="U1",
                                    created_at=datetime(2026, 1, 1)))
            session.flush()
    finally:
        engine.dispose()


def test_postgres_urls_use_psycopg3() -> None:
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("sqlite:///x.db").drivername == "sqlite"


def test_migrations_ship_inside_the_package() -> None:
    from pathlib import Path

    import bot.store.migrate as migrate

    here = Path(migrate.__file__).parent
    assert (here / "migrations" / "env.py").is_file()
    assert (here / "alembic.ini").is_file()
    assert list((here / "migrations" / "versions").glob("*.py"))
