"""Messages pasted as they travel (curl -i output, raw requests): a start line, a header
block and a body; plus the rules both these and `curl -v` use (which responses have a body,
which scheme a bare host gets)."""

from __future__ import annotations

from knowledge.model import Header, HttpRequest, HttpResponse, header_value
from knowledge.recognize.http.bodies import BodyReader
from knowledge.recognize.http.headers import read_headers

_NO_BODY_STATUSES = frozenset({204, 304})


def read_status_response(
    bodies: BodyReader, i: int, status_line: tuple[str, int, str]
) -> tuple[HttpResponse, int]:
    """The response whose status line is line `i`: (response, next line)."""
    lines = bodies.lines
    version, status, reason = status_line
    headers: list[Header] = []
    j = read_headers(lines, i + 1, headers)
    response = HttpResponse(
        status=status, reason=reason, version=version, headers=headers, source="status_line"
    )
    if not expects_body(response) or j >= len(lines):
        return response, j
    if not lines[j - 1].strip() or lines[j].lstrip()[:1] in ("{", "[", "<"):
        # After the blank line, or a body pasted right under the headers; a line of
        # prose right under the headers is not a body.
        body, j = bodies.read(j)
        response.body = body
    return response, j


def read_raw_request(
    bodies: BodyReader, i: int, request_line: tuple[str, str, str]
) -> tuple[HttpRequest, int]:
    """The raw request whose request line is line `i`: (request, next line)."""
    lines = bodies.lines
    method, target, _version = request_line
    headers: list[Header] = []
    j = read_headers(lines, i + 1, headers)
    host = header_value(headers, "Host") or ""
    if target.lower().startswith(("http://", "https://")):
        url = target
    elif host:
        path = target if target.startswith("/") else "/" + target
        url = f"{scheme_for_host(host)}://{host}{path}"
    else:
        url = target
    request = HttpRequest(method=method, url=url, headers=headers, source="http")
    if j < len(lines):
        body, j = bodies.read(j)
        request.body = body or None
    return request, j


def expects_body(response: HttpResponse) -> bool:
    """False for 1xx, 204, 304 and `Content-Length: 0`: nothing after the headers is theirs."""
    status = response.status
    if status is not None and (status < 200 or status in _NO_BODY_STATUSES):
        return False
    return (response.header("Content-Length") or "").strip() != "0"


def scheme_for_host(host: str) -> str:
    """Best guess for a request with no TLS evidence: https unless a local or non-443 port."""
    name, _, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
    if port:
        return "https" if port == "443" else "http"
    if name in ("localhost", "127.0.0.1", "0.0.0.0") or name.endswith(".local"):
        return "http"
    return "https"
