"""The one-pass driver: walks the paste's lines once and hands each to the reader it starts.

At each line it asks, in order: is this a curl command (skipped: its `-d` body is not a
response), a `curl -v` line (`*`, `>`, `<`), a status line (`HTTP/1.1 429 ...`), a raw
request line (`POST /x HTTP/1.1`), the start of a devtools or Postman copy, or the start of a
body pasted on its own (JSON, XML, HTML)? Every branch consumes at least one line and every
scan is capped, so the whole walk is linear in the paste and never backtracks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.model import HttpRequest, HttpResponse
from knowledge.recognize.http.bare_headers import BareHeaders
from knowledge.recognize.http.bodies import BodyReader
from knowledge.recognize.http.curl_command import skip_curl
from knowledge.recognize.http.devtools import devtools_json, devtools_start, read_devtools
from knowledge.recognize.http.limits import MAX_BODY, MAX_MESSAGES
from knowledge.recognize.http.line_kinds import curl_start, verbose_kind
from knowledge.recognize.http.lines import Lines
from knowledge.recognize.http.messages import read_raw_request, read_status_response
from knowledge.recognize.http.start_line import request_line, status_line
from knowledge.recognize.http.verbose import (
    VerboseState,
    read_verbose_request,
    read_verbose_response,
)


@dataclass
class HttpFound:
    """What `find_http` found, each list in the order it appears in the paste."""

    requests: list[HttpRequest] = field(default_factory=list)
    responses: list[HttpResponse] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)


def find_http(text: str) -> HttpFound:
    """Requests, responses and standalone bodies in `text`. Never raises."""
    try:
        return _Scanner(text).run()
    except (ValueError, IndexError, RecursionError, TypeError):  # pragma: no cover - defensive
        return HttpFound()


class _Scanner:
    """One pass over the paste's lines; see the module docstring for the order of checks."""

    __slots__ = ("bare", "bodies", "found", "lines", "pending", "verbose")

    def __init__(self, text: str) -> None:
        src = Lines(text)
        self.lines = src.lines
        self.bodies = BodyReader(src)
        self.bare = BareHeaders()
        self.verbose = VerboseState()
        self.found = HttpFound()
        self.pending: HttpResponse | None = None  # a response still waiting for its body

    def run(self) -> HttpFound:
        i = 0
        n = len(self.lines)
        found = self.found
        # The three lists are only ever appended to, so they are read once here rather than
        # through a method call per line.
        requests, responses, bodies = found.requests, found.responses, found.bodies
        while i < n and len(requests) + len(responses) + len(bodies) < MAX_MESSAGES:
            nxt = self._step(i)
            i = max(nxt, i + 1)
        return found

    def _step(self, i: int) -> int:
        """Read whatever starts at line `i`; returns the next line to look at."""
        lines = self.lines
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            return i + 1
        kind = verbose_kind(line)
        if kind == "info":
            self.verbose.read_info(line[2:].strip())
            return i + 1
        if kind == "out":
            if curl_start(line) is not None:
                return skip_curl(lines, i)  # `> curl ...`: a prompt, not a request line
            if request_line(line[2:].strip()):
                self.pending = None
                request, j = read_verbose_request(lines, i, self.verbose)
                self.found.requests.append(request)
                return j
            return i + 1
        if kind == "in":
            if status_line(line[2:].strip()):
                self.pending = None
                response, j, waiting = read_verbose_response(self.bodies, i, self.verbose)
                self.found.responses.append(response)
                if waiting:
                    self.pending = response
                return j
            return i + 1
        if kind == "data":
            return i + 1
        if curl_start(line) is not None:
            return skip_curl(lines, i)
        status = status_line(stripped)
        if status is not None:
            self.pending = None
            response, j = read_status_response(self.bodies, i, status)
            self.found.responses.append(response)
            return j
        start = request_line(stripped)
        if start is not None:
            self.pending = None
            request, j = read_raw_request(self.bodies, i, start)
            self.found.requests.append(request)
            return j
        if devtools_start(lines, i, self.bare):
            self.pending = None
            response, copied, j = read_devtools(lines, i)
            self._add_copy(response, copied)
            return j
        body, j, markup = self.bodies.standalone(i)
        if body is None:
            return j
        return self._keep_body(body, j, markup=markup)

    def _add_copy(self, response: HttpResponse | None, request: HttpRequest | None) -> None:
        """A devtools copy's messages; its response waits for a body pasted after it."""
        if request is not None:
            self.found.requests.append(request)
        if response is not None:
            self.found.responses.append(response)
            self.pending = response

    def _keep_body(self, body: str, j: int, *, markup: bool) -> int:
        """Store a body found on its own (or as the pending response's); the next line is `j`."""
        body = body[:MAX_BODY]
        if not markup:
            copied = devtools_json(body)
            if copied is not None:
                self._add_copy(*copied)
                return j
        if self.pending is not None:
            self.pending.body = body
            self.pending = None
        else:
            self.found.bodies.append(body)
        return j
