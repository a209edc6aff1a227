"""HTTP messages as people paste them: curl -i, curl -v, devtools, Postman, bare bodies.

`find_http(text)` walks the paste line by line once. At each line it asks, in order: is this
a curl command (skipped: its `-d` body is not a response), a `curl -v` line (`*`, `>`, `<`),
a status line (`HTTP/1.1 429 ...`), a raw request line (`POST /x HTTP/1.1`), the start of a
devtools or Postman copy, or the start of a body pasted on its own (JSON, XML, HTML)? Every
branch consumes at least one line and every scan is capped, so the whole walk is linear in
the paste and never backtracks; no regular expression here has nested quantifiers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from knowledge.model import Header, HttpRequest, HttpResponse, header_value

MAX_TEXT = 2_000_000  # characters read at all; the normaliser caps pastes well below this
MAX_LINES = 100_000
MAX_HEADERS = 200  # per message; further header lines are consumed and dropped
MAX_BODY = 64 * 1024  # characters kept (and scanned) per body
MAX_MESSAGES = 200  # requests + responses + bodies kept per paste
# Characters spent on body candidates that turned out not to be bodies ("{id} in prose"):
# without a budget, many unclosed `{` could each scan 64 KB and make the walk quadratic.
MISS_BUDGET = 1_000_000
MAX_CURL_LINES = 500

# RFC 9110 §5.6.2 tchar
_TCHAR = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

_STATUS_LINE = re.compile(r"HTTP/(\d(?:\.\d)?)[ \t]+(\d{3})(?:[ \t]+(.*))?$")
_REQUEST_LINE = re.compile(r"([A-Z][A-Z_-]{1,19})[ \t]+(\S+)[ \t]+HTTP/(\d(?:\.\d)?)[ \t]*$")
_DATA_LINE = re.compile(r"[{}] \[\d+ bytes data\]")
_POSTMAN_STATUS = re.compile(r"Status:?[ \t]+(\d{3})\b[ \t]*(.*)$", re.IGNORECASE)
_METHOD_URL = re.compile(r"([A-Z]{3,10})[ \t]+(https?://\S+)[ \t]*$")
_CONNECTED = re.compile(r"Connected to (\S+) (?:\([^)]*\) )?port (\d{1,5})")
_OPENED_STREAM = re.compile(r"OPENED stream for (https?://\S+)")
_MARKUP_START = re.compile(r"<!doctype html|<html|<\?xml", re.IGNORECASE)
_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)
_TAG_NAME = re.compile(r"<([A-Za-z][A-Za-z0-9:_.-]{0,63})")
_JSONISH = re.compile(r"[{}\[\]\"'\\\n]")
_CURL_IN_LINE = re.compile(r"(?:^|[\s`$>(])curl(?:\.exe)?[ \t]+(?=[-'\"hH$])")

_GENERAL_KEYS = frozenset(
    {
        "request url",
        "request method",
        "status code",
        "remote address",
        "referrer policy",
    }
)
# Firefox's summary rows and Postman's status bar: read or ignored, never response headers.
_SUMMARY_KEYS = frozenset(
    {
        "scheme",
        "host",
        "filename",
        "address",
        "status",
        "version",
        "transferred",
        "request priority",
        "dns resolution",
        "time",
        "size",
        "referrer policy",
        "blocking",
    }
)
_HEADINGS = {"general": "general", "response headers": "response", "request headers": "request"}
# Headers only a response carries: a bare block of headers holding one is a response's.
_RESPONSE_ONLY = frozenset(
    {
        "server",
        "date",
        "retry-after",
        "www-authenticate",
        "set-cookie",
        "location",
        "via",
        "cf-ray",
        "x-request-id",
        "x-amzn-requestid",
        "x-amz-request-id",
        "x-github-request-id",
        "request-id",
        "allow",
        "etag",
        "last-modified",
        "x-powered-by",
        "age",
        "x-cache",
        "content-security-policy",
        "strict-transport-security",
        "vary",
        "x-envoy-upstream-service-time",
    }
)
_SKIP_LINES = ("provisional headers are shown", "learn more", "key\tvalue", "key value")
_ELISION = frozenset({"...", "…", "[...]", "(...)", "<snip>", "[snip]"})
_NO_BODY_STATUSES = frozenset({204, 304})


@dataclass
class HttpFound:
    """What `find_http` found, each list in the order it appears in the paste."""

    requests: list[HttpRequest] = field(default_factory=list)
    responses: list[HttpResponse] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)


def find_http(text: str) -> HttpFound:
    """Requests, responses and standalone bodies in `text`. Never raises."""
    try:
        return _Walker(text).run()
    except (ValueError, IndexError, RecursionError, TypeError):  # pragma: no cover - defensive
        return HttpFound()


# ---------------------------------------------------------------------------- line helpers


def parse_header_line(line: str) -> Header | None:
    """`name: value` (also `name<TAB>value` and Postman's old `name → value`), else None.

    Names are kept as written and must be RFC 9110 tokens (a leading `:` is allowed for
    HTTP/2 pseudo-headers); values are stripped.
    """
    if not line or line[0] in " \t":
        return None
    start = 1 if line[0] == ":" else 0
    best = -1
    for sep in (":", "\t", "→"):
        at = line.find(sep, start, start + 130)
        if at > 0 and (best < 0 or at < best):
            best = at
    if best <= 0:
        return None
    name = line[:best].rstrip()
    if not name or not _is_token(name[start:]):
        return None
    value = line[best + 1 :].strip()
    if line[best] == ":" and value.startswith("//"):
        return None  # a URL such as https://x, not a header
    return name, value


def _is_token(name: str) -> bool:
    return 0 < len(name) <= 128 and all(ch in _TCHAR for ch in name)


def _status_line(line: str) -> tuple[str, int, str] | None:
    if not line.startswith("HTTP/"):
        return None
    match = _STATUS_LINE.match(line)
    if match is None:
        return None
    return match.group(1), int(match.group(2)), (match.group(3) or "").strip()


def _request_line(line: str) -> tuple[str, str, str] | None:
    if not line[:1].isupper():
        return None
    match = _REQUEST_LINE.match(line)
    if match is None:
        return None
    return match.group(1), match.group(2), match.group(3)


def _verbose_kind(line: str) -> str | None:
    """`info` (`* `), `out` (`> `), `in` (`< `), `data` (`{ [5 bytes data]`, progress) or None."""
    head = line[:2]
    if head in ("* ", "*\t") or line == "*":
        return "info"
    if head == "> " or line == ">":
        return "out"
    if head == "< " or line == "<":
        return "in"
    if head in ("{ ", "} ") and _DATA_LINE.match(line):
        return "data"
    if _is_progress(line):
        return "data"
    return None


def _is_progress(line: str) -> bool:
    """curl's progress meter, which lands in pastes whenever output was piped."""
    if "% Total" in line or ("Dload" in line and "Upload" in line):
        return True
    stripped = line.strip()
    return (
        len(stripped) >= 30
        and stripped[:1].isdigit()
        and ("--:--:--" in stripped or stripped.count(":") >= 6)
        and all(ch in "0123456789 .:-kMGTPB" for ch in stripped[:200])
    )


def _strip_prompt(line: str) -> str:
    stripped = line.lstrip()
    for prompt in ("$ ", "% ", "# ", "> ", "❯ ", "λ ", "PS> "):
        if stripped.startswith(prompt):
            return stripped[len(prompt) :].lstrip()
    return stripped


def _curl_start(line: str) -> int | None:
    """Column where a curl command starts on this line, or None."""
    stripped = _strip_prompt(line)
    if stripped.startswith(("curl ", "curl\t", "curl.exe ")):
        return len(line) - len(stripped)
    if "curl" not in line:
        return None
    match = _CURL_IN_LINE.search(line[:4096])
    if match is None:
        return None
    return match.start() + (0 if line[match.start() : match.start() + 4] == "curl" else 1)


def _quote_state(segment: str, state: str) -> str:
    """Shell quote state after `segment`: "" (none), "'" or '"'. POSIX rules, bounded input."""
    escaped = False
    for ch in segment[:MAX_BODY]:
        if escaped:
            escaped = False
        elif state == "'":
            if ch == "'":
                state = ""
        elif ch == "\\":
            escaped = True
        elif state == '"':
            if ch == '"':
                state = ""
        elif ch in "'\"":
            state = ch
    return state


def _scan_balanced(text: str, start: int, limit: int, strings: bool) -> int | None:
    """End (exclusive) of the bracketed value starting at `start`, or None; see `_scan`."""
    end, _open = _scan(text, start, limit, strings)
    return end


def _scan(text: str, start: int, limit: int, strings: bool) -> tuple[int | None, bool]:
    """(End (exclusive) of the bracketed value starting at `start` or None when unclosed,
    whether a string was still open at the end).

    Tolerates invalid JSON: bracket kinds need not match, single quotes count as strings, an
    apostrophe string ends at the line end (`it's` in unquoted prose). With `strings` off,
    quotes are ignored: the fallback for a string that never closes.
    """
    depth = 0
    in_str = ""
    skip_to = -1
    for match in _JSONISH.finditer(text, start, limit):
        pos = match.start()
        if pos < skip_to:
            continue
        ch = text[pos]
        if in_str:
            if ch == "\\":
                skip_to = pos + 2
            elif ch == in_str or (ch == "\n" and in_str == "'"):
                in_str = ""
            continue
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth <= 0:
                return pos + 1, False
        elif strings and ch in "\"'":
            in_str = ch
    return None, bool(in_str)


# ---------------------------------------------------------------------------- the walker


@dataclass
class _VerboseState:
    """What `curl -v` info lines said about the connection the next `>` block uses."""

    host: str = ""
    port: int | None = None
    tls: bool = False
    url: str = ""
    scheme: str = ""


class _Walker:
    """One pass over the paste's lines; see the module docstring for the order of checks."""

    def __init__(self, text: str) -> None:
        text = text[:MAX_TEXT].replace("\r\n", "\n").replace("\r", "\n")
        self.text = text
        self.lines = text.split("\n", MAX_LINES)[:MAX_LINES]
        self.offsets: list[int] = []
        at = 0
        for line in self.lines:
            self.offsets.append(at)
            at += len(line) + 1
        self.found = HttpFound()
        self.verbose = _VerboseState()
        self.pending: HttpResponse | None = None  # a response still waiting for its body
        self.miss_budget = MISS_BUDGET
        self.bare_checked_to = 0
        self.unclosed_until = 0  # unclosed `{` runs already walked (keeps the walk linear)
        self.first_line = next((k for k, line in enumerate(self.lines) if line.strip()), -1)

    # -- driver

    def run(self) -> HttpFound:
        i = 0
        n = len(self.lines)
        while i < n and self._count() < MAX_MESSAGES:
            nxt = self._step(i)
            i = max(nxt, i + 1)
        return self.found

    def _count(self) -> int:
        found = self.found
        return len(found.requests) + len(found.responses) + len(found.bodies)

    def _step(self, i: int) -> int:
        line = self.lines[i]
        if not line.strip():
            return i + 1
        kind = _verbose_kind(line)
        if kind == "info":
            self._verbose_info(line[2:].strip())
            return i + 1
        if kind == "out":
            if _curl_start(line) is not None:
                return self._skip_curl(i)  # `> curl ...`: a prompt, not a request line
            if _request_line(line[2:].strip()):
                self.pending = None
                return self._verbose_request(i)
            return i + 1
        if kind == "in":
            if _status_line(line[2:].strip()):
                self.pending = None
                return self._verbose_response(i)
            return i + 1
        if kind == "data":
            return i + 1
        if _curl_start(line) is not None:
            return self._skip_curl(i)
        stripped = line.strip()
        status = _status_line(stripped)
        if status is not None:
            self.pending = None
            return self._status_response(i, status)
        request = _request_line(stripped)
        if request is not None:
            self.pending = None
            return self._raw_request(i, request)
        if self._devtools_start(i):
            self.pending = None
            return self._devtools(i)
        return self._maybe_body(i)

    def _is_message_start(self, line: str) -> bool:
        """A line that ends whatever body or header block came before it."""
        stripped = line.strip()
        kind = _verbose_kind(line)
        return (
            kind in ("info", "out", "in")
            or _status_line(stripped) is not None
            or _request_line(stripped) is not None
            or _curl_start(line) is not None
        )

    def _add_request(self, request: HttpRequest) -> None:
        self.found.requests.append(request)

    def _add_response(self, response: HttpResponse) -> None:
        self.found.responses.append(response)

    # -- curl commands (skipped)

    def _skip_curl(self, i: int) -> int:
        """Skip a curl command and its continuation lines (trailing `\\`, `^`, `` ` `` or an
        open quote); its `-d` data is the request body, never a response body."""
        col = _curl_start(self.lines[i]) or 0
        state = ""
        j = i
        segment = self.lines[i][col:]
        end = min(len(self.lines), i + MAX_CURL_LINES)
        while j < end:
            state = _quote_state(segment, state)
            cont = segment.rstrip().endswith(("\\", "^", "`"))
            j += 1
            if j >= end or not (cont or state):
                break
            segment = self.lines[j]
            # An open quote never runs past a blank line or a response: quotes were unbalanced.
            if not segment.strip() or self._is_message_start(segment):
                break
        return j

    # -- curl -v

    def _verbose_info(self, info: str) -> None:
        state = self.verbose
        if info.startswith("Trying "):
            state.tls = False
        match = _CONNECTED.search(info[:400])
        if match is not None:
            state.host = match.group(1)
            state.port = _to_int(match.group(2))
            state.tls = False
            state.url = ""
            state.scheme = ""
            return
        lowered = info[:200].lower()
        if lowered.startswith(("alpn", "ssl", "tls", "server certificate", "using http/2")) or (
            "tls" in lowered and "handshake" in lowered
        ):
            state.tls = True
        opened = _OPENED_STREAM.search(info[:1000])
        if opened is not None:
            state.url = opened.group(1)
        if ":scheme: " in info[:200]:
            state.scheme = info.split(":scheme: ", 1)[1].strip(" ]").lower()

    def _verbose_request(self, i: int) -> int:
        parsed = _request_line(self.lines[i][2:].strip())
        assert parsed is not None
        method, target, _version = parsed
        headers: list[Header] = []
        j = self._read_headers(i + 1, headers, prefix=">")
        host = header_value(headers, "Host") or header_value(headers, ":authority") or ""
        url = self._verbose_url(target, host)
        self._add_request(HttpRequest(method=method, url=url, headers=headers, source="verbose"))
        return j

    def _verbose_url(self, target: str, host: str) -> str:
        if target.lower().startswith(("http://", "https://")):
            return target  # absolute-form: a request through a proxy
        state = self.verbose
        if not host:
            host = state.host
            if host and state.port and state.port not in (80, 443):
                host = f"{host}:{state.port}"
        if state.scheme in ("http", "https"):
            scheme = state.scheme
        elif state.tls or state.port == 443:
            scheme = "https"
        elif state.port is not None:
            scheme = "http"
        elif state.url:
            scheme = state.url.split(":", 1)[0].lower()
        else:
            scheme = _scheme_for_host(host)
        if not host:
            return target
        return f"{scheme}://{host}{target if target.startswith('/') else '/' + target}"

    def _verbose_response(self, i: int) -> int:
        parsed = _status_line(self.lines[i][2:].strip())
        assert parsed is not None
        version, status, reason = parsed
        headers: list[Header] = []
        j = self._read_headers(i + 1, headers, prefix="<")
        response = HttpResponse(
            status=status, reason=reason, version=version, headers=headers, source="verbose"
        )
        self._add_response(response)
        ended_blank = j - 1 > i and self.lines[j - 1].strip() == "<"
        if _expects_body(response) and ended_blank:
            # The body follows, possibly after `{ [n bytes data]`, progress or `* ` lines.
            k = j
            while (
                k < len(self.lines)
                and k < j + 20
                and _verbose_kind(self.lines[k]) in ("data", "info")
            ):
                if _verbose_kind(self.lines[k]) == "info":
                    self._verbose_info(self.lines[k][2:].strip())
                k += 1
            if (
                k < len(self.lines)
                and _verbose_kind(self.lines[k]) is None
                and self.lines[k].strip()
            ):
                body, j = self._read_body(k)
                response.body = body
            if not response.body:
                self.pending = response  # a JSON or HTML body may still come after prose
        return j

    # -- curl -i / raw messages

    def _status_response(self, i: int, status_line: tuple[str, int, str]) -> int:
        version, status, reason = status_line
        headers: list[Header] = []
        j = self._read_headers(i + 1, headers)
        response = HttpResponse(
            status=status, reason=reason, version=version, headers=headers, source="status_line"
        )
        self._add_response(response)
        if not _expects_body(response) or j >= len(self.lines):
            return j
        if not self.lines[j - 1].strip() or self.lines[j].lstrip()[:1] in ("{", "[", "<"):
            # After the blank line, or a body pasted right under the headers; a line of
            # prose right under the headers is not a body.
            body, j = self._read_body(j)
            response.body = body
        return j

    def _raw_request(self, i: int, request_line: tuple[str, str, str]) -> int:
        method, target, _version = request_line
        headers: list[Header] = []
        j = self._read_headers(i + 1, headers)
        host = header_value(headers, "Host") or ""
        if target.lower().startswith(("http://", "https://")):
            url = target
        elif host:
            path = target if target.startswith("/") else "/" + target
            url = f"{_scheme_for_host(host)}://{host}{path}"
        else:
            url = target
        request = HttpRequest(method=method, url=url, headers=headers, source="http")
        if j < len(self.lines):
            body, j = self._read_body(j)
            request.body = body or None
        self._add_request(request)
        return j

    def _read_headers(self, i: int, headers: list[Header], prefix: str = "") -> int:
        """Header lines from `i` up to the blank line; returns the line after the block.

        With a prefix (`>`/`<` of curl -v) only lines carrying it belong to the block. Without
        one, the block also ends before a body that follows with no blank line, and before a
        line that is neither header nor continuation (prose).
        """
        j = i
        n = len(self.lines)
        while j < n:
            raw = self.lines[j]
            if prefix:
                if _verbose_kind(raw) != ("out" if prefix == ">" else "in"):
                    return j
                line = raw[2:] if len(raw) > 1 else ""
            else:
                line = raw
            if not line.strip():
                return j + 1
            if line[0] in " \t" and headers:
                if line.strip() in _ELISION:
                    j += 1
                    continue
                if len(headers) <= MAX_HEADERS:
                    name, value = headers[-1]
                    headers[-1] = (name, f"{value} {line.strip()}"[:MAX_BODY])
                j += 1
                continue
            header = parse_header_line(line.strip() if prefix else line)
            if header is None:
                if line.strip() in _ELISION:
                    j += 1
                    continue
                return j  # body without a blank line, prose, or the next message
            if len(headers) < MAX_HEADERS:
                headers.append(header)
            j += 1
        return j

    # -- bodies

    def _read_body(self, i: int) -> tuple[str, int]:
        """The body starting at or after line `i` (blank lines skipped): (text, next line)."""
        n = len(self.lines)
        j = i
        while j < n and not self.lines[j].strip():
            j += 1
        if j >= n or self._is_message_start(self.lines[j]) or _verbose_kind(self.lines[j]):
            return "", j
        line = self.lines[j]
        stripped = line.lstrip()
        col = len(line) - len(stripped)
        if stripped[:1] in ("{", "["):
            found = self._bracketed(j, col)
            if found is not None:
                return found
        elif stripped[:1] == "<":
            return self._markup(j, col)
        return self._plain(j)

    def _plain(self, i: int) -> tuple[str, int]:
        """Lines up to a blank line or the next message: a text body such as `no healthy upstream`."""
        n = len(self.lines)
        j = i
        size = 0
        while j < n:
            line = self.lines[j]
            if not line.strip() or (
                j > i and (self._is_message_start(line) or _verbose_kind(line))
            ):
                break
            size += len(line) + 1
            j += 1
            if size >= MAX_BODY:
                break
        return "\n".join(self.lines[i:j])[:MAX_BODY].strip(), max(j, i + 1)

    def _bracketed(self, i: int, col: int) -> tuple[str, int] | None:
        """A JSON-ish value starting at line `i`, column `col`; None when it never closes."""
        if self.miss_budget <= 0:
            return None
        start = self.offsets[i] + col
        limit = min(len(self.text), start + MAX_BODY)
        end, open_string = _scan(self.text, start, limit, strings=True)
        if end is None and open_string:
            # A string that never closed swallowed the brackets: count them without strings.
            end = _scan_balanced(self.text, start, limit, strings=False)
        if end is None:
            self.miss_budget -= 2 * (limit - start)
            return None
        return self.text[start:end], self._line_after(i, end)

    def _line_after(self, i: int, end: int) -> int:
        """Index of the line after the one holding text offset `end - 1`."""
        j = i
        n = len(self.lines)
        while j + 1 < n and self.offsets[j + 1] < end:
            j += 1
        return j + 1

    def _markup(self, i: int, col: int) -> tuple[str, int]:
        """An HTML page or XML document: up to `</html>` or the root element's end tag; when
        neither is found, up to the next blank line."""
        found = self._closed_markup(i, col)
        return found if found is not None else self._plain(i)

    def _closed_markup(self, i: int, col: int) -> tuple[str, int] | None:
        start = self.offsets[i] + col
        limit = min(len(self.text), start + MAX_BODY)
        head = self.text[start : start + 4096]
        end_at: int | None = None
        if head[:2] == "<?":
            close = head.find("?>")
            root = _TAG_NAME.search(head, close + 2 if close >= 0 else 2)
            end_at = self._close_tag(root.group(1) if root else "", start, limit)
        elif head[:2] == "<!":
            html = _HTML_END.search(self.text, start, limit)
            end_at = html.end() if html is not None else None
        else:
            root = _TAG_NAME.match(head)
            if root is not None:
                if root.group(1).lower() == "html":
                    html = _HTML_END.search(self.text, start, limit)
                    end_at = html.end() if html else None
                else:
                    end_at = self._close_tag(root.group(1), start, limit)
        if end_at is None:
            return None
        return self.text[start:end_at], self._line_after(i, end_at)

    def _close_tag(self, name: str, start: int, limit: int) -> int | None:
        if not name:
            return None
        at = self.text.find(f"</{name}>", start, limit)
        return at + len(name) + 3 if at >= 0 else None

    def _maybe_body(self, i: int) -> int:
        """A JSON/XML/HTML body pasted on its own, possibly inside prose on the same line."""
        if self.miss_budget <= 0:
            return i + 1
        if i == self.first_line:
            lone = self._lone_payload(i)
            if lone is not None:
                return self._keep_body(*lone, markup=False)
        line = self.lines[i]
        start = _body_start(line, self.text, self.offsets[i])
        if start is None:
            return i + 1
        col, kind = start
        if kind == "markup":
            found = self._closed_markup(i, col)
            if found is None:
                if not _MARKUP_START.match(line, col):
                    self.miss_budget -= MAX_BODY  # `<your-token>` in prose, not a document
                    return i + 1
                found = self._plain(i)
            body, j = found
        else:
            found = self._bracketed(i, col)
            if found is not None:
                body, j = found
                if not _looks_jsonish(body):
                    self.miss_budget -= len(body) + 1
                    return i + 1
            else:
                if i < self.unclosed_until:
                    return i + 1  # inside a run already judged not to be a truncated body
                body, j = self._unclosed(i, col)
                if not _looks_jsonish(body):
                    self.unclosed_until = j
                    return i + 1
        return self._keep_body(body, j, markup=kind == "markup")

    def _keep_body(self, body: str, j: int, *, markup: bool) -> int:
        """Store a body found on its own (or as the pending response's); the next line is `j`."""
        body = body[:MAX_BODY]
        if not markup and self._devtools_json(body):
            return j
        if self.pending is not None:
            self.pending.body = body
            self.pending = None
        else:
            self.found.bodies.append(body)
        return j

    def _lone_payload(self, i: int) -> tuple[str, int] | None:
        """A paste that opens with `{` or `[` is almost always a payload someone is about to
        send, so it is read as JSON even when it is too broken for `_looks_jsonish` (`[1,`,
        `[tru]`, `{"a" b}`), and junk or a comment after the value on its line is kept in the
        body (`[1]]`, `{"a":1}//`) so the JSON check sees it; so is an invisible character
        before it (a byte order mark). Logs (`[INFO] ...`, `[2026-11-25 ...]`), templates
        (`{{url}}`) and a value followed by a remark (words or a status: `... after refresh`,
        `... // why 400`) are left to the ordinary path."""
        line = self.lines[i]
        stripped = line.lstrip()
        lead = len(line) - len(stripped)
        col = lead
        while col < min(len(line), lead + 8) and line[col] in _LEADING_INVISIBLE:
            col += 1
        if line[col : col + 1] not in ("{", "["):
            return None
        start = self.offsets[i] + col
        if not _payload_opening(self.text, start):
            return None
        invisible = line[lead:col]
        found = self._bracketed(i, col)
        if found is None:
            body, j = self._unclosed(i, col)
            return None if _has_words(body, pairs=True) else (invisible + body, j)
        body, j = found
        end = start + len(body)
        line_end = self.offsets[j] - 1 if j < len(self.lines) else len(self.text)
        rest = self.text[end:line_end]
        if rest.strip():
            if _has_words(rest, pairs=False) or _has_status(rest):
                return None  # `{"a": 1} after refresh`, `[1] // why 400`: a remark on the value
            body = self.text[start:line_end].rstrip()
        return invisible + body, j

    def _unclosed(self, i: int, col: int) -> tuple[str, int]:
        """A JSON value that never closes (truncated paste): up to the next blank line."""
        n = len(self.lines)
        j = i + 1
        size = len(self.lines[i])
        while j < n and self.lines[j].strip() and size < MAX_BODY:
            if self._is_message_start(self.lines[j]):
                break
            size += len(self.lines[j]) + 1
            j += 1
        text = "\n".join([self.lines[i][col:], *self.lines[i + 1 : j]])
        return text[:MAX_BODY].rstrip(), j

    # -- devtools and Postman

    def _devtools_start(self, i: int) -> bool:
        line = self.lines[i].strip()
        lowered = line.lower()
        key = lowered.split(":", 1)[0].strip() if ":" in lowered else lowered
        if key in _GENERAL_KEYS:
            return True
        if _heading(line) in ("response", "request"):
            return True
        if _heading(line) == "general":
            nxt = self._next_nonblank(i + 1)
            return nxt is not None and _general_key(self.lines[nxt]) is not None
        if line.startswith((":status", ":method", ":path", ":authority", ":scheme")):
            return True
        if _POSTMAN_STATUS.match(line) and lowered.startswith("status"):
            return True
        if lowered.startswith("scheme:") and lowered[7:].strip() in ("http", "https"):
            return True  # Firefox's summary rows
        return _METHOD_URL.match(line) is not None or self._bare_headers(i)

    def _bare_headers(self, i: int) -> bool:
        """Response headers pasted with no status line: two or more header lines in a row,
        one of them a header only responses carry (so `Note: ...` prose does not count)."""
        if i < self.bare_checked_to:
            return False
        j = i
        n = len(self.lines)
        response_only = False
        while j < n and j < i + MAX_HEADERS:
            header = parse_header_line(self.lines[j].strip())
            if header is None:
                break
            name = header[0].lower()
            response_only = (
                response_only
                or name in _RESPONSE_ONLY
                or name.startswith(("x-ratelimit-", "access-control-allow-", "ratelimit"))
            )
            j += 1
        self.bare_checked_to = j  # lines of a run already judged are not judged again
        return response_only and j - i >= 2

    def _next_nonblank(self, i: int) -> int | None:
        for j in range(i, min(len(self.lines), i + 4)):
            if self.lines[j].strip():
                return j
        return None

    def _devtools(self, i: int) -> int:
        """A devtools/Postman copy: General block, header sections, pseudo-headers."""
        block = _DevtoolsBlock()
        n = len(self.lines)
        j = i
        while j < n:
            line = self.lines[j].strip()
            if not line:
                j += 1
                continue
            if j > i and (self._is_message_start(self.lines[j]) or _verbose_kind(self.lines[j])):
                break
            nxt = self.lines[j + 1].strip() if j + 1 < n else ""
            used = block.feed(line, nxt)
            if used == 0:
                break
            j += used
        response, request = block.build()
        if request is not None:
            self._add_request(request)
        if response is not None:
            self._add_response(response)
            self.pending = response
        return j

    def _devtools_json(self, body: str) -> bool:
        """Firefox's "Copy All" of the headers panel: JSON with `... headers (1.2 kB)` keys."""
        if '"headers"' not in body or "eaders (" not in body:
            return False
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return False
        if not isinstance(data, dict):
            return False
        block = _DevtoolsBlock()
        for key, section in data.items():
            which = _heading(str(key))
            if which not in ("response", "request") or not isinstance(section, dict):
                continue
            items = section.get("headers")
            if not isinstance(items, list):
                continue
            block.section = which
            for item in items[: MAX_HEADERS * 2]:
                if isinstance(item, dict) and isinstance(item.get("name"), str):
                    block.add(item["name"], str(item.get("value", "")).strip())
        response, request = block.build()
        if response is None and request is None:
            return False
        if request is not None:
            self._add_request(request)
        if response is not None:
            self._add_response(response)
            self.pending = response
        return True


class _DevtoolsBlock:
    """Accumulates one devtools/Postman copy line by line."""

    def __init__(self) -> None:
        self.section = ""  # "general", "response", "request" or "" before any heading
        self.status: int | None = None
        self.reason = ""
        self.version = ""
        self.method = ""
        self.url = ""
        self.scheme = ""
        self.authority = ""
        self.path = ""
        self.response_headers: list[Header] = []
        self.request_headers: list[Header] = []

    def feed(self, line: str, nxt: str) -> int:
        """Consume `line` (and maybe `nxt`, its value); lines used, 0 when it is not ours."""
        lowered = line.lower()
        if lowered.startswith(_SKIP_LINES):
            return 1
        heading = _heading(line)
        if heading:
            self.section = heading
            return 1
        general = _general_key(line)
        if general is not None:
            key, value = general
            if value:
                self._general(key, value)
                return 1
            if nxt and _general_key(nxt) is None and not _inline_header(nxt):
                self._general(key, nxt)  # Chrome's "Request URL:" newline value layout
                return 2
            return 1
        postman = _POSTMAN_STATUS.match(line)
        if postman is not None and lowered.startswith("status") and self.section in ("", "general"):
            self.status = int(postman.group(1))
            self.reason = _reason_only(postman.group(2))
            return 1
        method_url = _METHOD_URL.match(line)
        if method_url is not None and not self.method:
            self.method, self.url = method_url.group(1), method_url.group(2)
            return 1
        header = parse_header_line(line)
        if header is not None:
            name, value = header
            if not value and line.endswith(":") and nxt and not _inline_header(nxt):
                self.add(name, nxt)  # Chrome's "name:" newline "value" layout
                return 2
            self.add(name, value)
            return 1
        if _is_token(line) and nxt and not _inline_header(nxt) and _heading(nxt) == "":
            self.add(line, nxt)  # Chrome's "name" newline "value" layout
            return 2
        return 0

    def _general(self, key: str, value: str) -> None:
        if key == "request url":
            self.url = value
        elif key == "request method":
            self.method = value.split()[0].upper() if value.split() else ""
        elif key == "status code":
            code = value.split()[0] if value.split() else ""
            if code.isdigit() and len(code) == 3:
                self.status = int(code)
                self.reason = _reason_only(value[len(code) :])

    def add(self, name: str, value: str) -> None:
        lowered = name.lower()
        if lowered.startswith(":"):
            self._pseudo(lowered, value)
            return
        if self.section in ("", "general") and lowered in _SUMMARY_KEYS:
            self._summary(lowered, value)
            return
        target = self.request_headers if self.section == "request" else self.response_headers
        if len(target) < MAX_HEADERS:
            target.append((name, value))

    def _pseudo(self, name: str, value: str) -> None:
        if name == ":status":
            code = value.split()[0] if value.split() else ""
            if code.isdigit() and len(code) == 3:
                self.status = int(code)
        elif name == ":method":
            self.method = value.upper()
        elif name == ":path":
            self.path = value
        elif name == ":authority":
            self.authority = value
        elif name == ":scheme":
            self.scheme = value.lower()

    def _summary(self, key: str, value: str) -> None:
        """Firefox's summary rows (Scheme, Host, Filename, Status, Version) and Postman's bar."""
        if key == "status":
            code = value[:3]
            if code.isdigit():
                self.status = int(code)
                self.reason = _reason_only(value[3:])
        elif key == "version":
            self.version = value.removeprefix("HTTP/")
        elif key == "scheme":
            self.scheme = value.lower()
        elif key == "host":
            self.authority = value
        elif key == "filename":
            self.path = value

    def build(self) -> tuple[HttpResponse | None, HttpRequest | None]:
        response = None
        if self.status is not None or self.response_headers:
            response = HttpResponse(
                status=self.status,
                reason=self.reason,
                version=self.version,
                headers=self.response_headers,
                source="devtools",
            )
        url = self.url
        if not url and self.authority:
            scheme = self.scheme or "https"
            path = self.path if self.path.startswith("/") else "/" + self.path
            url = f"{scheme}://{self.authority}{path}"
        if not url and self.path:
            url = self.path
        request = None
        if self.method or url or self.request_headers:
            request = HttpRequest(
                method=self.method or "GET",
                url=url,
                headers=self.request_headers,
                source="devtools",
                explicit_method=bool(self.method),
            )
        return response, request


def _heading(line: str) -> str:
    """ "general", "response" or "request" for a devtools section heading, else ""."""
    lowered = line.strip().lower()
    if len(lowered) > 60:
        return ""
    for suffix in ("view source", "view parsed", "raw"):
        if lowered.endswith(suffix):
            lowered = lowered[: -len(suffix)].rstrip()
    if lowered.endswith(")") and "(" in lowered:
        lowered = lowered[: lowered.rfind("(")].rstrip()
    return _HEADINGS.get(lowered.rstrip(":"), "")


def _general_key(line: str) -> tuple[str, str] | None:
    """("request url", value) for Chrome's General rows; value "" when on the next line."""
    stripped = line.strip()
    if ":" in stripped:
        key, value = stripped.split(":", 1)
    else:
        key, value = stripped, ""
    key = key.strip().lower()
    if key in _GENERAL_KEYS:
        return key, value.strip()
    return None


def _inline_header(line: str) -> bool:
    """A `name: value` line (so the line before it was not a name waiting for its value)."""
    header = parse_header_line(line.strip())
    if header is None:
        return False
    stripped = line.strip()
    at = stripped.find(":", 1)
    return at > 0 and (at + 1 == len(stripped) or stripped[at + 1] in " \t")


def _reason_only(rest: str) -> str:
    """The reason phrase from `Forbidden  Time: 52 ms  Size: 1 KB` or `OK (from disk cache)`."""
    rest = rest.strip()
    for marker in ("Time:", "Size:", "(from", "\t"):
        at = rest.find(marker)
        if at >= 0:
            rest = rest[:at]
    return rest.strip()


def _body_start(line: str, text: str, offset: int) -> tuple[int, str] | None:
    """(column, "json" | "markup") where a body begins on this line, else None."""
    stripped = line.lstrip()
    if stripped[:1] == "<":
        after = stripped[1:2]
        if after.isalpha() or after in ("?", "!"):
            return len(line) - len(stripped), "markup"
    markup = _MARKUP_START.search(line, 0, 4096)
    tried = 0
    at = 0
    while tried < 5:
        brace = line.find("{", at, 4096)
        bracket = line.find("[", at, 4096)
        candidates = [pos for pos in (brace, bracket) if pos >= 0]
        if not candidates:
            break
        pos = min(candidates)
        if markup is not None and markup.start() < pos:
            return markup.start(), "markup"
        if _jsonish_opening(text, offset + pos):
            return pos, "json"
        at = pos + 1
        tried += 1
    if markup is not None:
        return markup.start(), "markup"
    return None


def _jsonish_opening(text: str, pos: int) -> bool:
    """Does the bracket at `pos` open something JSON-like (`{"a"`, `{a:`, `[{`), not prose?"""
    opener = text[pos]
    k = pos + 1
    end = min(len(text), pos + 200)
    while k < end and text[k] in " \t\n":
        k += 1
    if k >= end:
        return False
    ch = text[k]
    if opener == "{":
        return ch in "\"'“‘}" or ch.isalpha() or ch == "_"
    return ch in "{[\"'“"


def _looks_jsonish(body: str) -> bool:
    if body.startswith("{"):
        # The first key's colon comes early in any real object; "{a ... much later :" is prose.
        return ":" in body[:512] or body.replace(" ", "") == "{}"
    return len(body) > 2 and any(ch in body for ch in '{":')


# Words that stand for a JSON literal, right or wrong, after a `[` that opens a paste.
_LITERAL_LIKE = frozenset(
    "true false null tru fals nul none nil undefined nan inf infinity".split()
)
_JSON_WORDS = frozenset({"true", "false", "null"})
# Invisible characters that ride along at the start of a pasted payload (a byte order mark
# from a file, a zero-width space from a chat client); the JSON check names them.
_LEADING_INVISIBLE = frozenset("\ufeff\u200b\u2060\u00a0")
_CLOSING_QUOTE = {'"': '"', "'": "'", "“": "”", "‘": "’"}
_WORDS_SCANNED = 4096


def _payload_opening(text: str, pos: int) -> bool:
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


def _has_status(text: str) -> bool:
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


def _has_words(text: str, *, pairs: bool) -> bool:
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


def _expects_body(response: HttpResponse) -> bool:
    status = response.status
    if status is not None and (status < 200 or status in _NO_BODY_STATUSES):
        return False
    return (response.header("Content-Length") or "").strip() != "0"


def _scheme_for_host(host: str) -> str:
    """Best guess for a request with no TLS evidence: https unless a local or non-443 port."""
    name, _, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
    if port:
        return "https" if port == "443" else "http"
    if name in ("localhost", "127.0.0.1", "0.0.0.0") or name.endswith(".local"):
        return "http"
    return "https"


def _to_int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None
