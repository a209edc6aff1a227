"""404/410: the URL names nothing, names something gone, or something hidden from this caller."""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context
from knowledge.model import Finding
from knowledge.rules import finding, rule, status_is


@rule("url.wrong_path", needs=("path_suspicious",))
def suspicious_path(ctx: Context) -> Iterator[Finding]:
    for item in ctx.evidence.of("path_suspicious"):
        confidence = 0.9 if status_is(ctx, 404, 400, 405, 403) else 0.55
        yield finding("url.wrong_path", confidence, item)


@rule("url.wrong_api_version", statuses=(410,))
def api_version(ctx: Context) -> Iterator[Finding]:
    version = ctx.evidence.first("api_version")
    if version is not None and ctx.paste.status == 410:
        yield finding("url.wrong_api_version", 0.75, version)
