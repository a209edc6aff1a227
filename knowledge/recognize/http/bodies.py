"""Bodies: the one after a message's headers, and one pasted on its own (JSON, XML, HTML or
plain text), possibly inside prose or cut short.

`BodyReader` carries the walk's miss budget: characters spent on `{`/`[` candidates that
turned out not to be bodies. Once it is spent no more candidates are scanned, so many
unclosed brackets cannot make the walk quadratic.
"""

from __future__ import annotations

from knowledge.recognize.http.body_start import body_start, looks_jsonish
from knowledge.recognize.http.brackets import scan, scan_balanced
from knowledge.recognize.http.limits import MAX_BODY, MISS_BUDGET
from knowledge.recognize.http.line_kinds import is_message_start, verbose_kind
from knowledge.recognize.http.lines import Lines
from knowledge.recognize.http.markup import MARKUP_START, closed_markup
from knowledge.recognize.http.payload import (
    LEADING_INVISIBLE,
    has_status,
    has_words,
    payload_opening,
)


class BodyReader:
    """Reads bodies out of one paste's `Lines`; every read returns (body, next line)."""

    __slots__ = ("lines", "miss_budget", "offsets", "src", "text", "unclosed_until")

    def __init__(self, src: Lines) -> None:
        self.src = src
        self.text = src.text
        self.lines = src.lines
        self.offsets = src.offsets
        self.miss_budget = MISS_BUDGET
        self.unclosed_until = 0  # unclosed `{` runs already walked (keeps the walk linear)

    def read(self, i: int) -> tuple[str, int]:
        """The body starting at or after line `i` (blank lines skipped): (text, next line)."""
        lines = self.lines
        n = len(lines)
        j = i
        while j < n and not lines[j].strip():
            j += 1
        if j >= n or is_message_start(lines[j]) or verbose_kind(lines[j]):
            return "", j
        line = lines[j]
        stripped = line.lstrip()
        col = len(line) - len(stripped)
        if stripped[:1] in ("{", "["):
            found = self.bracketed(j, col)
            if found is not None:
                return found
        elif stripped[:1] == "<":
            return self.markup(j, col)
        return self.plain(j)

    def plain(self, i: int) -> tuple[str, int]:
        """Lines up to a blank line or the next message: a text body such as `no healthy upstream`."""
        lines = self.lines
        n = len(lines)
        j = i
        size = 0
        while j < n:
            line = lines[j]
            if not line.strip() or (j > i and (is_message_start(line) or verbose_kind(line))):
                break
            size += len(line) + 1
            j += 1
            if size >= MAX_BODY:
                break
        return "\n".join(lines[i:j])[:MAX_BODY].strip(), max(j, i + 1)

    def bracketed(self, i: int, col: int) -> tuple[str, int] | None:
        """A JSON-ish value starting at line `i`, column `col`; None when it never closes."""
        if self.miss_budget <= 0:
            return None
        text = self.text
        start = self.offsets[i] + col
        limit = min(len(text), start + MAX_BODY)
        end, open_string = scan(text, start, limit, strings=True)
        if end is None and open_string:
            # A string that never closed swallowed the brackets: count them without strings.
            end = scan_balanced(text, start, limit, strings=False)
        if end is None:
            self.miss_budget -= 2 * (limit - start)
            return None
        return text[start:end], self.src.line_after(i, end)

    def markup(self, i: int, col: int) -> tuple[str, int]:
        """An HTML page or XML document: up to `</html>` or the root element's end tag; when
        neither is found, up to the next blank line."""
        found = closed_markup(self.src, i, col)
        return found if found is not None else self.plain(i)

    def unclosed(self, i: int, col: int) -> tuple[str, int]:
        """A JSON value that never closes (truncated paste): up to the next blank line."""
        lines = self.lines
        n = len(lines)
        j = i + 1
        size = len(lines[i])
        while j < n and lines[j].strip() and size < MAX_BODY:
            if is_message_start(lines[j]):
                break
            size += len(lines[j]) + 1
            j += 1
        text = "\n".join([lines[i][col:], *lines[i + 1 : j]])
        return text[:MAX_BODY].rstrip(), j

    def standalone(self, i: int) -> tuple[str | None, int, bool]:
        """A JSON/XML/HTML body pasted on its own at line `i`, possibly inside prose on the
        same line: (body or None, next line, whether it is markup)."""
        if self.miss_budget <= 0:
            return None, i + 1, False
        if i == self.src.first_line:
            lone = self.lone_payload(i)
            if lone is not None:
                return lone[0], lone[1], False
        line = self.lines[i]
        start = body_start(line, self.text, self.offsets[i])
        if start is None:
            return None, i + 1, False
        col, kind = start
        if kind == "markup":
            found = closed_markup(self.src, i, col)
            if found is None:
                if not MARKUP_START.match(line, col):
                    self.miss_budget -= MAX_BODY  # `<your-token>` in prose, not a document
                    return None, i + 1, False
                found = self.plain(i)
            body, j = found
            return body, j, True
        found = self.bracketed(i, col)
        if found is not None:
            body, j = found
            if not looks_jsonish(body):
                self.miss_budget -= len(body) + 1
                return None, i + 1, False
        else:
            if i < self.unclosed_until:
                return None, i + 1, False  # inside a run already judged not a truncated body
            body, j = self.unclosed(i, col)
            if not looks_jsonish(body):
                self.unclosed_until = j
                return None, i + 1, False
        return body, j, False

    def lone_payload(self, i: int) -> tuple[str, int] | None:
        """A paste that opens with `{` or `[` is almost always a payload someone is about to
        send, so it is read as JSON even when it is too broken for `looks_jsonish` (`[1,`,
        `[tru]`, `{"a" b}`), and junk or a comment after the value on its line is kept in the
        body (`[1]]`, `{"a":1}//`) so the JSON check sees it; so is an invisible character
        before it (a byte order mark). Logs (`[INFO] ...`, `[2026-11-25 ...]`), templates
        (`{{url}}`) and a value followed by a remark (words or a status: `... after refresh`,
        `... // why 400`) are left to the ordinary path."""
        line = self.lines[i]
        stripped = line.lstrip()
        lead = len(line) - len(stripped)
        col = lead
        while col < min(len(line), lead + 8) and line[col] in LEADING_INVISIBLE:
            col += 1
        if line[col : col + 1] not in ("{", "["):
            return None
        start = self.offsets[i] + col
        if not payload_opening(self.text, start):
            return None
        invisible = line[lead:col]
        found = self.bracketed(i, col)
        if found is None:
            body, j = self.unclosed(i, col)
            return None if has_words(body, pairs=True) else (invisible + body, j)
        body, j = found
        end = start + len(body)
        line_end = self.offsets[j] - 1 if j < len(self.lines) else len(self.text)
        rest = self.text[end:line_end]
        if rest.strip():
            if has_words(rest, pairs=False) or has_status(rest):
                return None  # `{"a": 1} after refresh`, `[1] // why 400`: a remark on the value
            body = self.text[start:line_end].rstrip()
        return invisible + body, j
