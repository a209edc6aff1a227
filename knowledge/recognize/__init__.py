"""Recognisers: find what a paste contains and build one typed `Paste`.

Each recogniser reads the normalised text independently (curl commands, HTTP messages, status
mentions, JWTs); this module only assembles their results and names what was recognised.
"""

from __future__ import annotations

import re

from knowledge.model import Paste
from knowledge.recognize.curl import find_curl_commands
from knowledge.recognize.http import find_http
from knowledge.recognize.jwt import find_jwts
from knowledge.recognize.status import find_statuses


def recognize(text: str) -> Paste:
    requests = find_curl_commands(text)
    http = find_http(text)
    # A status line decides the status (Paste.status reads responses first), so prose mentions
    # are only looked for when no response carries one.
    has_status_line = any(response.status is not None for response in http.responses)
    paste = Paste(
        text=text,
        statuses=[] if has_status_line else find_statuses(text),
        requests=requests + http.requests,
        responses=http.responses,
        bodies=http.bodies,
        jwts=find_jwts(text),
    )
    paste.recognized = _recognized(paste, curl=bool(requests))
    if not paste.recognized:
        paste.warnings += _not_a_status(text)
    return paste


_BARE_NUMBER = re.compile(r"(?<![\w.])(\d{1,9})(?![\w.])")


def _not_a_status(text: str) -> list[str]:
    """A short paste that is just a number outside 100-599 gets told why it is not a status."""
    # Only a paste that is the number itself ("600", "/apierror 1020"): chatter such as
    # "order 40412 shipped" needs no lecture about status codes.
    words = text.split()
    if not 0 < len(words) <= 2:
        return []
    for match in _BARE_NUMBER.finditer(text):
        number = int(match.group(1))
        if not 100 <= number <= 599:
            return [
                f"`{number}` is not an HTTP status code: those run from 100 to 599. If it is a "
                "vendor's error code, paste the whole error message or response."
            ]
    return []


def _recognized(paste: Paste, *, curl: bool) -> list[str]:
    kinds: list[str] = []
    if curl:
        kinds.append("curl")
    if any(r.source in ("http", "verbose") for r in paste.requests):
        kinds.append("request")
    if paste.responses:
        kinds.append("response")
    if paste.statuses or any(r.status is not None for r in paste.responses):
        kinds.append("status_code")
    if paste.bodies:
        kinds.append("body")
    if paste.jwts:
        kinds.append("jwt")
    return kinds
