"""Small formatting helpers shared by evidence and rules: durations, quotes, timestamps."""

from __future__ import annotations

from datetime import UTC, datetime


def human_duration(seconds: float) -> str:
    """3 h 12 min, 45 s, 2 days 3 h: two units at most, as a person would say it."""
    seconds = int(abs(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, sec = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min" + (f" {sec} s" if sec and minutes < 10 else "")
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    days, hours = divmod(hours, 24)
    return f"{days} days" + (f" {hours} h" if hours else "")


def iso(moment: datetime) -> str:
    """UTC ISO-8601 with a Z, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_epoch(value: object) -> datetime | None:
    """A JWT NumericDate (seconds since the epoch) as a UTC datetime, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(float(value), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def unique(items: list[str]) -> list[str]:
    """`items` without repeats, first occurrence kept, order kept."""
    return list(dict.fromkeys(items))


def clip(text: str, limit: int = 120) -> str:
    """One line, at most `limit` characters, for quoting inside a sentence."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
