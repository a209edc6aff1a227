"""429 and friends: too fast (wait), too much (pay or wait for the period), too many at once."""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context
from knowledge.model import Finding
from knowledge.rules import finding, rule

_QUOTA_CAUSE = "ratelimit.quota_exhausted"


def _quota_said(ctx: Context) -> bool:
    """A matched phrase or a vendor code names the quota (plain loops: this runs on every
    rate-limit paste, and a generator per call costs more than the few items it reads)."""
    for kind in ("message_match", "vendor_error"):
        for item in ctx.evidence.of(kind):
            if item.facts.get("cause") == _QUOTA_CAUSE:
                return True
    return False


def _mentions(lowered: str, words: tuple[str, ...]) -> bool:
    """Any of `words` occurs in `lowered` (a plain loop, half the cost of any() over a generator)."""
    for word in words:  # noqa: SIM110 (faster than any() here, see docstring)
        if word in lowered:
            return True
    return False


@rule("ratelimit.exceeded", needs=("ratelimit", "retry_after"))
def rate_limited(ctx: Context) -> Iterator[Finding]:
    status = ctx.paste.status
    # When the body says the quota or the bill is the problem, waiting will not help: the
    # headers still show a limit, but the quota rule names the cause.
    quota = _quota_said(ctx)
    retry = ctx.evidence.first("retry_after")
    for item in ctx.evidence.of("ratelimit"):
        if item.facts.get("exhausted"):
            confidence = 0.95 if status in (429, 403, None) else 0.7
            facts = {}
            if retry is not None:
                facts["retry_after"] = retry.facts.get("seconds")
            yield finding("ratelimit.exceeded", confidence - (0.3 if quota else 0), item, retry, **facts)
            return
    if retry is not None and status in (429, None):
        yield finding("ratelimit.exceeded", 0.9 - (0.3 if quota else 0), retry,
                      retry_after=retry.facts.get("seconds"))
    elif status == 429:
        limits = ctx.evidence.first("ratelimit")
        if limits is not None:
            yield finding("ratelimit.exceeded", 0.8 - (0.3 if quota else 0), limits)


@rule("service.maintenance", "service.overloaded", needs=("retry_after",))
def retry_after_on_503(ctx: Context) -> Iterator[Finding]:
    retry = ctx.evidence.first("retry_after")
    if ctx.paste.status != 503 or retry is None:
        return
    seconds = retry.facts.get("seconds") or 0
    # Hours of Retry-After is a planned window; seconds is a server shedding load.
    if seconds >= 600:
        yield finding("service.maintenance", 0.75, retry, retry_after=seconds)
    else:
        yield finding("service.overloaded", 0.7, retry, retry_after=seconds)


# Words that put a limit's window in the message: a per-minute "quota" is a rate limit (wait),
# a daily or monthly one is a quota (waiting minutes will not help).
_SHORT_WINDOWS = ("per second", "per minute", "per 100 seconds", "per min", "/min", "per hour",
                  "requests per", "tokens per", "rpm", "tpm")
_LONG_WINDOWS = ("daily", "per day", "per month", "monthly", "this month", "today", "billing", "credit")
_LIMIT_WORDS = ("quota", "limit", "exceeded", "exhausted")


@rule("ratelimit.exceeded", "ratelimit.quota_exhausted", needs=("error_message",))
def limit_window(ctx: Context) -> Iterator[Finding]:
    for item in ctx.evidence.of("error_message"):
        for message in (item.facts.get("messages") or [])[:5]:
            lowered = str(message).lower()[:500]
            if not _mentions(lowered, _LIMIT_WORDS):
                continue
            if _mentions(lowered, _LONG_WINDOWS):
                yield finding(_QUOTA_CAUSE, 0.9, item)
                return
            if _mentions(lowered, _SHORT_WINDOWS):
                yield finding("ratelimit.exceeded", 0.9, item)
                return
