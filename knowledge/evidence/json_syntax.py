"""Strict JSON (RFC 8259) checking that names the fault and where it is.

`check_json` answers "is this JSON, and if not, what exactly is wrong and where?". It runs on
every body the engine sees, so it first tries the C parser (`json.loads`, which is RFC-strict
for `str` input once NaN/Infinity are refused) and only falls back to the diagnostic scanner
here when that fails. The scanner is a hand-written, iterative (explicit stack) tokenizer and
parser: linear time, no recursion, so 100,000 nested `[` or 1 MB of pasted binary are fine.

Faults carry a `kind` (stable, for rules), a human `message` quoting the fault with its
1-based line and column (in characters), and a `snippet` of the offending line.

Text versus bytes. The API judges characters: Slack, the CLI and the engine hand us `str`
already decoded with errors="replace", so an undecodable byte arrives as U+FFFD. Inside a
string U+FFFD is an ordinary character (a paste may really contain it), so invalid UTF-8
inside strings is accepted; outside strings it is a fault (`invalid_utf8`), as no JSON
token contains it. Given `bytes`, `check_json` is strict instead: RFC 8259 section 8.1 says
exchanged JSON MUST be UTF-8, so the first undecodable byte (or a UTF-16 text) is the fault.
JSONTestSuite's implementation-defined (i_) cases therefore split by input type: through
`str`, invalid UTF-8 inside strings passes; through `bytes`, it is `invalid_utf8`. Either
way lone surrogate escapes (`"\\ud800"`), huge numbers and deep nesting are accepted, and a
byte order mark, UTF-16 and UTF-32 are refused.
"""

from __future__ import annotations

import json
import re
import unicodedata
from array import array
from dataclasses import dataclass


@dataclass(frozen=True)
class JsonFault:
    """The first thing that makes a text not JSON.

    `kind` is one of: empty, trailing_comma, missing_comma, missing_colon, missing_value,
    unquoted_key, single_quotes, smart_quotes, invisible_character, unbalanced_brackets,
    comment, nan_or_infinity, leading_zero, invalid_number, invalid_escape,
    control_character, unterminated_string, unescaped_quote, invalid_literal, trailing_data,
    unexpected_character, escaped_json, invalid_utf8, too_large.
    """

    kind: str
    message: str  # "trailing comma before `}` at line 3, column 14"
    line: int  # 1-based
    column: int  # 1-based, in characters
    snippet: str  # the offending line, trimmed around the fault
    offset: int = 0  # 0-based character offset of the offending character


# Texts longer than this that the C parser rejects are not re-scanned character by character:
# pastes are far smaller, and the pure-Python scanner costs roughly a second per few MB.
MAX_SCAN_CHARS = 4_000_000

# Simple, non-nested patterns only: each is linear on any input (no catastrophic backtracking).
_WS = re.compile(r"[ \t\n\r]*")
_STRING_RUN = re.compile(r'[^"\\\x00-\x1f]*')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
_WORD = re.compile(r"[\w$]+")
_KEYWORD = re.compile(r"[\w$.\-]+")
_NUMBERISH = re.compile(r"[\w.+\-]*")
_EARLY_KEY = re.compile(r'["“][^"“”\n]{1,80}["”][ \t]{0,5}:')

_ESCAPES = frozenset('"\\/bfnrtu')
_SMART_QUOTES = frozenset("“”‘’„‚″")
# Characters that look like (or are) whitespace but are not JSON whitespace outside strings.
_INVISIBLE = frozenset(
    "\u00a0\u00ad\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff\x0b\x0c\x85"
)
# Characters that name their own fault wherever they stand, even right after a value.
_COMMON_AFTER = frozenset("/#\\\ufffd")
_CONTROL_WORDS = {"\x0b": "VERTICAL TAB", "\x0c": "FORM FEED", "\x85": "NEXT LINE"}
_CONTROL_NAMES = {"\n": "line break", "\r": "carriage return", "\t": "tab"}
_CONTROL_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_LITERALS = ("true", "false", "null")
_NULL_LIKE = frozenset({"none", "nil", "undefined", "nul", "nill", "nothing"})
_NON_FINITE = frozenset({"nan", "infinity", "inf"})
_SNIPPET_WIDTH = 80
_QUOTE_WIDTH = 30


