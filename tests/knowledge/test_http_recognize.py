"""find_http: HTTP messages as people paste them, and pastes built to break a parser."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.recognize import recognize
from knowledge.recognize.http import MAX_BODY, MAX_HEADERS, find_http, parse_header_line

CURL_I = """HTTP/1.1 429 Too Many Requests
Date: Wed, 21 Oct 2015 07:28:00 GMT
Content-Type: application/json
Retry-After: 30

{"error": {"message": "Rate limit reached", "type": "requests"}}
"""

CURL_V = """*   Trying 140.82.112.6:443...
* Connected to api.github.com (140.82.112.6) port 443 (#0)
* ALPN: curl offers h2,http/1.1
* TLSv1.3 (OUT), TLS handshake, Client hello (1):
* SSL connection using TLSv1.3 / TLS_AES_128_GCM_SHA256
> GET /user/repos?per_page=5 HTTP/2
> Host: api.github.com
> User-Agent: curl/8.4.0
> Authorization: Bearer ghp_xxx
> Accept: */*
>
{ [5 bytes data]
< HTTP/2 401
< server: GitHub.com
< content-type: application/json; charset=utf-8
< x-github-request-id: C0DE:1234:5678
<
{ [131 bytes data]
{
  "message": "Bad credentials",
  "documentation_url": "https://docs.github.com/rest"
}
* Connection #0 to host api.github.com left intact
"""

CHROME = """General
Request URL: https://api.example.com/v1/items?page=2
Request Method: POST
Status Code: 403 Forbidden
Remote Address: 104.16.1.1:443
Referrer Policy: strict-origin-when-cross-origin

Response Headers
access-control-allow-origin: https://app.example.com
content-type: application/json
cf-ray: 8a1b2c3d4e5f-AMS

Request Headers
:authority: api.example.com
:method: POST
:path: /v1/items?page=2
:scheme: https
accept: application/json
origin: http://localhost:3000
"""

CHROME_ALTERNATE = """Request URL:
https://api.example.com/v1/orders
Request Method:
DELETE
Status Code:
405 Method Not Allowed
Remote Address:
10.0.0.1:443

Response Headers
allow
GET, POST
content-type
application/problem+json
date
Wed, 21 Oct 2015 07:28:00 GMT
"""

POSTMAN = """Status: 401 Unauthorized   Time: 182 ms   Size: 512 B
Key\tValue
Content-Type\tapplication/json
WWW-Authenticate\tBearer error="invalid_token"
"""


def only(items: list) -> object:
    assert len(items) == 1, items
    return items[0]


# ---------------------------------------------------------------------------- curl -i


def test_curl_i_status_headers_and_body() -> None:
    found = find_http(CURL_I)
    response = only(found.responses)
    assert response.status == 429
    assert response.reason == "Too Many Requests"
    assert response.version == "1.1"
    assert response.source == "status_line"
    assert response.header("retry-after") == "30"
    assert response.headers[0] == ("Date", "Wed, 21 Oct 2015 07:28:00 GMT")
    assert response.body == '{"error": {"message": "Rate limit reached", "type": "requests"}}'
    assert found.bodies == []
    assert found.requests == []


@pytest.mark.parametrize(
    ("line", "version", "status", "reason"),
    [
        ("HTTP/2 502", "2", 502, ""),
        ("HTTP/2 502 ", "2", 502, ""),
        ("HTTP/3 200", "3", 200, ""),
        ("HTTP/1.0 503 Service Unavailable", "1.0", 503, "Service Unavailable"),
        ("HTTP/2.0 404 Not Found", "2.0", 404, "Not Found"),
    ],
)
def test_status_line_forms(line: str, version: str, status: int, reason: str) -> None:
    response = only(find_http(line + "\nserver: x\n").responses)
    assert (response.version, response.status, response.reason) == (version, status, reason)
    assert response.headers == [("server", "x")]


def test_crlf_line_endings() -> None:
    text = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nX-Thing:  padded  \r\n\r\nbad input\r\n"
    response = only(find_http(text).responses)
    assert response.headers == [("Content-Type", "text/plain"), ("X-Thing", "padded")]
    assert response.body == "bad input"


def test_continue_then_final_and_redirect_chain() -> None:
    text = (
        "HTTP/1.1 100 Continue\n\n"
        "HTTP/1.1 301 Moved Permanently\nLocation: https://api.example.com/v2/\nContent-Length: 0\n\n"
        "HTTP/2 404 \ncontent-type: text/html\n\n<html><body><h1>404</h1></body></html>\n"
    )
    found = find_http(text)
    assert [r.status for r in found.responses] == [100, 301, 404]
    assert found.responses[0].body == ""
    assert found.responses[1].header("Location") == "https://api.example.com/v2/"
    assert found.responses[1].body == ""
    assert found.responses[2].body == "<html><body><h1>404</h1></body></html>"


def test_header_continuation_lines_are_joined() -> None:
    text = "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"api\",\n\terror=\"invalid_token\"\n\n"
    response = only(find_http(text).responses)
    assert response.header("WWW-Authenticate") == 'Bearer realm="api", error="invalid_token"'


def test_curl_command_with_json_data_is_not_a_body() -> None:
    text = (
        "$ curl -i -X POST https://api.example.com/v1/items \\\n"
        "  -H 'Content-Type: application/json' \\\n"
        "  -d '{\"name\": \"widget\",\n"
        "       \"price\": 3}'\n"
        "HTTP/1.1 422 Unprocessable Entity\ncontent-type: application/json\n\n"
        '{"errors": [{"field": "price"}]}\n'
    )
    found = find_http(text)
    assert found.bodies == []
    assert only(found.responses).body == '{"errors": [{"field": "price"}]}'


def test_curl_in_prose_line_is_skipped() -> None:
    text = "I ran curl -X POST https://x.test/a -d '{\"a\": 1}' and got nothing back"
    assert find_http(text).bodies == []


def test_prose_right_under_headers_is_not_a_body() -> None:
    text = "HTTP/1.1 500 Internal Server Error\nContent-Type: text/plain\nwhy does this happen?\n"
    response = only(find_http(text).responses)
    assert response.headers == [("Content-Type", "text/plain")]
    assert response.body == ""


def test_json_body_pasted_without_blank_line() -> None:
    text = 'HTTP/1.1 400 Bad Request\ncontent-type: application/json\n{"error": "bad"}\n'
    assert only(find_http(text).responses).body == '{"error": "bad"}'


def test_no_body_for_204_and_content_length_zero() -> None:
    text = "HTTP/1.1 204 No Content\n\n{\"x\": 1}\n"
    found = find_http(text)
    assert only(found.responses).body == ""
    assert found.bodies == ['{"x": 1}']


def test_header_names_kept_as_written_and_capped() -> None:
    lines = [f"X-Header-{i}: value {i}" for i in range(5000)]
    text = "HTTP/1.1 431 Request Header Fields Too Large\n" + "\n".join(lines) + "\n\nbody\n"
    started = time.perf_counter()
    response = only(find_http(text).responses)
    assert time.perf_counter() - started < 1.0
    assert len(response.headers) == MAX_HEADERS
    assert response.headers[0] == ("X-Header-0", "value 0")
    assert response.body == "body"


# ---------------------------------------------------------------------------- curl -v


def test_curl_verbose_request_response_and_body() -> None:
    found = find_http(CURL_V)
    request = only(found.requests)
    assert request.source == "verbose"
    assert request.method == "GET"
    assert request.url == "https://api.github.com/user/repos?per_page=5"
    assert request.header("Authorization") == "Bearer ghp_xxx"
    response = only(found.responses)
    assert response.source == "verbose"
    assert response.status == 401
    assert response.header("x-github-request-id") == "C0DE:1234:5678"
    assert response.body.startswith("{\n  \"message\": \"Bad credentials\"")
    assert response.body.endswith("}")
    assert found.bodies == []


def test_verbose_scheme_from_port_without_tls_lines() -> None:
    text = (
        "* Connected to localhost (127.0.0.1) port 8080 (#0)\n"
        "> POST /api/login HTTP/1.1\n> Host: localhost:8080\n> Content-Type: application/json\n>\n"
        "< HTTP/1.1 415 Unsupported Media Type\n< Content-Length: 0\n<\n"
    )
    found = find_http(text)
    assert only(found.requests).url == "http://localhost:8080/api/login"
    assert only(found.responses).status == 415


def test_verbose_port_443_means_https_and_host_from_connection() -> None:
    text = "* Connected to api.stripe.com (1.2.3.4) port 443\n> GET /v1/charges HTTP/1.1\n>\n"
    assert only(find_http(text).requests).url == "https://api.stripe.com/v1/charges"


def test_verbose_redirects_followed() -> None:
    text = (
        "* Connected to example.com (1.1.1.1) port 80 (#0)\n"
        "> GET /docs HTTP/1.1\n> Host: example.com\n>\n"
        "< HTTP/1.1 301 Moved Permanently\n< Location: https://example.com/docs/\n<\n"
        "* Connected to example.com (1.1.1.1) port 443 (#1)\n"
        "* SSL connection using TLSv1.3\n"
        "> GET /docs/ HTTP/1.1\n> Host: example.com\n>\n"
        "< HTTP/1.1 200 OK\n< Content-Type: text/plain\n<\nhello\n"
    )
    found = find_http(text)
    assert [r.url for r in found.requests] == ["http://example.com/docs", "https://example.com/docs/"]
    assert [r.status for r in found.responses] == [301, 200]
    assert found.responses[1].body == "hello"


def test_verbose_progress_meter_is_ignored() -> None:
    text = (
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
        "                                 Dload  Upload   Total   Spent    Left  Speed\n"
        "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\n"
        "< HTTP/1.1 503 Service Unavailable\n< Retry-After: 120\n<\n"
        "100    19  100    19    0     0    120      0 --:--:-- --:--:-- --:--:--   121\n"
        "upstream overloaded\n"
    )
    response = only(find_http(text).responses)
    assert response.status == 503
    assert response.body == "upstream overloaded"


# ---------------------------------------------------------------------------- raw requests


def test_raw_request_then_response() -> None:
    text = (
        "POST /v1/items HTTP/1.1\nHost: api.example.com\nContent-Type: application/json\n\n"
        '{"name": "a",}\n\n'
        "HTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n{\"error\": \"invalid json\"}\n"
    )
    found = find_http(text)
    request = only(found.requests)
    assert request.source == "http"
    assert (request.method, request.url) == ("POST", "https://api.example.com/v1/items")
    assert request.body == '{"name": "a",}'
    assert only(found.responses).body == '{"error": "invalid json"}'
    assert found.bodies == []


def test_raw_request_absolute_target_and_local_host() -> None:
    found = find_http("GET http://proxy.test/x HTTP/1.1\n\nPUT /y HTTP/1.1\nHost: localhost\n\n")
    assert [r.url for r in found.requests] == ["http://proxy.test/x", "http://localhost/y"]


# ---------------------------------------------------------------------------- devtools, Postman


def test_chrome_general_and_header_sections() -> None:
    found = find_http(CHROME)
    response = only(found.responses)
    assert response.source == "devtools"
    assert (response.status, response.reason) == (403, "Forbidden")
    assert response.header("access-control-allow-origin") == "https://app.example.com"
    assert response.header("cf-ray") == "8a1b2c3d4e5f-AMS"
    assert response.header("Remote Address") is None
    request = only(found.requests)
    assert request.source == "devtools"
    assert (request.method, request.url) == ("POST", "https://api.example.com/v1/items?page=2")
    assert request.header("origin") == "http://localhost:3000"
    assert request.header(":method") is None  # pseudo-headers become fields, not headers


def test_chrome_alternate_layout() -> None:
    found = find_http(CHROME_ALTERNATE)
    response = only(found.responses)
    assert (response.status, response.reason) == (405, "Method Not Allowed")
    assert response.headers == [
        ("allow", "GET, POST"),
        ("content-type", "application/problem+json"),
        ("date", "Wed, 21 Oct 2015 07:28:00 GMT"),
    ]
    request = only(found.requests)
    assert (request.method, request.url) == ("DELETE", "https://api.example.com/v1/orders")


def test_chrome_name_colon_newline_value_layout() -> None:
    text = "Response Headers (3)\ncontent-type:\napplication/json\nx-request-id:\nabc-123\n"
    response = only(find_http(text).responses)
    assert response.headers == [("content-type", "application/json"), ("x-request-id", "abc-123")]


def test_http2_pseudo_headers_alone() -> None:
    text = ":status: 404\ncontent-type: application/json\n\n{\"message\": \"Not Found\"}\n"
    found = find_http(text)
    response = only(found.responses)
    assert response.status == 404
    assert response.headers == [("content-type", "application/json")]
    assert response.body == '{"message": "Not Found"}'
    assert found.bodies == []


def test_postman_status_and_tab_table() -> None:
    found = find_http(POSTMAN)
    response = only(found.responses)
    assert (response.status, response.reason) == (401, "Unauthorized")
    assert response.header("WWW-Authenticate") == 'Bearer error="invalid_token"'
    assert response.header("Key") is None


def test_firefox_summary_rows() -> None:
    text = "Scheme: https\nHost: api.example.com\nFilename: /v1/me\nStatus: 403 Forbidden\nVersion: HTTP/2\n"
    found = find_http(text)
    response = only(found.responses)
    assert (response.status, response.version) == (403, "2")
    assert only(found.requests).url == "https://api.example.com/v1/me"


def test_firefox_copy_all_json() -> None:
    text = (
        '{"Response Headers (245 B)": {"headers": [{"name": "content-type", "value": "text/html"},'
        ' {"name": "server", "value": "nginx"}]},'
        ' "Request Headers (120 B)": {"headers": [{"name": "Host", "value": "a.test"}]}}'
    )
    found = find_http(text)
    assert only(found.responses).headers == [("content-type", "text/html"), ("server", "nginx")]
    assert only(found.requests).headers == [("Host", "a.test")]
    assert found.bodies == []


def test_devtools_block_ends_at_prose() -> None:
    text = "Status Code: 500 Internal Server Error\ncontent-type: text/plain\n\nAny idea what is wrong here?\n"
    response = only(find_http(text).responses)
    assert response.headers == [("content-type", "text/plain")]


# ---------------------------------------------------------------------------- bodies alone


def test_json_body_inside_prose() -> None:
    text = 'I get this back: {"error": {"code": "invalid_api_key", "message": "x"}} when calling it'
    assert find_http(text).bodies == ['{"error": {"code": "invalid_api_key", "message": "x"}}']


def test_invalid_json_body_is_still_a_body() -> None:
    text = "got this:\n{\n  'error': 'bad',\n  \"n\": 1,\n}\nhelp"
    assert find_http(text).bodies == ["{\n  'error': 'bad',\n  \"n\": 1,\n}"]


def test_unclosed_json_runs_to_blank_line() -> None:
    text = 'response:\n{"error": {"message": "truncated\n  "more": 1\n\nthanks'
    assert find_http(text).bodies == ['{"error": {"message": "truncated\n  "more": 1']


def test_json_array_body() -> None:
    text = '[{"message": "Field required", "loc": ["body", "name"]}]'
    assert find_http(text).bodies == [text]


def test_braces_in_prose_are_not_bodies() -> None:
    text = "Use {id} in the path and see [1] or [ERROR] logs; ${TOKEN} is set"
    assert find_http(text).bodies == []


def test_xml_and_html_bodies() -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
        "<Message>Access Denied</Message></Error>"
    )
    html = "<!DOCTYPE html>\n<html>\n<head><title>502 Bad Gateway</title></head>\n</html>"
    found = find_http(f"S3 says:\n{xml}\nand nginx says:\n{html}\nweird")
    assert found.bodies == [xml, html]


def test_placeholder_in_angle_brackets_is_not_a_body() -> None:
    assert find_http("<your-token> goes in the header\nthen it fails").bodies == []


def test_body_capped() -> None:
    text = '{"a": "' + "x" * (MAX_BODY * 2) + '"}'
    bodies = find_http(text).bodies
    assert len(only(bodies)) == MAX_BODY


# ---------------------------------------------------------------------------- header lines


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Content-Type: application/json", ("Content-Type", "application/json")),
        ("x-empty:", ("x-empty", "")),
        (":status: 200", (":status", "200")),
        ("Content-Type\tapplication/json", ("Content-Type", "application/json")),
        ("Content-Type →application/json", ("Content-Type", "application/json")),
        ("https://example.com/x", None),
        ("not a header line", None),
        ("  indented: x", None),
        ("", None),
    ],
)
def test_parse_header_line(line: str, expected: tuple[str, str] | None) -> None:
    assert parse_header_line(line) == expected


# ---------------------------------------------------------------------------- hostile input


HOSTILE = [
    "",
    "\x00" * 10_000,
    "{" * 40_000,
    "[" * 40_000,
    '"' * 40_000,
    "'" * 40_000,
    "<" * 40_000,
    "a" * 40_000,
    "HTTP/1.1 200 " + " " * 40_000 + "x",
    "HTTP/1.1 200 OK\n" + ("X: " + "y" * 40_000 + "\n"),
    "curl -d '" + "x\n" * 5_000,
    "{a\n" * 5_000,
    "[{\n" * 5_000,
    '{"a":\n' * 5_000,
    "> GET / HTTP/1.1\n" * 2_000,
    "< HTTP/1.1 200 OK\n<\n{\n" * 2_000,
    "Request URL:\n" * 5_000,
    "x\n" * 5_000,
    "HTTP/1.1 200 OK\n" * 5_000,
    "<html>" * 10_000,
    "<?xml?><a" * 5_000,
    "\r" * 50_000,
    bytes(range(256)).decode("latin-1") * 4_000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_hostile_input_is_fast_and_never_raises(text: str) -> None:
    started = time.perf_counter()
    found = find_http(text)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.5, elapsed
    for body in found.bodies:
        assert len(body) <= MAX_BODY
    for response in found.responses:
        assert len(response.headers) <= MAX_HEADERS
        assert len(response.body) <= MAX_BODY


def test_one_megabyte_of_binary() -> None:
    import random

    rng = random.Random(7)
    text = bytes(rng.randrange(256) for _ in range(1_000_000)).decode("latin-1")
    started = time.perf_counter()
    find_http(text)
    assert time.perf_counter() - started < 3.0


def test_bare_response_headers_block() -> None:
    text = "these came back:\nContent-Type: application/json\nRetry-After: 60\nX-RateLimit-Remaining: 0\n"
    response = only(find_http(text).responses)
    assert response.status is None
    assert response.header("retry-after") == "60"
    assert len(response.headers) == 3


def test_prose_with_colons_is_not_a_header_block() -> None:
    assert find_http("Note: this only fails in prod\nError: it says denied\n").responses == []


FRAGMENTS = [
    "HTTP/1.1 429 Too Many Requests", "HTTP/2 502 ", "< HTTP/1.1 200 OK", "<", "< x: y", ">",
    "> GET / HTTP/1.1", "> Host: a.test", "* Connected to a.test (1.1.1.1) port 443", "{ [5 bytes data]",
    "Content-Type: application/json", "Retry-After: 30", "  folded", "", "\r", "{", "}", "[", "]",
    '{"a": 1}', "{'a': 'it's'}", '"', "'", "<html>", "</html>", "<?xml version='1.0'?><E>", "</E>",
    "General", "Response Headers", "Request Headers", "Request URL:", "https://a.test/x",
    "Status Code: 403", ":status: 404", ":method: POST", "Status: 401 Unauthorized", "Key\tValue",
    "curl -d '{\"a\": 1", "$ curl -X POST https://a.test \\", "POST /x HTTP/1.1", "Host: localhost:8080",
    "name", "value", "\x00\x01", "…", "GET https://a.test/x", "Scheme: https",
]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60), st.sampled_from(["\n", "\r\n", " ", ""]))
@settings(max_examples=120, deadline=None)
def test_fragment_soup_never_raises(parts: list[str], joiner: str) -> None:
    found = find_http(joiner.join(parts))
    for response in found.responses:
        assert response.status is None or 100 <= response.status <= 999
        assert len(response.headers) <= MAX_HEADERS
    for request in found.requests:
        assert request.method


def test_postman_console_request_line_then_its_headers_then_a_bare_status() -> None:
    paste = recognize(
        "GET https://acme-outfitters.myshopify.com/admin/api/2025-01/products.json?limit=5\n"
        "X-Shopify-Access-Token: shpss_0000\n"
        "\n"
        "HTTP/1.1 401 Unauthorized\n"
    )
    request = paste.requests[0]
    assert request.header("X-Shopify-Access-Token") == "shpss_0000"
    console = recognize("GET https://api.acme.io/v1/teams\n401\nRequest Headers\n  Authorization: Bearer x\n")
    assert len(console.requests) == 1
    assert console.requests[0].header("Authorization") == "Bearer x"
    assert console.status == 401
