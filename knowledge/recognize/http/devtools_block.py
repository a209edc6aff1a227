"""One devtools or Postman copy, accumulated line by line: Chrome's General block and header
sections (`name: value`, or name and value on separate lines), Firefox's summary rows,
Postman's status bar, HTTP/2 pseudo-headers. Builds the request and response it shows."""

from __future__ import annotations

import re

from knowledge.model import Header, HttpRequest, HttpResponse
from knowledge.recognize.http.headers import is_token, parse_header_line
from knowledge.recognize.http.limits import MAX_HEADERS

POSTMAN_STATUS = re.compile(r"Status:?[ \t]+(\d{3})\b[ \t]*(.*)$", re.IGNORECASE)
METHOD_URL = re.compile(r"([A-Z]{3,10})[ \t]+(https?://\S+)[ \t]*$")
BARE_STATUS = re.compile(r"([1-5]\d\d)((?:[ \t]+[A-Za-z][A-Za-z' -]{0,40})?)$")

GENERAL_KEYS = frozenset(
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
_HEADING_NAMES = tuple(_HEADINGS)
_SKIP_LINES = ("provisional headers are shown", "learn more", "key\tvalue", "key value")


class DevtoolsBlock:
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
        found_heading = heading(line)
        if found_heading:
            self.section = found_heading
            return 1
        general = general_key(line)
        if general is not None:
            key, value = general
            if value:
                self._general(key, value)
                return 1
            if nxt and general_key(nxt) is None and not inline_header(nxt):
                self._general(key, nxt)  # Chrome's "Request URL:" newline value layout
                return 2
            return 1
        postman = POSTMAN_STATUS.match(line)
        if postman is not None and lowered.startswith("status") and self.section in ("", "general"):
            self.status = int(postman.group(1))
            self.reason = _reason_only(postman.group(2))
            return 1
        bare = BARE_STATUS.match(line.strip())
        if bare is not None and self.method and self.status is None:
            self.status = int(bare.group(1))  # Postman's console: the status alone under the request line
            self.reason = bare.group(2).strip()
            return 1
        method_url = METHOD_URL.match(line)
        if method_url is not None and not self.method:
            self.method, self.url = method_url.group(1), method_url.group(2)
            if not self.section:
                self.section = "request"  # Postman's console: the request's headers follow its line
            return 1
        header = parse_header_line(line)
        if header is not None:
            name, value = header
            if not value and line.endswith(":") and nxt and not inline_header(nxt):
                self.add(name, nxt)  # Chrome's "name:" newline "value" layout
                return 2
            self.add(name, value)
            return 1
        if is_token(line) and nxt and not inline_header(nxt) and heading(nxt) == "":
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
        """One header of the current section (pseudo-headers and summary rows are read)."""
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
        """The response and request this copy shows (either may be absent)."""
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


def heading(line: str) -> str:
    """ "general", "response" or "request" for a devtools section heading, else ""."""
    lowered = line.strip().lower()
    # Only the end is trimmed below, so a heading starts with its name: most lines stop here.
    if len(lowered) > 60 or not lowered.startswith(_HEADING_NAMES):
        return ""
    for suffix in ("view source", "view parsed", "raw"):
        if lowered.endswith(suffix):
            lowered = lowered[: -len(suffix)].rstrip()
    if lowered.endswith(")") and "(" in lowered:
        lowered = lowered[: lowered.rfind("(")].rstrip()
    return _HEADINGS.get(lowered.rstrip(":"), "")


def general_key(line: str) -> tuple[str, str] | None:
    """("request url", value) for Chrome's General rows; value "" when on the next line."""
    stripped = line.strip()
    if ":" in stripped:
        key, value = stripped.split(":", 1)
    else:
        key, value = stripped, ""
    key = key.strip().lower()
    if key in GENERAL_KEYS:
        return key, value.strip()
    return None


def inline_header(line: str) -> bool:
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
