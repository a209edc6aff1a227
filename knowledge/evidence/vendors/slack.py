"""Slack Web API bodies: the argument errors Slack lists in `response_metadata.messages`.

`invalid_arguments` says little by itself; Slack names the argument in lines such as
`[ERROR] missing required field: channel`. They are reported as `field_errors` (the kind the
body extractor uses) so the field rules classify them like any other framework's.
"""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context, extractor
from knowledge.evidence.vendors import json_bodies
from knowledge.model import Evidence
from knowledge.text import clip

_MAX_MESSAGES = 10


def _parse(line: str) -> dict[str, str] | None:
    """`[ERROR] missing required field: channel` → field `channel`, the rest as the message."""
    text = line.strip()
    if text.startswith("[") and "]" in text[:12]:
        text = text[text.index("]") + 1 :].strip()
    message, sep, name = text.rpartition(":")
    name = name.strip()
    if not sep or not name or " " in name or len(name) > 80:
        return None
    # `[json-pointer:/blocks/0/text]` style suffixes name the place in the payload.
    return {"field": name.strip("[]"), "message": message.strip(), "rule": ""}


@extractor
def slack_argument_errors(ctx: Context) -> Iterator[Evidence]:
    for data in json_bodies(ctx):
        if data.get("ok") is not False:
            continue
        meta = data.get("response_metadata")
        messages = meta.get("messages") if isinstance(meta, dict) else None
        if not isinstance(messages, list):
            continue
        items = [item for item in (_parse(m) for m in messages[:_MAX_MESSAGES] if isinstance(m, str)) if item]
        if items:
            listed = "; ".join(f"`{i['field']}`: {clip(i['message'], 60)}" for i in items[:4])
            yield Evidence("field_errors", f"Slack's response_metadata names the arguments: {listed}",
                           {"items": items, "fields": [i["field"] for i in items], "field": items[0]["field"]})
        return
