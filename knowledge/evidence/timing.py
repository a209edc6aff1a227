"""How long the failing request ran, as people and their tools report it.

"504 after exactly 60 seconds", "takes ~30s then dies", `time curl` printing `real 1m0.2s`,
`curl -w` printing `time_total: 100.01`: a duration that equals a proxy's default timeout says
which layer gave up (see `rules/timeouts.py`). Read only when the status is one a timeout
produces, or when there is none and the words say "timeout".

Kind: `elapsed` {seconds, quote}.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.evidence import Context, extractor
from knowledge.model import Evidence
from knowledge.text import clip, human_duration

# Statuses a layer's timeout answers with (499/460: the client gave up first).
TIMEOUT_STATUSES = frozenset({408, 460, 499, 502, 503, 504, 522, 524})
_SCAN_LIMIT = 8192
_TIMEOUT_WORDS = ("timeout", "timed out", "time out", "times out", "504", "524", "hangs", "hanging")

# A duration after a word that makes it how long something ran ("took 60s", "after ~30 s").
# Every quantifier is bounded and the alternatives are literal: linear on any input.
_RAN = re.compile(
    r"(?<![\w-])(take|took|takes|taking|after|elapsed|duration|hangs?|hanging|waits?|waiting|runs?|running"
    r"|spins?|lasts?|~|≈)[:=]?\s{0,3}"
    r"(?:(?:for|about|around|roughly|almost|approximately|approx\.?|exactly|precisely|just over|over"
    r"|like|~|≈)\s{0,3})?"
    r"(\d{1,6}(?:[.,]\d{1,4})?|a|one|two|three|five)\s{0,2}"
    r"(milliseconds?|ms|seconds?|secs?|s|minutes?|mins?|m)(?![\w])",
    re.IGNORECASE,
)
# `time curl ...` (bash): real	1m0.123s
_TIME_REAL = re.compile(r"(?m)^real\s{1,8}(\d{1,4})m(\d{1,2}(?:\.\d{1,4})?)s\b")
# `curl -w '%{time_total}'` with a label: time_total: 60.004  /  time_total=60.004
_TIME_TOTAL = re.compile(r"time_total\W{0,3}\s{0,3}(\d{1,6}(?:\.\d{1,6})?)", re.IGNORECASE)
# "retry after 30s" and "wait 60 s between calls" are advice, not how long a request ran.
_NOT_ELAPSED_BEFORE = ("retry", "retrying", "try again", "again", "every", "per", "cache", "ttl", "sleep")
_WORDS = {"a": 1.0, "one": 1.0, "two": 2.0, "three": 3.0, "five": 5.0}


def _seconds(number: str, unit: str) -> float | None:
    value = _WORDS.get(number.lower())
    if value is None:
        try:
            value = float(number.replace(",", "."))
        except ValueError:
            return None
    unit = unit.lower()
    if unit == "ms" or unit.startswith("mil"):
        scale = 0.001
    elif unit.startswith("s"):
        scale = 1.0
    else:
        scale = 60.0
    return value * scale


def find_elapsed(text: str) -> list[tuple[float, str]]:
    """(seconds, the words that said so) for each run time `text` reports, in order."""
    text = text[:_SCAN_LIMIT]
    low = text.lower()
    found: list[tuple[float, str]] = []
    for match in _TIME_REAL.finditer(text):
        found.append((int(match.group(1)) * 60 + float(match.group(2)), match.group(0)))
    if "time_total" in low:
        for match in _TIME_TOTAL.finditer(text):
            found.append((float(match.group(1)), match.group(0)))
    for match in _RAN.finditer(text):
        before = low[max(0, match.start() - 16):match.start()]
        if any(word in before for word in _NOT_ELAPSED_BEFORE):
            continue
        seconds = _seconds(match.group(2), match.group(3))
        if seconds is not None and 0 < seconds <= 3600:
            found.append((seconds, match.group(0).strip()))
    return found


@extractor
def elapsed_evidence(ctx: Context) -> Iterator[Evidence]:
    status = ctx.paste.status
    text = ctx.paste.text
    if status is None:
        low = text[:_SCAN_LIMIT].lower()
        if not any(word in low for word in _TIMEOUT_WORDS):
            return
    elif status not in TIMEOUT_STATUSES:
        return
    for seconds, quote in find_elapsed(text)[:3]:
        said = clip(quote, 60)
        yield Evidence("elapsed", f"The request ran about {human_duration(seconds)} (“{said}”)",
                       {"seconds": round(seconds, 3), "quote": said})