class _Fault(Exception):
    """Raised inside the scanner; `message` may contain `{where}` for the fault's position."""

    def __init__(self, kind: str, pos: int, message: str) -> None:
        super().__init__(kind)
        self.kind = kind
        self.pos = pos
        self.message = message


def check_json(text: str) -> JsonFault | None:
    """None when `text` is valid JSON per RFC 8259, else the first fault.

    Any value is allowed at the top level; duplicate keys and lone surrogate escapes are
    accepted (the RFC grammar allows them). A byte order mark is a fault. `bytes` must be
    UTF-8 (see the module docstring); anything else is turned into `str` first.
    """
    if not isinstance(text, str):
        if not isinstance(text, bytes | bytearray | memoryview):
            text = str(text)
        else:
            data = bytes(text)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                return _not_utf8(data, exc)
            if _is_utf16(data):  # ASCII as UTF-16 decodes as UTF-8 with NULs in between
                return _not_utf8(data, None)
    try:
        json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        # ValueError covers JSONDecodeError, our NaN refusal and int digit limits: the scanner
        # decides. RecursionError: deep but possibly valid nesting, which the scanner handles.
        if len(text) > MAX_SCAN_CHARS:
            return _too_large(text, exc)
        return diagnose_json(text)
    return None


def diagnose_json(text: str) -> JsonFault | None:
    """The diagnostic scanner alone (no fast path): same verdict as `check_json`, slower.

    Kept public so tests can hold the scanner itself to the conformance cases.
    """
    try:
        _scan(text)
    except _Fault as fault:
        return _make_fault(text, fault)
    return None


def looks_like_json(text: str) -> bool:
    """True when `text` was meant to be JSON: it starts with `{` or `[` (after whitespace and
    invisible characters), is one quoted string, or has a `"key":` near the start."""
    head = text[:4096].lstrip(" \t\r\n\ufeff\u200b\u00a0")
    if not head:
        return False
    first = head[0]
    if first in "{[":
        return True
    if first == '"' and text[-4096:].rstrip().endswith('"') and "\n" not in head[:200]:
        return True
    return _EARLY_KEY.search(head, 0, 300) is not None


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


# ---------------------------------------------------------------------------------------------
# The scanner. States: what the parser expects next.
_VALUE, _KEY, _COLON, _AFTER = range(4)


def _scan(text: str) -> None:
    """Parse `text`; raise `_Fault` at the first fault. One pass, explicit stack."""
    n = len(text)
    ws = _WS.match
    # Offsets of the open brackets (the bracket is text[offset]); an int array keeps 1 MB of
    # `[` at 8 MB rather than ~90 MB of tuples.
    stack = array("q")
    state = _VALUE
    prev = ""  # the token before the expected one: "", "[", "{", ",", ":"
    comma = -1  # offset of the last comma, for trailing-comma faults
    last_string: tuple[int, int] | None = None  # span of the value or key just scanned
    pos = ws(text, 0).end()
    if pos >= n:
        raise _Fault("empty", 0, "the text is empty" if not n else "the text is only whitespace")
    while True:
        pos = ws(text, pos).end()
        if state == _VALUE:
            if pos >= n:
                _at_end(text, stack, prev, pos)
            c = text[pos]
            if c == '"':
                end = _scan_string(text, pos)
                last_string = (pos, end)
                pos = end
            elif c == "{":
                stack.append(pos)
                pos += 1
                state, prev = _KEY, "{"
                continue
            elif c == "[":
                stack.append(pos)
                pos += 1
                prev = "["
                continue
            elif c in "-0123456789":
                pos = _scan_number(text, pos)
                last_string = None
            elif c in "tfn" and text.startswith(_LITERALS, pos) and _literal_end(text, pos):
                pos = _literal_end(text, pos)
                last_string = None
            elif c == "]" and prev == "[":
                stack.pop()
                pos += 1
                last_string = None
            else:
                _bad_value(text, pos, stack, prev, comma, last_string)
            state = _AFTER
        elif state == _AFTER:
            if not stack:
                if pos >= n:
                    return
                _trailing(text, pos, last_string)
            if pos >= n:
                _at_end(text, stack, "value", pos)
            c = text[pos]
            top = text[stack[-1]]
            if c == ",":
                comma = pos
                pos += 1
                state, prev = (_VALUE if top == "[" else _KEY), ","
            elif (c == "]" and top == "[") or (c == "}" and top == "{"):
                stack.pop()
                pos += 1
                last_string = None
            else:
                _bad_after_value(text, pos, stack, last_string)
        elif state == _KEY:
            if pos >= n:
                _at_end(text, stack, prev, pos)
            c = text[pos]
            if c == '"':
                end = _scan_string(text, pos)
                last_string = (pos, end)
                pos = end
                state = _COLON
            elif c == "}" and prev == "{":
                stack.pop()
                pos += 1
                last_string = None
                state = _AFTER
            else:
                _bad_key(text, pos, stack, prev, comma)
        else:  # _COLON
            if pos >= n:
                _at_end(text, stack, "key", pos)
            if text[pos] == ":":
                pos += 1
                state, prev = _VALUE, ":"
            else:
                _bad_colon(text, pos, last_string)


