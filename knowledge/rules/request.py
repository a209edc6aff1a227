"""400/413/414/415/422/431 and friends: what is wrong with the request itself."""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.evidence import Context
from knowledge.model import Finding
from knowledge.rules import finding, rule, status_is

_BODY_STATUSES = (400, 415, 422, 500)
_INVISIBLE_FAULTS = ("smart_quotes", "invisible_character")
_FIELD_CAUSES = (
    "request.missing_required_field", "request.wrong_field_type", "request.invalid_enum_value",
    "validation.field_format", "validation.business_rule",
)
# Framework rule names (Pydantic, Joi, Laravel, Rails, Stripe) that name the broken rule exactly.
_RULE_WORDS = (
    ("missing", "request.missing_required_field"), ("required", "request.missing_required_field"),
    ("blank", "request.missing_required_field"), ("parameter_missing", "request.missing_required_field"),
    ("enum", "request.invalid_enum_value"), ("literal_error", "request.invalid_enum_value"),
    ("one_of", "request.invalid_enum_value"), ("inclusion", "request.invalid_enum_value"),
    ("_type", "request.wrong_field_type"), ("type_error", "request.wrong_field_type"),
    ("_parsing", "request.wrong_field_type"), ("invalid_type", "request.wrong_field_type"),
    ("email", "validation.field_format"), ("pattern", "validation.field_format"),
    ("too_short", "validation.field_format"), ("too_long", "validation.field_format"),
    ("format", "validation.field_format"), ("url", "validation.field_format"),
    ("uuid", "validation.field_format"), ("date", "validation.field_format"),
)


@rule("request.malformed_json", "request.invisible_characters", needs=("body_json_fault",))
def json_body(ctx: Context) -> Iterator[Finding]:
    # An XML or form body labelled JSON is a labelling problem first: the JSON check fails
    # because the body was never meant to be JSON.
    mislabelled = ctx.evidence.has("content_type_mismatch")
    for item in ctx.evidence.of("body_json_fault"):
        invisible = item.facts.get("kind") in _INVISIBLE_FAULTS
        cause = "request.invisible_characters" if invisible else "request.malformed_json"
        confidence = 0.96 if status_is(ctx, *_BODY_STATUSES) else 0.7
        if mislabelled and not invisible:
            confidence -= 0.25
        yield finding(cause, confidence, item, fault=item.facts.get("fault"),
                      line=item.facts.get("line"), column=item.facts.get("column"))
        if invisible:
            yield finding("request.malformed_json", confidence - 0.3, item)


@rule("request.invisible_characters", needs=("invisible_chars",))
def invisible_characters(ctx: Context) -> Iterator[Finding]:
    for item in ctx.evidence.of("invisible_chars"):
        yield finding("request.invisible_characters", 0.85 if status_is(ctx, 400, 401, 403, 404, 422) else 0.6, item)


@rule("request.missing_content_type", "request.wrong_content_type",
      needs=("json_sent_as_form", "content_type_mismatch"))
def content_type(ctx: Context) -> Iterator[Finding]:
    for item in ctx.evidence.of("json_sent_as_form"):
        confidence = 0.92 if status_is(ctx, 400, 415, 422, 500) else 0.55
        content = item.facts.get("content_type")
        cause = "request.missing_content_type"
        yield finding(cause, confidence, item, **({"content_type": content} if content else {}))
    for item in ctx.evidence.of("content_type_mismatch"):
        yield finding("request.wrong_content_type", 0.88 if status_is(ctx, 400, 415, 422) else 0.55, item)


# Codes that arrive with a `param` but say nothing about the field's value (Stripe's
# `resource_missing` names the id that was not found, not a missing field).
_NOT_FIELD_RULES = frozenset({"resource_missing", "idempotency_error", "idempotency_key_in_use",
                              "lock_timeout", "rate_limit", "card_declined", "livemode_mismatch"})


def _classify(entry: dict[str, str], ctx: Context) -> str | None:
    rule_name = entry.get("rule", "").lower()
    if rule_name in _NOT_FIELD_RULES:
        return None
    for word, cause in _RULE_WORDS:
        if word in rule_name:
            return cause
    text = f"{entry.get('message', '')} {rule_name}".lower()
    best: tuple[int, str] | None = None
    for pattern in ctx.kb.messages:
        if pattern.cause not in _FIELD_CAUSES:
            continue
        for phrase in pattern.phrases:
            if phrase in text and (best is None or len(phrase) > best[0]):
                best = (len(phrase), pattern.cause)
    return best[1] if best else None


@rule(*_FIELD_CAUSES, needs=("field_errors",))
def field_errors(ctx: Context) -> Iterator[Finding]:
    for item in ctx.evidence.of("field_errors"):
        named: dict[str, str] = {}
        for entry in item.facts.get("items", []):
            cause = _classify(entry, ctx)
            if cause and cause not in named:
                named[cause] = entry["field"]
        for index, (cause, field) in enumerate(named.items()):
            yield finding(cause, 0.9 - 0.1 * index, item, field=field)


@rule("request.payload_too_large", "request.uri_too_long", "request.headers_too_large",
      needs=("body_large", "url_long", "headers_large"))
def sizes(ctx: Context) -> Iterator[Finding]:
    for kind, cause, statuses in (
        ("body_large", "request.payload_too_large", (413, 400)),
        ("url_long", "request.uri_too_long", (414, 400)),
        ("headers_large", "request.headers_too_large", (431, 494, 400)),
    ):
        item = ctx.evidence.first(kind)
        if item is not None:
            yield finding(cause, 0.9 if status_is(ctx, *statuses) else 0.5, item)


def _sent(ctx: Context, name: str) -> str | None:
    request = ctx.paste.request
    return request.header(name) if request is not None else None


@rule("request.not_acceptable", statuses=(406,))
def not_acceptable(ctx: Context) -> Iterator[Finding]:
    accept = _sent(ctx, "Accept")
    if ctx.paste.status == 406 and accept:
        yield finding("request.not_acceptable", 0.88, ctx.evidence.first("request_headers"), header=f"Accept: {accept}")


@rule("request.precondition_failed", statuses=(412, 428))
def precondition(ctx: Context) -> Iterator[Finding]:
    sent = [name for name in ("If-Match", "If-None-Match", "If-Unmodified-Since") if _sent(ctx, name)]
    if ctx.paste.status == 412 and sent:
        yield finding("request.precondition_failed", 0.92, ctx.evidence.first("request_headers"), header=sent[0])
    elif ctx.paste.status == 428 and not sent:
        yield finding("request.precondition_failed", 0.9, ctx.evidence.first("method_used"), header="If-Match")


@rule("request.conflict", statuses=(409, 400, 422))
def conflict(ctx: Context) -> Iterator[Finding]:
    key = _sent(ctx, "Idempotency-Key")
    if ctx.paste.status in (409, 400, 422) and key:
        yield finding("request.conflict", 0.7, ctx.evidence.first("request_headers"), header="Idempotency-Key")
    # On a 409 the server's own sentence is the state that conflicts ("Git Repository is empty").
    message = ctx.evidence.first("error_message")
    if ctx.paste.status == 409 and message is not None and message.facts.get("message"):
        yield finding("request.conflict", 0.7, message)
