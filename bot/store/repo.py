"""Repositories: every query team memory makes, each one filtered by team first.

Functions take an open `Session` and a `team_id` and return model rows or small dataclasses;
transactions belong to the caller (`bot.memory.Memory`). The only functions that look across
teams are the maintenance ones at the bottom (purge, the list of teams with a digest), and they
never return another team's content.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.store import models

# Bound on the IN lists we build (top and digest rows are already capped far below this).
MAX_KEYS = 500


def _insert_ignoring_conflict(session: Session, model: type[models.Base], values: dict[str, Any]) -> bool:
    """INSERT that does nothing on a key conflict; True when a row was inserted.

    ON CONFLICT DO NOTHING (PostgreSQL and SQLite both have it) rather than catching an
    IntegrityError: on PostgreSQL a failed INSERT would abort the surrounding transaction.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: Any = postgresql.insert(model).values(**values)
    elif dialect == "sqlite":
        statement = sqlite.insert(model).values(**values)
    else:  # pragma: no cover - only the two databases above are supported
        raise RuntimeError(f"unsupported database {dialect!r}")
    # RETURNING rather than rowcount: drivers report -1 for INSERT rowcount in some modes.
    key = next(iter(model.__table__.primary_key.columns))
    statement = statement.on_conflict_do_nothing().returning(key)
    return session.execute(statement).first() is not None


# -- occurrences ----------------------------------------------------------------------------

def insert_occurrence(session: Session, team_id: str, **values: Any) -> models.Occurrence:
    row = models.Occurrence(team_id=team_id, **values)
    session.add(row)
    session.flush()  # assigns the id
    return row


def get_occurrence(session: Session, team_id: str, occurrence_id: int) -> models.Occurrence | None:
    return session.scalars(
        select(models.Occurrence).where(models.Occurrence.team_id == team_id,
                                        models.Occurrence.id == occurrence_id)
    ).first()


def set_reply(session: Session, team_id: str, occurrence_id: int, channel_id: str, ts: str) -> bool:
    result = session.execute(
        update(models.Occurrence)
        .where(models.Occurrence.team_id == team_id, models.Occurrence.id == occurrence_id)
        .values(reply_channel_id=channel_id, reply_ts=ts)
    )
    return bool(result.rowcount)


@dataclass(frozen=True)
class History:
    """How often one fingerprint was seen by a team (all of it, including the newest row)."""

    count: int
    count_since: int
    first_seen: datetime
    previous_seen: datetime | None


def fingerprint_history(session: Session, team_id: str, fingerprint: str, since: datetime,
                        newest_id: int) -> History:
    """Counts for `fingerprint`: all time, since `since`, first sighting, and the sighting before
    row `newest_id` (the one just recorded)."""
    occ = models.Occurrence
    row = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((occ.created_at >= since, 1), else_=0)), 0),
            func.min(occ.created_at),
        ).where(occ.team_id == team_id, occ.fingerprint == fingerprint)
    ).one()
    previous = session.scalar(
        select(func.max(occ.created_at)).where(occ.team_id == team_id, occ.fingerprint == fingerprint,
                                               occ.id != newest_id)
    )
    return History(count=int(row[0]), count_since=int(row[1]), first_seen=row[2],
                   previous_seen=previous)


@dataclass(frozen=True)
class WindowRow:
    """One fingerprint's activity in a window [start, end] split at `split` into two halves."""

    fingerprint: str
    host: str | None
    method: str | None
    path_template: str | None
    status: int | None
    cause_id: str | None
    count: int            # in [split, end]
    previous_count: int   # in [start, split)
    first_in_window: datetime
    last_seen: datetime


