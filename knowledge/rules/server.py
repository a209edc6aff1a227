"""500: the application itself failed; a stack trace shows where and leaks how."""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context
from knowledge.model import Finding
from knowledge.rules import finding, rule


@rule("server.unhandled_exception", "server.leaked_stack_trace")
def stack_trace(ctx: Context) -> Iterator[Finding]:
    trace = ctx.evidence.first("stack_trace")
    if trace is None:
        return
    if ctx.paste.status in (500, None, 502, 503):
        yield finding("server.unhandled_exception", 0.9, trace)
    if ctx.paste.responses:
        # The trace reached a client: that is a second problem, whatever caused the first.
        yield finding("server.leaked_stack_trace", 0.7, trace)
