"""Errors as SDKs print them, which carry the server's body inside prose.

- Python SDKs (openai, anthropic, httpx wrappers) print the body as a Python dict:
  `openai.NotFoundError: Error code: 404 - {'error': {'message': ..., 'code': 'model_not_found'}}`.
  The dict is read with `ast.literal_eval` (literals only, size-bounded) and handed to the body
  extractor, so it yields the same `error_message`, `field_errors`... kinds as a JSON body.
- The AWS CLI and botocore: `An error occurred (AccessDenied) when calling the GetObject
  operation: Access Denied` becomes an `error_message` with the code.

Both are found with plain `str.find`, never a regex over the whole paste.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from typing import Any

from knowledge.evidence import Context, extractor
from knowledge.evidence.body import body_evidence_for
from knowledge.model import Evidence
from knowledge.text import clip

_SCAN_LIMIT = 32 * 1024  # characters of the paste searched for SDK lines
_DICT_LIMIT = 16 * 1024  # a printed dict longer than this is not an error body
_AWS_CLI = "An error occurred ("
_DICT_STARTS = ("{'error'", "{'message'", "{'detail'", "{'errors'", "{'type': 'error'")


def _matching_brace(text: str, start: int) -> int:
    """Index of the `}` closing the dict at `start`, skipping quoted strings; -1 if none."""
    depth = 0
    quote = ""
    i = start
    end = min(len(text), start + _DICT_LIMIT)
    while i < end:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _python_dicts(text: str) -> Iterator[dict[str, Any]]:
    for marker in _DICT_STARTS:
        start = text.find(marker)
        if start < 0:
            continue
        end = _matching_brace(text, start)
        if end < 0:
            continue
        try:
            value = ast.literal_eval(text[start : end + 1])
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        if isinstance(value, dict):
            yield value
            return


def _aws_cli(text: str) -> Evidence | None:
    start = text.find(_AWS_CLI)
    if start < 0:
        return None
    close = text.find(")", start, start + 200)
    if close < 0:
        return None
    code = text[start + len(_AWS_CLI) : close].strip()
    line_end = text.find("\n", close)
    rest = text[close + 1 : line_end if line_end > 0 else len(text)]
    operation = ""
    if "when calling the " in rest:
        operation = rest.split("when calling the ", 1)[1].split(" operation", 1)[0].strip()
    message = rest.split(":", 1)[1].strip() if ":" in rest else ""
    if not code or " " in code or len(code) > 80:
        return None
    shown = f"“{clip(message, 140)}” (code `{code}`)" if message else f"error code `{code}`"
    return Evidence(
        "error_message",
        f"The AWS error says {shown}" + (f" for {operation}" if operation else ""),
        {"message": message, "messages": [message] if message else [], "error_code": code, "codes": [code],
         "error_type": None, "param": None, "source": "AWS error", "operation": operation},
    )


@extractor
def sdk_error_evidence(ctx: Context) -> Iterator[Evidence]:
    text = ctx.paste.text[:_SCAN_LIMIT]
    aws = _aws_cli(text)
    if aws is not None:
        yield aws
    if "{'" not in text:
        return
    for data in _python_dicts(text):
        yield from body_evidence_for(json.dumps(data), "", "error")
