"""500: the application itself failed; a stack trace shows where and leaks how."""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context
from knowledge.model import Finding
from knowledge.rules import finding, rule


@rule("server.unhandled_exception", "server.leaked_stack_trace", needs=("stack_trace",))
def stack_trace(ctx: Context) -> Iterator[Finding]:
    trace = ctx.evidence.first("stack_trace")
    if trace is None:
        return
    if ctx.paste.status in (500, None, 502, 503):
        yield finding("server.unhandled_exception", 0.9, trace)
    if ctx.paste.responses:
        # The trace reached a client: that is a second problem, whatever caused the first.
        yield finding("server.leaked_stack_trace", 0.7, trace)


# Web servers whose stock 500 page means the script or app behind them failed (or their own
# configuration did): the page names the layer, the application's log names the error.
_STOCK_500_LAYERS = frozenset({"apache", "iis", "nginx"})


@rule("server.unhandled_exception", statuses=(500,))
def stock_error_page(ctx: Context) -> Iterator[Finding]:
    if ctx.paste.status != 500 or ctx.evidence.has("stack_trace"):
        return
    for item in ctx.evidence.of("html_page"):
        if item.facts.get("layer") in _STOCK_500_LAYERS:
            yield finding("server.unhandled_exception", 0.7, item, layer=item.facts.get("layer"))
            # Apache's stock page says "internal error or misconfiguration": both are live.
            response = ctx.paste.response
            if response is not None and "misconfiguration" in response.body[:4096]:
                yield finding("server.misconfigured", 0.55, item, layer=item.facts.get("layer"))
            return


@rule("service.dependency_down", needs=("health_down",))
def health_check_down(ctx: Context) -> Iterator[Finding]:
    item = ctx.evidence.first("health_down")
    if item is not None:
        yield finding("service.dependency_down", 0.9 if ctx.paste.status in (503, 500, None) else 0.7, item,
                      field=item.facts.get("field"))