def _literal_end(text: str, pos: int) -> int:
    """End of `true`/`false`/`null` at `pos` when it stands alone (not `trueish`), else 0."""
    for word in _LITERALS:
        if text.startswith(word, pos):
            end = pos + len(word)
            if end < len(text) and (text[end].isalnum() or text[end] in "_$"):
                return 0
            return end
    return 0


def _scan_string(text: str, start: int) -> int:
    """Offset just past the string whose `"` is at `start`."""
    n = len(text)
    run = _STRING_RUN.match
    pos = start + 1
    while True:
        pos = run(text, pos).end()
        if pos >= n:
            _unterminated(text, start)
        c = text[pos]
        if c == '"':
            return pos + 1
        if c == "\\":
            esc = text[pos + 1 : pos + 2]
            if esc not in _ESCAPES or not esc:
                if not esc:
                    _unterminated(text, start)
                shown = _quote("\\" + esc)
                raise _Fault(
                    "invalid_escape",
                    pos,
                    f"invalid escape `{shown}` in a string at {{where}}; JSON allows only "
                    '\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX',
                )
            if esc == "u":
                if not _HEX4.match(text, pos + 2):
                    shown = _quote(text[pos : pos + 6])
                    raise _Fault(
                        "invalid_escape",
                        pos,
                        f"invalid escape `{shown}` in a string at {{where}}; "
                        "\\u needs exactly four hex digits",
                    )
                pos += 6
            else:
                pos += 2
        else:  # a raw control character
            name = _CONTROL_NAMES.get(c, f"control character U+{ord(c):04X}")
            escape = _CONTROL_ESCAPES.get(c, f"\\u{ord(c):04x}")
            raise _Fault(
                "control_character",
                pos,
                f"raw {name} inside the string that starts at {_where(text, start)} "
                f'(at {{where}}): write it as `{escape}`, or close the string with `"`',
            )


def _unterminated(text: str, start: int) -> None:
    smart = _smart_closing_quote(text, start + 1, len(text))
    if smart is not None:
        _smart_fault(text, smart)
    raise _Fault(
        "unterminated_string",
        start,
        'string starting at {where} is never closed (missing `"`)',
    )


def _scan_number(text: str, pos: int) -> int:
    """Offset just past the number at `pos`; faults name leading zeros, `1.`, hex, NaN..."""
    m = _NUMBER.match(text, pos)
    if m:
        end = m.end()
        if end >= len(text):
            return end
        nxt = text[end]
        if "0" <= nxt <= "9":  # only possible after a lone 0 or -0
            zero = pos + (text[pos] == "-")
            run = _number_run(text, pos)
            raise _Fault(
                "leading_zero",
                zero,
                f"number `{_quote(run)}` at {{where}} has a leading zero; JSON numbers cannot "
                "start with 0 unless they are 0 or 0.x",
            )
        if not (nxt.isalnum() or nxt in "._+-"):
            return end
    _invalid_number(text, pos)
    return pos  # not reached


def _number_run(text: str, pos: int) -> str:
    return _NUMBERISH.match(text[pos : pos + 64]).group()


