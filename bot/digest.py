"""The daily digest: each team's recurring, new and stopped errors, posted once a day.

What a digest says (window = the 24 hours before the run):
- recurring: fingerprints seen at least twice in the window that were also seen before it;
- new: fingerprints first seen in the window (any count);
- stopped: fingerprints seen at least twice in the week before the window, last seen in the
  24 hours before it, and not at all in it (so each is reported once, the day after it stops);
each with the latest fix the team recorded. Nothing is posted on a day with nothing to say.

When it runs:
- `run_due(...)` (called every minute by `apierror serve`'s digest loop): a team is due when
  its local time (its zoneinfo time zone) is past its HH:MM and today's (local date) digest is
  not done yet.
- `apierror digest` (`main`): "now, regardless of the hour" for every enabled team whose
  digest for its local today is not done yet; `--dry-run` prints the text, claims and posts
  nothing.

Exactly once per team per local day, across processes and hosts: a `digest_runs` row for
(team, local date) is claimed in the database before anything is posted and marked posted after.
A claim older than `CLAIM_TIMEOUT` without `posted_at` belongs to a run that crashed; the next
run takes it over atomically and, before posting, looks in the channel for a digest that did go
out (messages carry metadata naming team and date), so a crash between posting and marking is
not doubled either. A Slack error leaves the claim in place: it is retried after the timeout.
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.memory import EVENT_TTL, DigestSettings, Fix, Memory, MemoryUnavailable, fix_view, utc
from bot.store import repo

WINDOW = timedelta(hours=24)
WEEK = timedelta(days=7)
# A claim this old without a posted mark is a crashed run's; it is taken over.
CLAIM_TIMEOUT = timedelta(minutes=10)
DEFAULT_RETENTION_DAYS = 90
# digest_runs rows are only needed around "today"; older ones are purged.
KEEP_RUNS = timedelta(days=30)
# Lines per section; Slack allows 3,000 characters per section text.
MAX_ITEMS = 10
MAX_SECTION_CHARS = 2900
METADATA_EVENT = "apierror_digest"


@dataclass(frozen=True)
class DigestItem:
    fingerprint: str
    status: int | None
    cause_id: str | None
    host: str | None
    method: str | None
    path_template: str | None
    count: int  # in the window
    yesterday: int  # in the 24 hours before the window
    first_seen: datetime
    last_seen: datetime
    fix: Fix | None


@dataclass(frozen=True)
class Digest:
    team_id: str
    local_date: date
    start: datetime
    end: datetime
    recurring: list[DigestItem] = field(default_factory=list)
    new: list[DigestItem] = field(default_factory=list)
    stopped: list[DigestItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.recurring or self.new or self.stopped)


@dataclass(frozen=True)
class Outcome:
    """What happened to one team's digest in one run.

    `result`: "posted", "empty" (nothing to say, day marked done), "done" (already done today),
    "busy" (another run holds the claim), "not_due", "dry_run", "failed".
    """

    team_id: str
    local_date: date
    result: str
    message_ts: str | None = None
    error: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class PurgeResult:
    occurrences: int
    events: int
    digest_runs: int


# -- when -------------------------------------------------------------------------------------

def team_zone(settings: DigestSettings) -> ZoneInfo:
    try:
        return ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")  # a zone removed from tzdata must not stop the digest


def local_date(settings: DigestSettings, now: datetime) -> date:
    """The team's calendar date at `now`: the key of "today's" digest."""
    return utc(now).astimezone(team_zone(settings)).date()


def is_due(settings: DigestSettings, now: datetime) -> bool:
    """True once the team's local clock is past its HH:MM today."""
    zone = team_zone(settings)
    local_now = utc(now).astimezone(zone)
    scheduled = datetime.combine(local_now.date(), time(settings.hour, settings.minute), tzinfo=zone)
    return local_now >= scheduled


# -- what -------------------------------------------------------------------------------------

