"""Finding many known phrases in a text without testing every phrase against it.

What counts as a match (the contract, unchanged): a phrase is found when it occurs in the text
as a substring and its first word can be in the text. A phrase whose first word ends inside the
phrase ("token expired") needs that exact word among the text's words; a phrase that is one word
or a word stem ("throttl", "conflict") needs a text word starting with its first three letters;
a phrase not starting with a letter or digit has no word condition.

How candidates are found (the speed): each phrase is filed under its *rarest* necessary
condition, not always under its first word. Besides the first-word condition above, an occurrence
of the phrase implies conditions of its own: a word with a non-word character on both sides
inside the phrase ("json" in "invalid json body") is then one of the text's words, and a last word
with a non-word character before it (".htaccess") starts one of the text's words. So "invalid
json body" can wait under "json" rather than under "invalid", which seventy phrases share and
which an `invalid_request` code puts in many texts. A candidate filed under an implied condition
still has its first-word condition checked, so the result is exactly the contract's. Cost: one
regex pass over the text, a few dictionary lookups, and a substring test per candidate.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

_WORD = re.compile(r"[a-z0-9]+")
_STEM = 3
# `_text_words` splits like `_WORD.findall` at a quarter of its cost (this is the hot path): every
# byte but a-z and 0-9 becomes a space, and non-ASCII characters are bytes >= 0x80 once encoded.
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789")
_SPACE_ALL_BUT_WORDS = bytes(byte if byte in _WORD_BYTES else 0x20 for byte in range(256))

# A condition a phrase needs of the text: ("word", w) w is one of its words, or ("stem", s)
# one of its words starts with s (s has _STEM characters).
_Condition = tuple[str, str]
# A filed phrase: (phrase, key, first word the text must hold or None, stem it must hold or
# None). The two checks are the first-word condition when the phrase is filed under another.
_Entry = tuple[str, int, str | None, str | None]


def _first_word_condition(phrase: str) -> _Condition | None:
    """The contract's condition on the phrase's first word (None: no condition)."""
    first = _WORD.match(phrase)
    if first is None:
        return None
    word = first.group(0)
    if first.end() < len(phrase):
        return ("word", word)
    if len(word) >= _STEM:
        return ("stem", word[:_STEM])
    return None


def _implied_conditions(phrase: str) -> list[_Condition]:
    """Conditions any text containing `phrase` meets (see the module docstring)."""
    conditions: list[_Condition] = []
    for match in _WORD.finditer(phrase):
        if match.start() == 0:
            continue  # what precedes the phrase decides where this word starts
        word = match.group(0)
        if match.end() < len(phrase):
            conditions.append(("word", word))
        elif len(word) >= _STEM:
            conditions.append(("stem", word[:_STEM]))
    return conditions


@dataclass(frozen=True)
class PhraseIndex:
    by_word: dict[str, list[_Entry]] = field(default_factory=dict)
    by_stem: dict[str, list[_Entry]] = field(default_factory=dict)
    always: list[_Entry] = field(default_factory=list)

    @classmethod
    def build(cls, phrases: Iterable[tuple[str, int]]) -> PhraseIndex:
        listed = list(phrases)
        own = [_first_word_condition(phrase) for phrase, _ in listed]
        options = [
            ([] if first is None else [first]) + _implied_conditions(phrase)
            for (phrase, _), first in zip(listed, own, strict=True)
        ]
        # How many phrases could be filed under each condition: a rough measure of how often a
        # text meets it ("the", "invalid" are common in phrases and in texts alike).
        shared = Counter(condition for conditions in options for condition in set(conditions))
        index = cls()
        for (phrase, key), first, conditions in zip(listed, own, options, strict=True):
            if not conditions:
                index.always.append((phrase, key, None, None))
                continue
            # Rarest first; on a tie the phrase's own condition, which then needs no re-check.
            kind, value = min(conditions, key=lambda c: (shared[c], c != first, c))
            word = stem = None
            if first is not None and first != (kind, value):
                word, stem = (first[1], None) if first[0] == "word" else (None, first[1])
            shelf = index.by_word if kind == "word" else index.by_stem
            shelf.setdefault(value, []).append((phrase, key, word, stem))
        return index

    def find(self, lowered: str) -> dict[int, list[str]]:
        """Keys of the phrases found in `lowered` (already lower case), with those phrases."""
        words = _text_words(lowered)
        stems = {word[:_STEM] for word in words if len(word) >= _STEM}
        hits: dict[int, list[str]] = {}
        # Each entry sits on exactly one shelf and each shelf is visited at most once, so a
        # phrase is tested once, as before.
        for shelf, present in ((self.by_word, words), (self.by_stem, stems)):
            for value in present:
                entries = shelf.get(value)
                if entries:
                    _confirm(entries, lowered, words, stems, hits)
        _confirm(self.always, lowered, words, stems, hits)
        # Sets gave the candidates in hash order, which changes between processes: sort, so the
        # same paste always yields the same phrases in the same order (longest first).
        return {key: sorted(hits[key], key=_longest_first) for key in sorted(hits)}


def _confirm(entries: list[_Entry], lowered: str, words: set[str], stems: set[str],
             hits: dict[int, list[str]]) -> None:
    """Add the entries that really occur in `lowered` and meet their first-word condition."""
    for phrase, key, word, stem in entries:
        if phrase in lowered and (word is None or word in words) and (stem is None or stem in stems):
            hits.setdefault(key, []).append(phrase)


def _text_words(text: str) -> set[str]:
    """`set(_WORD.findall(text))`. A lone surrogate encodes as "?", a separator like any other
    non-word character, so words on either side of it stay apart."""
    spaced = text.encode("utf-8", "replace").translate(_SPACE_ALL_BUT_WORDS)
    return set(spaced.decode("ascii").split())


def _longest_first(phrase: str) -> tuple[int, str]:
    return (-len(phrase), phrase)
