"""The tables of team memory, as SQLAlchemy 2 typed models.

Every table carries `team_id` and every query in `bot.store.repo` filters on it first; the
indexes lead with `team_id` for the same reason. There are deliberately no foreign keys from
fixes and feedback to occurrences: retention purges old occurrences, while a team's fixes and
notes are knowledge worth keeping after the occurrences that prompted them are gone.

Keep `bot/store/migrations/versions/` in step with this file (a test autogenerates a diff).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.store.types import UtcDateTime

# Slack ids (T…, C…, U…) are around a dozen characters; the bound leaves room for grid ids.
SLACK_ID = 32
CAUSE_ID = 100
FINGERPRINT = 64
# The masked excerpt of a paste we keep, and the longest note or fix text.
MAX_EXCERPT_CHARS = 2000
MAX_TEXT_CHARS = 2000

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")

NAMING = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class TeamSettings(Base):
    """One row per team that configured anything; today only the daily digest."""

    __tablename__ = "team_settings"

    team_id: Mapped[str] = mapped_column(String(SLACK_ID), primary_key=True)
    digest_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    digest_channel_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    digest_hour: Mapped[int] = mapped_column(SmallInteger, default=9)
    digest_minute: Mapped[int] = mapped_column(SmallInteger, default=0)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        # The scheduler scans enabled teams every minute.
        Index("ix_team_settings_digest_enabled", "digest_enabled"),
    )


class Occurrence(Base):
    """One diagnosed error: where and when, what it was, and a bounded masked excerpt."""

    __tablename__ = "occurrences"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(SLACK_ID))
    channel_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    user_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    fingerprint: Mapped[str] = mapped_column(String(FINGERPRINT))
    status: Mapped[int | None] = mapped_column(Integer)
    cause_id: Mapped[str | None] = mapped_column(String(CAUSE_ID))
    host: Mapped[str | None] = mapped_column(String(253))
    method: Mapped[str | None] = mapped_column(String(16))
    path_template: Mapped[str | None] = mapped_column(String(512))
    vendor: Mapped[str | None] = mapped_column(String(64))
    excerpt: Mapped[str] = mapped_column(Text, default="")
    reply_channel_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    reply_ts: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (
        # top and the digest: one team's rows in a time window, grouped by fingerprint;
        # the trailing fingerprint column lets PostgreSQL answer from the index alone.
        Index("ix_occurrences_team_created", "team_id", "created_at", "fingerprint"),
        # recurrence: count, first and previous sighting of one fingerprint.
        Index("ix_occurrences_team_fingerprint", "team_id", "fingerprint", "created_at"),
        # retention: the purge deletes by age across teams.
        Index("ix_occurrences_created", "created_at"),
    )


class Note(Base):
    """A team note keyed by a status ("503") or a cause id ("ratelimit.exceeded")."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(SLACK_ID))
    key: Mapped[str] = mapped_column(String(CAUSE_ID))
    text: Mapped[str] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(String(SLACK_ID))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_notes_team_key", "team_id", "key", "created_at"),)


class Fix(Base):
    """What fixed an error, from the "Mark fixed" modal; keyed by fingerprint."""

    __tablename__ = "fixes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(SLACK_ID))
    fingerprint: Mapped[str] = mapped_column(String(FINGERPRINT))
    occurrence_id: Mapped[int | None] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(String(SLACK_ID))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_fixes_team_fingerprint", "team_id", "fingerprint", "created_at"),)


class Feedback(Base):
    """Whether a suggested cause helped; one vote per user, cause and occurrence (latest wins)."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(SLACK_ID))
    occurrence_id: Mapped[int] = mapped_column(BigInteger)
    cause_id: Mapped[str] = mapped_column(String(CAUSE_ID))
    user_id: Mapped[str] = mapped_column(String(SLACK_ID))
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("team_id", "occurrence_id", "cause_id", "user_id"),
        Index("ix_feedback_team_cause", "team_id", "cause_id"),
    )


class ProcessedEvent(Base):
    """An event id already handled (Slack retries deliveries); the primary key is the lock."""

    __tablename__ = "processed_events"

    team_id: Mapped[str] = mapped_column(String(SLACK_ID), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_processed_events_created", "created_at"),)


class DigestRun(Base):
    """Today's digest for a team: claimed before posting, marked once posted.

    The primary key (team, local date) is what makes "one digest per team per day" hold across
    processes and hosts. A claim without `posted_at` older than the claim timeout is taken over
    by the next run (the poster crashed); `claim_token` makes sure only the owner marks it.
    """

    __tablename__ = "digest_runs"

    team_id: Mapped[str] = mapped_column(String(SLACK_ID), primary_key=True)
    local_date: Mapped[date] = mapped_column(Date, primary_key=True)
    claim_token: Mapped[str] = mapped_column(String(36))
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    posted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # "posted" (a message went out) or "empty" (nothing to say; nothing posted)
    outcome: Mapped[str | None] = mapped_column(String(16))
    channel_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(String(200))
