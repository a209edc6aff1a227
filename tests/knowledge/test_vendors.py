"""Vendor knowledge: the data files load and hold together, each vendor is recognised from what a
paste shows, replies quote the paste's own values, and hostile input stays harmless and fast."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from knowledge import diagnose, kb
from knowledge.kb import PLACEHOLDER, PLACEHOLDERS

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
VENDOR_DIR = Path(kb.__file__).parent / "data" / "vendors"
EXPECTED_VENDORS = {"github", "stripe", "aws", "openai", "google", "slack", "cloudflare", "heroku"}


def test_every_vendor_file_loads_with_known_causes_and_placeholders() -> None:
    knowledge = kb.load()
    assert set(knowledge.vendors) >= EXPECTED_VENDORS
    assert len(list(VENDOR_DIR.glob("*.toml"))) == len(knowledge.vendors)
    for vendor in knowledge.vendors.values():
        assert vendor.hosts or vendor.markers, vendor.id
        for error in vendor.errors.values():
            assert error.cause in knowledge.causes, (vendor.id, error.code)
        for lines in (*vendor.debug.values(), *vendor.fixes.values()):
            for line in lines:
                assert set(PLACEHOLDER.findall(line)) <= PLACEHOLDERS, line


@pytest.mark.parametrize(("text", "vendor"), [
    ("curl -i https://api.github.com/user\nHTTP/2 401\n\n{\"message\":\"Bad credentials\"}", "GitHub"),
    ("HTTP/2 404\nx-github-request-id: AB:CD\n\n{\"message\":\"Not Found\"}", "GitHub"),
    ('{"error":{"code":"resource_missing","doc_url":"https://stripe.com/docs/error-codes/resource-missing"}}', "Stripe"),
    ("curl https://slack.com/api/chat.postMessage\n{\"ok\":false,\"error\":\"not_authed\"}", "Slack Web API"),
    ("HTTP/1.1 403 Forbidden\nx-amz-request-id: 12AB\n\n<Error><Code>AccessDenied</Code></Error>", "AWS"),
    ("curl https://sheets.googleapis.com/v4/spreadsheets/x\nHTTP/2 403\n\n{}", "Google APIs"),
    ("HTTP/2 429\nopenai-organization: org-1\n\n{}", "OpenAI"),
    ("HTTP/2 403\n\n<html><p>Cloudflare Ray ID: <strong>88d3e4f5a6b7c8d9</strong></p></html>", "Cloudflare"),
    ("curl https://acme.herokuapp.com/\nHTTP/1.1 503 Service Unavailable\n\n<html></html>", "Heroku"),
])
def test_vendor_is_recognised_from_host_header_or_body(text: str, vendor: str) -> None:
    assert diagnose(text, now=NOW).vendor == vendor


def test_no_vendor_for_a_plain_status() -> None:
    assert diagnose("getting 500s", now=NOW).vendor is None


def _top(text: str):  # type: ignore[no-untyped-def]
    diagnosis = diagnose(text, now=NOW)
    assert diagnosis.top is not None
    return diagnosis, diagnosis.top


def test_github_rate_limit_reply_quotes_wait_and_request_id() -> None:
    diagnosis, top = _top(
        "HTTP/2 403\nretry-after: 60\nx-github-request-id: 9F10:7A21\n\n"
        '{"message":"You have exceeded a secondary rate limit."}'
    )
    assert top.id == "ratelimit.exceeded"
    assert "x-github-request-id: 9F10:7A21" in diagnosis.request_ids
    assert any("60 seconds" in line for line in top.fixes), top.fixes
    assert any("9F10:7A21" in line for line in top.debug), top.debug


def test_slack_missing_scope_fix_names_the_scope_to_add() -> None:
    _, top = _top('HTTP/2 200\nx-slack-req-id: 1\n\n{"ok":false,"error":"missing_scope","needed":"chat:write","provided":"channels:read"}')
    assert top.id == "authz.insufficient_scope"
    assert any("`chat:write`" in line for line in top.fixes), top.fixes
    assert any("channels:read" in line for line in top.evidence)


def test_slack_scope_already_granted_is_not_called_lacking() -> None:
    # The token has the needed scope: whatever failed, it was not the scope.
    diagnosis = diagnose('{"ok":false,"error":"channel_not_found","needed":"chat:write","provided":"chat:write,channels:read"}', now=NOW)
    assert diagnosis.top is not None and diagnosis.top.id == "url.hidden_by_access"
    assert "authz.insufficient_scope" not in [c.id for c in diagnosis.causes]


def test_aws_region_fix_names_the_bucket_region() -> None:
    _, top = _top(
        "HTTP/1.1 301 Moved Permanently\nx-amz-bucket-region: ap-southeast-2\n\n"
        "<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be "
        "addressed using the specified endpoint.</Message></Error>"
    )
    assert top.id == "redirect.not_followed"
    assert any("ap-southeast-2" in line for line in top.fixes), top.fixes


def test_cloudflare_code_without_vendor_still_brings_cloudflare_advice() -> None:
    _, top = _top("HTTP/2 403\nserver: cloudflare\ncf-ray: 88d3e4f5a6b7c8d9-IAD\n\nerror code: 1020")
    assert top.id == "authz.ip_restricted"
    assert any("Ray ID" in line for line in top.debug), top.debug


def test_cloudflare_codes_need_cloudflare_in_the_paste() -> None:
    # "Error 1020" from some other system is not Cloudflare's firewall.
    diagnosis = diagnose("HTTP/1.1 403 Forbidden\nServer: nginx\n\nError 1020: quota group locked", now=NOW)
    assert "authz.waf_blocked" not in [c.id for c in diagnosis.causes[:1]]
    assert all("Cloudflare" not in line for c in diagnosis.causes for line in c.evidence)


def test_openai_quota_is_not_called_a_rate_limit() -> None:
    _, top = _top('HTTP/2 429\nretry-after: 20\n\n{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}')
    assert top.id == "ratelimit.quota_exhausted"


def test_google_per_day_quota_and_per_minute_limit_differ() -> None:
    per_day = diagnose('{"error":{"code":403,"errors":[{"reason":"dailyLimitExceeded","message":"Daily Limit Exceeded"}]}}', now=NOW)
    per_minute = diagnose('{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","message":"Quota exceeded for quota metric \'Requests\' and limit \'Requests per minute\'","details":[{"reason":"RATE_LIMIT_EXCEEDED"}]}}', now=NOW)
    assert per_day.top is not None and per_day.top.id == "ratelimit.quota_exhausted"
    assert per_minute.top is not None and per_minute.top.id == "ratelimit.exceeded"


def test_secrets_in_vendor_pastes_are_masked_everywhere() -> None:
    token = "ghp_R2d2C3poBB8k9LmNqRsTuVwXyZ0123456789"
    diagnosis = diagnose(
        f'curl -i -H "Authorization: Bearer {token}" https://api.github.com/repos/acme/x\nHTTP/2 404\n\n'
        '{"message":"Not Found"}', now=NOW)
    for cause in diagnosis.causes:
        assert token not in " ".join([*cause.evidence, *cause.debug, *cause.fixes])


@pytest.mark.parametrize("text", [
    "\x00\x01\x02PK\x03\x04" * 170_000,  # about 1 MB of binary
    "a" * 40_000,
    "{" * 40_000,
    "\"" * 40_000,
    "HTTP/1.1 500 Internal Server Error\n" * 5_000,
    "code=H" * 8_000,
    "error code: " * 4_000,
    "{'error': {'message': " * 2_000,
    "An error occurred (" * 3_000,
    "Ray ID: " * 5_000,
    "<Code>" * 8_000 + "x-amz-bucket-region",
])
def test_hostile_input_is_harmless_and_fast(text: str) -> None:
    started = time.perf_counter()
    diagnosis = diagnose(text, now=NOW)
    elapsed = time.perf_counter() - started
    assert diagnosis.causes
    assert elapsed < 2.0, elapsed


def test_speed_with_all_vendors_loaded() -> None:
    """Typical pastes stay well under a millisecond or two each with every vendor loaded."""
    samples = [
        "429",
        "HTTP/2 403\nx-ratelimit-remaining: 0\nx-github-request-id: A:B\n\n{\"message\":\"API rate limit exceeded\"}",
        "curl -i https://api.stripe.com/v1/charges -u sk_test_4eC39HqLyjWDarjtT1zdp7dX:\nHTTP/1.1 400 Bad Request\n\n"
        '{"error":{"code":"parameter_missing","param":"amount","message":"Missing required param: amount."}}',
        '{"ok":false,"error":"missing_scope","needed":"chat:write","provided":"channels:read"}',
    ]
    for text in samples:
        diagnose(text, now=NOW)  # warm the caches
    rounds = 200
    started = time.perf_counter()
    for _ in range(rounds):
        for text in samples:
            diagnose(text, now=NOW)
    per_call = (time.perf_counter() - started) / (rounds * len(samples))
    assert per_call < 0.005, f"{per_call * 1000:.2f} ms per diagnose()"
