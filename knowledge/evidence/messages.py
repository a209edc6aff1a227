"""Match what the server and the user said against `knowledge/data/messages.toml`.

Sources, most trusted first: error messages and codes the body extractors found, a GraphQL or
`ok: false` error, an HTML page title, then the user's own words around the paste. Each pattern
is reported once, with the longest phrase that matched (longer phrases are more specific).

Kind: `message_match` {cause, confidence, phrase, source, quote, pattern (index in `kb.messages`)}.
"""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context, late_extractor
from knowledge.kb import MessagePattern
from knowledge.model import Evidence, Paste
from knowledge.text import clip

# The user's prose is read up to this many characters.
_PROSE_LIMIT = 8192
# Phrases this short are weak signals ("h12", "csrf"): they count for less.
_SHORT_PHRASE = 8


def _parsed_lines(paste: Paste) -> set[str]:
    """Header lines the recognisers already read, as `name: value` (lower case)."""
    lines: set[str] = set()
    for message in (*paste.requests, *paste.responses):
        for name, value in message.headers:
            lines.add(f"{name}: {value}".lower())
    return lines


def _is_structure(line: str, parsed: set[str]) -> bool:
    """A line that belongs to a pasted request or response rather than to someone's words.

    Header lines count only when a recogniser read them as headers: `Error: invalid_grant` or
    `stripe.error.InvalidRequestError: No such customer` look like headers but are messages.
    """
    stripped = line.strip().lstrip("<> ").strip()
    if not stripped:
        return True
    if stripped.startswith(("HTTP/", "curl ", "$ curl", "PS>", "--", "{ [", "} [")):
        return True
    if stripped.endswith(("\\", "^", "`")):
        return True
    if (stripped[0] == "-" and stripped[1:2].isalpha()) or stripped.startswith("--"):
        return True  # a continued curl command: -H '...', --data ...
    return stripped.lower() in parsed


def _prose(paste: Paste) -> str:
    """The paste minus the requests, responses and bodies it shows: what the user wrote, and
    what their tools printed around it (SDK exceptions, log lines, `curl -v` info lines)."""
    text = paste.text[:_PROSE_LIMIT]
    for body in (*paste.bodies, *(r.body for r in paste.responses), *(r.body or "" for r in paste.requests)):
        if len(body) > 3:
            text = text.replace(body[:_PROSE_LIMIT], "\n")
    parsed = _parsed_lines(paste)
    return "\n".join([line for line in text.split("\n") if not _is_structure(line, parsed)])


def _sources(ctx: Context) -> list[tuple[str, str]]:
    sources: list[tuple[str, str]] = []
    for item in ctx.evidence.of("error_message"):
        for message in item.facts.get("messages") or []:
            sources.append((item.facts.get("source", "response body"), message))
        for code in item.facts.get("codes") or []:
            sources.append((item.facts.get("source", "response body"), code))
    for item in ctx.evidence.of("graphql_errors"):
        sources += [("GraphQL error", m) for m in item.facts.get("messages") or []]
        sources += [("GraphQL error", c) for c in item.facts.get("codes") or []]
    for item in ctx.evidence.of("problem_details"):
        sources.append(("problem details", f"{item.facts.get('title') or ''} {item.facts.get('detail') or ''}"))
    for item in ctx.evidence.of("www_authenticate"):
        for key in ("error", "error_description"):
            if item.facts.get(key):
                sources.append(("WWW-Authenticate header", str(item.facts[key])))
    for item in ctx.evidence.of("html_page"):
        if item.facts.get("text"):
            sources.append(("error page", item.facts["text"]))
    for item in ctx.evidence.of("field_errors"):
        for entry in item.facts.get("items", []):
            sources.append(("field error", f"{entry.get('message', '')} {entry.get('rule', '')}"))
    prose = _prose(ctx.paste)
    if prose.strip():
        sources.append(("your message", prose))
    return sources


@late_extractor
def message_evidence(ctx: Context) -> Iterator[Evidence]:
    status = ctx.paste.status
    sources = [(where, text, text.lower()) for where, text in _sources(ctx)]
    if not sources:
        return
    # The phrase index finds what occurs anywhere at once; only the phrases that hit are then
    # located in their most trusted source. Most pastes hit a handful of phrases.
    everything = "\n".join(lowered for _, _, lowered in sources)
    patterns = ctx.kb.messages
    matches: list[tuple[int, MessagePattern, str, str, str]] = []
    for index, hits in ctx.kb.phrase_index.find(everything).items():
        pattern = patterns[index]
        if pattern.statuses and status is not None and status not in pattern.statuses:
            continue
        best: tuple[str, str, str] | None = None
        for where, text, lowered in sources:
            for phrase in hits:
                if phrase in lowered and (best is None or len(phrase) > len(best[0])):
                    best = (phrase, where, text)
            if best is not None:
                break  # the most trusted source that matches wins
        if best is not None:  # (None: a phrase spanning two sources, not a real match)
            matches.append((index, pattern, *best))
    # The longest match wins: "full authentication is required" is not "is required", and
    # "cannot deserialize value of type" is more than "json parse error".
    lowered_of = {text: lowered for _, text, lowered in sources}
    for index, pattern, phrase, where, text in matches:
        if any(phrase != other and phrase in other and text == other_text
               for _, _, other, _, other_text in matches):
            continue
        # Two patterns of one cause quoting the same text say one thing: the more specific
        # (longer) phrase speaks, with its own steps ("certificate has expired" over "x509").
        if any(other_pattern.cause == pattern.cause and other_text == text
               and (len(other), other_index) > (len(phrase), index)
               for other_index, other_pattern, other, _, other_text in matches if other_index != index):
            continue
        confidence = pattern.confidence - (0.15 if len(phrase) < _SHORT_PHRASE else 0.0)
        if where == "your message":
            confidence -= 0.1  # the user's summary is a hint; the server's words are evidence
        quote = _around(text, phrase, lowered_of[text])
        said = f"You wrote “{quote}”" if where == "your message" else f"The {where} says “{quote}”"
        yield Evidence(
            "message_match",
            said,
            {"cause": pattern.cause, "confidence": round(confidence, 3), "phrase": phrase,
             "source": where, "quote": quote, "pattern": index},
        )


def _around(text: str, phrase: str, lowered: str) -> str:
    """The phrase with a little of its sentence, as the paste wrote it (`lowered` is
    `text.lower()`, which the caller already made: a prose source can be 8 KB)."""
    index = lowered.find(phrase)
    if index < 0:
        return clip(text, 100)
    start = max(0, index - 40)
    end = min(len(text), index + len(phrase) + 40)
    snippet = clip(text[start:end], 120)
    return ("…" if start else "") + snippet + ("…" if end < len(text) else "")
