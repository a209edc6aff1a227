"""What the server or the user said, matched against messages.toml, names a cause."""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context
from knowledge.model import Finding
from knowledge.rules import finding, rule


@rule("*messages", needs=("message_match",))
def message_phrases(ctx: Context) -> Iterator[Finding]:
    for item in ctx.evidence.of("message_match"):
        yield finding(item.facts["cause"], item.facts["confidence"], item, message=item.facts["quote"])
