"""`diagnose(text)`: the engine's one entry point.

normalize -> recognize -> secrets -> vendor -> evidence -> rules -> rank -> mask -> Diagnosis.
Every string in the result has been through the one masker built from the secrets found, so
no credential in the paste can reach the output, whatever rule produced the text.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from knowledge import kb as kb_module
from knowledge.evidence import Context, gather
from knowledge.evidence.vendor import detect_vendor
from knowledge.gotchas import tool_warnings
from knowledge.kb import PLACEHOLDERS
from knowledge.model import Diagnosis, HttpRequest, Paste
from knowledge.normalize import normalize
from knowledge.rank import UNKNOWN, rank
from knowledge.recognize import recognize
from knowledge.rules import run_rules
from knowledge.secrets import Masker, find_secrets, warnings_for
from knowledge.text import unique

log = logging.getLogger(__name__)

# The stored excerpt and the request body shown are bounded: enough to recognise, no more.
MAX_EXCERPT = 2000
MAX_BODY_SHOWN = 2000
# The user part of `https://user:password@host` (often a key) is not the host.
_URL_IN_TEXT = re.compile(r"https?://(?:[^\s/?#@]{1,256}@)?([A-Za-z0-9.-]{1,253})")
_HOST_AFTER = re.compile(r"\b(?:from|on|at|calling|call|to|hitting)\s+([a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8})\b",
                         re.IGNORECASE)


def diagnose(text: str, *, now: datetime | None = None) -> Diagnosis:
    """Diagnose any text. Never raises: an internal failure still yields a polite answer."""
    if not isinstance(text, str):
        text = str(text, "utf-8", "replace") if isinstance(text, bytes | bytearray) else str(text)
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return _diagnose(text, moment)
    except Exception:  # the product answers; the log tells us what broke
        log.exception("diagnose failed")
        return _internal_error(text)


def _diagnose(text: str, now: datetime) -> Diagnosis:
    knowledge = kb_module.load()
    normalized = normalize(text)
    paste: Paste = recognize(normalized.text) if not normalized.binary else Paste(text=normalized.text)
    secrets = find_secrets(normalized.text)
    derived = _request_text(paste)
    if derived:
        secrets += find_secrets(derived)
    masker = Masker(_unique_secrets(secrets))

    ctx = Context(paste=paste, kb=knowledge, now=now)
    detected = detect_vendor(paste, knowledge)
    if detected is not None:
        ctx.vendor, ctx.vendor_via = detected
    evidence = gather(ctx)
    findings = run_rules(ctx)
    host = _host(paste)
    facts = _global_facts(ctx, host)
    causes = rank(findings, ctx, facts)

    warnings = warnings_for(masker.secrets) + normalized.warnings + paste.warnings + tool_warnings(normalized.text)
    if not paste.recognized and not normalized.binary and not paste.warnings:
        if causes and causes[0].id != UNKNOWN:
            warnings.append(
                "There is no status code, curl command or HTTP response in this, so I went by its "
                "wording alone: the output of `curl -i ...` would tell more."
            )
        else:
            warnings.append(
                "I could not find a status code, a curl command or an HTTP response in this. Paste one "
                "of those (for example the output of `curl -i ...`) and I can say more."
            )
    request = paste.request
    request_ids = [f"{item.facts.get('header')}: {item.facts.get('value')}" for item in evidence.of("request_id")]
    diagnosis = Diagnosis(
        status=paste.status,
        recognized=list(paste.recognized),
        request=_request_dict(request) if request is not None else None,
        causes=causes,
        warnings=unique(warnings),
        vendor=ctx.vendor.name if ctx.vendor else None,
        host=host,
        method=request.method if request else None,
        path=request.path if request else None,
        request_ids=request_ids[:5],
        secrets_found=unique([s.label for s in masker.secrets]),
        masked_text=normalized.text[:MAX_EXCERPT],
    )
    return _masked(diagnosis, masker)


def _masked(diagnosis: Diagnosis, masker: Masker) -> Diagnosis:
    if not masker.secrets:
        # Nothing was found in the paste, so there is nothing to mask: the masker's own
        # safety net runs the same detection and would find nothing either.
        return diagnosis
    # Every output string, masked in one call (one safety-net scan for all of them).
    texts: list[str] = []
    for cause in diagnosis.causes:
        texts += [cause.title, *cause.evidence, *cause.debug, *cause.fixes]
    request = diagnosis.request or {}
    headers = request.get("headers") or {}
    texts += [str(request.get("method") or ""), str(request.get("url") or ""), str(request.get("body") or "")]
    for name, value in headers.items():
        texts += [name, value]
    texts += [*diagnosis.warnings, *diagnosis.request_ids, diagnosis.masked_text, diagnosis.path or "",
              diagnosis.host or ""]
    masked = iter(masker.mask_strings(texts))
    for cause in diagnosis.causes:
        cause.title = next(masked)
        cause.evidence = [next(masked) for _ in cause.evidence]
        cause.debug = [next(masked) for _ in cause.debug]
        cause.fixes = [next(masked) for _ in cause.fixes]
    method, url, body = next(masked), next(masked), next(masked)
    new_headers = {}
    for _ in range(len(headers)):
        name = next(masked)
        new_headers[name] = next(masked)
    if diagnosis.request is not None:
        diagnosis.request = {**diagnosis.request, "method": method, "url": url, "headers": new_headers,
                             "body": body if diagnosis.request.get("body") is not None else None}
    diagnosis.warnings = [next(masked) for _ in diagnosis.warnings]
    diagnosis.request_ids = [next(masked) for _ in diagnosis.request_ids]
    diagnosis.masked_text = next(masked)
    path = next(masked)
    diagnosis.path = path or diagnosis.path
    host = next(masked)
    diagnosis.host = host or diagnosis.host
    return diagnosis


def _request_text(paste: Paste) -> str:
    """What the parsed requests hold that the paste does not spell out as is (the Basic header
    curl builds from -u, a URL it completed, a body it joined), written as lines so secrets in
    them are found too. Parts already in the paste were scanned with it."""
    text = paste.text
    lines: list[str] = []
    for request in paste.requests:
        if request.url not in text:
            lines.append(request.url)
        lines += [f"{name}: {value}" for name, value in request.headers if value not in text]
        if request.user:
            lines.append(f"-u {request.user}")
        if request.body and request.body[:20000] not in text:
            lines.append(request.body[:20000])
    return "\n".join(lines)


def _unique_secrets(secrets: list[Any]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for secret in secrets:
        if secret.value not in seen:
            seen.add(secret.value)
            out.append(secret)
    return out


def _request_dict(request: HttpRequest) -> dict[str, Any]:
    headers: dict[str, str] = {}
    for name, value in request.headers:
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    body = request.body
    if body is not None and len(body) > MAX_BODY_SHOWN:
        body = body[:MAX_BODY_SHOWN] + f"… ({len(request.body or '')} characters)"
    return {"method": request.method, "url": request.url, "headers": headers, "body": body}


def _host(paste: Paste) -> str | None:
    for request in paste.requests:
        if request.host:
            return request.host
        host = request.header("Host")
        if host:
            return host.split(":", 1)[0].lower()
    match = _URL_IN_TEXT.search(paste.text[:8192])
    if match:
        return match.group(1).lower().rstrip(".")
    match = _HOST_AFTER.search(paste.text[:4096])
    if match and not match.group(1)[-1].isdigit():
        return match.group(1).lower()
    return None


def _global_facts(ctx: Context, host: str | None) -> dict[str, Any]:
    """Placeholder values every cause's text may use: the first value of each evidence fact,
    plus what the request and response say directly."""
    facts: dict[str, Any] = {}
    # Facts only ever fill placeholders, so only placeholder names are collected.
    for item in ctx.evidence:
        for key, value in item.facts.items():
            if (key in PLACEHOLDERS and key not in facts and value != ""
                    and isinstance(value, str | int | float) and not isinstance(value, bool)):
                facts[key] = value
    retry = ctx.evidence.first("retry_after")
    if retry is not None:
        facts["retry_after"] = retry.facts.get("seconds")
    paste = ctx.paste
    request = paste.request
    if paste.status is not None:
        facts["status"] = paste.status
    if host:
        facts["host"] = host
    if request is not None:
        facts.update(method=request.method, url=request.url, path=request.path)
        facts["curl"] = _next_curl(request)
    if ctx.vendor is not None:
        facts["vendor"] = ctx.vendor.name
    request_id = ctx.evidence.first("request_id")
    if request_id is not None:
        facts["request_id"] = f"{request_id.facts.get('header')}: {request_id.facts.get('value')}"
    allow = ctx.evidence.first("allow")
    if allow is not None:
        facts["allow"] = ", ".join(allow.facts.get("methods") or [])
    response = paste.response
    if response is not None:
        if response.header("Content-Type"):
            facts.setdefault("content_type", response.header("Content-Type"))
        if response.header("Location"):
            facts.setdefault("location", response.header("Location"))
    error = ctx.evidence.first("error_message")
    if error is not None and error.facts.get("message"):
        facts["message"] = error.facts["message"][:200]
    return facts


def _next_curl(request: HttpRequest) -> str:
    """The command to run next: the same request, showing the response headers."""
    method = "" if request.method in ("GET", "POST") and not request.explicit_method else f" -X {request.method}"
    if request.method == "POST" and request.explicit_method:
        method = " -X POST"
    return f"curl -sS -i{method} '{request.url}'"


def _internal_error(text: str) -> Diagnosis:
    from knowledge.model import Cause

    masker = Masker([])
    try:
        masker = Masker(find_secrets(text[:65536]))
    except Exception:
        log.exception("secret scan failed while reporting an internal error")
    return Diagnosis(
        status=None,
        recognized=[],
        request=None,
        causes=[Cause(id=UNKNOWN, title="Could not diagnose this paste", confidence=0.0,
                      evidence=[], debug=["Paste the status code, the curl command or the response (`curl -i ...`)."],
                      fixes=[])],
        warnings=["Something went wrong while reading this paste; the error has been logged."],
        masked_text=masker.mask(text[:MAX_EXCERPT]) if masker.secrets else "",
    )
