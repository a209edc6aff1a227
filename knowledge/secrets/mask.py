"""`Masker`: replace every found secret, and the forms it takes once re-encoded, in any output.

Derived forms cover JSON and HTML escaping, percent-encoding with either safe set, and the
extra forms a detector attached (base64 `user:password`, lines of a PEM block). Vendor shapes
run again on the result as a safety net.
"""

from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import quote, quote_plus, unquote, unquote_plus

from knowledge.secrets.model import BOUNDED_FORM_LEN, MASK, MIN_FORM_LEN, Secret
from knowledge.secrets.shapes import scan_shapes
from knowledge.secrets.view import View

# Characters no encoder below changes (JSON, HTML, percent-encoding with any safe set).
_UNCHANGED_BY_ENCODING = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")


def _derived_forms(value: str) -> set[str]:
    """The ways a value shows up again after the engine or a transport re-encoded it."""
    forms = {value}
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

    def mask(self, text: str) -> str:
        """`text` with every secret form replaced by its masked form, then the safety net."""
        if not self._forms or not text or not isinstance(text, str):
            return text
        masked = _replace_spans(text, self._spans(text))
        return _mask_shapes(masked)

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
        if next(scan_shapes(View.of("\n".join(replaced))), None) is None:
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