def window_rows(session: Session, team_id: str, start: datetime, split: datetime, end: datetime,
                *, recent_from: datetime | None = None) -> list[WindowRow]:
    """Every fingerprint the team saw in [start, end], with counts either side of `split`.

    The descriptive columns are equal for all rows of one fingerprint (they are what it hashes),
    so max() just picks them. With `recent_from`, only fingerprints seen since then are kept.
    """
    occ = models.Occurrence
    current = func.sum(case((occ.created_at >= split, 1), else_=0)).label("current")
    previous = func.sum(case((occ.created_at < split, 1), else_=0)).label("previous")
    last_seen = func.max(occ.created_at).label("last_seen")
    query = (
        select(occ.fingerprint, func.max(occ.host), func.max(occ.method), func.max(occ.path_template),
               func.max(occ.status), func.max(occ.cause_id), current, previous,
               func.min(occ.created_at), last_seen)
        .where(occ.team_id == team_id, occ.created_at >= start, occ.created_at <= end)
        .group_by(occ.fingerprint)
    )
    if recent_from is not None:
        query = query.having(last_seen >= recent_from)
    return [
        WindowRow(fingerprint=r[0], host=r[1], method=r[2], path_template=r[3],
                  status=None if r[4] is None else int(r[4]), cause_id=r[5], count=int(r[6] or 0),
                  previous_count=int(r[7] or 0), first_in_window=r[8], last_seen=r[9])
        for r in session.execute(query)
    ]


@dataclass(frozen=True)
class DayRow:
    """One fingerprint around a digest: today, the day before, and the week before that."""

    fingerprint: str
    host: str | None
    method: str | None
    path_template: str | None
    status: int | None
    cause_id: str | None
    today: int
    yesterday: int
    week_before: int
    last_seen: datetime


def day_rows(session: Session, team_id: str, week_start: datetime, yesterday_start: datetime,
             today_start: datetime, end: datetime) -> list[DayRow]:
    """Fingerprints seen in [yesterday_start, end], counted per day and over the week before.

    `today` counts [today_start, end]; `yesterday` [yesterday_start, today_start);
    `week_before` [week_start, today_start) (which includes yesterday).
    """
    occ = models.Occurrence
    today = func.sum(case((occ.created_at >= today_start, 1), else_=0))
    yesterday = func.sum(case((and_(occ.created_at >= yesterday_start,
                                    occ.created_at < today_start), 1), else_=0))
    week_before = func.sum(case((occ.created_at < today_start, 1), else_=0))
    last_seen = func.max(occ.created_at)
    query = (
        select(occ.fingerprint, func.max(occ.host), func.max(occ.method), func.max(occ.path_template),
               func.max(occ.status), func.max(occ.cause_id), today, yesterday, week_before, last_seen)
        .where(occ.team_id == team_id, occ.created_at >= week_start, occ.created_at <= end)
        .group_by(occ.fingerprint)
        .having(last_seen >= yesterday_start)
    )
    return [
        DayRow(fingerprint=r[0], host=r[1], method=r[2], path_template=r[3],
               status=None if r[4] is None else int(r[4]), cause_id=r[5], today=int(r[6] or 0),
               yesterday=int(r[7] or 0), week_before=int(r[8] or 0), last_seen=r[9])
        for r in session.execute(query)
    ]


def first_seen(session: Session, team_id: str, fingerprints: Iterable[str]) -> dict[str, datetime]:
    """The first sighting (within retention) of each fingerprint."""
    wanted = sorted(set(fingerprints))[:MAX_KEYS]
    if not wanted:
        return {}
    occ = models.Occurrence
    rows = session.execute(
        select(occ.fingerprint, func.min(occ.created_at))
        .where(occ.team_id == team_id, occ.fingerprint.in_(wanted))
        .group_by(occ.fingerprint)
    )
    return {fp: seen for fp, seen in rows}


# -- notes, fixes, feedback -----------------------------------------------------------------

def add_note(session: Session, team_id: str, key: str, text: str, user_id: str,
             created_at: datetime) -> models.Note:
    row = models.Note(team_id=team_id, key=key, text=text, user_id=user_id, created_at=created_at)
    session.add(row)
    session.flush()
    return row


def notes_for_keys(session: Session, team_id: str, keys: Iterable[str],
                   limit: int) -> list[models.Note]:
    """The team's notes under any of `keys`, newest first."""
    wanted = sorted(set(keys))[:MAX_KEYS]
    if not wanted:
        return []
    return list(session.scalars(
        select(models.Note).where(models.Note.team_id == team_id, models.Note.key.in_(wanted))
        .order_by(models.Note.created_at.desc(), models.Note.id.desc()).limit(limit)
    ))


