"""Evidence from response bodies: what the server said, in whatever shape it said it.

Kinds and their facts:
- `error_message` {message, error_code, error_type, param, source}: the error a body reports
  (JSON `error`/`message`/`detail`/`errors[]`, AWS XML `<Code>`/`<Message>`, HTML `<title>`)
- `error_codes` {codes}: every code-like value found (for vendor tables)
- `graphql_errors` {messages, codes, paths}: a GraphQL `errors` array
- `ok_false` {field, error}: `"ok": false`, `"success": false`, `"status": "error"`
- `problem_details` {type, title, status, detail}: RFC 9457
- `field_errors` {items: [{field, message, rule}], fields}: per-field validation failures
- `stack_trace` {language, line}: a stack trace or exception dump
- `html_page` {title, layer}: an HTML error page and which layer wrote it
- `body_status` {status}: a status number inside the body
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from knowledge.evidence import NOT_JSON, Context, extractor
from knowledge.evidence.json_syntax import check_json, looks_like_json
from knowledge.model import Evidence
from knowledge.text import clip

_MAX_BODY = 64 * 1024
_TITLE = re.compile(r"<title[^>]{0,200}>([^<]{0,300})</title>", re.IGNORECASE)
_H1 = re.compile(r"<h1[^>]{0,200}>([^<]{0,300})</h1>", re.IGNORECASE)
_XML_FIELD = re.compile(r"<(Code|Message|RequestId|HostId|Endpoint|Region|BucketRegion|__type)>([^<]{0,500})</\1>")
_CODE_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9_.:#-]{1,80}$")

# (marker, language): the first line of a trace in each ecosystem.
_TRACES = (
    ("Traceback (most recent call last)", "Python"),
    ("Exception in thread", "Java"),
    ("\tat java.", "Java"), ("\tat org.", "Java"), ("\tat com.", "Java"), ("   at java.", "Java"),
    ("   at System.", ".NET"), ("   at Microsoft.", ".NET"), ("--- End of stack trace", ".NET"),
    ("    at Object.<anonymous>", "Node.js"), ("    at process.processTicksAndRejections", "Node.js"),
    ("    at Layer.handle", "Node.js"), ("    at async ", "Node.js"),
    ("goroutine 1 [running]", "Go"), ("panic: runtime error", "Go"),
    ("Stack trace:\n#0", "PHP"), ("PHP Fatal error", "PHP"), ("Fatal error: Uncaught", "PHP"),
    (".rb:", "Ruby"),
    ("SQLSTATE[", "SQL"), ("ORA-0", "Oracle"), ("psycopg2.errors.", "Python"),
    ("django.db.utils.", "Python"), ("sqlalchemy.exc.", "Python"),
)
_RUBY_TRACE = re.compile(r"\.rb:\d+:in `")
# Most bodies carry no "at " at all, and then no indented `at frame` marker can match: they
# read this shorter list, which keeps the others' order (the first marker listed wins).
_TRACES_WITHOUT_AT = tuple(trace for trace in _TRACES if "at " not in trace[0])
# Substrings of error pages that name the layer which wrote them.
_LAYERS = (
    ("cloudflare", "cloudflare"), ("Ray ID", "cloudflare"), ("<center>nginx", "nginx"),
    ("nginx/", "nginx"), ("openresty", "nginx"), ("Apache/2", "apache"), ("Apache Server at", "apache"),
    ("Microsoft-IIS", "iis"), ("IIS Detailed Error", "iis"), ("awselb", "awselb"),
    ("CloudFront", "cloudfront"), ("Heroku | Application Error", "heroku"),
    ("herokucdn.com/error-pages", "heroku"), ("Varnish cache server", "varnish"),
    ("Fastly error", "fastly"), ("AkamaiGHost", "akamai"), ("Reference&#32;&#35;", "akamai"),
    ("upstream connect error", "envoy"), ("no healthy upstream", "envoy"),
    ("Google Frontend", "google"), ("The server encountered an error and could not complete", "google"),
    ("Traefik", "traefik"), ("Kong Error", "kong"), ("Application Gateway", "azure"),
    ("Werkzeug", "flask"), ("Whitelabel Error Page", "spring"), ("Cannot GET /", "express"),
    ("Cannot POST /", "express"), ("ingress-nginx", "ingress-nginx"),
)


@dataclass
class BodyFacts:
    """What one body says, gathered in one pass over its parsed JSON."""

    messages: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    error_type: str | None = None
    param: str | None = None
    status: int | None = None


# Python's repr of a dict, as SDKs print error bodies, is read up to this size.
_REPR_LIMIT = 16 * 1024


def _loads(text: str) -> Any:
    """`json.loads`, with NOT_JSON for text it refuses (the memo-free form of Context.loads)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return NOT_JSON


