"""Cheap views of the paste that every detector starts from.

No detector runs a regex over the whole paste (a regex costs ~20 ns a character, `str.find`
~1 ns): each one `find`s its keyword in a lower-cased ASCII copy or walks the runs of token
characters, then matches an anchored, bounded regex in place.

The lower-cased copy is a `str` holding only ASCII: it has the same length and positions as the
`bytes` view, and `in` / `find` on a `str` cost a fraction of the same call on `bytes` (which
goes through the buffer protocol), which matters with dozens of keyword tests per paste.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.secrets.model import MAX_MATCHES_PER_DETECTOR

_TOKEN_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_NAME_CHARS = _TOKEN_CHARS + b"."
# Maps token characters to "a" and everything else to " ", so runs are found with `find`.
_RUN_TABLE = bytes(ord("a") if c in _TOKEN_CHARS else ord(" ") for c in range(256))
_NAME_TABLE = bytes(ord("a") if c in _NAME_CHARS else ord(" ") for c in range(256))

# Every vendor shape overlaps a run of at least this many token characters.
_RUN_MIN = 15
_RUN_NEEDLE = b"a" * _RUN_MIN


@dataclass
class View:
    """The paste and its same-length ASCII views (non-ASCII characters become `?`)."""

    text: str
    raw: bytes  # ASCII, same length as text
    low: str  # lower-cased ASCII (only ASCII characters: positions match `raw`)
    runs: bytes  # _RUN_TABLE skeleton

    @classmethod
    def of(cls, text: str) -> View:
        raw = text.encode("ascii", "replace")
        return cls(text, raw, raw.lower().decode("ascii"), raw.translate(_RUN_TABLE))

    _runs_cache: list[tuple[int, int]] | None = None

    def names(self) -> bytes:
        return self.raw.translate(_NAME_TABLE)

    def token_runs(self) -> list[tuple[int, int]]:
        """(start, end) of each run of at least _RUN_MIN token characters, computed once."""
        if self._runs_cache is None:
            self._runs_cache = _token_runs(self.runs)
        return self._runs_cache


def occurrences(hay: str, needle: str) -> list[int]:
    """Start of every occurrence of `needle`, at most MAX_MATCHES_PER_DETECTOR of them.

    A list, not a generator: the keyword is usually absent or there once or twice, and creating
    a generator for every keyword of every detector cost more than the search itself.
    """
    index = hay.find(needle)
    if index < 0:
        return []
    found: list[int] = []
    while index >= 0 and len(found) < MAX_MATCHES_PER_DETECTOR:
        found.append(index)
        index = hay.find(needle, index + 1)
    return found


def _token_runs(skeleton: bytes) -> list[tuple[int, int]]:
    """(start, end) of each run of at least _RUN_MIN token characters in a _RUN_TABLE skeleton."""
    start = skeleton.find(_RUN_NEEDLE)
    if start < 0:
        return []  # the common case for prose and short pastes: no token long enough
    size = len(skeleton)
    runs: list[tuple[int, int]] = []
    while start >= 0 and len(runs) < MAX_MATCHES_PER_DETECTOR:
        end = skeleton.find(b" ", start + _RUN_MIN)
        end = size if end < 0 else end
        runs.append((start, end))
        start = skeleton.find(_RUN_NEEDLE, end)
    return runs


# Characters that glue a keyword or token to what precedes it (boundary checks).
WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
HEADERISH = WORD | {"_", "-"}


def keyword_at(view: View, keyword: str) -> list[int]:
    """Occurrences of a lower-case keyword not glued to a preceding token character."""
    text = view.text
    return [i for i in occurrences(view.low, keyword) if i == 0 or text[i - 1] not in HEADERISH]