def _invalid_number(text: str, pos: int) -> None:
    """Raise the fault for a malformed number (or -Infinity) starting at `pos`."""
    run = _number_run(text, pos) or text[pos]
    body = run.lstrip("+-")
    if body.lower() in _NON_FINITE:
        _non_finite(run, pos)
    if run.startswith("+"):
        reason = "a number cannot start with `+`"
    elif body[:2].lower() == "0x":
        reason = "hexadecimal numbers are not JSON; write the decimal value"
    elif not body:
        reason = "a sign needs digits after it"
    elif body.startswith("."):
        reason = "a number needs a digit before the decimal point (write `0.5`, not `.5`)"
    elif "." in body and not body.split(".", 1)[1][:1].isdigit():
        reason = "a decimal point needs digits after it (write `5.0` or `5`, not `5.`)"
    elif body.count(".") > 1:
        reason = "a number has at most one decimal point"
    elif re.search(r"[eE][-+]?(?![0-9])", body):
        reason = "an exponent needs digits after `e`"
    elif "_" in body:
        reason = "JSON numbers cannot contain `_` separators"
    else:
        reason = "it is not a JSON number"
    raise _Fault("invalid_number", pos, f"invalid number `{_quote(run)}` at {{where}}: {reason}")


def _non_finite(word: str, pos: int) -> None:
    raise _Fault(
        "nan_or_infinity",
        pos,
        f"`{_quote(word)}` at {{where}} is not JSON: JSON has no NaN or Infinity "
        "(use null or a string)",
    )


# ---------------------------------------------------------------------------------------------
# Fault finders: each is called at the character where the parser stopped, and raises.


def _common(text: str, pos: int) -> None:
    """Faults that are the same wherever they appear outside strings."""
    c = text[pos]
    if c == "/" and text[pos + 1 : pos + 2] in ("/", "*"):
        if text[pos + 1] == "*":
            close = text.find("*/", pos + 2, pos + 200)
            end = close + 2 if close >= 0 else pos + 200
        else:
            end = text.find("\n", pos, pos + 200)
        shown = _quote(text[pos : end if end >= 0 else pos + 200].rstrip())
        raise _Fault("comment", pos, f"comment `{shown}` at {{where}}: JSON has no comments")
    if c == "#":
        raise _Fault("comment", pos, "`#` comment at {where}: JSON has no comments")
    if c in _INVISIBLE:
        name = unicodedata.name(c, "") or _CONTROL_WORDS.get(c, "CONTROL")
        if c == "\ufeff" and pos == 0:
            raise _Fault(
                "invisible_character",
                pos,
                "byte order mark U+FEFF at the start of the text ({where}); remove it",
            )
        raise _Fault(
            "invisible_character",
            pos,
            f"invisible character U+{ord(c):04X} ({name}) at {{where}}; only space, tab, "
            "line feed and carriage return are JSON whitespace",
        )
    if c in _SMART_QUOTES:
        _smart_fault(text, pos)
    if c == "\ufffd":
        raise _Fault(
            "invalid_utf8",
            pos,
            "replacement character U+FFFD at {where}: the text held bytes that are not UTF-8 "
            "here (JSON must be UTF-8), or a character was lost when it was copied",
        )
    if c == "\\":
        _backslash_outside_string(text, pos)
    if text.startswith("```", pos):
        raise _Fault(
            "unexpected_character",
            pos,
            "markdown code fence (three backticks) at {where}: paste the JSON without the fence",
        )
    if c == "'":
        end = text.find("'", pos + 1, pos + 200)
        shown = _quote(text[pos : end + 1] if end > 0 else text[pos : pos + 20])
        raise _Fault(
            "single_quotes",
            pos,
            f"single quotes in `{shown}` at {{where}}: JSON strings need double quotes",
        )
    if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0:
        raise _Fault(
            "unexpected_character", pos, f"unexpected control character U+{ord(c):04X} at {{where}}"
        )


def _backslash_outside_string(text: str, pos: int) -> None:
    """`\\` where a token belongs. `{\\"a\\": 1}` is JSON copied out of a string literal or a log
    line that escaped it; anything else is an escape written outside a string."""
    nxt = text[pos + 1 : pos + 2]
    if nxt == '"':
        raise _Fault(
            "escaped_json",
            pos,
            '`\\"` at {where} outside a string: this JSON is still escaped (copied from inside a '
            "string or a log); remove the backslashes before the quotes",
        )
    shown = _quote(text[pos : pos + (6 if nxt == "u" else 2)])
    raise _Fault(
        "unexpected_character",
        pos,
        f"escape `{shown}` at {{where}} is outside a string: escapes only work between double "
        "quotes",
    )


