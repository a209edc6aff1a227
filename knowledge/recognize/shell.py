"""Split a pasted command line into words the way its shell would.

Three flavours, because people paste from three places:

- "posix": sh/bash/zsh. Single quotes, double quotes with their four backslash escapes,
  `$'...'` ANSI-C strings, backslash escapes and `\\`-newline continuations outside quotes.
- "cmd": Windows cmd.exe, as Chrome and Firefox "Copy as cURL (cmd)" emit. Two layers: cmd
  removes `^` escapes (a `^` at the end of a line joins the next line), then the program's C
  runtime splits the line on blanks with its `"` and backslash rules.
- "powershell": single quotes (`''` is a quote), double quotes with backtick escapes, a
  backtick at the end of a line continues it.

Nothing is expanded: `$VAR`, `%VAR%`, `$(cmd)` stay as written, which is what a reader of the
paste needs to see. The scanners jump over runs of ordinary characters with simple regular
expressions (one character class each, so no backtracking) and are linear in the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

POSIX = "posix"
CMD = "cmd"
POWERSHELL = "powershell"

# Hard bounds so a hostile paste costs little: words per command, and characters looked at.
MAX_WORDS = 5_000
MAX_CHARS = 2_000_000


@dataclass
class ShellWords:
    """One command's words (the program name first), where it ended, and what was odd.

    `end` is the offset in the scanned text just after the command: its terminating newline,
    `|`, `;` or `&` is not included, so a caller can continue scanning from there (after a
    heredoc, it is the end of the delimiter line). `stdin` is what a here-string or heredoc
    feeds the command, as bash would (variables and `$(...)` left as written).
    """

    words: list[str]
    end: int
    flavour: str
    notes: list[str] = field(default_factory=list)
    stdin: str | None = None


# ---------------------------------------------------------------------------------------------
# Flavour detection

# `""` between two word characters: a literal quote inside a quoted Windows argument, as
# Firefox's "Copy as cURL (Windows)" writes JSON (`"{""q"":1}"`); sh has no reason to do this.
_CRT_DOUBLED_QUOTE = re.compile(r'[^\s"]""[^\s"]')


def _firefox_windows(line: str) -> bool:
    """Firefox's Windows copy: `""` inside a word, and no `'` or `\\"` (in sh, `'{"a":""}'`
    and `"{\\"a\\":\\"\\"}"` are how an empty JSON string is written)."""
    return _CRT_DOUBLED_QUOTE.search(line) is not None and "'" not in line and '\\"' not in line


def detect_flavour(text: str, start: int = 0, hint: str | None = None) -> str:
    """Guess which shell the command at `start` was written for.

    Line continuations decide first (`^` cmd, backtick PowerShell, backslash POSIX); a single
    line falls back on Windows quoting (Chrome's `^"`, Firefox's doubled `""`), then on `hint`
    (a `PS>` prompt seen by the caller), then on `curl.exe` (Windows), else POSIX.
    """
    line_end = text.find("\n", start)
    if line_end < 0:
        line_end = len(text)
    line = text[start:line_end].rstrip(" \t\r")
    if line_end < len(text):
        if line.endswith("^"):
            return CMD
        if line.endswith("`"):
            return POWERSHELL
        if line.endswith("\\"):
            return POSIX
    if '^"' in line or _firefox_windows(line):
        return CMD
    if hint in (CMD, POWERSHELL, POSIX):
        return hint
    head = line[:12].lower()
    if head.startswith("curl.exe"):
        # PowerShell users quote with single quotes; cmd has none, and its `\"` reads the same
        # under POSIX rules anyway. A backtick-escaped quote or `$env:` is PowerShell's alone.
        if "`\"" in line or "$env:" in line:
            return POWERSHELL
        return POWERSHELL if ("'" in line and '\\"' not in line) else CMD
    return POSIX


def split_command(
    text: str,
    start: int = 0,
    end: int | None = None,
    flavour: str | None = None,
    hint: str | None = None,
) -> ShellWords:
    """Split the command starting at `text[start]`, stopping at `end` (or the end of text)."""
    stop = len(text) if end is None else min(end, len(text))
    stop = min(stop, start + MAX_CHARS)
    chosen = flavour or detect_flavour(text, start, hint)
    if chosen == CMD:
        return _split_cmd(text, start, stop)
    if chosen == POWERSHELL:
        return _split_powershell(text, start, stop)
    return _split_posix(text, start, stop)


# ---------------------------------------------------------------------------------------------
# POSIX sh

_BLANKS = re.compile(r"[ \t\r]+")
# Only space, tab and newline separate words in sh: a pasted no-break space stays inside the
# word, exactly as curl would then receive it.
_POSIX_PLAIN = re.compile(r"[^ \t\n\r'\"\\$|&;<>]+")
# Characters the loop in `_split_posix` treats specially where a word piece begins (`#` too:
# a comment when no word is pending); any other character starts a `_POSIX_PLAIN` run.
_POSIX_STARTERS = frozenset(" \t\r\n\\'\"$#|;&<>")
_DQ_PLAIN = re.compile(r'[^"\\]+')
_ANSI_PLAIN = re.compile(r"[^'\\]+")
_HEX = frozenset("0123456789abcdefABCDEF")
_OCT = frozenset("01234567")
_DQ_ESCAPABLE = frozenset('$`"\\\n')
_ANSI_SIMPLE = {
    "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r",
    "t": "\t", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?",
}  # fmt: skip


class _Words:
    """Accumulates words; `pending` is True once the current word exists (even empty: '')."""

    __slots__ = ("capture", "captured", "discard_next", "notes", "parts", "pending", "words")

    def __init__(self) -> None:
        self.words: list[str] = []
        self.parts: list[str] = []
        self.pending = False
        self.discard_next = False
        self.notes: list[str] = []
        # the redirection whose target word is kept (`<<<` string, `<<` delimiter), and what
        # was kept: (operator, delimiter quoted, word)
        self.capture: tuple[str, bool] | None = None
        self.captured: list[tuple[str, bool, str]] = []

    def add(self, piece: str) -> None:
        self.parts.append(piece)
        self.pending = True

    def flush(self) -> None:
        if self.pending:
            word = "".join(self.parts)
            if self.discard_next:
                self.discard_next = False
                if self.capture is not None and len(self.captured) < 10:
                    self.captured.append((*self.capture, word))
                self.capture = None
            elif len(self.words) < MAX_WORDS:
                self.words.append(word)
            self.parts.clear()
            self.pending = False

    def note(self, message: str) -> None:
        if message not in self.notes and len(self.notes) < 50:
            self.notes.append(message)


def _line_rest_blank(text: str, i: int, stop: int) -> int:
    """If only blanks follow `i` up to a newline, the newline's offset, else -1."""
    j = i
    while j < stop and text[j] in " \t\r":
        j += 1
    if j < stop and text[j] == "\n":
        return j
    return -1


