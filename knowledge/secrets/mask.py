"""`Masker`: replace every found secret, and the forms it takes once re-encoded, in any output.

Derived forms cover JSON and HTML escaping, percent-encoding with either safe set, and the
extra forms a detector attached (base64 `user:password`, lines of a PEM block). Then pieces:
output that quotes a window of the paste (`You mentioned “…”`, a URL shortened with `…`) can cut
a secret in two, and neither half is a whole form; any piece of at least `FRAGMENT_MIN`
characters of a secret's non-public part is masked too. Vendor shapes run again on the result as
a safety net.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import quote, quote_plus, unquote, unquote_plus

from knowledge.secrets.model import BOUNDED_FORM_LEN, MASK, MIN_FORM_LEN, Secret
from knowledge.secrets.shapes import scan_shapes
from knowledge.secrets.view import View

# Pieces of a secret at least this long are masked wherever they appear (12 characters of a
# random key are as good as the key to anyone holding the rest of the paste's context).
FRAGMENT_MIN = 12
# A shorter piece is masked too when it is the start or the end of a one-line secret: quotes cut
# at a word boundary show a key's last characters (`…K68UZ7ZH`), which users compare keys by.
EDGE_MIN = 8
# Secrets whose non-public part is shorter than this are masked whole only: a piece of a short
# password is not worth the risk of masking ordinary text that shares it.
_FRAGMENT_SOURCE_MIN = 16
# Pieces are found with `str.find` of `_GRAM`-character windows of each secret taken every
# `_STRIDE` characters: any piece of FRAGMENT_MIN characters contains one of them whole.
_GRAM = EDGE_MIN
_STRIDE = FRAGMENT_MIN - _GRAM + 1
_MAX_WINDOWS = 20_000  # a 100 KB private key; longer secrets are masked whole only past this
# Characters compared one by one before switching to a binary search (see `_common_length`).
_WALK = 16

# Runs a piece can lie in (bounded: a longer run is split in two): within a line for one-line
# secrets (a passphrase has spaces), between whitespace for the lines of a key block (so a
# `-----END ... PRIVATE KEY-----` line never matches the BEGIN line left visible).
_LINE_RUN_RE = re.compile(rf"[^\r\n]{{{FRAGMENT_MIN},65536}}")
_WORD_RUN_RE = re.compile(rf"\S{{{FRAGMENT_MIN},65536}}")

# Characters no encoder below changes (JSON, HTML, percent-encoding with any safe set).
_UNCHANGED_BY_ENCODING = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")


def _derived_forms(value: str) -> set[str]:
    """The ways a value shows up again after the engine or a transport re-encoded it."""
    # Lower-cased too: the engine lower-cases hosts and names it quotes.
    forms = {value, value.lower()}
    if _UNCHANGED_BY_ENCODING.issuperset(value):
        return forms  # most keys and tokens: every encoding gives the value back, skip the 13 calls
    escaped = json.dumps(value, ensure_ascii=False)[1:-1]
    forms.add(escaped)
    forms.add(escaped.replace("/", "\\/"))
    forms.add(json.dumps(value)[1:-1])
    forms.add(html.escape(value, quote=False))
    try:
        # Encoders differ in which of `/=:` they leave alone.
        for safe in ("", "/", "=", "/=:"):
            forms.add(quote(value, safe=safe))
            forms.add(quote_plus(value, safe=safe))
    except UnicodeError:  # lone surrogates cannot be percent-encoded; nothing to add
        pass
    if "\\" in value:
        try:
            forms.add(json.loads(f'"{value}"'))
        except ValueError:
            forms.add(value.replace("\\/", "/").replace("\\n", "\n"))
    if "%" in value or "+" in value:
        forms.add(unquote(value))
        forms.add(unquote_plus(value))
    return forms


class Masker:
    """Replaces every known secret (and its derived forms) in strings and nested objects.

    Occurrences of all forms are found first and merged, so overlapping secrets never leave a
    piece of either behind. Then the vendor shapes run again on the result as a safety net.
    With no secrets, `mask` returns its input unchanged at once.
    """

    def __init__(self, secrets: list[Secret]) -> None:
        self.secrets = list(secrets)
        table: dict[str, str] = {}
        for secret in sorted(self.secrets, key=lambda s: -len(s.value)):
            # Extra forms (a base64 pair, one PEM line) do not start with the public prefix.
            extra = {form: MASK for form in secret.forms}
            for form, masked in {**extra, **dict.fromkeys(_derived_forms(secret.value), secret.masked)}.items():
                if len(form) >= MIN_FORM_LEN and form not in table:
                    table[form] = masked
        # Longest first, so a secret inside another is replaced as part of the longer one.
        self._forms: list[tuple[str, str, bool]] = [
            (form, masked, len(form) < BOUNDED_FORM_LEN)
            for form, masked in sorted(table.items(), key=lambda item: -len(item[0]))
        ]
        self._windows = _fragment_windows(self.secrets)

    def mask(self, text: str) -> str:
        """`text` with every secret form replaced by its masked form, then the safety net."""
        if not self._forms or not text or not isinstance(text, str):
            return text
        masked = self._replace(text)
        return _mask_shapes(masked)

    def _replace(self, text: str) -> str:
        """Whole forms first, then the pieces of secrets that remain."""
        replaced = _replace_spans(text, self._spans(text))
        if self._windows and len(replaced) >= FRAGMENT_MIN:
            replaced = _replace_spans(replaced, self._fragment_spans(replaced))
        return replaced

    def _has_fragment(self, text: str) -> bool:
        for window in self._windows:  # noqa: SIM110 (any() over a generator is slower here)
            if window[0] in text:
                return True
        return False

    def _fragment_spans(self, text: str) -> list[tuple[int, int, str]]:
        """Spans of `text` that are pieces of a secret, each within one run of it (see
        `_LINE_RUN_RE`): FRAGMENT_MIN characters or more, or EDGE_MIN or more that start or end
        a one-line secret."""
        spans: list[tuple[int, int, str]] = []
        for gram, source, offset, run_start, run_end in self._windows:
            index = text.find(gram)
            while index >= 0:
                back = _common_length(text, index, source, offset, min(index, offset - run_start), -1)
                ahead = _common_length(text, index + _GRAM, source, offset + _GRAM,
                                       min(len(text) - index, run_end - offset) - _GRAM, 1)
                edge = _one_line(source) and (offset - back == 0 or offset + _GRAM + ahead == len(source))
                if back + _GRAM + ahead >= FRAGMENT_MIN or edge:
                    spans.append((index - back, index + _GRAM + ahead, MASK))
                    index = text.find(gram, index + _GRAM + ahead)
                else:
                    index = text.find(gram, index + 1)
        return spans

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        spans: list[tuple[int, int, str]] = []
        size = len(text)
        for form, masked, bounded in self._forms:
            start = text.find(form)
            while start >= 0:
                end = start + len(form)
                if bounded and (
                    (start > 0 and text[start - 1].isalnum()) or (end < size and text[end].isalnum())
                ):
                    start = text.find(form, start + 1)
                    continue
                spans.append((start, end, masked))
                start = text.find(form, end)
        return spans

    def mask_strings(self, texts: list[str]) -> list[str]:
        """`mask` over many strings with one safety-net scan of them all.

        The vendor-shape scan costs far more than replacing the known forms, and output strings
        are many and short; it runs string by string only when the joint scan finds something
        (lines do not join tokens: a shape never spans the newline between two strings)."""
        if not self._forms:
            return list(texts)
        replaced = [_replace_spans(t, self._spans(t)) if t else t for t in texts]
        joined = "\n".join(replaced)
        if self._windows and self._has_fragment(joined):
            replaced = [self._replace(t) if t else t for t in replaced]
            joined = "\n".join(replaced)
        if next(scan_shapes(View.of(joined)), None) is None:
            return replaced
        return [_mask_shapes(t) if t else t for t in replaced]

    def mask_obj(self, obj: Any) -> Any:
        """`mask` applied to every string in nested lists, tuples and dicts (keys too)."""
        if isinstance(obj, str):
            return self.mask(obj)
        if isinstance(obj, list):
            return [self.mask_obj(item) for item in obj]
        if isinstance(obj, tuple):
            return tuple(self.mask_obj(item) for item in obj)
        if isinstance(obj, dict):
            return {self.mask(k) if isinstance(k, str) else k: self.mask_obj(v) for k, v in obj.items()}
        return obj


def _public_prefix(secret: Secret) -> str:
    """The part of a secret its masked form shows (`sk_live_` of `sk_live_***`)."""
    keep = secret.masked[: -len(MASK)] if secret.masked.endswith(MASK) else ""
    return keep if secret.value.startswith(keep) else ""


def _common_length(text: str, at: int, source: str, source_at: int, limit: int, direction: int) -> int:
    """How many characters `text` and `source` share going forward (direction 1) from `at` /
    `source_at`, or backward (-1) from just before them; at most `limit`. A short walk (most
    windows that match by chance stop within a few characters), then a binary search over slice
    comparisons, which run in C, for long pieces."""
    limit = max(0, limit)
    walk = min(limit, _WALK)
    step = 0
    if direction > 0:
        while step < walk and text[at + step] == source[source_at + step]:
            step += 1
    else:
        while step < walk and text[at - step - 1] == source[source_at - step - 1]:
            step += 1
    if step < walk or step == limit:
        return step
    low, high = step, limit
    while low < high:
        mid = (low + high + 1) // 2
        if direction > 0:
            same = text[at : at + mid] == source[source_at : source_at + mid]
        else:
            same = text[at - mid : at] == source[source_at - mid : source_at]
        if same:
            low = mid
        else:
            high = mid - 1
    return low


def _one_line(source: str) -> bool:
    """Not a block of lines (a PEM key, also JSON-escaped): pieces may span spaces, and its first
    and last characters count as edges."""
    return "\n" not in source and "\\n" not in source


def _fragment_windows(secrets: list[Secret]) -> list[tuple[str, str, int, int, int]]:
    """(window, source, offset, run start, run end) for every `_STRIDE`-th `_GRAM`-character
    window of each secret's non-public part (and of its extra forms), within runs of at least
    FRAGMENT_MIN characters, plus the last window of a one-line secret (its tail); one entry per
    distinct window."""
    windows: dict[str, tuple[str, str, int, int, int]] = {}
    for secret in secrets:
        keep = _public_prefix(secret)
        for source in dict.fromkeys((secret.value[len(keep) :], *secret.forms)):
            if len(source) < _FRAGMENT_SOURCE_MIN:
                continue
            one_line = _one_line(source)
            for run in (_LINE_RUN_RE if one_line else _WORD_RUN_RE).finditer(source):
                run_start, run_end = run.span()
                offsets = list(range(run_start, run_end - _GRAM + 1, _STRIDE))
                if one_line and run_end == len(source):
                    offsets.append(run_end - _GRAM)  # the tail, see EDGE_MIN
                for offset in offsets:
                    if len(windows) >= _MAX_WINDOWS:
                        return list(windows.values())
                    gram = source[offset : offset + _GRAM]
                    windows.setdefault(gram, (gram, source, offset, run_start, run_end))
    return list(windows.values())


def _replace_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Replace spans, merging overlaps; a merged run shows the mask of its earliest, longest span."""
    if not spans:
        return text
    spans.sort(key=lambda span: (span[0], -(span[1] - span[0])))
    out: list[str] = []
    cursor = 0
    run_start, run_end, run_mask = spans[0]
    for start, end, masked in spans[1:]:
        if start < run_end:
            run_end = max(run_end, end)
            continue
        out.append(text[cursor:run_start])
        out.append(run_mask)
        cursor = run_end
        run_start, run_end, run_mask = start, end, masked
    out.append(text[cursor:run_start])
    out.append(run_mask)
    out.append(text[run_end:])
    return "".join(out)


def _mask_shapes(text: str) -> str:
    """Safety net: mask anything vendor-shaped still present in an output string."""
    hits = list(scan_shapes(View.of(text)))
    if not hits:
        return text
    return _replace_spans(text, [(h.start, h.end, h.secret.masked) for h in hits])
