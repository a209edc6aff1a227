"""Team memory tables: settings, occurrences, notes, fixes, feedback, event dedupe, digest runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Same as bot.store.models.BigId: SQLite only auto-increments INTEGER PRIMARY KEY.
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "team_settings",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("digest_enabled", sa.Boolean(), nullable=False),
        sa.Column("digest_channel_id", sa.String(length=32), nullable=True),
        sa.Column("digest_hour", sa.SmallInteger(), nullable=False),
        sa.Column("digest_minute", sa.SmallInteger(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_team_settings")),
    )
    op.create_index("ix_team_settings_digest_enabled", "team_settings", ["digest_enabled"])

    op.create_table(
        "occurrences",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("cause_id", sa.String(length=100), nullable=True),
        sa.Column("host", sa.String(length=253), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=True),
        sa.Column("path_template", sa.String(length=512), nullable=True),
        sa.Column("vendor", sa.String(length=64), nullable=True),
        sa.Column("excerpt", sa.Text(), nullable=False),
        sa.Column("reply_channel_id", sa.String(length=32), nullable=True),
        sa.Column("reply_ts", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_occurrences")),
    )
    op.create_index("ix_occurrences_team_created", "occurrences",
                    ["team_id", "created_at", "fingerprint"])
    op.create_index("ix_occurrences_team_fingerprint", "occurrences",
                    ["team_id", "fingerprint", "created_at"])
    op.create_index("ix_occurrences_created", "occurrences", ["created_at"])

    op.create_table(
        "notes",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    op.create_index("ix_notes_team_key", "notes", ["team_id", "key", "created_at"])

    op.create_table(
        "fixes",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("occurrence_id", sa.BigInteger(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fixes")),
    )
    op.create_index("ix_fixes_team_fingerprint", "fixes", ["team_id", "fingerprint", "created_at"])

    op.create_table(
        "feedback",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("occurrence_id", sa.BigInteger(), nullable=False),
        sa.Column("cause_id", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("team_id", "occurrence_id", "cause_id", "user_id",
                            name=op.f("uq_feedback_team_id_occurrence_id_cause_id_user_id")),
    )
    op.create_index("ix_feedback_team_cause", "feedback", ["team_id", "cause_id"])

    op.create_table(
        "processed_events",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("team_id", "event_id", name=op.f("pk_processed_events")),
    )
    op.create_index("ix_processed_events_created", "processed_events", ["created_at"])

    op.create_table(
        "digest_runs",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("claim_token", sa.String(length=36), nullable=False),
        sa.Column("claimed_at", WHEN, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("posted_at", WHEN, nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("team_id", "local_date", name=op.f("pk_digest_runs")),
    )


def downgrade() -> None:
    # Dropping a table drops its indexes on both databases.
    for table in ("digest_runs", "processed_events", "feedback", "fixes", "notes", "occurrences",
                  "team_settings"):
        op.drop_table(table)