def _as_json(body: str, loads: Callable[[str], Any] = _loads) -> Any:
    stripped = body.strip()
    if not stripped or stripped[0] not in "{[":
        return None
    value = loads(stripped)
    if value is not NOT_JSON:
        return value
    # SDKs print bodies as Python dicts: {'ok': False, 'error': 'invalid_auth'}. literal_eval
    # only builds literals (it runs nothing); depth and size are bounded by the limit.
    if "'" in stripped and len(stripped) <= _REPR_LIMIT:
        try:
            value = ast.literal_eval(stripped)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
        return value if isinstance(value, dict | list) else None
    return None


def _add_code(facts: BodyFacts, value: Any) -> None:
    if value is None or isinstance(value, bool):
        return  # None first: most keys looked up are absent
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and _CODE_LIKE.match(value) and value not in facts.codes:
        facts.codes.append(value)
        # AWS JSON: "__type": "com.amazon.coral.service#ExpiredTokenException"
        if "#" in value:
            facts.codes.append(value.rsplit("#", 1)[1])


def _add_message(facts: BodyFacts, value: Any) -> None:
    if value is None:
        return  # most keys looked up are absent
    if isinstance(value, str) and value.strip() and value not in facts.messages:
        facts.messages.append(value.strip())


_OBJECT_MESSAGE_KEYS = ("message", "msg", "description", "detail", "error_description", "errorMessage",
                        "error_message", "reason", "title", "Message", "faultstring", "localizedMessage")
_OBJECT_CODE_KEYS = ("code", "error_code", "errorCode", "type", "status", "Code", "__type", "reason",
                     "error_subcode", "subcode", "errorType", "name")


# Sets of the key lists, for the gates: a dict's keys tested against a larger set are
# iterated (a body has a few keys) instead of the list.
_OBJECT_MESSAGE_SET = frozenset(_OBJECT_MESSAGE_KEYS)
_OBJECT_CODE_SET = frozenset(_OBJECT_CODE_KEYS)


def _read_error_object(obj: dict[str, Any], facts: BodyFacts) -> None:
    # An error object has a few of these keys: one C set test skips a list none of it holds,
    # and absent keys are skipped before any call.
    if not obj.keys().isdisjoint(_OBJECT_MESSAGE_SET):
        for key in _OBJECT_MESSAGE_KEYS:
            value = obj.get(key)
            if value is not None:
                _add_message(facts, value)
    if not obj.keys().isdisjoint(_OBJECT_CODE_SET):
        for key in _OBJECT_CODE_KEYS:
            value = obj.get(key)
            if value is None:
                continue
            if key == "status" and isinstance(value, int):
                facts.status = facts.status or value
                continue
            _add_code(facts, value)
    if facts.error_type is None and isinstance(obj.get("type"), str):
        facts.error_type = obj["type"]
    if facts.param is None and isinstance(obj.get("param"), str):
        facts.param = obj["param"]
    # Google: error.errors[].reason, error.details[].reason / violations
    for key in ("errors", "details"):
        items = obj.get(key)
        if isinstance(items, list):
            for item in items[:10]:
                if isinstance(item, dict):
                    _add_code(facts, item.get("reason"))
                    _add_code(facts, item.get("code"))
                    _add_code(facts, item.get("issue"))  # PayPal: details[].issue
                    _add_message(facts, item.get("message"))
                    _add_message(facts, item.get("description"))


_TOP_MESSAGE_KEYS = ("error_description", "message", "msg", "detail", "title", "errorMessage", "Message",
                     "error_message", "description")
_TOP_CODE_KEYS = ("code", "error_code", "errorCode", "Code", "__type", "type", "reason", "errorType", "name")
_TOP_MESSAGE_SET = frozenset(_TOP_MESSAGE_KEYS)
_TOP_CODE_SET = frozenset(_TOP_CODE_KEYS)


