"""Tool mistakes: PowerShell's curl alias, an unquoted `&` in a curl URL."""

from __future__ import annotations

import pytest

from knowledge import diagnose
from knowledge.gotchas import tool_warnings


@pytest.mark.parametrize("text", [
    'curl https://api.acme.io/v1/users?page=2&limit=50 -H "Authorization: Bearer $TOKEN"',
    "$ curl -s https://api.acme.io/v1/users?page=2&limit=50",
    "curl -X GET \\\n  https://api.acme.io/v1/users?page=2&limit=50 \\\n  -H 'Accept: application/json'",
])
def test_unquoted_ampersand_is_named_with_what_curl_gets(text: str) -> None:
    (warning,) = tool_warnings(text)
    assert "curl only gets `https://api.acme.io/v1/users?page=2`" in warning


@pytest.mark.parametrize("text", [
    "curl 'https://api.acme.io/v1/users?page=2&limit=50'",
    'curl "https://api.acme.io/v1/users?page=2&limit=50"',
    "curl https://api.acme.io/v1/users?page=2",
    "see https://api.acme.io/v1/users?page=2&limit=50 in the browser",
    "curl -d 'a=1&b=2' https://api.acme.io/v1/users",
])
def test_quoted_urls_and_other_ampersands_are_fine(text: str) -> None:
    assert tool_warnings(text) == []


def test_powershell_alias_is_named_and_a_redacted_token_is_not_blamed() -> None:
    text = ('PS C:\\Users\\jlee> curl -H "Authorization: Bearer <redacted>" https://api.acme.io/v1/me\n'
            "Invoke-WebRequest : Cannot bind parameter 'Headers'. Cannot convert the \"Authorization: Bearer "
            '<redacted>" value of type "System.String" to type "System.Collections.IDictionary".')
    diagnosis = diagnose(text)
    assert any("curl.exe" in warning for warning in diagnosis.warnings)
    assert all("placeholder" not in line for cause in diagnosis.causes for line in cause.evidence)


def test_a_real_placeholder_is_still_blamed() -> None:
    diagnosis = diagnose('curl -H "Authorization: Bearer <your-token>" https://api.acme.io/v1/me\nHTTP/1.1 401 Unauthorized')
    assert any("placeholder" in line for line in diagnosis.causes[0].evidence)


def test_an_escaped_ampersand_is_what_the_shell_passes_on() -> None:
    assert tool_warnings("curl https://huggingface.co/api/models?search=bert\\&limit=5") == []
    (warning,) = tool_warnings("curl https://a.io/x?a=1\\&b=2&c=3")
    assert "curl only gets `https://a.io/x?a=1\\&b=2`" in warning


@pytest.mark.parametrize("text", [
    "curl https://a.io/x?" + "\\&" * 20_000,
    "curl " + "&" * 40_000,
    "curl \\\n" * 5_000,
    "".join(chr(i % 256) for i in range(40_000)) + "\ncurl https://a.io/?a&b",
    "curl 'https://a.io/?a=1&b=2" + "'" * 10_001,
])
def test_hostile_input_gets_an_answer(text: str) -> None:
    warnings = tool_warnings(text)
    assert isinstance(warnings, list)
    assert all(len(warning) < 600 for warning in warnings)
