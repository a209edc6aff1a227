"""Team memory: what each team's errors were, how often they recur, and what fixed them.

The contract between storage and the Slack app. Every method takes a `team_id` and only ever
reads or writes that team's rows. Everything user-typed or pasted that we keep is masked for
secrets and bounded in size. When the database is unusable, methods raise `MemoryUnavailable`
(quickly: connections time out after a few seconds) and `ping()` returns False, so the app can
still answer with the diagnosis alone.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot import fingerprint as fp
from bot.store import models, repo
from bot.store.engine import make_engine, make_sessionmaker

if TYPE_CHECKING:  # the engine is only needed when masking; `apierror digest` stays light
    from knowledge.model import Diagnosis

# Processed event ids are kept this long (Slack retries within minutes).
EVENT_TTL = timedelta(days=1)
# Notes shown with a recurrence: newest first, this many.
MAX_RECURRENCE_NOTES = 5
MAX_TOP_DAYS = 365
MAX_TOP_LIMIT = 50
# Each PostgreSQL statement the app runs is cut off after this long.
STATEMENT_TIMEOUT_MS = 15_000
# While the schema may be missing (the database was down or empty at start, or was replaced),
# look again at most this often.
SCHEMA_CHECK_SECONDS = 5.0

log = logging.getLogger(__name__)


class MemoryUnavailable(RuntimeError):
    """The team-memory database cannot be used right now (down, unreachable, not migrated)."""


class UnknownOccurrence(LookupError):
    """No occurrence with that id for this team (purged, or another team's)."""


@dataclass(frozen=True)
class Note:
    id: int
    key: str  # "503" or a cause id
    text: str
    user_id: str
    created_at: datetime


@dataclass(frozen=True)
class Fix:
    id: int
    fingerprint: str
    text: str
    user_id: str
    created_at: datetime


@dataclass(frozen=True)
class Recurrence:
    occurrence_id: int
    fingerprint: str
    count: int  # occurrences of this fingerprint for the team, all time, including this one
    count_week: int  # in the last 7 days, including this one
    first_seen: datetime
    previous_seen: datetime | None
    notes: list[Note]  # team notes for this status and for this cause id
    last_fix: Fix | None  # latest fix recorded for this fingerprint


@dataclass(frozen=True)
class OccurrenceView:
    id: int
    team_id: str
    fingerprint: str
    status: int | None
    cause_id: str | None
    host: str | None
    method: str | None
    path_template: str | None
    excerpt: str
    channel_id: str | None
    reply_ts: str | None
    created_at: datetime


@dataclass(frozen=True)
class TopRow:
    fingerprint: str
    host: str | None
    method: str | None
    path_template: str | None
    status: int | None
    cause_id: str | None
    count: int
    previous_count: int
    first_seen: datetime
    last_seen: datetime
    trend: str  # "new" | "up" | "down" | "flat"
    latest_fix: Fix | None
    latest_note: Note | None


@dataclass(frozen=True)
class DigestSettings:
    team_id: str
    channel_id: str
    hour: int
    minute: int
    timezone: str
    enabled: bool


# -- cleaning what we store -------------------------------------------------------------------

def utc(now: datetime | None) -> datetime:
    """`now` as aware UTC (the current time when None); naive datetimes are refused."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("naive datetime: pass a timezone-aware datetime")
    return now.astimezone(UTC)


def clean_text(value: str, limit: int) -> str:
    """Text safe for both databases: bounded, no NULs (PostgreSQL refuses them), valid UTF-8."""
    value = value[:limit].replace("\x00", "\ufffd")
    return value.encode("utf-8", errors="replace").decode("utf-8")


def mask_text(value: str, limit: int) -> str:
    """User-typed text (notes, fixes) with any credential masked, then bounded.

    Masks a little more than we keep, so a secret straddling the cut is still found whole.
    """
    from knowledge.secrets import Masker, find_secrets

    head = value[: limit + 512]
    return clean_text(Masker(find_secrets(head)).mask(head), limit)


def slack_id(value: str | None, what: str, required: bool = True) -> str | None:
    """A Slack id as given, checked: ids are short and printable; anything else is a bug."""
    if value is None or value == "":
        if required:
            raise ValueError(f"{what} is required")
        return None
    if len(value) > models.SLACK_ID or not value.isprintable() or " " in value:
        raise ValueError(f"{what} does not look like a Slack id: {value[:40]!r}")
    return value


def note_key(key: str) -> str:
    """A note key: a status ("503") or a cause id ("ratelimit.exceeded"), lower case."""
    cleaned = key.strip().lower()
    if not cleaned or len(cleaned) > models.CAUSE_ID or not cleaned.isprintable() or " " in cleaned:
        raise ValueError(f"a note key is a status code or a cause id, not {key[:40]!r}")
    return cleaned


def note_view(row: models.Note) -> Note:
    return Note(id=row.id, key=row.key, text=row.text, user_id=row.user_id, created_at=row.created_at)


def fix_view(row: models.Fix) -> Fix:
    return Fix(id=row.id, fingerprint=row.fingerprint, text=row.text, user_id=row.user_id,
               created_at=row.created_at)


def _settings(row: models.TeamSettings | None) -> DigestSettings | None:
    if row is None or not row.digest_channel_id:
        return None
    return DigestSettings(team_id=row.team_id, channel_id=row.digest_channel_id,
                          hour=row.digest_hour, minute=row.digest_minute, timezone=row.timezone,
                          enabled=bool(row.digest_enabled))


def trend(count: int, previous_count: int, first_seen: datetime, window_start: datetime) -> str:
    """"new" when first seen inside the window, else the direction against the previous window."""
    if first_seen >= window_start:
        return "new"
    if count > previous_count:
        return "up"
    if count < previous_count:
        return "down"
    return "flat"


class Memory:
    """Team memory over one database. Thread-safe: each call uses its own session."""

    def __init__(self, database_url: str, *, create: bool = False,
                 repair_schema: bool = False) -> None:
        """`create`: bring the schema up to date now (MemoryUnavailable if that fails).
        `repair_schema`: whenever the schema may be missing or behind (the database was down
        or empty at start, or was replaced), bring it up to date once the database answers: a
        server that starts before its database must not stay without tables until restarted."""
        self.engine: Engine = make_engine(database_url, statement_timeout_ms=STATEMENT_TIMEOUT_MS)
        self._sessions = make_sessionmaker(self.engine)
        self._repair = repair_schema
        self._schema_lock = threading.Lock()
        self._check_schema = repair_schema and not create
        self._last_schema_check = float("-inf")
        if create:
            from bot.store.migrate import upgrade

            try:
                upgrade(self.engine)
            except SQLAlchemyError as exc:
                raise MemoryUnavailable(f"cannot prepare the database: {type(exc).__name__}") from exc

    def close(self) -> None:
        self.engine.dispose()

    def _repair_schema(self) -> None:
        """When the schema may be missing or behind, upgrade it (at most every few seconds)."""
        if not self._check_schema:
            return
        with self._schema_lock:
            if not self._check_schema or \
                    time.monotonic() - self._last_schema_check < SCHEMA_CHECK_SECONDS:
                return
            self._last_schema_check = time.monotonic()
            from bot.store.migrate import current, head, upgrade

            try:
                if current(self.engine) != head():
                    upgrade(self.engine)
                    log.info("team memory: database schema brought up to date")
            except SQLAlchemyError as exc:  # still down: try again later
                log.info("team memory: database not ready yet (%s)", type(exc).__name__)
                return
            except Exception as exc:  # e.g. a newer schema than this release knows: leave it
                log.warning("team memory: cannot upgrade the schema: %s: %s", type(exc).__name__,
                            str(exc).splitlines()[0][:200] if str(exc) else "")
            self._check_schema = False

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction, committed on success; database failures become MemoryUnavailable."""
        self._repair_schema()
        try:
            with self._sessions.begin() as session:
                yield session
        except SQLAlchemyError as exc:
            self._check_schema = self._repair  # a missing table looks like any other failure
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
            detail = reason[0][:200] if reason else ""
            raise MemoryUnavailable(f"team memory unavailable: {type(exc).__name__}: {detail}") from exc

    def ping(self) -> bool:
        """The database answers."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def usable(self) -> bool:
        """The database answers and holds our schema (an empty database cannot be used)."""
        self._repair_schema()
        try:
            with self.engine.connect() as connection:
                found = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        except Exception:
            found = None
        if found is None:
            self._check_schema = self._repair
        return found is not None

    # -- events ---------------------------------------------------------------------------
    def claim_event(self, team_id: str, event_id: str, now: datetime | None = None) -> bool:
        """True the first time (team, event_id) is seen within a day, across processes."""
        team = slack_id(team_id, "team_id")
        assert team is not None
        event = clean_text(event_id.strip(), 128)
        if not event:
            raise ValueError("event_id is required")
        when = utc(now)
        with self.session() as session:
            return repo.claim_event(session, team, event, when, when - EVENT_TTL)

    # -- occurrences ----------------------------------------------------------------------
    def record(self, team_id: str, channel_id: str | None, user_id: str | None, diagnosis: Diagnosis,
               now: datetime | None = None) -> Recurrence:
        """Store one occurrence of `diagnosis` and say how it recurs for this team."""
        team = slack_id(team_id, "team_id")
        assert team is not None
        when = utc(now)
        top = diagnosis.top
        host = fp.clean_host(diagnosis.host)
        method = fp.clean_method(diagnosis.method)
        template = fp.path_template(diagnosis.path)
        cause_id = fp.clean_cause(top.id if top is not None else None)
        status = diagnosis.status if isinstance(diagnosis.status, int) else None
        key = fp.fingerprint(host, method, template, status, cause_id)
        values = {
            "channel_id": slack_id(channel_id, "channel_id", required=False),
            "user_id": slack_id(user_id, "user_id", required=False),
            "created_at": when, "fingerprint": key, "status": status, "cause_id": cause_id,
            "host": host, "method": method, "path_template": template,
            "vendor": clean_text(diagnosis.vendor, 64) if diagnosis.vendor else None,
            # Only the masked paste, bounded: never the raw text.
            "excerpt": clean_text(diagnosis.masked_text or "", models.MAX_EXCERPT_CHARS),
        }
        note_keys = [str(status)] if status is not None else []
        if cause_id:
            note_keys.append(cause_id)
        with self.session() as session:
            row = repo.insert_occurrence(session, team, **values)
            history = repo.fingerprint_history(session, team, key, when - timedelta(days=7), row.id)
            notes = repo.notes_for_keys(session, team, note_keys, MAX_RECURRENCE_NOTES)
            fix = repo.latest_fixes(session, team, [key]).get(key)
            return Recurrence(
                occurrence_id=row.id, fingerprint=key, count=history.count,
                count_week=history.count_since, first_seen=history.first_seen,
                previous_seen=history.previous_seen, notes=[note_view(n) for n in notes],
                last_fix=fix_view(fix) if fix is not None else None)

    def set_reply(self, team_id: str, occurrence_id: int, channel_id: str, ts: str) -> None:
        """Remember where the bot's reply to an occurrence went (for threads and updates)."""
        channel = slack_id(channel_id, "channel_id")
        assert channel is not None
        with self.session() as session:
            if not repo.set_reply(session, team_id, occurrence_id, channel, clean_text(ts, 32)):
                raise UnknownOccurrence(f"no occurrence {occurrence_id} for this team")

    def occurrence(self, team_id: str, occurrence_id: int) -> OccurrenceView | None:
        with self.session() as session:
            row = repo.get_occurrence(session, team_id, occurrence_id)
            if row is None:
                return None
            return OccurrenceView(
                id=row.id, team_id=row.team_id, fingerprint=row.fingerprint, status=row.status,
                cause_id=row.cause_id, host=row.host, method=row.method,
                path_template=row.path_template, excerpt=row.excerpt,
                channel_id=row.reply_channel_id or row.channel_id, reply_ts=row.reply_ts,
                created_at=row.created_at)

    # -- notes, fixes, feedback -----------------------------------------------------------
    def add_note(self, team_id: str, key: str, text: str, user_id: str,
                 now: datetime | None = None) -> Note:
        """A team note under a status or cause id (`/apierror note 503 check #deploys first`)."""
        team = slack_id(team_id, "team_id")
        user = slack_id(user_id, "user_id")
        assert team is not None and user is not None
        body = mask_text(text.strip(), models.MAX_TEXT_CHARS)
        if not body:
            raise ValueError("a note needs some text")
        with self.session() as session:
            return note_view(repo.add_note(session, team, note_key(key), body, user, utc(now)))

    def record_fix(self, team_id: str, occurrence_id: int, text: str, user_id: str,
                   now: datetime | None = None) -> Fix:
        """What fixed the error of `occurrence_id`; shown next time its fingerprint recurs."""
        user = slack_id(user_id, "user_id")
        assert user is not None
        body = mask_text(text.strip(), models.MAX_TEXT_CHARS)
        if not body:
            raise ValueError("a fix needs some text")
        with self.session() as session:
            row = repo.get_occurrence(session, team_id, occurrence_id)
            if row is None:
                raise UnknownOccurrence(f"no occurrence {occurrence_id} for this team")
            return fix_view(repo.add_fix(session, team_id, row.fingerprint, row.id, body, user, utc(now)))

    def record_feedback(self, team_id: str, occurrence_id: int, cause_id: str, helpful: bool,
                        user_id: str, now: datetime | None = None) -> None:
        """A vote on one suggested cause; a user voting again replaces their vote."""
        user = slack_id(user_id, "user_id")
        cause = fp.clean_cause(cause_id)
        assert user is not None
        if cause is None:
            raise ValueError("cause_id is required")
        with self.session() as session:
            if repo.get_occurrence(session, team_id, occurrence_id) is None:
                raise UnknownOccurrence(f"no occurrence {occurrence_id} for this team")
            repo.upsert_feedback(session, team_id, occurrence_id, cause, bool(helpful), user,
                                 utc(now))

    def feedback_counts(self, team_id: str, cause_id: str) -> tuple[int, int]:
        """(helpful, not helpful) votes this team gave `cause_id`."""
        with self.session() as session:
            return repo.feedback_counts(session, team_id, cause_id)

    # -- top ------------------------------------------------------------------------------
    def top(self, team_id: str, days: int = 7, now: datetime | None = None,
            limit: int = 10) -> list[TopRow]:
        """The team's fingerprints ranked by count in the last `days`, with the trend against
        the `days` before, first/last sighting, and the latest fix and note."""
        days = max(1, min(int(days), MAX_TOP_DAYS))
        limit = max(1, min(int(limit), MAX_TOP_LIMIT))
        end = utc(now)
        split = end - timedelta(days=days)
        start = split - timedelta(days=days)
        with self.session() as session:
            rows = [r for r in repo.window_rows(session, team_id, start, split, end) if r.count > 0]
            rows.sort(key=lambda r: (-r.count, -r.last_seen.timestamp(), r.fingerprint))
            rows = rows[:limit]
            keys = [r.fingerprint for r in rows]
            first = repo.first_seen(session, team_id, keys)
            fixes = repo.latest_fixes(session, team_id, keys)
            note_keys = {str(r.status) for r in rows if r.status is not None}
            note_keys |= {r.cause_id for r in rows if r.cause_id}
            notes = repo.latest_notes(session, team_id, note_keys)
        result = []
        for r in rows:
            seen = first.get(r.fingerprint, r.first_in_window)
            candidates = [n for n in (notes.get(str(r.status)), notes.get(r.cause_id or ""))
                          if n is not None]
            note = max(candidates, key=lambda n: (n.created_at, n.id)) if candidates else None
            fix = fixes.get(r.fingerprint)
            result.append(TopRow(
                fingerprint=r.fingerprint, host=r.host, method=r.method,
                path_template=r.path_template, status=r.status, cause_id=r.cause_id,
                count=r.count, previous_count=r.previous_count, first_seen=seen,
                last_seen=r.last_seen, trend=trend(r.count, r.previous_count, seen, split),
                latest_fix=fix_view(fix) if fix is not None else None,
                latest_note=note_view(note) if note is not None else None))
        return result

    # -- digest settings ------------------------------------------------------------------
    def set_digest(self, team_id: str, channel_id: str, hour: int, minute: int,
                   timezone: str) -> DigestSettings:
        """Switch the daily digest on: post to `channel_id` at hour:minute in `timezone`."""
        team = slack_id(team_id, "team_id")
        channel = slack_id(channel_id, "channel_id")
        assert team is not None and channel is not None
        if not (0 <= int(hour) <= 23 and 0 <= int(minute) <= 59):
            raise ValueError(f"not a time of day: {hour}:{minute}")
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {timezone[:64]!r}") from exc
        with self.session() as session:
            row = repo.upsert_digest(session, team, channel, int(hour), int(minute), timezone,
                                     utc(None))
            settings = _settings(row)
        assert settings is not None
        return settings

    def disable_digest(self, team_id: str) -> None:
        with self.session() as session:
            repo.disable_digest(session, team_id, utc(None))

    def digest_settings(self, team_id: str) -> DigestSettings | None:
        with self.session() as session:
            return _settings(repo.get_settings(session, team_id))

    def digest_teams(self, team_id: str | None = None) -> list[DigestSettings]:
        """Every team with the digest on (for the digest run; not a per-team read)."""
        with self.session() as session:
            rows = repo.digest_teams(session, team_id)
            return [s for s in (_settings(r) for r in rows) if s is not None]
