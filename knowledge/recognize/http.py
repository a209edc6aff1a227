"""HTTP messages as people paste them: curl -i, curl -v, devtools, Postman, bare bodies.

STUB: replaced by the HTTP message recogniser.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.model import HttpRequest, HttpResponse


@dataclass
class HttpFound:
    requests: list[HttpRequest] = field(default_factory=list)
    responses: list[HttpResponse] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)


def find_http(text: str) -> HttpFound:
    """Requests, responses and standalone bodies in `text`. Never raises."""
    return HttpFound()