def latest_notes(session: Session, team_id: str, keys: Iterable[str]) -> dict[str, models.Note]:
    """The newest note under each of `keys`."""
    found: dict[str, models.Note] = {}
    for note in notes_for_keys(session, team_id, keys, limit=MAX_KEYS):
        found.setdefault(note.key, note)
    return found


def add_fix(session: Session, team_id: str, fingerprint: str, occurrence_id: int | None, text: str,
            user_id: str, created_at: datetime) -> models.Fix:
    row = models.Fix(team_id=team_id, fingerprint=fingerprint, occurrence_id=occurrence_id,
                     text=text, user_id=user_id, created_at=created_at)
    session.add(row)
    session.flush()
    return row


def latest_fixes(session: Session, team_id: str, fingerprints: Iterable[str]) -> dict[str, models.Fix]:
    """The newest fix recorded for each of `fingerprints`."""
    wanted = sorted(set(fingerprints))[:MAX_KEYS]
    if not wanted:
        return {}
    found: dict[str, models.Fix] = {}
    rows = session.scalars(
        select(models.Fix).where(models.Fix.team_id == team_id, models.Fix.fingerprint.in_(wanted))
        .order_by(models.Fix.created_at.desc(), models.Fix.id.desc())
    )
    for fix in rows:
        found.setdefault(fix.fingerprint, fix)
    return found


def upsert_feedback(session: Session, team_id: str, occurrence_id: int, cause_id: str, helpful: bool,
                    user_id: str, created_at: datetime) -> None:
    """One vote per (occurrence, cause, user); voting again replaces the earlier vote."""
    values = {"team_id": team_id, "occurrence_id": occurrence_id, "cause_id": cause_id,
              "user_id": user_id, "helpful": helpful, "created_at": created_at}
    keys = ["team_id", "occurrence_id", "cause_id", "user_id"]
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(models.Feedback).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=keys, set_={"helpful": helpful, "created_at": created_at})
    session.execute(statement)


def feedback_counts(session: Session, team_id: str, cause_id: str) -> tuple[int, int]:
    """(helpful, not helpful) votes the team gave `cause_id`."""
    fb = models.Feedback
    row = session.execute(
        select(func.coalesce(func.sum(case((fb.helpful.is_(True), 1), else_=0)), 0),
               func.coalesce(func.sum(case((fb.helpful.is_(False), 1), else_=0)), 0))
        .where(fb.team_id == team_id, fb.cause_id == cause_id)
    ).one()
    return int(row[0]), int(row[1])


# -- event dedupe ---------------------------------------------------------------------------

def claim_event(session: Session, team_id: str, event_id: str, now: datetime,
                expired_before: datetime) -> bool:
    """True if this (team, event) was not seen since `expired_before`; records it either way."""
    ev = models.ProcessedEvent
    session.execute(delete(ev).where(ev.team_id == team_id, ev.event_id == event_id,
                                     ev.created_at < expired_before))
    return _insert_ignoring_conflict(session, ev, {"team_id": team_id, "event_id": event_id,
                                                   "created_at": now})


# -- settings -------------------------------------------------------------------------------

def get_settings(session: Session, team_id: str) -> models.TeamSettings | None:
    return session.get(models.TeamSettings, team_id)


def upsert_digest(session: Session, team_id: str, channel_id: str, hour: int, minute: int,
                  timezone: str, now: datetime) -> models.TeamSettings:
    row = session.get(models.TeamSettings, team_id, with_for_update=True)
    if row is None:
        # Two first-time "digest on" at once: the loser's INSERT is ignored, then it updates.
        _insert_ignoring_conflict(session, models.TeamSettings, {
            "team_id": team_id, "digest_enabled": True, "digest_channel_id": channel_id,
            "digest_hour": hour, "digest_minute": minute, "timezone": timezone, "updated_at": now})
        row = session.get(models.TeamSettings, team_id, populate_existing=True)
        assert row is not None
    row.digest_enabled = True
    row.digest_channel_id = channel_id
    row.digest_hour = hour
    row.digest_minute = minute
    row.timezone = timezone
    row.updated_at = now
    session.flush()
    return row


