"""What application frameworks put in their JSON error bodies beyond a message.

- A stack trace inside a JSON string: Spring Boot's `trace`, Express/Nest's `stack`,
  Laravel's `exception` + `trace`, .NET's `stackTrace`. The body extractor looks for trace
  markers in raw text, where a JSON string hides the line breaks (`\\n\\tat ...`).
- Health endpoints (Spring Boot Actuator and look-alikes): `{"status": "DOWN", "components":
  {"db": {"status": "DOWN"}}}` names the dependency that is down.

Kinds: `stack_trace` {language, line} (as the body extractor's), `health_down` {field, components}.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from knowledge.evidence import Context, extractor
from knowledge.evidence.vendors import json_bodies
from knowledge.model import Evidence
from knowledge.text import clip

_TRACE_KEYS = ("trace", "stack", "stackTrace", "stacktrace", "exception", "traceback", "backtrace")
_LANGUAGE_HINTS = (("java.", "Java"), ("\tat ", "Java"), ("    at ", "Node.js"), ("Traceback", "Python"),
                   ("File \"", "Python"), ("Illuminate\\", "PHP"), (".php", "PHP"), ("System.", ".NET"),
                   (".rb:", "Ruby"), ("goroutine", "Go"))
_MAX_COMPONENTS = 20


def _trace_text(value: Any) -> str | None:
    if isinstance(value, list):  # Laravel: a list of frames; Rails: a list of lines
        lines = [str(item.get("file", "")) + ":" + str(item.get("line", "")) if isinstance(item, dict) else str(item)
                 for item in value[:5]]
        return "\n".join(lines) if lines else None
    if isinstance(value, str) and ("\n" in value or " at " in value) and len(value) > 20:
        return value
    return None


def _trace_evidence(data: dict[str, Any]) -> Evidence | None:
    for key in _TRACE_KEYS:
        text = _trace_text(data.get(key))
        if text is None:
            continue
        first = text.strip().split("\n", 1)[0]
        language = next((name for hint, name in _LANGUAGE_HINTS if hint in text[:2000]), "application")
        return Evidence("stack_trace", f"{language} stack trace in the response's `{key}` field: `{clip(first, 100)}`",
                        {"language": language, "line": clip(first, 200)})
    return None


def _health_evidence(data: dict[str, Any]) -> Evidence | None:
    status = data.get("status")
    components = data.get("components") or data.get("details") or data.get("checks")
    if not isinstance(status, str) or status.upper() not in ("DOWN", "OUT_OF_SERVICE", "FAIL", "UNHEALTHY"):
        return None
    if not isinstance(components, dict):
        return None
    down = [name for name, value in list(components.items())[:_MAX_COMPONENTS]
            if isinstance(value, dict) and str(value.get("status", "")).upper() in ("DOWN", "OUT_OF_SERVICE", "FAIL", "UNHEALTHY")]
    if not down:
        return None
    return Evidence("health_down", f"The health check reports {', '.join(f'`{n}`' for n in down[:4])} DOWN",
                    {"field": down[0], "components": down})


@extractor
def framework_evidence(ctx: Context) -> Iterator[Evidence]:
    for data in json_bodies(ctx, limit=2):
        for found in (_trace_evidence(data), _health_evidence(data)):
            if found is not None:
                yield found
