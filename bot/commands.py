"""`/apierror ...` text -> what to do (pure parsing; see INTERFACE.md for the commands).

Anything that is not one of the sub-commands is a paste to diagnose, so `/apierror 429` and
`/apierror curl ...` need no keyword. Parsing is plain string splitting over bounded input.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_TOP_DAYS = 365
DEFAULT_TOP_DAYS = 7
DEFAULT_DIGEST_TIME = (9, 0)
MAX_NOTE_CHARS = 1_000


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Top:
    days: int


@dataclass(frozen=True)
class DigestOn:
    channel_id: str | None  # None: the channel the command was typed in
    hour: int
    minute: int


@dataclass(frozen=True)
class DigestOff:
    pass


@dataclass(frozen=True)
class AddNote:
    key: str  # "503" or a cause id
    text: str


@dataclass(frozen=True)
class Diagnose:
    text: str


@dataclass(frozen=True)
class Usage:
    """The command was recognised but its arguments were not; `message` says how to fix it."""

    message: str


Command = Help | Top | DigestOn | DigestOff | AddNote | Diagnose | Usage


def parse(text: str) -> Command:
    stripped = text.strip()
    head, _, rest = stripped.partition(" ")
    word = head.lower()
    rest = rest.strip()
    if not stripped or (word in ("help", "?") and not rest):
        return Help()
    if word == "top" and _is_days_arg(rest):
        return _top(rest)
    if word == "digest" and rest.split(" ", 1)[0].lower() in ("on", "off", ""):
        return _digest(rest)
    if word == "note":
        return _note(rest)
    return Diagnose(text)


def _is_days_arg(rest: str) -> bool:
    """`top`, `top 30`, `top 30d`: a sub-command; `top of the morning 503` is a paste."""
    return not rest or (len(rest) <= 6 and rest.rstrip("dD").isdigit())


def _top(rest: str) -> Command:
    if not rest:
        return Top(DEFAULT_TOP_DAYS)
    days = int(rest.rstrip("dD"))
    if not 1 <= days <= MAX_TOP_DAYS:
        return Usage(f"`/apierror top [days]`: days from 1 to {MAX_TOP_DAYS}")
    return Top(days)


def _digest(rest: str) -> Command:
    words = rest.split()
    if not words:
        return Usage("`/apierror digest on [#channel] [HH:MM]` or `/apierror digest off`")
    if words[0].lower() == "off":
        return DigestOff() if len(words) == 1 else Usage("`/apierror digest off` takes no arguments")
    channel_id: str | None = None
    hour, minute = DEFAULT_DIGEST_TIME
    for word in words[1:4]:
        channel = parse_channel(word)
        when = parse_time(word)
        if channel:
            channel_id = channel
        elif when:
            hour, minute = when
        else:
            return Usage(f"`/apierror digest on [#channel] [HH:MM]`: I did not understand `{word[:40]}`"
                         " (pick the channel from the #-list so Slack links it)")
    if len(words) > 4:
        return Usage("`/apierror digest on [#channel] [HH:MM]`: too many words")
    return DigestOn(channel_id, hour, minute)


def parse_channel(word: str) -> str | None:
    """`<#C0123|general>` (Slack-escaped) -> `C0123`."""
    if not (word.startswith("<#") and word.endswith(">")):
        return None
    channel = word[2:-1].split("|", 1)[0]
    return channel if channel.isalnum() and 2 <= len(channel) <= 32 else None


def parse_time(word: str) -> tuple[int, int] | None:
    """`9:30`, `09:30`, `17` -> (hour, minute), else None."""
    hour_text, _, minute_text = word.partition(":")
    minute_text = minute_text or "0"
    if not (hour_text.isdigit() and minute_text.isdigit() and len(hour_text) <= 2 and len(minute_text) <= 2):
        return None
    hour, minute = int(hour_text), int(minute_text)
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def is_note_key(key: str) -> bool:
    """A status code (100-599) or a cause id like `auth.token_expired`."""
    if key.isdigit():
        return len(key) == 3 and 100 <= int(key) <= 599
    family, dot, name = key.partition(".")
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789_")
    return bool(dot and family and name and len(key) <= 80
                and set(family) <= allowed and set(name) <= allowed)


def _note(rest: str) -> Command:
    key, _, text = rest.partition(" ")
    text = text.strip()
    if not key or not text or not is_note_key(key.lower()):
        return Usage("`/apierror note <code or cause id> <text>`, e.g. "
                     "`/apierror note 503 the staging gateway restarts at 02:00`")
    if len(text) > MAX_NOTE_CHARS:
        return Usage(f"A note can be at most {MAX_NOTE_CHARS} characters.")
    return AddNote(key.lower(), text)