def _split_posix(text: str, start: int, stop: int) -> ShellWords:
    acc = _Words()
    i = start
    while i < stop:
        c = text[i]
        if c not in _POSIX_STARTERS:
            # Most word pieces start with an ordinary character: take the run at once rather
            # than after every special-character test below. The class admits every
            # non-starter, so the match is never empty.
            m = _POSIX_PLAIN.match(text, i, stop)
            acc.add(m.group())  # type: ignore[union-attr]
            i = m.end()  # type: ignore[union-attr]
        elif c == " " or c == "\t" or c == "\r":
            if acc.pending:
                acc.flush()
            i = _BLANKS.match(text, i, stop).end()  # type: ignore[union-attr]
        elif c == "\n":
            break
        elif c == "\\":
            if i + 1 >= stop:
                i += 1
                continue
            nxt = text[i + 1]
            if nxt == "\n":
                i += 2  # continuation: the two characters vanish, the word goes on
            elif nxt in " \t\r" and (nl := _line_rest_blank(text, i + 1, stop)) >= 0:
                # `\ ` then end of line: bash would end the command here; the author meant a
                # continuation and lost it to trailing blanks in the paste.
                acc.note("blanks after a line-continuation backslash (treated as continuation)")
                acc.flush()
                i = nl + 1
            else:
                acc.add(nxt)
                i += 2
        elif c == "'":
            close = text.find("'", i + 1, stop)
            if close < 0:
                acc.add(text[i + 1 : stop])
                acc.note("unbalanced single quote: the rest was taken as one word")
                i = stop
            else:
                acc.add(text[i + 1 : close])
                i = close + 1
        elif c == '"':
            i = _posix_double(text, i + 1, stop, acc)
        elif c == "$":
            nxt = text[i + 1] if i + 1 < stop else ""
            if nxt == "'":
                i = _ansi_c(text, i + 2, stop, acc)
            elif nxt == '"':
                i = _posix_double(text, i + 2, stop, acc)  # $"..." (locale): like "..."
            elif nxt == "(" or nxt == "{":
                i = _balanced(text, i, stop, acc)
            else:
                acc.add("$")
                i += 1
        elif c == "#" and not acc.pending:
            nl = text.find("\n", i, stop)
            i = stop if nl < 0 else nl  # a comment runs to the end of the line
        elif c == "|" or c == ";" or (c == "&" and text[i + 1 : i + 2] != ">"):
            break
        elif c == "<" or c == ">" or c == "&":
            i = _redirect(text, i, stop, acc)
        else:
            m = _POSIX_PLAIN.match(text, i, stop)
            if m is None:  # a character the class excludes but no branch took: keep it
                acc.add(c)
                i += 1
            else:
                acc.add(m.group())
                i = m.end()
    acc.flush()
    stdin, end = _posix_stdin(text, i, stop, acc)
    return ShellWords(acc.words, end, POSIX, acc.notes, stdin)