def read_body_facts(data: Any) -> BodyFacts:
    """Messages and codes from the common error shapes of JSON APIs."""
    facts = BodyFacts()
    if isinstance(data, list) and data and isinstance(data[0], dict):
        data = data[0]
    if not isinstance(data, dict):
        return facts
    error = data.get("error")
    if isinstance(error, dict):
        _read_error_object(error, facts)
    elif isinstance(error, str):
        (_add_code if _CODE_LIKE.match(error) and " " not in error else _add_message)(facts, error)
    # As in `_read_error_object`: a list none of whose keys the body has is skipped whole.
    if not data.keys().isdisjoint(_TOP_MESSAGE_SET):
        for key in _TOP_MESSAGE_KEYS:
            value = data.get(key)
            if isinstance(value, str):
                _add_message(facts, value)
    if not data.keys().isdisjoint(_TOP_CODE_SET):
        for key in _TOP_CODE_KEYS:
            value = data.get(key)
            if value is not None:
                _add_code(facts, value)
    details = data.get("details")
    if isinstance(details, list):  # PayPal and gRPC gateways: the details name the real fault
        _read_error_object({"details": details}, facts)
    status = data.get("status", data.get("statusCode", data.get("status_code")))
    if isinstance(status, int) and not isinstance(status, bool) and 100 <= status <= 599:
        facts.status = status
    elif isinstance(status, str):
        _add_code(facts, status)  # Google: "status": "PERMISSION_DENIED"
    errors = data.get("errors")
    if isinstance(errors, str):  # Shopify: {"errors": "[API] Invalid API key or access token"}
        _add_message(facts, errors)
    if isinstance(errors, list):
        for item in errors[:10]:
            if isinstance(item, dict):
                _read_error_object(item, facts)
            elif isinstance(item, str):
                _add_message(facts, item)
    fault = data.get("fault")
    if isinstance(fault, dict):
        _add_message(facts, fault.get("faultstring"))
        detail = fault.get("detail")
        if isinstance(detail, dict):
            _add_code(facts, detail.get("errorcode"))
    return facts


# Keys of an error report: a body with none of them may be DRF's bare {field: [messages]}.
_ERROR_KEYS = frozenset(("error", "errors", "message", "detail", "status", "code"))


def _field_errors(data: Any) -> list[dict[str, str]]:
    """Per-field failures from Pydantic, DRF, Rails, JSON:API, Google and generic shapes."""
    items: list[dict[str, str]] = []

    def add(field_name: Any, message: Any, rule: Any = "") -> None:
        if len(items) < 20 and isinstance(message, str | list):
            text = message if isinstance(message, str) else "; ".join(str(m) for m in message[:3])
            items.append({"field": str(field_name), "message": text, "rule": str(rule or "")})

    if not isinstance(data, dict):
        return items
    detail = data.get("detail")
    if isinstance(detail, list):  # FastAPI / Pydantic
        for item in detail:
            if isinstance(item, dict) and "loc" in item:
                loc = [str(p) for p in item.get("loc", []) if p not in ("body", "query", "path")]
                add(".".join(loc) or "body", item.get("msg", ""), item.get("type", ""))
    errors = data.get("errors")
    error = data.get("error")
    if isinstance(error, dict) and isinstance(error.get("errors"), dict | list) and not errors:
        errors = error.get("errors")
    if isinstance(errors, dict):  # Rails / Laravel: {"errors": {"email": ["is invalid"]}}
        for name, messages in list(errors.items())[:20]:
            add(name, messages if isinstance(messages, list | str) else str(messages))
    elif isinstance(errors, list):
        for item in errors:
            if not isinstance(item, dict):
                continue
            source = item.get("source")
            pointer = source.get("pointer") or source.get("parameter") if isinstance(source, dict) else None
            name = item.get("field") or item.get("path") or item.get("param") or item.get("property") or pointer
            if isinstance(name, list):
                name = ".".join(str(p) for p in name)
            if name:
                message = item.get("message") or item.get("detail") or item.get("title") or item.get("msg") or ""
                add(name, message, item.get("code") or item.get("rule") or item.get("type") or "")
    if isinstance(error, dict):
        if isinstance(error.get("param"), str):  # Stripe
            add(error["param"], error.get("message", ""), error.get("code", ""))
        for detail_item in error.get("details", []) if isinstance(error.get("details"), list) else []:
            if isinstance(detail_item, dict):
                for violation in detail_item.get("fieldViolations", [])[:20]:
                    if isinstance(violation, dict):
                        add(violation.get("field", ""), violation.get("description", ""))
    if not items and data.keys().isdisjoint(_ERROR_KEYS):
        # Django REST framework: {"email": ["Enter a valid email address."]}
        for name, messages in list(data.items())[:20]:
            if isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages):
                add(name, messages)
    return items


