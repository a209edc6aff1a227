"""Schema migrations in code: `upgrade(url)` for `apierror db upgrade`, `downgrade(url, rev)`.

Alembic is configured here rather than from an ini file, so an installed package (where the
working directory is anywhere) finds its migrations next to this module.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from bot.store.engine import make_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any fixed 64-bit number; only apierror's migrations take this advisory lock.
MIGRATION_LOCK = 0x61706965_72726F72


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _run(url: str | URL | Engine, action: str, revision: str) -> None:
    engine = url if isinstance(url, Engine) else make_engine(url)
    try:
        # begin(): Alembic's own transaction nests inside, and DDL commits once at the end
        # (PostgreSQL runs the whole upgrade atomically; SQLite as far as it can).
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Replicas starting together all run `upgrade`; one at a time, the rest find
                # the schema at head. The lock ends with the transaction.
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            config = alembic_config()
            config.attributes["connection"] = connection
            getattr(command, action)(config, revision)
    finally:
        if not isinstance(url, Engine):
            engine.dispose()


def upgrade(url: str | URL | Engine, revision: str = "head") -> None:
    """Bring the schema at `url` up to `revision` (default: the latest)."""
    _run(url, "upgrade", revision)


def downgrade(url: str | URL | Engine, rev: str) -> None:
    """Take the schema at `url` down to `rev` ("base" removes every table of ours)."""
    _run(url, "downgrade", rev)


def head() -> str:
    """The newest revision the package ships."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if revision is None:  # only if the package lost its migrations
        raise RuntimeError(f"no migrations found in {MIGRATIONS}")
    return revision


def current(url: str | URL | Engine) -> str | None:
    """The revision the database at `url` is at (None: never migrated)."""
    engine = url if isinstance(url, Engine) else make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        if not isinstance(url, Engine):
            engine.dispose()