MAX_HEREDOC = 1_000_000
_HEREDOC_ESCAPE = re.compile(r"\\([$`\\\n])")


def _posix_stdin(text: str, i: int, stop: int, acc: _Words) -> tuple[str | None, int]:
    """What the command's here-strings and heredocs feed it (the last one wins, as its
    redirection is applied last) and where the command ends: after its heredoc bodies when
    they follow its own line."""
    stdin: str | None = None
    end = i
    if not acc.captured:
        return stdin, end
    ends_line = i < stop and text[i] == "\n"
    body_at = i + 1 if ends_line else text.find("\n", i) + 1
    for op, quoted, word in acc.captured:
        if op == "<<<":
            stdin = word + "\n"
            continue
        if body_at <= 0:
            stdin = ""
            continue
        body, line_end, found = _heredoc(text, body_at, word, op == "<<-")
        if not found:
            acc.note(f"heredoc without its {word[:20]!r} line: it runs to the end")
        stdin = body if quoted else _HEREDOC_ESCAPE.sub(
            lambda m: "" if m.group(1) == "\n" else m.group(1), body
        )
        body_at = line_end + 1
        if ends_line:
            end = line_end
    return stdin, end


def _heredoc(text: str, at: int, delimiter: str, strip_tabs: bool) -> tuple[str, int, bool]:
    """The body of a heredoc starting at `at`: (body, end of its delimiter line, found)."""
    lines: list[str] = []
    size = 0
    limit = min(len(text), at + MAX_HEREDOC)
    while at <= limit:
        newline = text.find("\n", at, limit)
        line_end = limit if newline < 0 else newline
        line = text[at:line_end]
        if strip_tabs:
            line = line.lstrip("\t")
        if line == delimiter:
            return "".join(lines), line_end, True
        lines.append(line + "\n")
        size += len(line) + 1
        if newline < 0:
            break
        at = newline + 1
    return "".join(lines), limit, False


def _posix_double(text: str, i: int, stop: int, acc: _Words) -> int:
    """Inside "...": a backslash escapes only $ ` " \\ and newline. Returns the offset after."""
    acc.pending = True
    while i < stop:
        c = text[i]
        if c == '"':
            return i + 1
        if c == "\\":
            nxt = text[i + 1] if i + 1 < stop else ""
            if nxt == "\n":
                i += 2
            elif nxt in _DQ_ESCAPABLE and nxt:
                acc.add(nxt)
                i += 2
            else:
                acc.add("\\")
                i += 1
        else:
            m = _DQ_PLAIN.match(text, i, stop)
            assert m is not None
            acc.add(m.group())
            i = m.end()
    acc.note("unbalanced double quote: the rest was taken as one word")
    return stop


