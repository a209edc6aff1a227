"""Header evidence: the parsers and the extractor, on real header shapes and on junk."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from knowledge.evidence import Context
from knowledge.evidence.headers import (
    header_evidence,
    parse_duration,
    parse_http_date,
    parse_retry_after,
    parse_www_authenticate,
    server_layer,
)
from knowledge.kb import KnowledgeBase
from knowledge.model import Evidence, HttpRequest, HttpResponse, Paste
from knowledge.recognize.http import find_http

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
DATE = "Wed, 01 May 2024 12:00:00 GMT"  # the same instant as NOW


def evidence(
    *responses: HttpResponse, requests: list[HttpRequest] | None = None, now: datetime = NOW
) -> list[Evidence]:
    paste = Paste(text="", responses=list(responses), requests=requests or [])
    kb = KnowledgeBase(causes={}, statuses={}, vendors={})
    return list(header_evidence(Context(paste=paste, kb=kb, now=now)))


def kinds(items: list[Evidence], kind: str) -> list[Evidence]:
    return [item for item in items if item.kind == kind]


def one(items: list[Evidence], kind: str) -> Evidence:
    found = kinds(items, kind)
    assert len(found) == 1, found
    return found[0]


def response(*headers: tuple[str, str], status: int = 429) -> HttpResponse:
    return HttpResponse(status=status, headers=list(headers))


# ---------------------------------------------------------------------------- parsers


@pytest.mark.parametrize(
    "value",
    ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"],
)
def test_parse_http_date_three_forms(value: str) -> None:
    assert parse_http_date(value) == datetime(1994, 11, 6, 8, 49, 37, tzinfo=UTC)


@pytest.mark.parametrize("value", ["", "soon", "30", "Mon, 01 Jan 99999 00:00:00 GMT", "\x00" * 50])
def test_parse_http_date_rejects(value: str) -> None:
    assert parse_http_date(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("30", 30),
        (" 0 ", 0),
        ("1.2", 2),
        ("Wed, 01 May 2024 12:02:00 GMT", 120),
        ("Wed, 01 May 2024 11:00:00 GMT", 0),
        ("-5", None),
        ("soon", None),
        ("", None),
        ("9" * 30, None),
        ("1e9", None),
    ],
)
def test_parse_retry_after(value: str, expected: int | None) -> None:
    assert parse_retry_after(value, NOW) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1s", 1.0), ("6m0s", 360.0), ("20ms", 0.02), ("1h2m3.5s", 3723.5), ("45", 45.0),
     ("", None), ("abc", None), ("1x", None), ("1.2.3s", None), ("m", None)],
)
def test_parse_duration(value: str, expected: float | None) -> None:
    result = parse_duration(value)
    assert result == pytest.approx(expected) if expected is not None else result is None


def test_parse_www_authenticate_bearer_and_several_challenges() -> None:
    value = (
        'Bearer realm="example", error="invalid_token", '
        'error_description="The access token expired, \\"really\\"", '
        'Basic realm="legacy", charset="UTF-8", Negotiate YIIabc==, NTLM'
    )
    assert parse_www_authenticate(value) == [
        {
            "scheme": "Bearer",
            "realm": "example",
            "error": "invalid_token",
            "error_description": 'The access token expired, "really"',
        },
        {"scheme": "Basic", "realm": "legacy", "charset": "UTF-8"},
        {"scheme": "Negotiate", "token68": "YIIabc=="},
        {"scheme": "NTLM"},
    ]


def test_parse_www_authenticate_scope_and_unquoted_values() -> None:
    challenges = parse_www_authenticate('Bearer error=insufficient_scope, scope="repo read:org"')
    assert challenges == [{"scheme": "Bearer", "error": "insufficient_scope", "scope": "repo read:org"}]


@pytest.mark.parametrize("value", ['Bearer realm="unterminated', '=,=,"', ",,,", "", '"' * 5000, "a=" * 5000])
def test_parse_www_authenticate_never_raises(value: str) -> None:
    assert isinstance(parse_www_authenticate(value), list)


# ---------------------------------------------------------------------------- retry_after


def test_retry_after_seconds() -> None:
    item = one(evidence(response(("Retry-After", "30"))), "retry_after")
    assert item.facts == {"seconds": 30, "retry_at": "2024-05-01T12:00:30Z", "raw": "30"}
    assert item.text == "`Retry-After: 30` asks to wait 30 s"


def test_retry_after_date_compares_with_response_date() -> None:
    # The paste is old (Date is an hour before NOW): the wait is measured from Date.
    headers = (("date", "Wed, 01 May 2024 11:00:00 GMT"), ("retry-after", "Wed, 01 May 2024 11:05:00 GMT"))
    item = one(evidence(response(*headers)), "retry_after")
    assert item.facts["seconds"] == 300
    assert item.facts["retry_at"] == "2024-05-01T11:05:00Z"
    assert "`retry-after: Wed, 01 May 2024 11:05:00 GMT`" in item.text


def test_retry_after_date_without_date_header_uses_now() -> None:
    item = one(evidence(response(("Retry-After", "Wed, 01 May 2024 12:10:00 GMT"))), "retry_after")
    assert item.facts["seconds"] == 600


def test_retry_after_garbage_gives_nothing() -> None:
    assert kinds(evidence(response(("Retry-After", "later please"))), "retry_after") == []


# ---------------------------------------------------------------------------- ratelimit


def test_x_ratelimit_epoch_reset_github_style() -> None:
    reset = int((NOW + timedelta(minutes=12)).timestamp())
    items = evidence(response(
        ("date", DATE),
        ("x-ratelimit-limit", "5000"),
        ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-reset", str(reset)),
        ("x-ratelimit-used", "5000"),
        ("x-ratelimit-resource", "core"),
        status=403,
    ))
    item = one(items, "ratelimit")
    assert item.facts == {
        "limit": 5000,
        "remaining": 0,
        "reset_in": 720,
        "reset_at": "2024-05-01T12:12:00Z",
        "policy": None,
        "resource": "core",
        "header": "x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, x-ratelimit-used",
        "exhausted": True,
    }
    assert "`x-ratelimit-remaining: 0`" in item.text
    assert "12 min" in item.text


def test_x_ratelimit_delta_reset_and_mixed_case() -> None:
    item = one(evidence(response(
        ("X-RateLimit-Limit", "100"), ("X-RATELIMIT-REMAINING", "7"), ("x-RateLimit-Reset", "45"),
    )), "ratelimit")
    assert item.facts["limit"] == 100
    assert item.facts["remaining"] == 7
    assert item.facts["reset_in"] == 45
    assert item.facts["reset_at"] == "2024-05-01T12:00:45Z"
    assert item.facts["exhausted"] is False
    assert item.facts["header"] == "X-RateLimit-Limit, X-RATELIMIT-REMAINING, x-RateLimit-Reset"


def test_x_ratelimit_reset_in_milliseconds() -> None:
    reset_ms = int((NOW + timedelta(seconds=90)).timestamp() * 1000)
    item = one(evidence(response(("X-RateLimit-Reset", str(reset_ms)))), "ratelimit")
    assert item.facts["reset_in"] == 90


def test_openai_requests_and_tokens_families() -> None:
    items = evidence(response(
        ("x-ratelimit-limit-requests", "10000"),
        ("x-ratelimit-limit-tokens", "2000000"),
        ("x-ratelimit-remaining-requests", "9999"),
        ("x-ratelimit-remaining-tokens", "0"),
        ("x-ratelimit-reset-requests", "6ms"),
        ("x-ratelimit-reset-tokens", "6m0s"),
        ("x-request-id", "req_abc123"),
    ))
    found = {item.facts["resource"]: item.facts for item in kinds(items, "ratelimit")}
    assert set(found) == {"requests", "tokens"}
    assert found["requests"]["remaining"] == 9999
    assert found["requests"]["reset_in"] == 1
    assert found["requests"]["exhausted"] is False
    assert found["tokens"]["limit"] == 2_000_000
    assert found["tokens"]["reset_in"] == 360
    assert found["tokens"]["exhausted"] is True
    assert one(items, "request_id").facts == {"header": "x-request-id", "value": "req_abc123"}


def test_ietf_combined_field_and_policy() -> None:
    item = one(evidence(response(
        ("RateLimit", "limit=100, remaining=0, reset=30"), ("RateLimit-Policy", "100;w=60"),
    )), "ratelimit")
    assert item.facts["limit"] == 100
    assert item.facts["remaining"] == 0
    assert item.facts["reset_in"] == 30
    assert item.facts["policy"] == "100;w=60"
    assert item.facts["exhausted"] is True
    assert item.facts["header"] == "RateLimit, RateLimit-Policy"


def test_ietf_structured_field_draft() -> None:
    item = one(evidence(response(
        ("RateLimit", '"default";r=5;t=20'), ("RateLimit-Policy", '"default";q=50;w=60'),
    )), "ratelimit")
    assert (item.facts["limit"], item.facts["remaining"], item.facts["reset_in"]) == (50, 5, 20)


def test_ietf_triplet_reset_is_a_delay_even_when_large() -> None:
    item = one(evidence(response(
        ("RateLimit-Limit", "1000"), ("RateLimit-Remaining", "0"), ("RateLimit-Reset", "3600"),
    )), "ratelimit")
    assert (item.facts["limit"], item.facts["reset_in"]) == (1000, 3600)


@pytest.mark.parametrize("value", ["", "lots", "-1", "1e99", "9" * 40, "\x00"])
def test_ratelimit_bad_values_never_raise(value: str) -> None:
    items = evidence(response(
        ("X-RateLimit-Limit", value), ("X-RateLimit-Remaining", value), ("X-RateLimit-Reset", value),
        ("RateLimit", value), ("x-ratelimit-reset-tokens", value),
    ))
    for item in kinds(items, "ratelimit"):
        assert item.facts["limit"] is None or isinstance(item.facts["limit"], int)


# ---------------------------------------------------------------------------- auth, allow, cors


def test_www_authenticate_evidence() -> None:
    items = evidence(response(
        ("WWW-Authenticate", 'Bearer realm="api", error="invalid_token", error_description="Token expired"'),
        status=401,
    ))
    item = one(items, "www_authenticate")
    assert item.facts == {
        "scheme": "Bearer", "realm": "api", "error": "invalid_token",
        "error_description": "Token expired", "scope": None,
    }
    assert item.text.startswith('`WWW-Authenticate: Bearer realm="api"')
    assert "Token expired" in item.text


def test_www_authenticate_one_item_per_challenge_and_header() -> None:
    items = evidence(response(
        ("WWW-Authenticate", 'Basic realm="a", Bearer scope="admin"'),
        ("www-authenticate", "Digest realm=b, nonce=\"x\""),
        status=401,
    ))
    assert [item.facts["scheme"] for item in kinds(items, "www_authenticate")] == ["Basic", "Bearer", "Digest"]
    assert kinds(items, "www_authenticate")[1].facts["scope"] == "admin"


def test_allow_methods_and_cors_methods_do_not_count() -> None:
    items = evidence(response(("Allow", "GET, HEAD,OPTIONS"), status=405))
    assert one(items, "allow").facts == {"methods": ["GET", "HEAD", "OPTIONS"]}
    items = evidence(response(("Access-Control-Allow-Methods", "GET"), status=405))
    assert kinds(items, "allow") == []


def test_cors_response_headers_and_request_origin() -> None:
    request = HttpRequest(method="POST", url="https://api.test/x", headers=[("Origin", "http://localhost:3000")])
    items = evidence(
        response(
            ("Access-Control-Allow-Origin", "https://app.test"),
            ("Access-Control-Allow-Methods", "GET, POST"),
            ("Access-Control-Allow-Headers", "content-type,authorization"),
            ("Access-Control-Allow-Credentials", "true"),
            status=403,
        ),
        requests=[request],
    )
    item = one(items, "cors")
    assert item.facts == {
        "allow_origin": "https://app.test",
        "allow_methods": ["GET", "POST"],
        "allow_headers": ["content-type", "authorization"],
        "allow_credentials": True,
        "request_origin": "http://localhost:3000",
    }
    assert "`Origin: http://localhost:3000`" in item.text


def test_cors_from_origin_alone() -> None:
    request = HttpRequest(method="GET", url="https://api.test/x", headers=[("origin", "https://a.test")])
    item = one(evidence(response(("Content-Type", "text/plain"), status=403), requests=[request]), "cors")
    assert item.facts["allow_origin"] is None
    assert item.facts["request_origin"] == "https://a.test"


def test_no_cors_evidence_without_cors_headers() -> None:
    assert kinds(evidence(response(("Content-Type", "text/plain"))), "cors") == []


# ---------------------------------------------------------------------------- location


def location(url: str, target: str, status: int = 301) -> dict:
    request = HttpRequest(method="GET", url=url)
    return one(evidence(response(("Location", target), status=status), requests=[request]), "location").facts


def test_location_http_to_https() -> None:
    facts = location("http://api.test/v1/items", "https://api.test/v1/items")
    assert facts == {
        "location": "https://api.test/v1/items", "http_to_https": True,
        "trailing_slash_only": False, "same_host": True,
    }


def test_location_trailing_slash_only_relative() -> None:
    facts = location("https://api.test/v1/items?x=1", "/v1/items/?x=1", status=308)
    assert facts["trailing_slash_only"] is True
    assert facts["same_host"] is True
    assert facts["http_to_https"] is False


def test_location_slash_removed_and_other_host() -> None:
    assert location("https://api.test/v1/items/", "https://api.test/v1/items")["trailing_slash_only"] is True
    facts = location("https://api.test/v1/items", "https://login.test/sso")
    assert (facts["same_host"], facts["trailing_slash_only"]) == (False, False)


def test_location_without_request() -> None:
    items = evidence(response(("Location", "/login"), status=302))
    assert one(items, "location").facts["same_host"] is True


def test_location_chain_uses_previous_location_as_base() -> None:
    request = HttpRequest(method="GET", url="http://api.test/docs")
    first = response(("Location", "https://api.test/docs"), status=301)
    second = response(("Location", "https://api.test/docs/"), status=308)
    final = response(("Content-Type", "text/html"), status=200)
    items = evidence(first, second, final, requests=[request])
    facts = [item.facts for item in kinds(items, "location")]
    # final response first: the 308 (slash added), then the 301 (http to https)
    assert [f["trailing_slash_only"] for f in facts] == [True, False]
    assert [f["http_to_https"] for f in facts] == [False, True]


# ---------------------------------------------------------------------------- server layer


@pytest.mark.parametrize(
    ("headers", "layer"),
    [
        ([("Server", "cloudflare"), ("CF-Ray", "1-AMS")], "cloudflare"),
        ([("CF-Ray", "1-AMS")], "cloudflare"),
        ([("Server", "nginx/1.25.3")], "nginx"),
        ([("Server", "openresty")], "nginx"),
        ([("Server", "Apache/2.4.57 (Debian)")], "apache"),
        ([("Server", "Microsoft-IIS/10.0")], "iis"),
        ([("server", "envoy")], "envoy"),
        ([("x-envoy-upstream-service-time", "12")], "envoy"),
        ([("server", "istio-envoy")], "istio"),
        ([("Server", "awselb/2.0")], "awselb"),
        ([("Via", "1.1 abc.cloudfront.net (CloudFront)"), ("X-Amz-Cf-Id", "x")], "cloudfront"),
        ([("X-Amz-Cf-Id", "x")], "cloudfront"),
        ([("Server", "AkamaiGHost")], "akamai"),
        ([("Via", "1.1 varnish"), ("X-Served-By", "cache-ams21")], "fastly"),
        ([("Via", "1.1 varnish"), ("X-Varnish", "123")], "varnish"),
        ([("Server", "traefik")], "traefik"),
        ([("Server", "Cowboy"), ("Via", "1.1 vegur")], "heroku"),
        ([("Server", "kong/3.4.0")], "kong"),
        ([("X-Kong-Response-Latency", "1")], "kong"),
        ([("Server", "gunicorn")], "gunicorn"),
        ([("server", "uvicorn")], "uvicorn"),
        ([("X-Powered-By", "Express")], "express"),
        ([("Server", "gws")], "google"),
        ([("Server", "Google Frontend")], "google"),
        ([("Server", "ESF")], "google"),
        ([("Server", "Tesfa-Server")], None),
        ([("Content-Type", "text/plain")], None),
    ],
)
def test_server_layer(headers: list[tuple[str, str]], layer: str | None) -> None:
    found = server_layer(headers)
    assert (found[0] if found else None) == layer


def test_server_evidence_quotes_the_deciding_header() -> None:
    item = one(evidence(response(("Server", "awselb/2.0"), status=502)), "server")
    assert item.facts == {"server": "awselb/2.0", "via": None, "layer": "awselb"}
    assert item.text.startswith("`Server: awselb/2.0`")


def test_unknown_server_still_reported() -> None:
    item = one(evidence(response(("Server", "MyServer"), status=500)), "server")
    assert item.facts == {"server": "MyServer", "via": None, "layer": None}


# ---------------------------------------------------------------------------- ids, type, date, length


def test_request_ids_one_per_header() -> None:
    items = evidence(response(
        ("X-Amzn-RequestId", "a1"), ("x-amz-id-2", "b2"), ("X-GitHub-Request-Id", "c3"),
        ("Request-Id", "req_4"), ("traceparent", "00-abc-def-01"), ("apigw-requestid", "e5"),
        ("x-slack-req-id", "f6"), ("X-Cloud-Trace-Context", "g7/1"), ("x-ms-request-id", "h8"),
        ("X-Correlation-Id", "i9"),
    ))
    found = {item.facts["header"]: item.facts["value"] for item in kinds(items, "request_id")}
    assert found == {
        "X-Amzn-RequestId": "a1", "x-amz-id-2": "b2", "X-GitHub-Request-Id": "c3", "Request-Id": "req_4",
        "traceparent": "00-abc-def-01", "apigw-requestid": "e5", "x-slack-req-id": "f6",
        "X-Cloud-Trace-Context": "g7/1", "x-ms-request-id": "h8", "X-Correlation-Id": "i9",
    }


def test_content_type_date_and_length() -> None:
    items = evidence(response(
        ("Content-Type", "Application/JSON; charset=utf-8"), ("Date", DATE), ("Content-Length", "42"),
    ))
    assert one(items, "response_content_type").facts == {
        "content_type": "Application/JSON; charset=utf-8", "mime": "application/json",
    }
    assert one(items, "date_header").facts == {"date": "2024-05-01T12:00:00Z"}
    assert one(items, "content_length").facts == {"length": 42}


def test_content_type_only_from_final_response() -> None:
    first = response(("Content-Type", "text/html"), status=301)
    final = response(("Content-Type", "application/json"), status=200)
    assert one(evidence(first, final), "response_content_type").facts["mime"] == "application/json"


def test_final_response_evidence_comes_first() -> None:
    first = response(("Retry-After", "5"), status=503)
    final = response(("Retry-After", "60"), status=429)
    found = kinds(evidence(first, final), "retry_after")
    assert [item.facts["seconds"] for item in found] == [60, 5]


def test_bad_values_give_no_evidence_and_never_raise() -> None:
    items = evidence(response(
        ("Date", "yesterday"), ("Content-Length", "lots"), ("Location", "http://[::1"),
        ("Retry-After", "\x00\x01"), ("Allow", ""), ("Server", ""), ("WWW-Authenticate", '"'),
    ))
    assert kinds(items, "date_header") == []
    assert kinds(items, "content_length") == []
    assert one(items, "allow").facts == {"methods": []}


def test_naive_now_is_treated_as_utc() -> None:
    item = one(evidence(response(("Retry-After", "Wed, 01 May 2024 12:01:00 GMT")), now=NOW.replace(tzinfo=None)), "retry_after")
    assert item.facts["seconds"] == 60


# ---------------------------------------------------------------------------- whole pastes


def test_five_thousand_header_paste_end_to_end() -> None:
    lines = [f"X-Filler-{i}: {i}" for i in range(5000)]
    text = "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\n" + "\r\n".join(lines) + "\r\n\r\n"
    started = time.perf_counter()
    found = find_http(text)
    items = evidence(*found.responses)
    assert time.perf_counter() - started < 1.0
    assert one(items, "retry_after").facts["seconds"] == 30


def test_five_thousand_headers_given_directly() -> None:
    headers = [("x-request-id", f"id-{i}") for i in range(2500)] + [("Retry-After", "7")] * 2500
    started = time.perf_counter()
    items = evidence(HttpResponse(status=429, headers=headers))
    assert time.perf_counter() - started < 1.0
    assert len(kinds(items, "request_id")) == 1
    assert one(items, "retry_after").facts["seconds"] == 7


def test_curl_verbose_paste_gives_evidence() -> None:
    text = (
        "> GET /v1/models HTTP/2\n> Host: api.openai.com\n>\n"
        "< HTTP/2 429\n< date: Wed, 01 May 2024 12:00:00 GMT\n< content-type: application/json\n"
        "< x-ratelimit-remaining-requests: 0\n< x-ratelimit-reset-requests: 20ms\n"
        "< retry-after: 1\n< cf-ray: 87c2-SJC\n< server: cloudflare\n<\n"
        '{"error": {"message": "Rate limit reached"}}\n'
    )
    found = find_http(text)
    paste = Paste(text=text, requests=found.requests, responses=found.responses)
    kb = KnowledgeBase(causes={}, statuses={}, vendors={})
    items = list(header_evidence(Context(paste=paste, kb=kb, now=NOW)))
    assert one(items, "ratelimit").facts["exhausted"] is True
    assert one(items, "server").facts["layer"] == "cloudflare"
    assert one(items, "retry_after").facts["seconds"] == 1
    assert one(items, "request_id").facts["header"] == "cf-ray"
