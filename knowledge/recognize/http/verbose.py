"""`curl -v` output: `*` info lines (which host, port, TLS, scheme the connection uses), the
`>` request block, the `<` response block and the body after it (past data and progress
lines)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.model import Header, HttpRequest, HttpResponse, header_value
from knowledge.recognize.http.bodies import BodyReader
from knowledge.recognize.http.headers import read_headers
from knowledge.recognize.http.line_kinds import verbose_kind
from knowledge.recognize.http.messages import expects_body, scheme_for_host
from knowledge.recognize.http.start_line import request_line, status_line

_CONNECTED = re.compile(r"Connected to (\S+) (?:\([^)]*\) )?port (\d{1,5})")
_OPENED_STREAM = re.compile(r"OPENED stream for (https?://\S+)")


@dataclass
class VerboseState:
    """What `curl -v` info lines said about the connection the next `>` block uses."""

    host: str = ""
    port: int | None = None
    tls: bool = False
    url: str = ""
    scheme: str = ""

    def read_info(self, info: str) -> None:
        """Update from one info line's text (after `* `)."""
        if info.startswith("Trying "):
            self.tls = False
        match = _CONNECTED.search(info[:400])
        if match is not None:
            self.host = match.group(1)
            self.port = _to_int(match.group(2))
            self.tls = False
            self.url = ""
            self.scheme = ""
            return
        lowered = info[:200].lower()
        if lowered.startswith(("alpn", "ssl", "tls", "server certificate", "using http/2")) or (
            "tls" in lowered and "handshake" in lowered
        ):
            self.tls = True
        opened = _OPENED_STREAM.search(info[:1000])
        if opened is not None:
            self.url = opened.group(1)
        if ":scheme: " in info[:200]:
            self.scheme = info.split(":scheme: ", 1)[1].strip(" ]").lower()

    def url_for(self, target: str, host: str) -> str:
        """The full URL of a `>` request line's target, from its Host header or the connection."""
        if target.lower().startswith(("http://", "https://")):
            return target  # absolute-form: a request through a proxy
        if not host:
            host = self.host
            if host and self.port and self.port not in (80, 443):
                host = f"{host}:{self.port}"
        if self.scheme in ("http", "https"):
            scheme = self.scheme
        elif self.tls or self.port == 443:
            scheme = "https"
        elif self.port is not None:
            scheme = "http"
        elif self.url:
            scheme = self.url.split(":", 1)[0].lower()
        else:
            scheme = scheme_for_host(host)
        if not host:
            return target
        return f"{scheme}://{host}{target if target.startswith('/') else '/' + target}"


def read_verbose_request(lines: list[str], i: int, state: VerboseState) -> tuple[HttpRequest, int]:
    """The `>` block whose request line is line `i`: (request, next line)."""
    parsed = request_line(lines[i][2:].strip())
    assert parsed is not None
    method, target, _version = parsed
    headers: list[Header] = []
    j = read_headers(lines, i + 1, headers, prefix=">")
    host = header_value(headers, "Host") or header_value(headers, ":authority") or ""
    url = state.url_for(target, host)
    return HttpRequest(method=method, url=url, headers=headers, source="verbose"), j


def read_verbose_response(
    bodies: BodyReader, i: int, state: VerboseState
) -> tuple[HttpResponse, int, bool]:
    """The `<` block whose status line is line `i` and its body: (response, next line,
    whether a body is still expected later, after prose)."""
    lines = bodies.lines
    parsed = status_line(lines[i][2:].strip())
    assert parsed is not None
    version, status, reason = parsed
    headers: list[Header] = []
    j = read_headers(lines, i + 1, headers, prefix="<")
    response = HttpResponse(
        status=status, reason=reason, version=version, headers=headers, source="verbose"
    )
    waiting = False
    ended_blank = j - 1 > i and lines[j - 1].strip() == "<"
    if expects_body(response) and ended_blank:
        # The body follows, possibly after `{ [n bytes data]`, progress or `* ` lines.
        k = j
        while k < len(lines) and k < j + 20 and verbose_kind(lines[k]) in ("data", "info"):
            if verbose_kind(lines[k]) == "info":
                state.read_info(lines[k][2:].strip())
            k += 1
        if k < len(lines) and verbose_kind(lines[k]) is None and lines[k].strip():
            body, j = bodies.read(k)
            response.body = body
        # A JSON or HTML body may still come after prose.
        waiting = not response.body
    return response, j, waiting


def _to_int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None