def _ansi_c(text: str, i: int, stop: int, acc: _Words) -> int:
    """Inside $'...': C escapes. Returns the offset after the closing quote."""
    acc.pending = True
    cut = False  # bash ends the string at a NUL (\0): arguments are C strings
    while i < stop:
        c = text[i]
        if c == "'":
            return i + 1
        if c != "\\":
            m = _ANSI_PLAIN.match(text, i, stop)
            assert m is not None
            if not cut:
                acc.add(m.group())
            i = m.end()
            continue
        piece, i = _ansi_escape(text, i + 1, stop)
        if piece == "\x00":
            cut = True
        elif not cut:
            acc.add(piece)
    acc.note("unbalanced $'...' quote: the rest was taken as one word")
    return stop


def _ansi_escape(text: str, i: int, stop: int) -> tuple[str, int]:
    """Decode the escape after a backslash at `i - 1`; returns (text, offset after)."""
    if i >= stop:
        return "\\", i
    c = text[i]
    simple = _ANSI_SIMPLE.get(c)
    if simple is not None:
        return simple, i + 1
    if c in _OCT:
        j = i
        while j < stop and j < i + 3 and text[j] in _OCT:
            j += 1
        return chr(int(text[i:j], 8) & 0xFF), j
    if c in "xuU":
        width = {"x": 2, "u": 4, "U": 8}[c]
        j = i + 1
        while j < stop and j < i + 1 + width and text[j] in _HEX:
            j += 1
        if j == i + 1:
            return "\\" + c, i + 1
        code = int(text[i + 1 : j], 16)
        if c == "x":
            return chr(code), j
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return "\ufffd", j
        return chr(code), j
    if c == "c" and i + 1 < stop:
        return chr(ord(text[i + 1]) & 0x1F), i + 2
    return "\\" + c, i + 1


def _balanced(text: str, i: int, stop: int, acc: _Words) -> int:
    """Keep `$(...)` / `${...}` verbatim as part of the word (nothing is run or expanded)."""
    opener = text[i + 1]
    closer = ")" if opener == "(" else "}"
    depth = 0
    j = i + 1
    while j < stop:
        ch = text[j]
        if ch == opener:
            depth += 1
        elif ch == closer:
            depth -= 1
            if depth == 0:
                acc.add(text[i : j + 1])
                return j + 1
        elif ch == "\n" and opener == "{":
            break
        j += 1
    # Unclosed: keep just the `$` and let the scanner carry on normally.
    acc.add("$")
    return i + 1


def _redirect(text: str, i: int, stop: int, acc: _Words) -> int:
    """Skip a redirection (`> out`, `2>/dev/null`, `&>x`, `<<EOF`): it is not an argument."""
    if acc.pending and all(p.isdigit() for p in acc.parts):
        acc.parts.clear()  # the `2` of `2>` is a file descriptor, not a word
        acc.pending = False
    acc.flush()
    j = i
    while j < stop and text[j] in "<>&|":
        j += 1
    if text[i:j] == "<<" and j < stop and text[j] == "-":
        j += 1  # `<<-`: the heredoc's lines lose their leading tabs
    op = text[i:j]
    if op == "<<" or op == "<<<" or op == "<<-":
        acc.note("input comes from a heredoc or here-string")
        k = j
        while k < stop and text[k] in " \t":
            k += 1
        # a quoted delimiter (`<<'EOF'`, `<<"EOF"`, `<<\EOF`) leaves the body unexpanded
        quoted = k < stop and text[k] in "'\"\\"
        acc.capture = (op, quoted)
    # `>&2` and `2>&1`: the target is a descriptor glued to the operator
    while j < stop and text[j].isdigit() and op.endswith("&"):
        j += 1
    if not op.endswith("&") or j == i + len(op):
        acc.discard_next = True
    return j


# ---------------------------------------------------------------------------------------------
# Windows cmd.exe + the C runtime's argument rules

# Plain characters and caret escapes ("unrolled": a caret can only start the inner group, so
# there is one way to match and no backtracking).
_CMD_RUN = re.compile(r'[^"^\n&|<>]*(?:\^[^\n][^"^\n&|<>]*)*')
_CARET = re.compile(r"\^(.)", re.DOTALL)
_CMD_QUOTED = re.compile(r'[^"\n]+')
_CRT_PLAIN_OUT = re.compile(r'[^\\" \t]+')
_CRT_PLAIN_IN = re.compile(r'[^\\"]+')


