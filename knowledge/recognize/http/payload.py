"""Is a paste that opens with `{` or `[` a JSON payload, however broken, or a log line,
template or a value with a remark after it? Pure checks, each over at most 4 KB."""

from __future__ import annotations

# Words that stand for a JSON literal, right or wrong, after a `[` that opens a paste.
_LITERAL_LIKE = frozenset(
    "true false null tru fals nul none nil undefined nan inf infinity".split()
)
_JSON_WORDS = frozenset({"true", "false", "null"})
# Invisible characters that ride along at the start of a pasted payload (a byte order mark
# from a file, a zero-width space from a chat client); the JSON check names them.
LEADING_INVISIBLE = frozenset("\ufeff\u200b\u2060\u00a0")
_CLOSING_QUOTE = {'"': '"', "'": "'", "“": "”", "‘": "’"}
_WORDS_SCANNED = 4096


def payload_opening(text: str, pos: int) -> bool:
    """Does the `{` or `[` at `pos`, the start of a paste, open a JSON payload rather than a
    template (`{{url}}`, `{% if %}`), a log tag (`[INFO]`, `[Errno 111]`) or a timestamp?"""
    k = pos + 1
    end = min(len(text), pos + 200)
    while k < end and text[k] in " \t\n":
        k += 1
    if k >= len(text):
        return True  # `[` or `{` alone: a payload cut short
    if k >= end:
        return False
    ch = text[k]
    if text[pos] == "{":
        return ch not in "{%"
    if ch.isalpha():
        word_end = k
        while word_end < end and text[word_end].isalpha():
            word_end += 1
        return _literal_like(text[k:word_end])
    if ch.isdigit():
        return not _timestamp_at(text, k, end)
    return True


def _literal_like(word: str) -> bool:
    """`True`, `nul`, `truee`, `NaN`, `None`, `f`: a JSON literal, misspelt or from another
    language, rather than a log tag such as `INFO` or `Errno`."""
    word = word.lower()
    return (
        word in _LITERAL_LIKE
        or word.startswith(("tru", "fals", "nul", "undefined"))
        or word in ("t", "f", "n")
    )


def has_status(text: str) -> bool:
    """A standalone three-digit number from 100 to 599 (`400`, `(422)`) in the first 4 KB."""
    n = min(len(text), _WORDS_SCANNED)
    k = 0
    while k < n:
        if not text[k].isdigit():
            k += 1
            continue
        start = k
        while k < n and text[k].isdigit():
            k += 1
        glued = (start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".-")) or (
            k < n and (text[k].isalnum() or text[k] == ".")
        )
        if k - start == 3 and "1" <= text[start] <= "5" and not glued:
            return True
    return False


def _timestamp_at(text: str, k: int, end: int) -> bool:
    """`2026-11-25`, `12:00:01`, `25/Nov`: two to four digits, then `-`, `:` or `/` and a
    digit or letter (a log line's opening stamp, not `[1:2]` or `[1-2]`)."""
    digits = k
    while digits < end and digits - k < 5 and text[digits].isdigit():
        digits += 1
    return (
        2 <= digits - k <= 4
        and text[digits : digits + 1] in ("-", ":", "/")
        and text[digits + 1 : digits + 2].isalnum()
    )


def has_words(text: str, *, pairs: bool) -> bool:
    """Whether `text` has, outside quotes, a word of two or more letters that is not a JSON
    literal (with `pairs`: two such words in a row on one line, as in `failed with`). JSON
    broken by typos has lone bare words at most (`tru`, `NaN`, `key`); sentences have runs.
    One pass over the first 4 KB; an apostrophe inside a word (`can't`) opens no quote."""
    n = min(len(text), _WORDS_SCANNED)
    quote = ""
    prev_word = False
    k = 0
    while k < n:
        ch = text[k]
        if quote:
            if ch == "\\":
                k += 2
                continue
            if ch in (quote, _CLOSING_QUOTE[quote], "\n"):
                quote = ""
            k += 1
            continue
        if ch.isalpha():
            start = k
            while k < n and text[k].isalpha():
                k += 1
            if k < n and text[k] == "'" and k + 1 < n and text[k + 1].isalpha():
                k += 1  # `can't`, `don't`: one word
                while k < n and text[k].isalpha():
                    k += 1
            word = k - start >= 2 and text[start:k].lower() not in _JSON_WORDS
            if word and (not pairs or prev_word):
                return True
            prev_word = word
            continue
        if ch in _CLOSING_QUOTE:
            quote = ch
            prev_word = False
        elif ch not in " \t":
            prev_word = False
        k += 1
    return False
