"""Finding many known phrases in a text without testing every phrase against it.

Each phrase is filed under its first word. A phrase whose first word ends inside the phrase
("token expired") needs that exact word in the text; a phrase that is one word or a word stem
("throttl", "conflict") needs a text word starting with its first three letters. Phrases not
starting with a letter or digit are always tried. Candidates are then confirmed with a plain
substring test, so a match is a real occurrence; the index only skips phrases whose first word
cannot be in the text. Cost: one regex pass over the text plus a few dictionary lookups, instead
of one substring search per phrase (hundreds, growing with the knowledge base).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_WORD = re.compile(r"[a-z0-9]+")
_STEM = 3


@dataclass(frozen=True)
class PhraseIndex:
    whole: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    stems: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    always: list[tuple[str, int]] = field(default_factory=list)

    @classmethod
    def build(cls, phrases: Iterable[tuple[str, int]]) -> PhraseIndex:
        index = cls()
        for phrase, key in phrases:
            first = _WORD.match(phrase)
            if first is None:
                index.always.append((phrase, key))
                continue
            word = first.group(0)
            if first.end() < len(phrase) and len(word) >= 1:
                index.whole.setdefault(word, []).append((phrase, key))
            elif len(word) >= _STEM:
                index.stems.setdefault(word[:_STEM], []).append((phrase, key))
            else:
                index.always.append((phrase, key))
        return index

    def find(self, lowered: str) -> dict[int, list[str]]:
        """Keys of the phrases found in `lowered` (already lower case), with those phrases."""
        words = set(_WORD.findall(lowered))
        candidates: list[tuple[str, int]] = list(self.always)
        for word in words:
            found = self.whole.get(word)
            if found:
                candidates += found
        for stem in {word[:_STEM] for word in words if len(word) >= _STEM}:
            found = self.stems.get(stem)
            if found:
                candidates += found
        hits: dict[int, list[str]] = {}
        for phrase, key in candidates:
            if phrase in lowered:
                hits.setdefault(key, []).append(phrase)
        # Sets gave the candidates in hash order, which changes between processes: sort, so the
        # same paste always yields the same phrases in the same order (longest first).
        return {key: sorted(hits[key], key=lambda p: (-len(p), p)) for key in sorted(hits)}
