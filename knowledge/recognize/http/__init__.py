"""HTTP messages as people paste them: curl -i, curl -v, raw requests, devtools, Postman, bare
bodies. `find_http(text)` is the entry point; one module per job:

- `scanner`: the one-pass driver and `HttpFound`
- `lines`, `limits`: the line model and the caps that keep the walk linear
- `line_kinds`: what one line is (`curl -v` prefixes, progress, a curl command, a message start)
- `start_line`: status and request lines
- `headers`: header line forms and reading a header block
- `curl_command`: skipping curl commands and their continuation lines
- `verbose`: `curl -v` info, request and response blocks
- `messages`: curl -i responses and raw requests
- `devtools`, `devtools_block`, `bare_headers`: Chrome/Firefox/Postman copies, bare headers
- `bodies`, `body_start`, `brackets`, `markup`, `payload`: bodies after headers or on their own
"""

from __future__ import annotations

from knowledge.recognize.http.headers import parse_header_line
from knowledge.recognize.http.limits import (
    MAX_BODY,
    MAX_CURL_LINES,
    MAX_HEADERS,
    MAX_LINES,
    MAX_MESSAGES,
    MAX_TEXT,
    MISS_BUDGET,
)
from knowledge.recognize.http.scanner import HttpFound, find_http

__all__ = [
    "MAX_BODY",
    "MAX_CURL_LINES",
    "MAX_HEADERS",
    "MAX_LINES",
    "MAX_MESSAGES",
    "MAX_TEXT",
    "MISS_BUDGET",
    "HttpFound",
    "find_http",
    "parse_header_line",
]