def compute_digest(memory: Memory, team_id: str, now: datetime,
                   day: date | None = None) -> Digest:
    """The digest of the 24 hours before `now` for one team (three indexed queries)."""
    end = utc(now)
    start = end - WINDOW
    with memory.session() as session:
        rows = repo.day_rows(session, team_id, week_start=start - WEEK, yesterday_start=start - WINDOW,
                             today_start=start, end=end)
        active = [r.fingerprint for r in rows if r.today > 0]
        first = repo.first_seen(session, team_id, active)
        recurring: list[DigestItem] = []
        new: list[DigestItem] = []
        stopped: list[DigestItem] = []
        for r in rows:
            seen = first.get(r.fingerprint, r.last_seen)
            item = DigestItem(fingerprint=r.fingerprint, status=r.status, cause_id=r.cause_id,
                              host=r.host, method=r.method, path_template=r.path_template,
                              count=r.today, yesterday=r.yesterday, first_seen=seen,
                              last_seen=r.last_seen, fix=None)
            if r.today > 0 and seen >= start:
                new.append(item)
            elif r.today >= 2:
                recurring.append(item)
            elif r.today == 0 and r.yesterday >= 1 and r.week_before >= 2:
                stopped.append(item)
        listed = [*recurring, *new, *stopped]
        fixes = repo.latest_fixes(session, team_id, [i.fingerprint for i in listed])

    def with_fix(items: list[DigestItem], key: Any) -> list[DigestItem]:
        items = sorted(items, key=key)
        out = []
        for i in items:
            fix = fixes.get(i.fingerprint)
            out.append(i if fix is None else _replace_fix(i, fix))
        return out

    return Digest(
        team_id=team_id, local_date=day or end.date(), start=start, end=end,
        recurring=with_fix(recurring, lambda i: (-i.count, i.fingerprint)),
        new=with_fix(new, lambda i: (-i.count, i.fingerprint)),
        stopped=with_fix(stopped, lambda i: (-i.yesterday, i.fingerprint)))


def _replace_fix(item: DigestItem, fix: Any) -> DigestItem:
    return replace(item, fix=fix_view(fix))


# -- how it reads -----------------------------------------------------------------------------

def _escape(text: str) -> str:
    """Slack mrkdwn: only &, < and > are special; user text must not become links or mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cause_title(cause_id: str | None) -> str | None:
    if not cause_id:
        return None
    try:
        from knowledge.kb import load

        entry = load().cause(cause_id)
        return entry.title if entry is not None else None
    except Exception:  # the knowledge base is a nicety here; the id is shown anyway
        return None


def _what(item: DigestItem) -> str:
    status = f"`{item.status}`" if item.status is not None else "`???`"
    where = " ".join(p for p in (item.method, (item.host or "") + (item.path_template or "")) if p)
    title = _cause_title(item.cause_id)
    cause = f"{title} ({item.cause_id})" if title else (item.cause_id or "")
    parts = [status]
    if where:
        parts.append(f"`{_escape(_short(where, 120))}`")
    if cause:
        parts.append(_escape(_short(cause, 100)))
    return " ".join(parts)


def _day(when: datetime) -> str:
    return when.strftime("%d %b").lstrip("0")


def _line(item: DigestItem, kind: str) -> str:
    if kind == "stopped":
        count = f"last seen {_day(item.last_seen)} ({item.yesterday}× that day)"
    elif kind == "new":
        count = f"{item.count}× today, first seen {_day(item.first_seen)}"
    else:
        count = f"{item.count}× today (since {_day(item.first_seen)})"
    line = f"• {_what(item)} — {count}"
    if item.fix is not None:
        fix = _escape(_short(item.fix.text, 160))
        line += f"\n      ✅ Fix: {fix} — <@{item.fix.user_id}>, {_day(item.fix.created_at)}"
    return line


SECTIONS = (("recurring", "🔁 Recurring"), ("new", "🆕 New"), ("stopped", "🛑 Stopped"))


def summary(digest: Digest) -> str:
    return (f"API errors digest for {digest.local_date.isoformat()}: {len(digest.recurring)} recurring, "
            f"{len(digest.new)} new, {len(digest.stopped)} stopped")


def section_text(items: list[DigestItem], kind: str, title: str) -> str:
    lines = [f"*{title}* ({len(items)})"]
    for item in items[:MAX_ITEMS]:
        lines.append(_line(item, kind))
    if len(items) > MAX_ITEMS:
        lines.append(f"…and {len(items) - MAX_ITEMS} more (`/apierror top 1`)")
    text = "\n".join(lines)
    return text if len(text) <= MAX_SECTION_CHARS else text[: MAX_SECTION_CHARS - 1] + "…"


def render_blocks(digest: Digest) -> list[dict[str, Any]]:
    """The digest as Block Kit: a header, a context line, one section per non-empty list."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "emoji": True,
                                    "text": f"API errors digest · {digest.local_date.strftime('%a %d %b')}"}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": _escape(summary(digest))
                                          + " · last 24 hours"}]},
    ]
    for kind, title in SECTIONS:
        items: list[DigestItem] = getattr(digest, kind)
        if items:
            blocks.append({"type": "section", "text": {"type": "mrkdwn",
                                                       "text": section_text(items, kind, title)}})
    return blocks