def _graphql(data: Any) -> Evidence | None:
    if not isinstance(data, dict) or not isinstance(data.get("errors"), list) or not data["errors"]:
        return None
    if "data" not in data and not any(isinstance(e, dict) and ("locations" in e or "extensions" in e or "path" in e)
                                      for e in data["errors"]):
        return None
    messages, codes, paths = [], [], []
    for item in data["errors"][:10]:
        if isinstance(item, dict):
            if isinstance(item.get("message"), str):
                messages.append(item["message"])
            ext = item.get("extensions")
            if isinstance(ext, dict) and isinstance(ext.get("code"), str):
                codes.append(ext["code"])
            if isinstance(item.get("path"), list):
                paths.append(".".join(str(p) for p in item["path"]))
    first = clip(messages[0], 100) if messages else "an error"
    return Evidence(
        "graphql_errors",
        f"GraphQL `errors` array in the body: “{first}”" + (f" ({codes[0]})" if codes else ""),
        {"messages": messages, "codes": codes, "paths": paths},
    )


def _ok_false(data: Any) -> Evidence | None:
    if not isinstance(data, dict):
        return None
    for key in ("ok", "success", "succeeded", "isSuccess"):
        if data.get(key) is False:
            error = data.get("error") or data.get("message") or data.get("msg")
            error_text = error if isinstance(error, str) else json.dumps(error)[:100] if error else None
            return Evidence("ok_false", f"Body says `\"{key}\": false`" + (f" with error `{clip(error_text, 80)}`" if error_text else ""),
                            {"field": key, "error": error_text})
    status = data.get("status")
    if isinstance(status, str) and status.lower() in ("error", "fail", "failed", "failure"):
        return Evidence("ok_false", f"Body says `\"status\": \"{status}\"`", {"field": "status", "error": data.get("message")})
    return None


def _problem_details(data: Any, content_type: str) -> Evidence | None:
    if not isinstance(data, dict):
        return None
    if "problem+json" not in content_type and not ("type" in data and "title" in data
                                                   and ("detail" in data or "status" in data)):
        return None
    title = data.get("title") or ""
    detail = data.get("detail") or ""
    return Evidence(
        "problem_details",
        f"Problem details: “{clip(str(title), 80)}”" + (f" — {clip(str(detail), 120)}" if detail else ""),
        {"type": data.get("type"), "title": title, "status": data.get("status"), "detail": detail},
    )


def _stack_trace(body: str) -> Evidence | None:
    for marker, language in _TRACES if "at " in body else _TRACES_WITHOUT_AT:
        # `in` first: most markers are absent, and the operator skips find's method call.
        if marker not in body or (marker == ".rb:" and not _RUBY_TRACE.search(body)):
            continue
        index = body.find(marker)
        line_start = body.rfind("\n", 0, index) + 1
        line_end = body.find("\n", index)
        line = body[line_start : line_end if line_end > 0 else len(body)]
        return Evidence("stack_trace", f"{language} stack trace in the response: `{clip(line, 100)}`",
                        {"language": language, "line": clip(line, 200)})
    return None


def _html(body: str) -> Evidence | None:
    head = body[:4096]
    lowered = head.lower()
    if "<html" not in lowered and "<!doctype" not in lowered and "<h1" not in lowered and "<center>" not in lowered:
        return None
    title_match = _TITLE.search(head) or _H1.search(head)
    title = " ".join(title_match.group(1).split()) if title_match else ""
    layer = next((name for marker, name in _LAYERS if marker in body[:16384]), None)
    text = "HTML error page" + (f" titled “{clip(title, 80)}”" if title else "")
    if layer:
        text += f", written by {layer}"
    return Evidence("html_page", text, {"title": title, "layer": layer, "text": _visible_text(body[:8192])})


_TAG = re.compile(r"<(script|style)\b[^>]{0,200}>.{0,4000}?</\1>|<[^<>]{0,500}>", re.IGNORECASE | re.DOTALL)


def _visible_text(html: str) -> str:
    """What a browser would show of an error page, roughly: tags dropped, spaces squeezed."""
    return " ".join(_TAG.sub(" ", html).split())[:2000]