def disable_digest(session: Session, team_id: str, now: datetime) -> None:
    session.execute(update(models.TeamSettings).where(models.TeamSettings.team_id == team_id)
                    .values(digest_enabled=False, updated_at=now))


# -- digest runs ----------------------------------------------------------------------------

def digest_run(session: Session, team_id: str, local_date: date) -> models.DigestRun | None:
    return session.get(models.DigestRun, (team_id, local_date))


def claim_digest(session: Session, team_id: str, local_date: date, token: str, now: datetime,
                 stale_before: datetime) -> int:
    """Claim (team, day) for posting: the attempt number, or 0 when someone else holds it.

    A fresh day is claimed by inserting its row (the primary key lets one insert win). A row
    that was claimed before `stale_before` and never marked posted belongs to a poster that
    died; it is taken over by a conditional UPDATE, which again only one caller can win.
    """
    if _insert_ignoring_conflict(session, models.DigestRun, {
            "team_id": team_id, "local_date": local_date, "claim_token": token,
            "claimed_at": now, "attempts": 1}):
        return 1
    run = models.DigestRun
    result = session.execute(
        update(run)
        .where(run.team_id == team_id, run.local_date == local_date, run.posted_at.is_(None),
               run.claimed_at < stale_before)
        .values(claim_token=token, claimed_at=now, attempts=run.attempts + 1)
    )
    if not result.rowcount:
        return 0
    return int(session.scalar(select(run.attempts).where(
        run.team_id == team_id, run.local_date == local_date)) or 1)


def finish_digest(session: Session, team_id: str, local_date: date, token: str, now: datetime,
                  outcome: str, channel_id: str | None, message_ts: str | None) -> bool:
    """Mark the day done, only if we still own the claim; False if another run took it over."""
    run = models.DigestRun
    result = session.execute(
        update(run)
        .where(run.team_id == team_id, run.local_date == local_date, run.claim_token == token,
               run.posted_at.is_(None))
        .values(posted_at=now, outcome=outcome, channel_id=channel_id, message_ts=message_ts,
                last_error=None)
    )
    return bool(result.rowcount)


def note_digest_error(session: Session, team_id: str, local_date: date, token: str,
                      error: str) -> None:
    """Keep the claim (so the retry waits for the claim timeout) and say what went wrong."""
    run = models.DigestRun
    session.execute(
        update(run).where(run.team_id == team_id, run.local_date == local_date,
                          run.claim_token == token, run.posted_at.is_(None))
        .values(last_error=error[:200])
    )


# -- maintenance: across teams, returning no team content -----------------------------------

def digest_teams(session: Session, team_id: str | None = None) -> Sequence[models.TeamSettings]:
    """Teams with the digest switched on (or just `team_id`, if it has)."""
    query = select(models.TeamSettings).where(models.TeamSettings.digest_enabled.is_(True),
                                              models.TeamSettings.digest_channel_id.is_not(None))
    if team_id is not None:
        query = query.where(models.TeamSettings.team_id == team_id)
    return session.scalars(query.order_by(models.TeamSettings.team_id)).all()


def recent_digest_runs(session: Session, since: date) -> dict[tuple[str, date], models.DigestRun]:
    """Digest runs from `since` on, keyed by (team, local date): one read for the scheduler."""
    rows = session.scalars(select(models.DigestRun).where(models.DigestRun.local_date >= since))
    return {(row.team_id, row.local_date): row for row in rows}


def purge_occurrences(session: Session, before: datetime) -> int:
    result = session.execute(delete(models.Occurrence).where(models.Occurrence.created_at < before))
    return int(result.rowcount or 0)


def purge_events(session: Session, before: datetime) -> int:
    result = session.execute(delete(models.ProcessedEvent)
                             .where(models.ProcessedEvent.created_at < before))
    return int(result.rowcount or 0)


def purge_digest_runs(session: Session, before: date) -> int:
    result = session.execute(delete(models.DigestRun).where(models.DigestRun.local_date < before))
    return int(result.rowcount or 0)


def count_occurrences(session: Session, team_id: str) -> int:
    return int(session.scalar(
        select(func.count()).select_from(models.Occurrence)
        .where(models.Occurrence.team_id == team_id)) or 0)
