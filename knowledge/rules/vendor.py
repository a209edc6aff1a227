"""A vendor's own error code, looked up in its knowledge file, names the cause directly."""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context
from knowledge.model import Finding
from knowledge.rules import finding, rule


@rule("*vendors", needs=("vendor_error",))
def vendor_error_codes(ctx: Context) -> Iterator[Finding]:
    # The server's own sentence goes first: it is what the user recognises; the code's note
    # says what it means.
    said = ctx.evidence.first("error_message")
    for item in ctx.evidence.of("vendor_error"):
        yield finding(item.facts["cause"], item.facts["confidence"], said, item, error_code=item.facts["code"])
