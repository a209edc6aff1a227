"""curl commands: find them in a paste and work out the request exactly as curl would.

Three steps: `shell` splits the command into words as the user's shell would; the option loop
below reads those words the way curl 8's `parse_args` does (the table is `curl_options`); and
`_build` turns the collected settings into the `HttpRequest` curl would send: method, URL,
the headers curl adds itself, body. Nothing here raises for any input; whatever cannot be
placed becomes a note on the request.
"""

from __future__ import annotations

import base64
import calendar
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from knowledge.model import Header, HttpRequest
from knowledge.recognize.curl_options import (
    ARG,
    DEPRECATED,
    DOCUMENTED_AS_NO,
    SHORT,
    CurlOption,
    resolve_long,
)
from knowledge.recognize.curl_url import glob_first, normalize
from knowledge.recognize.shell import CMD, POSIX, POWERSHELL, split_command

# Bounds on what one paste may cost.
MAX_TEXT = 1_000_000
MAX_COMMANDS = 50
MAX_CANDIDATES = 400
MAX_EXPANSIONS = 200

# Characters that may stand right before a command word: a blank, a prompt's `$ `/`> `, `(`,
# a backtick (inline code), `;|&`, a quote, or the colon of "I ran: curl ...".
_BEFORE_COMMAND = frozenset(" \t\n\r\f\v>:;|&(`'\"")
# ... and right after it: a blank, a line continuation (\\ ^ `) or the end.
_AFTER_COMMAND = frozenset(" \t\n\r\f\v\\^`")
_PATH_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._~-")
_PS_PROMPT = re.compile(r"PS(?: [^>\n]*)?>\s*$")
_CMD_PROMPT = re.compile(r"[A-Za-z]:\\[^>\n]*>\s*$")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_PORT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(?:\[[^\]/]*\]|[^/?#:\[]*):([^/?#]*)")
_USERINFO = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)([^/?#@]*)@")
_HOSTISH = re.compile(r"[\w-]+(?:\.[\w-]+)+(?::\d+)?|localhost(?::\d+)?|\[[0-9A-Fa-f:.]+\]")
_VARIABLE_REF = re.compile(r"\{\{([A-Za-z0-9_]{1,128})((?::[a-z0-9]{1,10}){0,5})\}\}")
_TYPOGRAPHIC_DASHES = ("\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212")

# --http1.0 ... --http3-only: the HTTP version options; the last one given counts.
_HTTP_VERSIONS = frozenset({"http1.0", "http1.1", "http2", "http2-prior-knowledge", "http3",
                            "http3-only"})  # fmt: skip
H2C_SETTINGS = "AAMAAABkAAQAAQAAAAIAAAAA"
# What --compressed asks for in a typical curl 8 build (the list depends on its libraries).
ACCEPT_ENCODING = "deflate, gzip, br, zstd"
# curl's NTLM type-1 message: signature, type 1, its flags, empty domain and host.
_NTLM_TYPE1 = "TlRMTVNTUAABAAAABoIIAAAAAAAAAAAAAAAAAAAAAAA="
# curl's authentication bits (CURLAUTH_*): each option adds or removes one; with none given,
# Basic. curl only sends credentials up front when exactly one scheme is wanted: with several
# it waits for the server's 401 to say which to use.
_AUTH_BITS = {"basic": 1, "digest": 2, "negotiate": 4, "ntlm": 8, "oauth2-bearer": 64,
              "aws-sigv4": 128}  # fmt: skip
_AUTH_ANY = 0xFF
# Host prefixes curl maps to a scheme when the URL has none.
_GUESSED_SCHEMES = (("ftp.", "ftp"), ("dict.", "dict"), ("ldap.", "ldap"), ("imap.", "imap"),
                    ("smtp.", "smtp"), ("pop3.", "pop3"))  # fmt: skip


class _Stdin:
    """The command's standard input when the paste shows it (a heredoc, a here-string, or
    `echo`/`printf` piped in): the first `@-` reads it all, later ones find it empty."""

    __slots__ = ("source", "text")

    def __init__(self, text: str | None, source: str) -> None:
        self.text = text
        self.source = source

    def read(self) -> str | None:
        text = self.text
        if text is not None:
            self.text = ""
        return text


@dataclass
class _Transfer:
    """What curl collected for one operation (options up to `--next`)."""

    urls: list[str] = field(default_factory=list)
    raw_headers: list[str] = field(default_factory=list)
    post_parts: list[str] = field(default_factory=list)
    post_len: int = 0
    has_post: bool = False
    jsoned: bool = False
    form: list[tuple[str, str]] = field(default_factory=list)
    custom_method: str | None = None
    use_get: bool = False
    no_body: bool = False
    uploads: list[str] = field(default_factory=list)
    userpwd: str | None = None
    authtype: int = 0
    bearer: str | None = None
    aws_sigv4: str | None = None
    user_agent: str | None = None
    referer: str | None = None
    cookies: list[str] = field(default_factory=list)
    compressed: bool = False
    tr_encoding: bool = False
    follow: bool = False
    queries: list[str] = field(default_factory=list)
    proto_default: str | None = None
    body_files: list[str] = field(default_factory=list)
    options: dict[str, str | bool] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    stdin: _Stdin | None = None
    upload_body: str | None = None
    http_version: str | None = None

    def note(self, message: str) -> None:
        if message not in self.notes and len(self.notes) < 60:
            self.notes.append(message)


# ---------------------------------------------------------------------------------------------
# Public API


def find_curl_commands(text: str) -> list[HttpRequest]:
    """Every curl command in `text` (prose around it allowed), parsed. Never raises."""
    try:
        return _find(text)
    except Exception:  # a last guard: a paste must never break the diagnosis
        return []


def parse_curl(command: str) -> HttpRequest | None:
    """One curl command line (already located) as the request curl would send.

    A `curl` word before the command (in a `# comment` or a sentence) is passed over when a
    later one reads as a real command; failing that, the first one is parsed as it stands.
    """
    try:
        text = _prepare(command)
        found = _find(text, 1)
        if found:
            return found[0]
        start = next(_command_words(text), (-1, -1))[0]
        if start < 0:
            return None
        requests = _parse_at(text, start, None, _hint(text, start))[0]
        return requests[0] if requests else None
    except Exception:
        return None


# ---------------------------------------------------------------------------------------------
# Locating commands


def _prepare(text: str) -> str:
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT]
    return text.replace("\r\n", "\n") if "\r" in text else text


def _command_words(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each `curl` / `curl.exe` / `/usr/bin/curl` standing as a command word.

    Plain string search, then a look at the neighbours: cheaper than a regular expression with
    a look-behind at every offset, and linear (the path walk-back is bounded).
    """
    i = text.find("curl")
    while i >= 0:
        end = i + 4
        if text[end : end + 4].lower() == ".exe":
            end += 4
        if end >= len(text) or text[end] in _AFTER_COMMAND:
            start = i
            if start > 0 and text[start - 1] == "/":
                floor = max(0, start - 256)
                while start > floor and text[start - 1] in _PATH_CHARS:
                    start -= 1
            if start == 0 or text[start - 1] in _BEFORE_COMMAND:
                yield start, end
        i = text.find("curl", i + 4)


def _find(text: str, wanted: int = MAX_COMMANDS) -> list[HttpRequest]:
    text = _prepare(text)
    found: list[HttpRequest] = []
    resume = 0
    candidates = 0
    # Rejected candidates can overlap (each may run to the end of a long continued line), so
    # the characters scanned are budgeted to keep the whole search linear in the paste.
    budget = 4 * len(text) + 100_000
    for start, word_end in _command_words(text):
        if start < resume:
            continue
        candidates += 1
        if candidates > MAX_CANDIDATES or len(found) >= wanted or budget <= 0:
            break
        limit = None
        before = text[start - 1] if start > 0 else ""
        if before == "`" or before == "(":
            # Inline code (`curl ...`) ends at the closing backtick, `$(curl ...)` at the ")".
            line_end = text.find("\n", start)
            close = text.find(
                "`" if before == "`" else ")", start, line_end if line_end >= 0 else len(text)
            )
            if close >= 0:
                limit = close
        requests, looks_real, end = _parse_at(text, start, limit, _hint(text, start))
        budget -= end - start
        if requests and looks_real:
            found.extend(requests[: wanted - len(found)])
            resume = max(end, word_end)
    return found


def _hint(text: str, start: int) -> str | None:
    """The shell a prompt before the command names (`PS C:\\>`, `C:\\>`), if any."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 200) : start]
    if not before.strip():
        return None
    if _PS_PROMPT.search(before):
        return POWERSHELL
    if _CMD_PROMPT.search(before):
        return CMD
    if before.rstrip().endswith("$"):
        return POSIX
    return None


def _parse_at(
    text: str, start: int, limit: int | None, hint: str | None
) -> tuple[list[HttpRequest], bool, int]:
    """Parse the command at `start`: its requests, whether it looks like a real command
    rather than prose that mentions curl ("curl returns 401 for me"), and where it ended."""
    split = split_command(text, start, limit, hint=hint)
    words = split.words[1:]  # the program name
    if split.words and split.words[0] == "curl" and _is_invoke_webrequest(words):
        request = _invoke_webrequest(words, split.notes)
        return ([request] if request else []), request is not None, split.end
    stdin = split.stdin
    source = "heredoc or here-string"
    if stdin is None and split.flavour == POSIX:
        stdin = _piped_input(text, start)
        source = "command piped into curl"
    transfers = _read_options(words, _Stdin(stdin, source) if stdin is not None else None)
    requests = [
        request for transfer in transfers if (request := _build(transfer, split.notes)) is not None
    ]
    looks_real = any(_looks_like_url(t.urls[0]) for t in transfers if t.urls) or (
        bool(words) and words[0].startswith("-") and len(words[0]) > 1
    )
    return requests, looks_real, split.end


def _piped_input(text: str, start: int) -> str | None:
    """What `echo ... |` or `printf ... |` right before the command writes to its input."""
    line_start = text.rfind("\n", 0, start) + 1
    head = text[line_start:start].rstrip(" \t")
    if not head.endswith("|") or head.endswith("||") or len(head) > 100_000:
        return None
    pipe_at = line_start + len(head) - 1
    at = line_start
    for _ in range(20):  # the last command before the pipe: skip `a && b; c` before it
        split = split_command(text, at, pipe_at, flavour=POSIX)
        if split.end >= pipe_at or split.end <= at:
            break
        at = split.end
        while at < pipe_at and text[at] in ";&|( \t":
            at += 1
    else:
        return None
    words = split.words[1:] if split.words[:1] == ["$"] else split.words
    if not words:
        return None
    if words[0] == "echo":
        return _echo(words[1:])
    if words in (["cat"], ["cat", "-"]):
        return split.stdin  # `cat <<EOF | curl ...`: the heredoc passes through
    if words[0] == "printf" and len(words) > 1:
        return _printf(words[1:])
    return None


_ECHO_ESCAPES = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n",
                 "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}  # fmt: skip
_BACKSLASH = re.compile(r"\\(0[0-7]{0,3}|[0-7]{1,3}|x[0-9A-Fa-f]{1,2}|c|.)", re.DOTALL)


def _unescape(text: str, octal_needs_zero: bool) -> tuple[str, bool]:
    """bash's `echo -e` / `printf` backslash escapes: (text, whether `\\c` cut it short)."""
    out: list[str] = []
    at = 0
    for m in _BACKSLASH.finditer(text):
        out.append(text[at : m.start()])
        at = m.end()
        code = m.group(1)
        if code == "c":
            return "".join(out), True
        if code[0] == "x":
            out.append(chr(int(code[1:], 16)))
        elif code[0] in "01234567" and (code[0] == "0" or not octal_needs_zero):
            digits = code[1:] if octal_needs_zero else code
            out.append(chr(int(digits or "0", 8) & 0xFF))
        else:
            out.append(_ECHO_ESCAPES.get(code, "\\" + code))
    out.append(text[at:])
    return "".join(out), False


def _echo(args: list[str]) -> str:
    """bash's builtin echo: -n (no newline), -e / -E (escapes on / off)."""
    newline, escapes = True, False
    while args and re.fullmatch(r"-[neE]+", args[0]):
        for flag in args[0][1:]:
            if flag == "n":
                newline = False
            else:
                escapes = flag == "e"
        args = args[1:]
    out = " ".join(args)
    if escapes:
        out, cut = _unescape(out, octal_needs_zero=True)
        newline = newline and not cut
    return out + ("\n" if newline else "")


_PRINTF_SPEC = re.compile(r"%([-+ 0#]*)(\d*)(?:\.(\d+))?([sbdic%])|%")


def _printf(args: list[str]) -> str | None:
    """bash's builtin printf for %s %b %d %i %c %%: the format is reused while arguments
    remain. None for a conversion it does not know."""
    if args[0] == "--":
        args = args[1:]
    if not args:
        return None
    form, values = args[0], args[1:]
    out: list[str] = []
    for _ in range(1000):
        used = 0
        pieces: list[str] = []
        at = 0
        for m in _PRINTF_SPEC.finditer(form):
            pieces.append(_unescape(form[at : m.start()], octal_needs_zero=False)[0])
            at = m.end()
            conversion = m.group(4)
            if conversion is None:
                return None  # %q, %x, %f...: not worked out
            if conversion == "%":
                pieces.append("%")
                continue
            value = values[used] if used < len(values) else ""
            used += 1
            if conversion == "b":
                value = _unescape(value, octal_needs_zero=True)[0]
            elif conversion in "di":
                number = re.match(r"\s*[-+]?\d+", value)
                value = str(int(number.group())) if number else "0"
            elif conversion == "c":
                value = value[:1]
            if m.group(3) is not None and conversion in "sb":
                value = value[: int(m.group(3))]
            width = int(m.group(2) or 0)
            value = value.ljust(width) if "-" in m.group(1) else value.rjust(width)
            pieces.append(value)
        pieces.append(_unescape(form[at:], octal_needs_zero=False)[0])
        out.append("".join(pieces))
        values = values[used:]
        if not used or not values:
            break
    return "".join(out)


def _looks_like_url(url: str) -> bool:
    if not url:
        return False
    if _SCHEME.match(url):
        return True
    if url[0] in "${<[" or url.startswith("%"):
        return True  # $URL, ${HOST}/x, {{baseUrl}}, <host>, %URL%
    host = url.split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1]
    return _HOSTISH.fullmatch(host) is not None


# ---------------------------------------------------------------------------------------------
# Reading options the way curl's parse_args does


def _read_options(words: list[str], stdin: _Stdin | None = None) -> list[_Transfer]:
    transfers = [_Transfer(stdin=stdin)]
    variables: dict[str, str] = {}
    t = transfers[0]
    still_flags = True
    i = 0
    count = len(words)
    while i < count:
        word = words[i]
        following = words[i + 1] if i + 1 < count else None
        if not (still_flags and word.startswith("-")):
            if word.startswith(_TYPOGRAPHIC_DASHES):
                t.note(f"{word[:20]!r} starts with a typographic dash: curl takes it as a URL")
            _add_url(t, word)
            i += 1
            continue
        if word == "--":
            still_flags = False  # later words are URLs even when they start with "-"
            i += 1
            continue
        if word.startswith("--"):
            match = resolve_long(word)
            option = match.option
            if option is None:
                # curl stops with an error here; the rest is still read for the diagnosis
                t.note(f"{match.problem or word}: curl refuses the command (skipped here)")
                i += 1
                continue
            if match.folded:
                t.note(f"{word.split('=', 1)[0]}: curl 8 refuses option names in another case "
                       f"(older curls read it as --{option.name})")  # fmt: skip
            elif match.by_prefix:
                # curl 8 looks long names up exactly; curl 7 took an unambiguous prefix. The
                # paste is read the old way for the diagnosis, and the refusal noted.
                t.note(f"{word.split('=', 1)[0]}: curl 8 refuses abbreviated option names "
                       f"(older curls read it as --{option.name})")  # fmt: skip
            if option.name == "next":
                t = _next_transfer(transfers, t)
                i += 1
                continue
            if option.kind != ARG:
                _apply(t, option, None, not match.negated, variables)
                i += 1
                continue
            used = 0
            value = match.value
            if value is None and option.name != "help":
                if following is None:
                    t.note(f"--{option.name} needs an argument and has none")
                    i += 1
                    continue
                value, used = following, 1
            if value is not None and match.expand:
                value = _expand(value, variables, t)
            _apply(t, option, value, True, variables)
            i += 1 + used
            continue
        # One dash: a group of short options, the last may take an argument.
        used = 0
        letters = word[1:]
        if not letters:
            t.note("'-' alone is not an option: skipped")
        j = 0
        while j < len(letters):
            option = SHORT.get(letters[j])
            if option is None:
                t.note(
                    f"unknown option -{letters[j]} (in {word[:20]!r}): curl refuses the "
                    "command (skipped here)"
                )
                break
            if option.name == "next":
                t = _next_transfer(transfers, t)
                j += 1
                continue
            if option.kind != ARG:
                _apply(t, option, None, option.name not in DOCUMENTED_AS_NO, variables)
                j += 1
                continue
            if j + 1 < len(letters):
                value: str | None = letters[j + 1 :]
            elif option.name == "help":
                value = None
            elif following is None:
                t.note(f"-{letters[j]} needs an argument and has none")
                break
            else:
                value, used = following, 1
            _apply(t, option, value, True, variables)
            break
        i += 1 + used
    return transfers


def _next_transfer(transfers: list[_Transfer], current: _Transfer) -> _Transfer:
    if not current.urls:
        current.note("--next without a URL before it (curl refuses this)")
    fresh = _Transfer(stdin=current.stdin)
    transfers.append(fresh)
    return fresh


def _add_url(t: _Transfer, url: str) -> None:
    if not url:
        t.note("empty URL argument (curl refuses a blank URL)")
        return
    t.urls.append(url)


def _apply(
    t: _Transfer,
    option: CurlOption,
    value: str | None,
    toggle: bool,
    variables: dict[str, str],
) -> None:
    """Record the option and do what curl does with it."""
    name = option.name
    t.options[name] = value if (option.kind == ARG and value is not None) else toggle
    if name in DEPRECATED:
        t.note(f"--{name} is deprecated: curl ignores it")
        return
    if option.kind == ARG:
        if value is not None:
            handler = _ARG_HANDLERS.get(name)
            if handler is not None:
                handler(t, value, name, variables)
        return
    if name == "get":
        t.use_get = toggle
    elif name == "head":
        t.no_body = toggle
    elif name in ("location", "location-trusted", "follow"):
        t.follow = toggle
    elif name == "compressed":
        t.compressed = toggle
    elif name in _HTTP_VERSIONS:
        t.http_version = name  # the last one given counts
    elif name == "tr-encoding":
        t.tr_encoding = toggle
    elif name == "anyauth":
        t.authtype = _AUTH_ANY
    elif name in _AUTH_BITS:
        bit = _AUTH_BITS[name]
        t.authtype = (t.authtype | bit) if toggle else (t.authtype & ~bit)


# Handlers for options whose argument changes the request: (transfer, value, name, variables).


def _on_url(t: _Transfer, value: str, name: str, variables: dict[str, str]) -> None:
    if value.startswith("@"):
        t.note(f"--url {value}: URLs are read from a file we cannot see")
        return
    _add_url(t, value)


def _on_request(t: _Transfer, value: str, name: str, variables: dict[str, str]) -> None:
    if not value:
        t.note("-X with an empty method (curl refuses it)")
        return
    if any(ch.isspace() for ch in value):
        t.note(f"-X {value[:30]!r}: curl 8 refuses a method with whitespace in it")
    t.custom_method = value


def _on_header(t: _Transfer, value: str, name: str, variables: dict[str, str]) -> None:
    if name == "proxy-header":
        return
    if value.startswith("@"):
        t.note(f"-H {value}: headers are read from a file we cannot see")
        return
    t.raw_headers.append(value)


def _on_data(t: _Transfer, value: str, name: str, variables: dict[str, str]) -> None:
    if name == "data-urlencode":
        piece, filename = _urlencode_arg(value)
        content = _read_stdin(t) if filename == "-" else None
        if content is not None:
            key = value[: value.find("@")]
            piece = f"{key}={_escape(content)}" if key else _escape(content)
        elif filename is not None:
            t.body_files.append(filename)
    elif value.startswith("@") and name != "data-raw":
        content = _read_stdin(t) if value == "@-" else None
        if content is None:
            # The body is the file's content; we keep "@file" as its stand-in.
            piece = value
            t.body_files.append(value[1:] or "-")
        elif name in ("data-binary", "json"):
            piece = content
        else:
            piece = content.replace("\r", "").replace("\n", "")  # -d drops line breaks
    else:
        piece = value
    if name == "json":
        t.jsoned = True
    # curl joins pieces with "&", except that a --json piece is glued on as-is
    if t.post_len and name != "json":
        t.post_parts.append("&")
        t.post_len += 1
    t.post_parts.append(piece)
    t.post_len += len(piece)
    t.has_post = True


def _read_stdin(t: _Transfer) -> str | None:
    """The standard input a `@-` reads, when the paste shows it."""
    if t.stdin is None:
        return None
    content = t.stdin.read()
    if content is not None:
        t.note(f"@- reads standard input: the {t.stdin.source}")
    return content


def _on_form(t: _Transfer, value: str, name: str, variables: dict[str, str]) -> None:
    key, sep, content = value.partition("=")
    if not sep:
        t.note(f"-F {value[:40]!r} has no '=' (curl refuses it)")
        return
    if name == "form-string":
        t.form.append((key, content))  # sent literally: no @file, no ;type=
        return
    part, filename, notes = _form_part(content)
    for message in notes:
        t.note(f"-F {key}: {message}")
    if part.startswith("<") and filename in ("-", ""):
        text = _read_stdin(t)  # `<-`: the part's text is the input the paste shows
        if text is not None:
            part, filename = text + part[1 + len(filename or "") :], None
    t.form.append((key, part))
    if filename is not None:
        t.body_files.append(filename or "-")


_FORM_SPACE = " \t\n\v\f\r"


def _form_word(text: str, end: str) -> tuple[str, str, bool]:
    """curl's get_param_word: (word, rest from its separator, quoted).

    A word starting with a double quote runs to the closing quote (backslash escapes `\\` and
    `\"`), and whatever follows up to the next `;` is dropped; otherwise it runs to the next
    `;` (or `end`, the `,` between file names).
    """
    if text.startswith('"'):
        out: list[str] = []
        i = 1
        while i < len(text):
            ch = text[i]
            if ch == "\\" and text[i + 1 : i + 2] in ("\\", '"'):
                out.append(text[i + 1])
                i += 2
                continue
            if ch == '"':
                j = i + 1
                while j < len(text) and text[j] != ";" and text[j] not in end:
                    j += 1
                return "".join(out), text[j:], True
            out.append(ch)
            i += 1
        # no closing quote: read as an unquoted word
    j = 0
    while j < len(text) and text[j] != ";" and text[j] not in end:
        j += 1
    return text[:j], text[j:], False


def _form_part(content: str) -> tuple[str, str | None, list[str]]:
    """One -F value the way curl's formparse reads it: (part, file name, notes).

    `part` is what curl sends, with the parameters it understood after it: `@file` / `<file`
    keep their sign, then `;type=`, `;filename=`, `;headers=`, `;encoder=`. Quotes around the
    content or a file name are removed, unquoted content ends at the first `;` and loses its
    surrounding blanks, and other `;name=value` pieces are dropped (curl warns and skips them).
    """
    notes: list[str] = []
    if content[:1] in ("(", ")"):
        notes.append("nested multipart parts are not expanded")
        return content, None, notes
    sign = content[:1] if content[:1] in ("@", "<") else ""
    end = "," if sign == "@" else ""
    data, rest, quoted = _form_word(content[len(sign) :].lstrip(_FORM_SPACE), end)
    if not quoted:
        data = data.rstrip(_FORM_SPACE)
    params: list[str] = []
    typed = type_open = False
    while rest.startswith(";"):
        piece = rest[1:].lstrip(_FORM_SPACE)
        label = next((k for k in ("type=", "filename=", "headers=", "encoder=")
                      if piece.startswith(k)), None)  # fmt: skip
        if label == "type=" and not typed:
            typed = type_open = True
            cut = _piece_end(piece, end)
            params.append(";type=" + piece[5:cut].lstrip(_FORM_SPACE).rstrip(_FORM_SPACE))
            rest = piece[cut:]
        elif label is not None and label != "type=":
            type_open = False  # curl ends the content type here
            word, rest, word_quoted = _form_word(piece[len(label) :].lstrip(_FORM_SPACE), end)
            params.append(f";{label}{word if word_quoted else word.rstrip(_FORM_SPACE)}")
        elif type_open:
            # more of the content type: `;type=text/plain; charset=utf-8`
            cut = len(rest) - len(piece) + _piece_end(piece, end)
            params[-1] += rest[:cut].rstrip(_FORM_SPACE)
            rest = rest[cut:]
        else:
            word, rest, _ = _form_word(piece, end)
            if word:
                notes.append(f"curl skips {word[:30]!r} after ';' (not a part parameter)")
    if rest.startswith(","):
        notes.append("several files in one part (curl sends them as a nested multipart)")
    return sign + data + "".join(params), (data if sign else None), notes


def _piece_end(piece: str, end: str) -> int:
    at = 0
    while at < len(piece) and piece[at] != ";" and piece[at] not in end:
        at += 1
    return at


def _on_user(t: _Transfer, value: str, name: str, variables: dict[str, str]) -> None:
    t.userpwd = value


def _on_user_agent(t: _Transfer, value: str, name: str, variables: dict[str, str]) -> None:
    t.user_agent = value


def _on_referer(t: _Transfer, value: str, name: str, variables: dict[str, str]) -> None:
    t.referer = value[:-5] if value.endswith(";auto") else value


def _on_cookie(t: _Transfer, value: str, name: str, variables: dict[str, str]) -> None:
    if "=" in value:
        t.cookies.append(value)
    else:
        t.note(f"-b {value}: cookies are read from a file we cannot see")


def _on_bearer(t: _Transfer, value: str, name: str, variables: dict[str, str]) -> None:
    if not value:
        t.note("--oauth2-bearer with an empty token: curl refuses it")
    t.bearer = value
    t.authtype |= _AUTH_BITS["oauth2-bearer"]


def _on_aws(t: _Transfer, value: str, name: str, variables: dict[str, str]) -> None:
    t.aws_sigv4 = value
    t.authtype |= _AUTH_BITS["aws-sigv4"]


def _on_upload(t: _Transfer, value: str, name: str, variables: dict[str, str]) -> None:
    if value:
        t.uploads.append(value)
        content = _read_stdin(t) if value == "-" and not t.uploads[:-1] else None
        if content is None:
            t.body_files.append(value)
        else:
            t.upload_body = content


def _on_url_query(t: _Transfer, value: str, name: str, variables: dict[str, str]) -> None:
    if value.startswith("+"):
        t.queries.append(value[1:])
        return
    piece, filename = _urlencode_arg(value)
    if filename is not None:
        t.body_files.append(filename)
    t.queries.append(piece)


def _on_proto_default(t: _Transfer, value: str, name: str, variables: dict[str, str]) -> None:
    t.proto_default = value


def _on_variable(t: _Transfer, value: str, name: str, variables: dict[str, str]) -> None:
    key, sep, content = value.partition("=")
    if sep and key and not key.startswith("%") and "@" not in key:
        if len(variables) < MAX_EXPANSIONS:
            variables[key] = content
        return
    t.note(f"--variable {value[:40]!r}: value comes from a file or the environment")


def _on_config(t: _Transfer, value: str, name: str, variables: dict[str, str]) -> None:
    t.note(f"-K {value}: more options are read from a config file we cannot see")


_ARG_HANDLERS = {
    "url": _on_url,
    "request": _on_request,
    "header": _on_header,
    "data": _on_data,
    "data-ascii": _on_data,
    "data-binary": _on_data,
    "data-raw": _on_data,
    "data-urlencode": _on_data,
    "json": _on_data,
    "form": _on_form,
    "form-string": _on_form,
    "user": _on_user,
    "user-agent": _on_user_agent,
    "referer": _on_referer,
    "cookie": _on_cookie,
    "oauth2-bearer": _on_bearer,
    "aws-sigv4": _on_aws,
    "upload-file": _on_upload,
    "url-query": _on_url_query,
    "proto-default": _on_proto_default,
    "variable": _on_variable,
    "config": _on_config,
}


def _urlencode_arg(value: str) -> tuple[str, str | None]:
    """--data-urlencode's forms: content, =content, name=content, @file, name@file.

    Returns the piece curl sends (a file's piece as `name=@file`, content unknown) and the
    file name when there is one. curl looks for '=' first and only then for '@'.
    """
    eq = value.find("=")
    sep_at = eq if eq >= 0 else value.find("@")
    if sep_at < 0:
        return _escape(value), None
    name, content = value[:sep_at], value[sep_at + 1 :]
    if value[sep_at] == "@":
        stand_in = f"{name}=@{content}" if name else f"@{content}"
        return stand_in, content or "-"
    encoded = _escape(content)
    return (f"{name}={encoded}" if name else encoded), None


def _escape(content: str) -> str:
    """curl_easy_escape (all but ALPHA DIGIT - . _ ~ as %XX), then spaces as '+'."""
    return quote(content, safe="-._~", encoding="utf-8", errors="surrogatepass").replace("%20", "+")


def _expand(value: str, variables: dict[str, str], t: _Transfer) -> str:
    """--expand-NAME: replace {{var}} (with :trim :url :json :b64 functions) like curl."""
    if "{{" not in value:
        return value

    def substitute(m: re.Match[str]) -> str:
        content = variables.get(m.group(1))
        if content is None:
            t.note(f"{{{{{m.group(1)}}}}} is not set: curl expands it to nothing")
            content = ""
        for function in m.group(2).split(":")[1:]:
            if function == "trim":
                content = content.strip()
            elif function == "url":
                content = quote(content, safe="-._~", errors="surrogatepass")
            elif function == "json":
                content = _json_escape(content)
            elif function == "b64":
                content = base64.b64encode(content.encode("utf-8", "surrogatepass")).decode()
            else:
                t.note(f"variable function :{function} not applied")
        return content

    return _VARIABLE_REF.sub(substitute, value, count=MAX_EXPANSIONS)


def _json_escape(content: str) -> str:
    out = []
    for ch in content:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch < " ":
            out.append(
                {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}.get(
                    ch, f"\\u{ord(ch):04x}"
                )
            )
        else:
            out.append(ch)
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Windows PowerShell 5.1: `curl` there is an alias of Invoke-WebRequest, not curl

_IWR_PARAMS = ("uri", "method", "headers", "body", "contenttype", "usebasicparsing", "outfile",
               "infile", "useragent", "websession", "credential", "timeoutsec")  # fmt: skip


def _iwr_param(word: str) -> str | None:
    """The Invoke-WebRequest parameter a `-Word` names (case-insensitive, prefixes allowed)."""
    if not word.startswith("-") or word.startswith("--") or len(word) < 3:
        return None
    name = word[1:].split(":", 1)[0].lower()
    hits = [p for p in _IWR_PARAMS if p.startswith(name)]
    return hits[0] if len(hits) == 1 or name in hits else None


# The parameters that show a command is Invoke-WebRequest rather than curl.
_IWR_TELLING = frozenset({"uri", "method", "headers", "body", "contenttype", "usebasicparsing"})


def _is_invoke_webrequest(words: list[str]) -> bool:
    for word in words[:40]:
        # Only `-Name` words of three or more characters can be parameters: curl's `-H`, URLs
        # and values are passed over without the prefix search (this runs for every command).
        if len(word) >= 3 and word[0] == "-" and word[1] != "-" and _iwr_param(word) in _IWR_TELLING:
            return True
    return False


def _invoke_webrequest(words: list[str], shell_notes: list[str]) -> HttpRequest | None:
    """The request Invoke-WebRequest would send, for its common parameters."""
    values: dict[str, str] = {}
    positional: list[str] = []
    i = 0
    while i < len(words):
        param = _iwr_param(words[i])
        if param is None:
            positional.append(words[i])
        elif ":" in words[i]:
            values[param] = words[i].split(":", 1)[1]
        elif param in ("usebasicparsing",):
            values[param] = "true"
        elif i + 1 < len(words):
            values[param] = words[i + 1]
            i += 1
        i += 1
    url = values.get("uri") or (positional[0] if positional else "")
    if not url:
        return None
    # Notes about passing arguments to native programs do not apply to a cmdlet.
    kept = [n for n in shell_notes if not n.startswith("PowerShell:")]
    notes = [*kept, "PowerShell: `curl` here is Invoke-WebRequest, which takes "
             "-Uri/-Method/-Headers/-Body, not curl's options"]  # fmt: skip
    headers: list[Header] = []
    if "contenttype" in values:
        headers.append(("Content-Type", values["contenttype"]))
    if "headers" in values:
        notes.append(f"-Headers {values['headers'][:60]}: not expanded")
    method = values.get("method", "GET").upper()
    return HttpRequest(
        method=method,
        url=url,
        headers=headers,
        body=values.get("body"),
        source="curl",
        explicit_method="method" in values,
        follow_redirects=True,  # Invoke-WebRequest follows redirects by default
        body_files=[values["infile"]] if "infile" in values else [],
        options={},
        notes=notes,
    )


# ---------------------------------------------------------------------------------------------
# The effective request


def _build(t: _Transfer, shell_notes: list[str]) -> HttpRequest | None:
    if not t.urls:
        return None
    notes = list(shell_notes)
    url = t.urls[0]
    if len(t.urls) > 1:
        extra = ", ".join(u[:60] for u in t.urls[1:4])
        notes.append(f"{len(t.urls) - 1} more URL(s) fetched with the same options: {extra}")
    if t.options.get("globoff") is not True:
        # The URL is kept as written (globbing left alone: the engine diagnoses the command the
        # user wrote); what curl would fetch first is noted.
        glob = glob_first(url)
        if glob.problem:
            notes.append(f"{glob.problem}: curl refuses the URL")
        elif glob.expanded:
            notes.append(f"URL pattern: curl requests each URL, first {glob.first[:100]}")
    url = _with_scheme(url, t.proto_default)

    body = "".join(t.post_parts) if t.has_post else None
    # curl allows one way of sending per request; -G turns -d into query data, not a body
    sending = [flag for flag, used in (("-I", t.no_body), ("-d", t.has_post and not t.use_get),
                                       ("-F", bool(t.form)), ("-T", bool(t.uploads))) if used]  # fmt: skip
    if len(sending) > 1:
        notes.append(f"{' and '.join(sending)} together: curl refuses to mix them")
    elif t.use_get and t.has_post and (t.form or t.uploads):
        # -G makes the -d data a GET, which cannot also send a form or an upload
        other = "-F" if t.form else "-T"
        notes.append(f"-G (with -d) and {other} together: curl refuses to mix them")
    if t.no_body:
        method = "HEAD"
    elif t.has_post and t.use_get:
        method = "GET"
    elif t.has_post or t.form:
        method = "POST"
    elif t.uploads:
        method = "PUT"
    else:
        method = "GET"
    if t.has_post and t.use_get:
        url = _append_query(url, body or "")
        body = None
        if t.queries:
            notes.append("--url-query with -G data: curl appends only the -G data")
    elif t.queries:
        url = _append_query(url, "&".join(t.queries))
    if t.upload_body is not None and not t.has_post and not t.form:
        body = t.upload_body  # -T - with the input the paste shows
    if t.uploads and not t.has_post:
        upload = t.uploads[0]
        if t.options.get("globoff") is not True:
            upload = glob_first(upload).first  # -T globs its file name like a URL
        url = _upload_url(url, upload, notes)
    if t.custom_method is not None:
        method = t.custom_method
    url = normalize(url, t.options.get("path-as-is") is True)
    if " " in url:  # also from -G data, which curl appends without encoding
        notes.append("the URL contains a space: curl rejects it (encode it as %20)")
    elif any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        notes.append("the URL contains a control character (a tab?): curl rejects it")
    port = _PORT.match(url)
    if port is not None and port.group(1) and (
        not port.group(1).isdigit() or int(port.group(1)) > 65535
    ):
        notes.append(f"port {port.group(1)[:20]!r} is no number up to 65535: curl rejects the URL")

    return HttpRequest(
        method=method,
        url=url,
        headers=_headers(t, url, body, notes),
        body=body,
        source="curl",
        explicit_method=t.custom_method is not None,
        follow_redirects=t.follow,
        body_files=list(t.body_files),
        form=list(t.form),
        options=dict(t.options),
        user=t.userpwd,
        notes=notes + t.notes,
    )


def _with_scheme(url: str, proto_default: str | None) -> str:
    """Add the scheme curl guesses when the URL has none."""
    if _SCHEME.match(url):
        return url
    if proto_default:
        return f"{proto_default}://{url}"
    host = url.split("/", 1)[0].rsplit("@", 1)[-1].lower()
    for prefix, scheme in _GUESSED_SCHEMES:
        if host.startswith(prefix):
            return f"{scheme}://{url}"
    return f"http://{url}"


def _append_query(url: str, query: str) -> str:
    """Append `query` to the URL's query string (before any fragment), as curl's -G does."""
    if not query:
        return url
    hash_at = url.find("#")
    base, fragment = (url, "") if hash_at < 0 else (url[:hash_at], url[hash_at:])
    scheme = _SCHEME.match(base)
    if scheme and "/" not in base[scheme.end() :].split("?", 1)[0]:
        head, sep, tail = base.partition("?")
        base = head + "/" + sep + tail  # curl's URL parser gives an empty path a "/"
    if "?" not in base:
        sep = "?"
    elif base.endswith(("?", "&")):
        sep = ""
    else:
        sep = "&"
    return f"{base}{sep}{query}{fragment}"


def _upload_url(url: str, filename: str, notes: list[str]) -> str:
    """-T file to a URL without a file part: curl appends the file's name."""
    if filename in ("-", "."):
        return url
    scheme = _SCHEME.match(url)
    start = scheme.end() if scheme else 0
    rest = url[start:]
    path_end = len(rest)
    for mark in "?#":
        at = rest.find(mark)
        if 0 <= at < path_end:
            path_end = at
    path = rest[:path_end]
    if "/" in path and not path.endswith("/"):
        return url
    leaf = filename.replace("\\", "/").rsplit("/", 1)[-1]
    if not leaf:
        return url
    notes.append(f"-T {filename}: curl appends the file name to a URL ending in '/'")
    # the name goes at the end of the path, before any query
    joined = path if path.endswith("/") else path + "/"
    return url[:start] + joined + quote(leaf, safe="-._~") + rest[path_end:]


def _custom_header(raw: str) -> tuple[str, str | None] | None:
    """How curl sends one -H argument: (name, value), (name, None) to suppress, or None."""
    colon = raw.find(":")
    if colon < 0:
        semi = raw.find(";")
        if semi > 0 and semi == len(raw) - 1:
            return raw[:semi], ""  # "Name;" sends an empty header
        return None
    if colon == 0:
        return None
    value = raw[colon + 1 :].lstrip(" \t\r\n")
    return raw[:colon], (value if value else None)


def _headers(t: _Transfer, url: str, body: str | None, notes: list[str]) -> list[Header]:
    custom: list[tuple[str, str | None]] = []
    for raw in t.raw_headers:
        parsed = _custom_header(raw)
        if parsed is None:
            notes.append(f"-H {raw[:40]!r} does not look like a header: curl skips it")
        else:
            custom.append(parsed)
    named = {name.strip().lower() for name, _ in custom}
    # A -F request: curl leaves every -H Content-Type out of the custom headers and sends the
    # first one's value (with the boundary it adds) after them, as the multipart's own header.
    mime = bool(t.form) and not t.has_post
    mime_type: str | None = "multipart/form-data"
    if mime and "content-type" in named:
        mime_type = next(v for n, v in custom if n.strip().lower() == "content-type")
        custom = [(n, v) for n, v in custom if n.strip().lower() != "content-type"]
    if t.jsoned:
        # --json adds these to the custom list unless -H already names them
        for name, value in (("Content-Type", "application/json"), ("Accept", "application/json")):
            if name.lower() not in named:
                custom.append((name, value))
                named.add(name.lower())

    out: list[Header] = []

    def add(name: str, value: str) -> None:
        if name.lower() not in named:  # any -H with this name (even "Name:") wins
            out.append((name, value))

    authorization = _authorization(t, url, notes)
    if authorization is not None:
        add("Authorization", authorization)
    byte_range = _range(t, notes)
    if byte_range is not None:
        add("Range", f"bytes={byte_range}")
    # leading blanks are not part of a header's value (curl sends them, readers skip them)
    if t.user_agent:
        add("User-Agent", t.user_agent.lstrip(" \t"))
    # curl 8 sends one Connection header, last: the first -H Connection's value, then the
    # tokens its own headers need (TE, Upgrade, HTTP2-Settings). A -H Connection is never
    # sent where it was given.
    connection: list[str] = []
    if "connection" in named:
        given = next(v for n, v in custom if n.strip().lower() == "connection")
        custom = [(n, v) for n, v in custom if n.strip().lower() != "connection"]
        if given:
            connection.append(given)
    if t.tr_encoding and "te" not in named:
        # asks for a compressed Transfer-Encoding (a -H TE: curl leaves it all to the user)
        out.append(("TE", "gzip"))
        connection.append("TE")
    if t.compressed:
        add("Accept-Encoding", ACCEPT_ENCODING)
    if t.referer:
        add("Referer", t.referer.lstrip(" \t"))
    if t.http_version == "http2" and url[:7].lower() == "http://":
        # --http2 on a plain-http URL: curl asks the server to upgrade (h2c), with its
        # SETTINGS (curl 8: 100 streams, 64 KiB window, no push) in base64url.
        out.append(("Upgrade", "h2c"))
        out.append(("HTTP2-Settings", H2C_SETTINGS))
        connection.extend(("Upgrade", "HTTP2-Settings"))
    if t.cookies:
        add("Cookie", ";".join(t.cookies).lstrip(" \t"))
    condition = _time_condition(t, notes)
    if condition is not None:
        add(*condition)
    out.extend((name, value) for name, value in custom if value is not None)
    if body is not None and t.has_post:
        add("Content-Type", "application/x-www-form-urlencoded")
    elif mime and mime_type:
        out.append(("Content-Type", mime_type))
    if connection:
        out.append(("Connection", ", ".join(connection)))
    return out


def _time_condition(t: _Transfer, notes: list[str]) -> tuple[str, str] | None:
    """-z DATE: If-Modified-Since (`-DATE`: If-Unmodified-Since, `=DATE`: Last-Modified)."""
    value = t.options.get("time-cond")
    if not isinstance(value, str):
        return None
    name, date = "If-Modified-Since", value
    if value[:1] in "+-=" and value:
        name = {"+": name, "-": "If-Unmodified-Since", "=": "Last-Modified"}[value[0]]
        date = value[1:]
    seconds = curl_getdate(date)
    if seconds is None:
        notes.append(f"-z {value[:40]}: not a date, so curl takes the time of that file "
                     "(no such file: no condition)")  # fmt: skip
        return None
    try:
        when = time.gmtime(seconds)
    except (OverflowError, OSError, ValueError):
        return None
    return name, (f"{_WKDAY[when.tm_wday]}, {when.tm_mday:02d} {_MONTHS[when.tm_mon - 1]} "
                  f"{when.tm_year:4d} {when.tm_hour:02d}:{when.tm_min:02d}:{when.tm_sec:02d} GMT")


_WKDAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# curl's time zone names, minutes west of GMT (summer zones one hour less)
_ZONES = {"GMT": 0, "UT": 0, "UTC": 0, "WET": 0, "BST": -60, "WAT": 60, "AST": 240, "ADT": 180,
          "EST": 300, "EDT": 240, "CST": 360, "CDT": 300, "MST": 420, "MDT": 360, "PST": 480,
          "PDT": 420, "YST": 540, "YDT": 480, "HST": 600, "HDT": 540, "CAT": 600, "AHST": 600,
          "NT": 660, "IDLW": 720, "CET": -60, "MET": -60, "MEWT": -60, "MEST": -120,
          "CEST": -120, "MESZ": -120, "FWT": -60, "FST": -120, "EET": -120, "WAST": -420,
          "WADT": -480, "CCT": -480, "JST": -540, "EAST": -600, "EADT": -660, "GST": -600,
          "NZT": -720, "NZST": -720, "NZDT": -780, "IDLE": -720, "Z": 0}  # fmt: skip
_ZONES.update({letter: 60 * (i + 1) for i, letter in enumerate("ABCDEFGHIKLM")})
_ZONES.update({letter: -60 * (i + 1) for i, letter in enumerate("NOPQRSTUVWXY")})
_DAY_ABBREVIATIONS = frozenset(d.lower() for d in _WKDAY)
_DAY_NAMES = frozenset(d.lower() for d in _WEEKDAYS)
_MONTH_NAMES = tuple(m.lower() for m in _MONTHS)
_DATE_TOKEN = re.compile(r"[A-Za-z]+|\d+")


def curl_getdate(text: str) -> int | None:
    """Seconds since 1970 for a date as curl_getdate reads it (parsedate.c), else None.

    Up to six tokens: a weekday, a month name, a zone name or +hhmm, hh:mm[:ss], YYYYMMDD,
    then plain numbers are the day of the month (1-31) and then the year (two digits: 19xx
    above 70, else 20xx). Anything else makes it fail.
    """
    wday = mon = mday = hour = minute = sec = year = tzoff = None
    day_next = True
    at = 0
    for _ in range(6):
        m = _DATE_TOKEN.search(text, at)
        if m is None:
            break
        token = m.group()
        at = m.end()
        if token[0].isalpha():
            low = token.lower()
            if wday is None and low in (_DAY_NAMES if len(token) > 3 else _DAY_ABBREVIATIONS):
                wday = low
            elif mon is None and low in _MONTH_NAMES:
                mon = _MONTH_NAMES.index(low)
            elif tzoff is None and token.upper() in _ZONES:
                tzoff = _ZONES[token.upper()] * 60
            else:
                return None
            continue
        clock = re.match(r"(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?", text[m.start() :])
        if sec is None and clock is not None:
            hour, minute = int(clock.group(1)), int(clock.group(2))
            sec = int(clock.group(3) or 0)
            at = m.start() + clock.end()
            continue
        value = int(token)
        before = text[m.start() - 1] if m.start() > 0 else ""
        found = False
        if tzoff is None and len(token) == 4 and value <= 1400 and before in "+-" and before:
            found = True
            tzoff = (value // 100 * 60 + value % 100) * 60
            tzoff = -tzoff if before == "+" else tzoff
        if len(token) == 8 and year is None and mon is None and mday is None:
            found = True
            year, mon, mday = value // 10000, value % 10000 // 100 - 1, value % 100
        if not found and day_next and mday is None:
            if 0 < value < 32:
                mday, found = value, True
            day_next = False
        if not found and not day_next and year is None:
            year, found = value, True
            if year < 100:
                year += 1900 if year > 70 else 2000
            if mday is None:
                day_next = True
        if not found:
            return None
    if sec is None:
        hour = minute = sec = 0
    if mday is None or mon is None or year is None:
        return None
    if mday > 31 or mon > 11 or hour > 23 or minute > 59 or sec > 60:  # type: ignore[operator]
        return None
    try:
        seconds = calendar.timegm((year, mon + 1, 1, hour, minute, sec)) + (mday - 1) * 86400
    except (OverflowError, ValueError):
        return None
    return seconds + (tzoff or 0)


def _range(t: _Transfer, notes: list[str]) -> str | None:
    """The byte range curl asks for with -r / -C (a resume offset wins over -r)."""
    resume = t.options.get("continue-at")
    wanted: str | None = None
    if isinstance(resume, str):
        # curl 8 refuses -C next to -r, --remove-on-error or --no-clobber (curl 7 took them)
        clashes = (
            ("-r", isinstance(t.options.get("range"), str)),
            ("--remove-on-error", t.options.get("remove-on-error") is True),
            ("--no-clobber", t.options.get("clobber") is False),
        )
        for flag, used in clashes:
            if used:
                notes.append(f"-C and {flag} together: curl 8 refuses the command")
                break
    if isinstance(resume, str):
        if resume.strip() == "-":
            notes.append("-C -: curl resumes from the size of the output file (none: from 0)")
        elif resume.strip().isdigit() and int(resume) > 0:
            wanted = f"{int(resume)}-"
            if (t.has_post and not t.use_get) or t.form:
                notes.append(f"-C {resume} with {'-F' if t.form else '-d'}: curl refuses to mix them")
    requested = t.options.get("range")
    if wanted is None and isinstance(requested, str) and requested:
        wanted = requested
        start = re.match(r"\d+", requested)
        if start is not None and "-" not in requested:
            wanted = f"{int(start.group())}-"  # curl appends the dash a range must have
    if wanted is None:
        return None
    if (t.has_post and not t.use_get) or t.form or (t.uploads and not t.no_body):
        # a body: curl sends Content-Range with the body's size instead
        notes.append(f"-r {wanted} with a body: curl sends a Content-Range header instead")
        return None
    return wanted


def _authorization(t: _Transfer, url: str, notes: list[str]) -> str | None:
    """The Authorization value curl computes itself, if it sends one on the first request."""
    wanted = t.authtype or _AUTH_BITS["basic"]
    credentials = t.userpwd
    from_url = False
    if credentials is None:
        m = _USERINFO.match(url)
        if m is not None:
            credentials = unquote(m.group(2))
            from_url = True
    if wanted & (wanted - 1):  # more than one scheme
        if credentials is not None or t.bearer is not None:
            names = [n for n, bit in _AUTH_BITS.items() if wanted & bit]
            listed = "--anyauth" if wanted == _AUTH_ANY else ", ".join("--" + n for n in names)
            notes.append(f"{listed}: several auth schemes, so curl sends no credentials until "
                         "the server's 401 names one")  # fmt: skip
        return None
    if wanted == _AUTH_BITS["oauth2-bearer"]:
        if t.userpwd is not None:
            notes.append("--oauth2-bearer and -u both given: curl sends the bearer token")
        return f"Bearer {t.bearer}" if t.bearer is not None else None
    if wanted == _AUTH_BITS["aws-sigv4"]:
        notes.append("--aws-sigv4: curl signs the request (Authorization computed at send time)")
        return None
    if credentials is None:
        return None
    if wanted == _AUTH_BITS["ntlm"]:
        # NTLM starts at once with its fixed type-1 (negotiate) message
        notes.append("--ntlm: the credentials go in the later type-3 message")
        return f"NTLM {_NTLM_TYPE1}"
    if wanted != _AUTH_BITS["basic"]:
        scheme = next(n for n, bit in _AUTH_BITS.items() if bit == wanted)
        notes.append(f"--{scheme}: curl sends no credentials until the server's challenge")
        return None
    if ":" not in credentials:
        if not from_url:
            notes.append("-u without ':password': curl prompts for the password")
            return None
        credentials += ":"  # a user in the URL alone goes with an empty password
    if from_url:
        notes.append("credentials in the URL: curl sends them as Basic auth")
    token = base64.b64encode(credentials.encode("utf-8", "surrogatepass")).decode("ascii")
    return f"Basic {token}"