def _split_cmd(text: str, start: int, stop: int) -> ShellWords:
    notes: list[str] = []
    line, i = _cmd_line(text, start, stop, notes)
    words, crt_notes = crt_split(line)
    for note in crt_notes:
        if note not in notes:
            notes.append(note)
    return ShellWords(words[:MAX_WORDS], i, CMD, notes)


def _cmd_line(text: str, i: int, stop: int, notes: list[str]) -> tuple[str, int]:
    """cmd.exe's pass: undo `^` escapes and continuations, stop at an unescaped newline/&/|."""
    out: list[str] = []
    quoted = False  # inside "...", cmd leaves ^ & | < > alone
    while i < stop:
        c = text[i]
        if quoted:
            if c == '"':
                out.append(c)
                quoted = False
                i += 1
            elif c == "\n":
                break
            else:
                m = _CMD_QUOTED.match(text, i, stop)
                assert m is not None
                out.append(m.group())
                i = m.end()
            continue
        if c == "^" and (i + 1 >= stop or text[i + 1] == "\n"):
            if i + 1 >= stop:
                i += 1
            elif text[i + 1] == "\n":
                # Continuation: the newline goes and the next character is taken literally,
                # which is how Chrome's `^` + two newlines puts a newline into an argument.
                i += 2
                if i < stop:
                    out.append(text[i])
                    i += 1
        elif c == '"':
            out.append(c)
            quoted = True
            i += 1
        elif c == "\n" or c == "&" or c == "|":
            break
        elif c == "<" or c == ">":
            i = _cmd_redirect(text, i, stop, out)
        else:
            # A run of plain characters and `^x` escapes, unescaped in two C-level calls.
            m = _CMD_RUN.match(text, i, stop)
            assert m is not None
            run = m.group()
            if "^" in run:
                run = _CARET.sub(r"\1", run) if "^^" in run else run.replace("^", "")
            out.append(run)
            i = m.end()
    return "".join(out), i


def _cmd_redirect(text: str, i: int, stop: int, out: list[str]) -> int:
    """Drop `> file`, `2>nul`, `2>&1` from a cmd line."""
    if out and out[-1][-1:].isdigit() and (len(out[-1]) == 1 or out[-1][-2] in " \t"):
        out[-1] = out[-1][:-1]
    j = i
    while j < stop and text[j] in "<>&":
        j += 1
    while j < stop and text[j] in " \t":
        j += 1
    while j < stop and text[j] not in " \t\n&|":
        j += 1
    return j


