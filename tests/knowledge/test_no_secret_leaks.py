"""No credential survives into anything diagnose() returns, wherever it sits in the paste."""

import base64
import json
import string
from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge import diagnose

_ALNUM = string.ascii_letters + string.digits
_UPPER = string.ascii_uppercase + string.digits
_HEX = "0123456789abcdef"


def _body(size: int, alphabet: str = _ALNUM) -> st.SearchStrategy[str]:
    # Random enough to look live: scanners rightly skip low-variety values as placeholders.
    return st.text(alphabet=alphabet, min_size=size, max_size=size).filter(
        lambda s: len(set(s)) >= min(len(alphabet), size) // 2
    )


SECRETS = st.one_of(
    _body(24).map(lambda b: "sk_live_" + b),
    _body(24).map(lambda b: "sk_test_" + b),
    _body(36).map(lambda b: "ghp_" + b),
    _body(20).map(lambda b: "glpat-" + b),
    _body(24).map(lambda b: "xoxb-123456789012-123456789012-" + b),
    _body(16, _UPPER).map(lambda b: "AKIA" + b),
    _body(35).map(lambda b: "AIza" + b),
    _body(48).map(lambda b: "sk-proj-" + b),
    _body(40).map(lambda b: "sk-ant-api03-" + b),
    _body(34).map(lambda b: "hf_" + b),
    _body(36).map(lambda b: "npm_" + b),
    _body(32, _HEX).map(lambda b: "shpat_" + b),
)

PLACEMENTS = [
    "curl https://api.example.com/v1/me -H 'Authorization: Bearer {s}'",
    "curl -H \"X-Api-Key: {s}\" https://api.example.com/v1/me\nHTTP/1.1 401 Unauthorized",
    "curl 'https://api.example.com/v1/me?api_key={s}'",
    "curl https://api.example.com/v1/items -u {s}:",
    "curl -X POST https://api.example.com/login -d '{{\"password\": \"{s}\"}}'",
    "why does {s} give me a 401?",
    "> GET /v1/me HTTP/1.1\n> Authorization: Bearer {s}\n< HTTP/1.1 403 Forbidden",
    "HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n{{\"error\": \"invalid key {s}\"}}",
    "<https://api.example.com/v1/me?token={s}|https://api.example.com/v1/me?token={s}> 401",
    "curl.exe -H \"Authorization: Bearer {s}\" ^\n  https://api.example.com/v1/me",
]


def _forms(secret: str) -> list[str]:
    return [secret, quote(secret, safe=""), base64.b64encode(f"{secret}:".encode()).decode()]


@settings(max_examples=120, deadline=None)
@given(SECRETS, st.sampled_from(PLACEMENTS))
def test_generated_secret_never_in_output(secret: str, placement: str) -> None:
    result = diagnose(placement.format(s=secret))
    out = json.dumps(result.to_dict(), ensure_ascii=False) + result.masked_text + " ".join(result.request_ids)
    for form in _forms(secret):
        assert form not in out, (placement, form)
    assert result.secrets_found, placement
    assert any(word in result.warnings[0].lower() for word in ("rotate", "revoke", "deactivate", "regenerate"))


def test_basic_credentials_from_user_flag_are_masked_in_every_form() -> None:
    result = diagnose("curl -u alice:S3cr3tPassw0rd!x https://api.example.com/v1/me\nHTTP/1.1 401 Unauthorized")
    out = json.dumps(result.to_dict())
    assert "S3cr3tPassw0rd!x" not in out
    assert base64.b64encode(b"alice:S3cr3tPassw0rd!x").decode() not in out
    assert result.to_dict()["request"]["headers"]["Authorization"].startswith("Basic ")


def test_telegram_token_in_the_bot_api_url_path_is_masked() -> None:
    token = "7312846655:AAFq3xK9vLm2Rz8TnWp4YcQe1HbJdS6uVo0"
    result = diagnose(f"curl https://api.telegram.org/bot{token}/sendMessage -d chat_id=1\nHTTP/1.1 429")
    assert token.split(":")[1] not in json.dumps(result.to_dict())
    assert result.secrets_found


def test_placeholders_raise_no_alarm() -> None:
    for text in (
        "curl -H 'Authorization: Bearer $TOKEN' https://api.example.com/v1/me",
        "curl -H 'Authorization: Bearer <your-token>' https://api.example.com/v1/me",
        "curl https://api.stripe.com/v1/charges -u sk_test_xxx:",
        "curl -H 'X-Api-Key: YOUR_API_KEY' https://api.example.com",
    ):
        result = diagnose(text)
        assert not result.secrets_found, (text, result.warnings)


@settings(max_examples=150, deadline=None)
@given(SECRETS, st.lists(st.text(max_size=80), min_size=1, max_size=6), st.data())
def test_masking_many_strings_at_once_equals_masking_each(secret: str, texts: list[str], data: st.DataObject) -> None:
    from knowledge.secrets import Masker, find_secrets

    # Put the secret (and a second, unrelated vendor-shaped key) into some of the strings.
    other = "ghp_" + "k7Qm2Xv9Lp4Rt8Wz1Yb6Nc3Hd5Jf0Gs2Ae7U"
    placed = [t + (f" {secret} " if data.draw(st.booleans()) else "") for t in texts]
    placed[-1] += f" {other}"
    masker = Masker(find_secrets(secret))
    assert masker.mask_strings(placed) == [masker.mask(t) for t in placed]


def test_oauth_error_parameters_are_not_secrets() -> None:
    # error="invalid_token", error_description=... is a challenge, not a credential.
    result = diagnose(
        'HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error="invalid_token", '
        'error_description="The access token expired"\n\n'
    )
    assert not result.secrets_found
    # The header is quoted whole in the evidence, not mangled by a mask.
    assert any('error_description="The access token expired"' in e for c in result.causes for e in c.evidence)


def test_jwt_with_an_unverifiable_signature_still_gives_its_claims() -> None:
    # A pasted token whose signature segment is truncated or invented: the claims still count.
    token = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiIsImV4cCI6MTcwMDAwMDAwMH0."
             "Yx3kT9vQm2Lp8Rz4Wn6Hb1Jc5Fd7Gs0Ae2Uk9Xo3Ni")
    result = diagnose(f"curl https://api.x.io/v1/me -H 'Authorization: Bearer {token}'\nHTTP/1.1 401 Unauthorized")
    assert "jwt" in result.recognized
    assert result.causes[0].id == "auth.token_expired"
    assert token not in json.dumps(result.to_dict())
