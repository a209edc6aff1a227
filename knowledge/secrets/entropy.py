"""How random a value looks: Shannon entropy and character-class mix.

Used where only the context hints at a credential (a weak name, a keyword in prose, the half of a
pair), to tell generated keys from words.
"""

from __future__ import annotations

import math
import re

from knowledge.secrets.placeholders import is_id, is_placeholder

# Lower-case words joined by `_`, `-`, ` ` or `.`: a phrase, not a generated value.
_WORDISH_RE = re.compile(r"[a-z]{1,40}(?:[_\- .][a-z]{1,40}){0,12}")


def shannon_entropy(value: str) -> float:
    """Shannon entropy in bits per character (how scanners tell random from words)."""
    if not value:
        return 0.0
    counts: dict[str, int] = {}
    for char in value:
        counts[char] = counts.get(char, 0) + 1
    size = len(value)
    return -sum(n / size * math.log2(n / size) for n in counts.values())


_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")
_ALNUM = _LOWER | _UPPER | _DIGITS


def char_classes(value: str) -> int:
    """How many of lower, upper, digit, other (anything but ASCII letters and digits) a value mixes."""
    # Set operations on the distinct characters run in C; a per-character loop did not.
    chars = set(value)
    return (
        (not chars.isdisjoint(_LOWER))
        + (not chars.isdisjoint(_UPPER))
        + (not chars.isdisjoint(_DIGITS))
        + (not chars <= _ALNUM)
    )


def mixed_classes(value: str) -> int:
    """How many of lower, upper, digit a value mixes (generated tokens mix at least two)."""
    chars = set(value)
    return (not chars.isdisjoint(_LOWER)) + (not chars.isdisjoint(_UPPER)) + (not chars.isdisjoint(_DIGITS))


def credential_like(value: str) -> bool:
    """Not a word or phrase: mixes character kinds the way generated credentials do."""
    if _WORDISH_RE.fullmatch(value):
        return False
    if value.isdigit() and len(value) < 16:
        return False
    return char_classes(value) >= 2 or (len(value) >= 24 and len(set(value)) >= 10)


def looks_random(value: str, min_len: int, min_entropy: float) -> bool:
    """A high-entropy value as generic scanners accept after a keyword."""
    return (
        len(value) >= min_len
        and not is_placeholder(value)
        and not is_id(value)
        and credential_like(value)
        and any(c.isdigit() for c in value)
        and any(c.isalpha() for c in value)
        and shannon_entropy(value) >= min_entropy
    )