def _is_utf16(data: bytes) -> bool:
    """A UTF-16 byte order mark, or a NUL in exactly one of the first two bytes (ASCII in
    UTF-16); JSON text never starts with NUL."""
    head = data[:2]
    return head in (b"\xff\xfe", b"\xfe\xff") or (
        len(head) == 2 and (head[0] == 0) != (head[1] == 0)
    )


def _not_utf8(data: bytes, exc: UnicodeDecodeError | None) -> JsonFault:
    """Fault for bytes that are not UTF-8, placed at the first bad byte (as a character
    position in the decodable prefix). UTF-16 gets its own message: its NULs and BOM are the
    usual way a Windows tool's output ends up as a request body."""
    bad = exc.start if exc is not None else 0
    prefix = data[:bad].decode("utf-8", "replace")
    text = prefix + data[bad : bad + 200].decode("utf-8", "replace")
    utf16 = _is_utf16(data)
    pos = 0 if utf16 else len(prefix)
    line, col, start = _line_col(text, pos)
    where = f"line {line}, column {col}"
    if utf16:
        message = (
            f"the text is UTF-16, not UTF-8 ({where}): JSON sent between systems must be UTF-8"
        )
    else:
        message = (
            f"byte 0x{data[bad]:02X} at {where} (byte offset {bad}) is not valid UTF-8: JSON "
            "must be UTF-8"
        )
    return JsonFault(
        kind="invalid_utf8",
        message=message,
        line=line,
        column=col,
        snippet=_snippet(text, pos, start),
        offset=pos,
    )


def _smart_fault(text: str, pos: int) -> None:
    c = text[pos]
    raise _Fault(
        "smart_quotes",
        pos,
        f"curly quote `{c}` (U+{ord(c):04X}) used as a quote at {{where}}: JSON needs straight "
        'double quotes `"`',
    )


def _smart_closing_quote(text: str, start: int, end: int) -> int | None:
    """Offset of a curly quote inside text[start:end] that acts as a closing quote: it is
    followed (after spaces) by `:`, `,`, a bracket or the end. Bounded scan."""
    limit = min(end, start + 100_000)
    for i in range(start, limit):
        if text[i] in _SMART_QUOTES:
            j = _WS.match(text, i + 1).end()
            if j >= len(text) or text[j] in ":,}]":
                return i
    return None


def _check_last_string(text: str, last_string: tuple[int, int] | None) -> None:
    """A fault right after a string whose closing quote was curly: blame the curly quote."""
    if last_string is not None:
        smart = _smart_closing_quote(text, last_string[0] + 1, last_string[1] - 1)
        if smart is not None:
            _smart_fault(text, smart)


def _check_swallowed_quote(text: str, pos: int, last_string: tuple[int, int] | None) -> None:
    """A word glued to the end of the string just scanned and followed by `"` means a `"` was
    misread as closing that string. Either the string lost its closing quote and ran on to the
    next key (`{"a": "b, "c": 1}`: the swallowed text holds a `,` or `:`), or a quote inside it
    was not escaped (`{"a": "say "hi""}`)."""
    if last_string is None or pos != last_string[1]:
        return
    word = _WORD.match(text, pos, pos + 64)
    if not word or not text.startswith('"', word.end()):
        return
    start, end = last_string
    if "," in text[start:end] or ":" in text[start:end]:
        raise _Fault(
            "unterminated_string",
            start,
            f'string starting at {{where}} is missing its closing `"`: it runs on to '
            f'`"{_quote(word.group())}"` at {_where(text, pos - 1)}',
        )
    raise _Fault(
        "unescaped_quote",
        pos - 1,
        f'unescaped `"` at {{where}} inside the string that starts at {_where(text, start)}: '
        'write it as `\\"`',
    )


def _at_end(text: str, stack: array[int], prev: str, pos: int) -> None:
    """The text ended while a value, key or bracket was still expected."""
    if not stack:
        raise _Fault("empty", pos, "the text is empty")
    where = stack[-1]
    opener = text[where]
    closer = "]" if opener == "[" else "}"
    others = len(stack) - 1
    more = (
        f" ({others} enclosing bracket{'s' if others > 1 else ''} also unclosed)" if others else ""
    )
    raise _Fault(
        "unbalanced_brackets",
        where,
        f"`{opener}` opened at {{where}} is never closed: the text ends at "
        f"{_where(text, len(text))} without `{closer}`{more}",
    )