def _xml(body: str, facts: BodyFacts) -> None:
    if "<" not in body[:200]:
        return
    for match in _XML_FIELD.finditer(body[:16384]):
        name, value = match.group(1), match.group(2).strip()
        if name in ("Code", "__type"):
            _add_code(facts, value)
        elif name == "Message":
            _add_message(facts, value)


def _plain_text(body: str, facts: BodyFacts) -> None:
    stripped = body.strip()
    if stripped and stripped[0] not in "{[<" and len(stripped) < 2000:
        first = stripped.split("\n", 1)[0]
        _add_message(facts, first)


def body_evidence_for(body: str, content_type: str = "", source: str = "response body",
                      loads: Callable[[str], Any] = _loads) -> Iterator[Evidence]:
    """Evidence from one body. `loads` parses JSON; the extractor passes `Context.loads` so the
    vendor modules reuse the parse instead of repeating it."""
    body = body[:_MAX_BODY]
    data = _as_json(body, loads)
    facts = read_body_facts(data) if data is not None else BodyFacts()
    if data is None:
        _xml(body, facts)
        html = _html(body)
        if html is not None:
            yield html
            if html.facts["title"]:
                _add_message(facts, html.facts["title"])
        else:
            _plain_text(body, facts)
    if facts.messages or facts.codes:
        message = facts.messages[0] if facts.messages else ""
        code = facts.codes[0] if facts.codes else None
        shown = f"“{clip(message, 140)}”" if message else ""
        if code:
            shown = f"{shown} (code `{code}`)" if shown else f"error code `{code}`"
        yield Evidence(
            "error_message",
            f"The {source} says {shown}",
            {"message": message, "messages": facts.messages[:10], "error_code": code, "codes": facts.codes[:20],
             "error_type": facts.error_type, "param": facts.param, "source": source},
        )
    if facts.status is not None:
        yield Evidence("body_status", f"The body carries status {facts.status}", {"status": facts.status})
    if data is not None:
        for found in (_graphql(data), _ok_false(data), _problem_details(data, content_type)):
            if found is not None:
                yield found
        items = _field_errors(data)
        if items:
            listed = "; ".join(f"`{i['field']}`: {clip(i['message'], 60)}" for i in items[:4])
            yield Evidence("field_errors", f"The server rejected fields: {listed}",
                           {"items": items, "fields": [i["field"] for i in items], "field": items[0]["field"]})
    trace = _stack_trace(body)
    if trace is not None:
        yield trace


def _pasted_json_fault(body: str, loads: Callable[[str], Any] = _loads) -> Evidence | None:
    """A JSON-looking body pasted on its own, with no request or response around it, is most
    often the payload someone is about to send: say exactly where it breaks.

    `loads` is the extractor's memoised parse: the body was usually parsed already, and text
    `json.loads` accepts is valid JSON unless it spells NaN or Infinity (which it accepts and
    `check_json` refuses), so the checker runs only where it may find a fault."""
    if not looks_like_json(body):
        return None
    if "NaN" not in body and "Infinity" not in body and loads(body) is not NOT_JSON:
        return None
    fault = check_json(body)
    if fault is None:
        return None
    return Evidence(
        "body_json_fault",
        f"The pasted JSON is not valid: {fault.message}",
        {"fault": fault.message, "kind": fault.kind, "line": fault.line, "column": fault.column,
         "snippet": fault.snippet},
    )


@extractor
def body_evidence(ctx: Context) -> Iterator[Evidence]:
    paste = ctx.paste
    response = paste.response
    if response is not None and response.body.strip():
        yield from body_evidence_for(response.body, (response.header("Content-Type") or "").lower(),
                                     loads=ctx.loads)
    for body in paste.bodies[:3]:
        yield from body_evidence_for(body, "", "pasted body", loads=ctx.loads)
    # Only where a bad payload explains the status: a 404 or 500 with a dict printed by an SDK
    # (`{'error': ...}`, Python's repr) is an error report, not a payload.
    # And only when the JSON is most of the paste: an object printed inside an SDK exception or
    # a console log (Python's {'ok': False}, JavaScript's { code: 'ERR' }) is output, not input.
    if (not paste.requests and not paste.responses and len(paste.bodies) == 1
            and paste.status in (None, 400, 415, 422)
            and len(paste.bodies[0].strip()) >= 0.8 * len(paste.text.strip())):
        fault = _pasted_json_fault(paste.bodies[0], ctx.loads)
        if fault is not None and not (fault.facts["kind"] == "single_quotes" and paste.status is not None):
            yield fault
