"""What the server or the user said, matched against messages.toml, names a cause."""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context
from knowledge.kb import fill
from knowledge.model import Finding
from knowledge.rules import finding, rule


@rule("*messages", needs=("message_match",))
def message_phrases(ctx: Context) -> Iterator[Finding]:
    patterns = ctx.kb.messages
    for item in ctx.evidence.of("message_match"):
        result = finding(item.facts["cause"], item.facts["confidence"], item, message=item.facts["quote"])
        pattern = patterns[item.facts["pattern"]]
        if pattern.debug or pattern.fixes:  # filled from the match itself ({message})
            result.debug.extend(fill(pattern.debug, result.facts))
            result.fixes.extend(fill(pattern.fixes, result.facts))
        yield result