def _bad_value(
    text: str,
    pos: int,
    stack: array[int],
    prev: str,
    comma: int,
    last_string: tuple[int, int] | None,
) -> None:
    """A value was expected at `pos` and something else is there.

    After `:`, `last_string` is the key, named in missing-value faults.
    """
    c = text[pos]
    if c in "]}":
        if prev == "," and stack and _closes(text[stack[-1]], c):
            _trailing_comma(text, comma, c)
        if prev == ":":
            _missing_member_value(text, pos, last_string)
        _closer_mismatch(text, pos, stack)
    _common(text, pos)
    if c == ":" and prev == ":":
        raise _Fault("unexpected_character", pos, "doubled `:` at {where}: one is enough")
    if c == ",":
        if prev == ":":
            _missing_member_value(text, pos, last_string)
        if prev in ("[", ","):
            raise _Fault("missing_value", pos, "missing value before `,` at {where}")
        raise _Fault("unexpected_character", pos, "unexpected `,` at {where}")
    if c == "<" and not stack:
        raise _Fault(
            "unexpected_character",
            pos,
            "the text starts with `<` ({where}): it looks like HTML or XML, not JSON",
        )
    if c in "+.":
        _invalid_number(text, pos)
    if c.isalnum() or c in "_$":
        _bad_word(text, pos)
    raise _Fault("unexpected_character", pos, f"unexpected {_char(c)} at {{where}}")


def _missing_member_value(text: str, pos: int, key: tuple[int, int] | None) -> None:
    name = _quote(text[key[0] + 1 : key[1] - 1]) if key else ""
    raise _Fault(
        "missing_value",
        pos,
        f"missing value for key `{name}`: found {_char(text[pos])} at {{where}}",
    )


def _bad_word(text: str, pos: int) -> None:
    """A bare word where a value belongs: NaN, True, None, a misspelt null, an unquoted string."""
    word = _WORD.match(text[pos : pos + 64]).group()
    lower = word.lower()
    if lower in _NON_FINITE:
        _non_finite(word, pos)
    suggestion: str | None = None
    if lower in _LITERALS:
        suggestion = lower
    elif lower in _NULL_LIKE:
        suggestion = "null"
    else:
        best = min(_LITERALS, key=lambda lit: _distance(lower, lit))
        if len(word) <= 7 and _distance(lower, best) <= 2:
            suggestion = best
    if suggestion is not None:
        raise _Fault(
            "invalid_literal",
            pos,
            f"`{_quote(word)}` at {{where}} is not a JSON literal; use `{suggestion}`",
        )
    raise _Fault(
        "invalid_literal",
        pos,
        f"`{_quote(word)}` at {{where}} is not a JSON value: strings need double quotes, and "
        "the only literals are true, false and null",
    )


def _bad_key(text: str, pos: int, stack: array[int], prev: str, comma: int) -> None:
    """A key (a string) was expected at `pos`."""
    c = text[pos]
    if c == "}":
        _trailing_comma(text, comma, c)
    if c == "]":
        _closer_mismatch(text, pos, stack)
    _common(text, pos)
    if c == ",":
        raise _Fault("missing_value", pos, "extra `,` at {where}: no key and value before it")
    if c.isalnum() or c in "_$-+.":
        word = _KEYWORD.match(text[pos : pos + 64])
        # `1,000` (no space, three digits): not `{"a": 1, 2}`
        glued = prev == "," and pos == comma + 1 and text[comma - 1 : comma].isdigit()
        if word and glued and _digit_group(word.group()):
            _thousands_separator(text, comma, word.end() + pos)
        shown = _quote(word.group() if word else c)
        raise _Fault("unquoted_key", pos, f"key `{shown}` is not quoted ({{where}})")
    raise _Fault(
        "unexpected_character",
        pos,
        f"unexpected {_char(c)} at {{where}}: an object key must be a string in double quotes",
    )


def _digit_group(word: str) -> bool:
    """Three digits, optionally with a fraction: what follows a thousands separator."""
    whole, _, fraction = word.partition(".")
    return len(whole) == 3 and whole.isdigit() and (not fraction or fraction.isdigit())


