"""Rules and vendor extractors, one behaviour at a time, through `diagnose()` or the small pure
helpers they are built from."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from knowledge import diagnose
from knowledge.evidence.vendors import split_scopes
from knowledge.evidence.vendors.cloudflare import _codes, _ray_id
from knowledge.evidence.vendors.scopes import _covered
from knowledge.evidence.vendors.sdk_errors import _aws_cli, _python_dicts
from knowledge.evidence.vendors.slack import _parse

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def ids(text: str) -> list[str]:
    return [cause.id for cause in diagnose(text, now=NOW).causes]


@pytest.mark.parametrize(("needed", "have", "covered"), [
    ("repo", ["repo"], True),
    ("repo:status", ["repo"], True),
    ("public_repo", ["repo"], True),
    ("read:org", ["admin:org"], True),
    ("read:org", ["repo", "gist"], False),
    ("admin:org", ["read:org"], False),
    ("chat:write", ["channels:read"], False),
])
def test_scope_coverage_follows_parent_scopes(needed: str, have: list[str], covered: bool) -> None:
    assert _covered(needed, have) is covered


def test_split_scopes_reads_lists_in_any_punctuation() -> None:
    assert split_scopes("['read:org'], ") == ["read:org"]
    assert split_scopes("chat:write,channels:read") == ["chat:write", "channels:read"]
    assert split_scopes("repo, gist") == ["repo", "gist"]


def test_cloudflare_codes_are_four_digit_1xxx_only() -> None:
    assert _codes("error code: 1020") == ["1020"]
    assert _codes("error code 522 ... error 1016") == ["1016"]
    assert _codes("error 10200 and error 2020") == []


def test_ray_id_is_read_through_markup() -> None:
    assert _ray_id('Cloudflare Ray ID: <strong class="font-semibold">88d2c0ffee123456</strong>') == "88d2c0ffee123456"
    assert _ray_id("Ray ID: <b>") is None


def test_aws_cli_line_gives_code_message_and_operation() -> None:
    item = _aws_cli("An error occurred (AccessDenied) when calling the GetObject operation: Access Denied\n")
    assert item is not None
    assert item.facts["error_code"] == "AccessDenied"
    assert item.facts["message"] == "Access Denied"
    assert item.facts["operation"] == "GetObject"
    assert _aws_cli("An error occurred (no closing paren") is None


def test_python_dict_in_sdk_exception_is_read_and_bounded() -> None:
    found = list(_python_dicts("openai.NotFoundError: Error code: 404 - {'error': {'code': 'model_not_found', 'param': None}}"))
    assert found == [{"error": {"code": "model_not_found", "param": None}}]
    assert list(_python_dicts("{'error': " + "{'a': " * 5000)) == []
    assert list(_python_dicts("{'error': __import__('os').system('x')}")) == []


def test_slack_metadata_lines_name_the_argument() -> None:
    assert _parse("[ERROR] missing required field: channel") == {"field": "channel", "message": "missing required field", "rule": ""}
    assert _parse("[WARN] superfluous charset") is None


def test_github_403_with_budget_left_is_not_a_rate_limit() -> None:
    found = ids('curl -i -H "Authorization: Bearer ghp_R2d2C3poBB8k9LmNqRsTuVwXyZ0123456789" https://api.github.com/repos/a/b/hooks\n'
                "HTTP/2 403\nx-ratelimit-remaining: 4990\nx-github-request-id: A:B\n\n"
                '{"message":"Must have admin rights to Repository."}')
    assert found[0] == "authz.permission_denied"


def test_github_404_outside_repositories_is_a_plain_wrong_path() -> None:
    found = ids('curl -i -H "Authorization: Bearer ghp_R2d2C3poBB8k9LmNqRsTuVwXyZ0123456789" https://api.github.com/usr\n'
                "HTTP/2 404\n\n{\"message\":\"Not Found\"}")
    assert found[0] == "url.wrong_path"


def test_graphql_shape_yields_to_a_documented_code() -> None:
    body = '{"errors":[{"type":"INSUFFICIENT_SCOPES","locations":[{"line":1,"column":1}],"message":"Your token has not been granted the required scopes"}]}'
    assert ids(f"curl -s https://api.github.com/graphql -H 'Authorization: bearer ghp_R2d2C3poBB8k9LmNqRsTuVwXyZ0123456789' -d x\n{body}")[0] \
        == "authz.insufficient_scope"
    assert ids('{"errors":[{"message":"Cannot query field","locations":[{"line":1,"column":2}]}],"data":null}')[0] \
        == "graphql.errors_in_ok_response"


def test_stripe_resource_missing_param_is_not_a_missing_field() -> None:
    found = ids('{"error":{"code":"resource_missing","message":"No such customer: \'cus_1\'","param":"customer","type":"invalid_request_error"}}')
    assert "request.missing_required_field" not in found[:2]


def test_xml_body_labelled_json_is_a_content_type_problem() -> None:
    found = ids("curl -i https://api.acme.io/x -H 'Content-Type: application/json' -H 'Authorization: Bearer abcdef123456' "
                "-d '<a>1</a>'\nHTTP/1.1 400 Bad Request\n\n{}")
    assert found[0] == "request.wrong_content_type"
    assert "request.malformed_json" in found[:3]


def test_redirect_that_turned_post_into_get_outranks_the_405() -> None:
    found = ids("curl -i -L -X POST http://api.acme.io/v1/orders -d '{}' -H 'Content-Type: application/json'\n"
                "HTTP/1.1 302 Found\nLocation: /v1/orders/\n\nHTTP/1.1 405 Method Not Allowed\nAllow: POST\n\n")
    assert found[0] == "redirect.method_changed"
    assert "method.not_allowed" not in found[:1]


def test_per_minute_quota_is_a_rate_limit_and_daily_is_a_quota() -> None:
    assert ids('{"error":{"message":"Quota exceeded: 60 requests per minute"}}')[0] == "ratelimit.exceeded"
    assert ids('{"error":{"message":"Daily quota exceeded for this key"}}')[0] == "ratelimit.quota_exhausted"


def test_trace_inside_json_string_counts_as_a_leaked_trace() -> None:
    found = ids('HTTP/1.1 500 Internal Server Error\n\n{"status":500,"trace":"java.lang.IllegalStateException: boom\\n\\tat com.acme.A.b(A.java:1)"}')
    assert found[0] == "server.unhandled_exception"
    assert "server.leaked_stack_trace" in found[:3]


def test_health_check_names_the_component_that_is_down() -> None:
    diagnosis = diagnose('HTTP/1.1 503 Service Unavailable\n\n{"status":"DOWN","components":{"redis":{"status":"DOWN"},"db":{"status":"UP"}}}', now=NOW)
    assert diagnosis.top is not None and diagnosis.top.id == "service.dependency_down"
    assert any("`redis`" in line for line in diagnosis.top.evidence)


def test_heroku_code_without_quotes_or_desc_still_reads() -> None:
    assert ids("at=error code=H14 method=GET path=/ status=503")[0] == "gateway.upstream_down"
    assert ids("code=H1 is not a router code; code=H123 neither")[0] == "unknown.unrecognized"


def test_a_cors_error_beside_a_5xx_is_the_failure_not_cors() -> None:
    from knowledge import diagnose

    text = ("Access to XMLHttpRequest at 'https://api.acme.io/v1/reports/annual' from origin 'https://app.acme.io' "
            "has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested "
            "resource.\nGET https://api.acme.io/v1/reports/annual net::ERR_FAILED 504 (Gateway Time-out)")
    causes = [cause.id for cause in diagnose(text).causes]
    assert causes[0] == "gateway.upstream_timeout"
    assert "authz.cors_blocked" in causes[:3]
    plain = diagnose("Access to fetch at 'https://api.acme.io/v1/me' from origin 'http://localhost:3000' has been "
                     "blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present")
    assert plain.causes[0].id == "authz.cors_blocked"