def crt_split(line: str) -> tuple[list[str], list[str]]:
    """Split one Windows command line into argv as the Microsoft C runtime does.

    Blanks separate words outside quotes; `"` toggles quoting, and `""` inside quotes is a
    literal quote; backslashes are literal unless they precede `"`: 2n backslashes + `"` give
    n backslashes and a toggle, 2n+1 give n backslashes and a literal `"`.
    """
    words: list[str] = []
    notes: list[str] = []
    parts: list[str] = []
    pending = False
    quoted = False
    i = 0
    n = len(line)
    while i < n:
        c = line[i]
        if c == "\\":
            j = i
            while j < n and line[j] == "\\":
                j += 1
            count = j - i
            if j < n and line[j] == '"':
                parts.append("\\" * (count // 2))
                pending = True
                if count % 2:
                    parts.append('"')
                    i = j + 1
                else:
                    i = j  # the quote is a delimiter, handled next round
            else:
                parts.append("\\" * count)
                pending = True
                i = j
        elif c == '"':
            pending = True
            if quoted and i + 1 < n and line[i + 1] == '"':
                parts.append('"')
                i += 2
            else:
                quoted = not quoted
                i += 1
        elif not quoted and (c == " " or c == "\t"):
            if pending:
                if len(words) < MAX_WORDS:
                    words.append("".join(parts))
                parts.clear()
                pending = False
            i += 1
        else:
            m = (_CRT_PLAIN_IN if quoted else _CRT_PLAIN_OUT).match(line, i)
            assert m is not None
            parts.append(m.group())
            pending = True
            i = m.end()
    if quoted:
        notes.append("unbalanced double quote: the rest was taken as one word")
    if pending:
        words.append("".join(parts))
    return words, notes


# ---------------------------------------------------------------------------------------------
# PowerShell

_PS_PLAIN = re.compile(r"[^\s'\"`|;<>#]+")
_PS_DQ_PLAIN = re.compile(r'[^"`]+')
_PS_ESCAPES = {
    "n": "\n", "t": "\t", "r": "\r", "0": "\x00", "a": "\a", "b": "\b", "e": "\x1b",
    "f": "\f", "v": "\v",
}  # fmt: skip


def _split_powershell(text: str, start: int, stop: int) -> ShellWords:
    acc = _Words()
    i = start
    while i < stop:
        c = text[i]
        if c != "\n" and c.isspace():  # PowerShell also splits on Unicode spaces
            acc.flush()
            i += 1
        elif c == "\n" or c == ";" or c == "|":
            break
        elif c == "`":
            if i + 1 >= stop:
                i += 1
            elif text[i + 1] == "\n":
                acc.flush()
                i += 2
            else:
                acc.add(_PS_ESCAPES.get(text[i + 1], text[i + 1]))
                i += 2
        elif c == "'":
            i = _ps_single(text, i + 1, stop, acc)
        elif c == '"':
            i = _ps_double(text, i + 1, stop, acc)
        elif c == "#" and not acc.pending:
            nl = text.find("\n", i, stop)
            i = stop if nl < 0 else nl
        elif c == "<" or c == ">":
            i = _redirect(text, i, stop, acc)
        elif (
            c == "-"
            and not acc.pending
            and text.startswith("--%", i)
            and (i + 3 >= stop or text[i + 3] in " \t\n")
        ):
            # Stop-parsing token: the rest of the line goes to the program verbatim.
            nl = text.find("\n", i, stop)
            rest_end = stop if nl < 0 else nl
            words, crt_notes = crt_split(text[i + 3 : rest_end])
            acc.words.extend(words[: MAX_WORDS - len(acc.words)])
            for note in crt_notes:
                acc.note(note)
            i = rest_end
        else:
            m = _PS_PLAIN.match(text, i, stop)
            if m is None:
                acc.add(c)
                i += 1
            else:
                acc.add(m.group())
                i = m.end()
    acc.flush()
    words = [_ps_native(w, acc) if '"' in w else w for w in acc.words]
    return ShellWords(words, i, POWERSHELL, acc.notes)


def _ps_single(text: str, i: int, stop: int, acc: _Words) -> int:
    acc.pending = True
    while i < stop:
        close = text.find("'", i, stop)
        if close < 0:
            break
        acc.add(text[i:close])
        if close + 1 < stop and text[close + 1] == "'":
            acc.add("'")
            i = close + 2
            continue
        return close + 1
    acc.add(text[i:stop])
    acc.note("unbalanced single quote: the rest was taken as one word")
    return stop


def _ps_double(text: str, i: int, stop: int, acc: _Words) -> int:
    acc.pending = True
    while i < stop:
        c = text[i]
        if c == '"':
            if i + 1 < stop and text[i + 1] == '"':
                acc.add('"')
                i += 2
                continue
            return i + 1
        if c == "`":
            if i + 1 < stop:
                acc.add(_PS_ESCAPES.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            m = _PS_DQ_PLAIN.match(text, i, stop)
            assert m is not None
            acc.add(m.group())
            i = m.end()
    acc.note("unbalanced double quote: the rest was taken as one word")
    return stop


def _ps_native(word: str, acc: _Words) -> str:
    """A double quote inside an argument for a native program such as curl.exe.

    Windows PowerShell 5.1 passes it on unescaped, so the C runtime eats it; people therefore
    write `\\"`, which that runtime turns into `"`. PowerShell 7.3+ passes arguments intact.
    `\\"` shows the author targeted 5.1, so it is read as `"`; a bare `"` is kept (7.3+).
    """
    if '\\"' in word:
        acc.note('PowerShell: \\" read as " (Windows PowerShell 5.1 argument passing)')
        return word.replace('\\"', '"')
    acc.note("PowerShell: Windows PowerShell 5.1 strips double quotes inside arguments to curl.exe")
    return word