def _thousands_separator(text: str, comma: int, end: int) -> None:
    start = comma
    while start > 0 and comma - start < 64 and text[start - 1].isdigit():
        start -= 1
    shown = _quote(text[start:end])
    raise _Fault(
        "invalid_number",
        start,
        f"number `{shown}` at {{where}} has a thousands separator: JSON numbers have none "
        f"(write `{shown.replace(',', '')}`)",
    )


def _bad_colon(text: str, pos: int, last_string: tuple[int, int] | None) -> None:
    """`:` was expected after a key at `pos`."""
    _check_last_string(text, last_string)
    _check_swallowed_quote(text, pos, last_string)
    c = text[pos]
    if c == "/" or c in _INVISIBLE:
        _common(text, pos)
    key = _quote(text[last_string[0] + 1 : last_string[1] - 1]) if last_string else ""
    found = "`=`" if c == "=" else _char(c)
    raise _Fault(
        "missing_colon",
        pos,
        f"missing `:` after key `{key}`: found {found} at {{where}}",
    )


def _bad_after_value(
    text: str, pos: int, stack: array[int], last_string: tuple[int, int] | None
) -> None:
    """`,` or the closing bracket was expected after a value at `pos`."""
    _check_last_string(text, last_string)
    _check_swallowed_quote(text, pos, last_string)
    c = text[pos]
    if c in "]}":
        _closer_mismatch(text, pos, stack)
    if c in _COMMON_AFTER or c in _INVISIBLE or ord(c) < 0x20:
        _common(text, pos)
    if c == ":" and text[stack[-1]] == "[":
        opener = stack[-1]
        if len(stack) > 1 and text[stack[-2]] == "{":
            raise _Fault(
                "unbalanced_brackets",
                pos,
                f"`:` at {{where}} is inside the `[` opened at {_where(text, opener)}: "
                "that array is probably missing its `]`",
            )
        raise _Fault(
            "unexpected_character",
            pos,
            f"`:` at {{where}} is inside the array opened at {_where(text, opener)}",
        )
    if c in "\"'{[-" or c in _SMART_QUOTES or c.isalnum() or c in "_$":
        raise _Fault(
            "missing_comma",
            pos,
            f"missing comma before `{_quote(_token_at(text, pos))}` at {{where}}",
        )
    raise _Fault(
        "unexpected_character",
        pos,
        f"unexpected {_char(c)} at {{where}}: expected `,` or `{_closer(text[stack[-1]])}`",
    )


def _trailing(text: str, pos: int, last_string: tuple[int, int] | None) -> None:
    """Something follows the complete top-level value."""
    _check_last_string(text, last_string)
    c = text[pos]
    if c in "]}":
        raise _Fault(
            "unbalanced_brackets",
            pos,
            f"`{c}` at {{where}} has no matching opening bracket",
        )
    if c in _COMMON_AFTER or c in _INVISIBLE or ord(c) < 0x20:
        _common(text, pos)
    if c == ":" and last_string is not None and last_string[1] <= pos:
        raise _Fault(
            "unbalanced_brackets",
            pos,
            f"`:` at {{where}} follows the key `{_quote(text[last_string[0] + 1 : last_string[1] - 1])}` "
            "outside any object: the opening `{` is missing",
        )
    raise _Fault(
        "trailing_data",
        pos,
        f"unexpected `{_quote(_token_at(text, pos))}` after the JSON value at {{where}}: "
        "only one top-level value is allowed",
    )


def _trailing_comma(text: str, comma: int, closer: str) -> None:
    raise _Fault("trailing_comma", comma, f"trailing comma before `{closer}` at {{where}}")


def _closer_mismatch(text: str, pos: int, stack: array[int]) -> None:
    c = text[pos]
    if not stack:
        raise _Fault(
            "unbalanced_brackets", pos, f"`{c}` at {{where}} has no matching opening bracket"
        )
    where = stack[-1]
    opener = text[where]
    raise _Fault(
        "unbalanced_brackets",
        pos,
        f"`{c}` at {{where}} does not match `{opener}` opened at {_where(text, where)} "
        f"(expected `{_closer(opener)}`)",
    )