def render_text(digest: Digest) -> str:
    """Plain text for `--dry-run` and the notification fallback."""
    if digest.empty:
        return f"{digest.team_id}: nothing to say for {digest.local_date.isoformat()}"
    out = [f"{digest.team_id}: {summary(digest)}"]
    for kind, title in SECTIONS:
        items: list[DigestItem] = getattr(digest, kind)
        if items:
            out.append(section_text(items, kind, title))
    return "\n".join(out)


# -- posting ----------------------------------------------------------------------------------

def _slack_error(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    error = None
    if response is not None:
        try:
            error = response.get("error")
        except Exception:
            error = None
    return f"{type(exc).__name__}: {error or exc}"[:200]


def _already_posted(client: Any, channel: str, digest: Digest) -> str | None:
    """The ts of this day's digest if a crashed run did post it (found by message metadata).

    Best effort: if history cannot be read (scope, network), we post; a rare double beats a
    silently missing digest.
    """
    oldest = (digest.end - 2 * WINDOW).timestamp()
    try:
        response = client.conversations_history(channel=channel, oldest=f"{oldest:.6f}", limit=200,
                                                include_all_metadata=True)
        messages = response.get("messages") or []
    except Exception:
        return None
    for message in messages:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if (metadata.get("event_type") == METADATA_EVENT and payload.get("team_id") == digest.team_id
                and payload.get("date") == digest.local_date.isoformat()):
            return str(message.get("ts") or "") or None
    return None


def post_digest(memory: Memory, client: Any, settings: DigestSettings, now: datetime,
                claim_timeout: timedelta = CLAIM_TIMEOUT) -> Outcome:
    """Claim today's digest for one team, compute it, post it, mark it. Never posts twice."""
    when = utc(now)
    day = local_date(settings, when)
    token = str(uuid.uuid4())
    with memory.session() as session:
        attempt = repo.claim_digest(session, settings.team_id, day, token, when, when - claim_timeout)
    if not attempt:
        return Outcome(settings.team_id, day, "busy")
    try:
        digest = compute_digest(memory, settings.team_id, when, day)
        if digest.empty:
            return _finish(memory, settings, day, token, when, "empty", None)
        if attempt > 1:
            ts = _already_posted(client, settings.channel_id, digest)
            if ts is not None:
                return _finish(memory, settings, day, token, when, "posted", ts)
        response = client.chat_postMessage(
            channel=settings.channel_id, text=summary(digest), blocks=render_blocks(digest),
            unfurl_links=False, unfurl_media=False,
            metadata={"event_type": METADATA_EVENT,
                      "event_payload": {"team_id": settings.team_id, "date": day.isoformat()}})
        ts = str(response.get("ts") or "") or None
    except MemoryUnavailable:
        raise
    except Exception as exc:
        error = _slack_error(exc)
        try:
            with memory.session() as session:
                repo.note_digest_error(session, settings.team_id, day, token, error)
        except MemoryUnavailable:
            pass
        return Outcome(settings.team_id, day, "failed", error=error)
    return _finish(memory, settings, day, token, when, "posted", ts)


def _finish(memory: Memory, settings: DigestSettings, day: date, token: str, now: datetime,
            result: str, ts: str | None) -> Outcome:
    with memory.session() as session:
        repo.finish_digest(session, settings.team_id, day, token, now, result,
                           settings.channel_id if ts else None, ts)
    return Outcome(settings.team_id, day, result, message_ts=ts)


def purge(memory: Memory, now: datetime, retention_days: int = DEFAULT_RETENTION_DAYS) -> PurgeResult:
    """Retention: occurrences older than `retention_days`, expired event ids, old digest runs."""
    when = utc(now)
    with memory.session() as session:
        occurrences = repo.purge_occurrences(session, when - timedelta(days=max(1, retention_days)))
        events = repo.purge_events(session, when - EVENT_TTL)
        runs = repo.purge_digest_runs(session, (when - KEEP_RUNS).date())
    return PurgeResult(occurrences, events, runs)


def _configured_retention() -> int:
    from bot.config import Settings

    try:
        return Settings.from_env().retention_days
    except ValueError:  # a bad setting is reported by the CLI; the scheduler keeps the default
        return DEFAULT_RETENTION_DAYS


def run_due(memory: Memory, client: Any, now: datetime | None = None, team: str | None = None,
            dry_run: bool = False, *, force: bool = False,
            retention_days: int | None = None,
            claim_timeout: timedelta = CLAIM_TIMEOUT) -> list[Outcome]:
    """Post every due digest (or just `team`'s); `force` ignores the hour (the CLI's "now").

    Purges old rows first (not in a dry run), keeping `retention_days` (default: the
    APIERROR_RETENTION_DAYS setting, 90). Database failures raise MemoryUnavailable; a Slack
    failure for one team is reported in its Outcome and does not stop the others.
    """
    when = utc(now)
    if not dry_run:
        purge(memory, when, retention_days or _configured_retention())
    teams = memory.digest_teams(team)
    with memory.session() as session:
        runs = repo.recent_digest_runs(session, (when - timedelta(days=2)).date())
    outcomes: list[Outcome] = []
    for settings in teams:
        day = local_date(settings, when)
        if not force and not is_due(settings, when):
            outcomes.append(Outcome(settings.team_id, day, "not_due"))
            continue
        if dry_run:
            digest = compute_digest(memory, settings.team_id, when, day)
            outcomes.append(Outcome(settings.team_id, day, "dry_run", text=render_text(digest)))
            continue
        run = runs.get((settings.team_id, day))
        if run is not None and run.posted_at is not None:
            outcomes.append(Outcome(settings.team_id, day, "done", message_ts=run.message_ts))
            continue
        outcomes.append(post_digest(memory, client, settings, when, claim_timeout))
    return outcomes


# -- `apierror digest` ------------------------------------------------------------------------

def _client(settings: Any) -> Any:
    """The Slack client every post goes through (retry handlers, SLACK_API_URL)."""
    from bot.slack_client import make_client

    return make_client(settings=settings)


def main(team: str | None, dry_run: bool) -> int:
    """`apierror digest [--team T] [--dry-run]`: today's digests now, regardless of the hour."""
    from bot.config import Settings

    try:
        settings = Settings.from_env()
    except ValueError as exc:
        sys.stderr.write(f"apierror: {exc}\n")
        return 2
    if not dry_run and not settings.bot_token:
        sys.stderr.write("apierror: SLACK_BOT_TOKEN is not set; cannot post digests\n")
        return 2
    try:
        # Like `serve`, bring the schema up to date first (idempotent, locked on PostgreSQL),
        # so cron on a fresh database does not fail on a missing table.
        memory = Memory(settings.database_url, create=True)
    except MemoryUnavailable as exc:
        sys.stderr.write(f"apierror: {exc}\n")
        return 1
    now = datetime.now(UTC)
    try:
        if dry_run and team is not None and not memory.digest_teams(team):
            # Preview a team that has not switched the digest on: its UTC day.
            digest = compute_digest(memory, team, now)
            sys.stdout.write(render_text(digest) + "\n")
            return 0
        client = None if dry_run else _client(settings)
        outcomes = run_due(memory, client, now, team=team, dry_run=dry_run, force=True,
                           retention_days=settings.retention_days)
    except MemoryUnavailable as exc:
        sys.stderr.write(f"apierror: {exc}\n")
        return 1
    finally:
        memory.close()
    if team is not None and not outcomes:
        sys.stdout.write(f"the digest is off for team {team}\n")
    for outcome in outcomes:
        if outcome.text is not None:
            sys.stdout.write(outcome.text + "\n")
        else:
            extra = f" ({outcome.error})" if outcome.error else ""
            sys.stdout.write(f"{outcome.team_id} {outcome.local_date.isoformat()}: {outcome.result}{extra}\n")
    return 1 if any(o.result == "failed" for o in outcomes) else 0