def _closes(opener: str, closer: str) -> bool:
    return (opener == "[" and closer == "]") or (opener == "{" and closer == "}")


def _closer(opener: str) -> str:
    return "]" if opener == "[" else "}"


# ---------------------------------------------------------------------------------------------
# Presentation helpers.


def _token_at(text: str, pos: int) -> str:
    """A short rendering of the token starting at `pos`, for messages."""
    c = text[pos]
    if c == '"':
        end = text.find('"', pos + 1, pos + 40)
        return text[pos : end + 1] if end > 0 else text[pos : pos + 20]
    word = _KEYWORD.match(text[pos : pos + 64])
    return word.group() if word else c


def _char(c: str) -> str:
    """One character named for a message: `x`, or its code point when it would not show."""
    if c == "`":
        return "a backtick (U+0060)"
    if c.isprintable() and not c.isspace():
        return f"`{c}`"
    return f"U+{ord(c):04X} ({unicodedata.name(c, 'control character')})"


def _quote(s: str) -> str:
    """User text made safe for a one-line message: bounded, no backticks or controls."""
    if len(s) > _QUOTE_WIDTH:
        s = s[:_QUOTE_WIDTH] + "…"
    return _printable(s.replace("`", "'"))


def _printable(s: str) -> str:
    # C0 controls become their Unicode "control picture" so a snippet stays one line, one
    # column per character.
    return "".join(chr(0x2400 + ord(ch)) if ord(ch) < 0x20 and ch != "\t" else ch for ch in s)


def _line_col(text: str, pos: int) -> tuple[int, int, int]:
    """1-based line and column of `pos`, and the offset where its line starts.

    Line breaks are LF, CRLF and a lone CR.
    """
    pos = min(pos, len(text))
    lf = text.count("\n", 0, pos)
    cr = text.count("\r", 0, pos) - text.count("\r\n", 0, pos)
    last_cr = text.rfind("\r", 0, pos)
    if pos > 0 and last_cr == pos - 1 and text.startswith("\n", pos):
        cr -= 1  # pos is the LF of a CRLF: that CR ends this line, it does not start it
        last_cr = text.rfind("\r", 0, pos - 1)
    start = max(text.rfind("\n", 0, pos), last_cr) + 1
    return lf + cr + 1, pos - start + 1, start


def _where(text: str, pos: int) -> str:
    line, col, _ = _line_col(text, pos)
    return f"line {line}, column {col}"


def _snippet(text: str, pos: int, start: int) -> str:
    """The line holding `pos`, cut to about 80 characters around it, marked with … when cut."""
    lo = max(start, pos - _SNIPPET_WIDTH // 2)
    limit = lo + _SNIPPET_WIDTH
    ends = [i for i in (text.find("\n", pos, limit), text.find("\r", pos, limit)) if i >= 0]
    hi = min(ends) if ends else min(len(text), limit)
    lo = max(start, min(lo, hi - _SNIPPET_WIDTH))  # a short tail leaves room for more head
    cut_right = hi < len(text) and text[hi] not in "\r\n"
    piece = _printable(text[lo:hi]).rstrip()
    return ("…" if lo > start else "") + piece + ("…" if cut_right else "")


def _make_fault(text: str, fault: _Fault) -> JsonFault:
    line, col, start = _line_col(text, fault.pos)
    where = f"line {line}, column {col}"
    return JsonFault(
        kind=fault.kind,
        message=fault.message.replace("{where}", where),
        line=line,
        column=col,
        snippet=_snippet(text, fault.pos, start),
        offset=min(fault.pos, len(text)),
    )


def _too_large(text: str, exc: BaseException) -> JsonFault:
    """Verdict for oversized texts the C parser rejected, from its own error position."""
    pos = exc.pos if isinstance(exc, json.JSONDecodeError) else 0
    line, col, start = _line_col(text, pos)
    return JsonFault(
        kind="too_large",
        message=f"not valid JSON near line {line}, column {col} ({exc}); the text is too large "
        "to diagnose in detail",
        line=line,
        column=col,
        snippet=_snippet(text, pos, start),
        offset=pos,
    )


def _distance(a: str, b: str) -> int:
    """Levenshtein distance for short words (callers bound the length)."""
    a = a[:16]
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev_diag, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev_diag, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev_diag + (ca != cb))
    return row[-1]
