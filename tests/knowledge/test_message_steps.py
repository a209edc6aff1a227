"""A message pattern may carry its own debug steps and fixes: the wording says where to fix."""

from __future__ import annotations

import pytest

from knowledge import diagnose
from knowledge.kb import KnowledgeError, load, parse_messages


def _diagnose_top(text: str) -> tuple[str, list[str], list[str], list[str]]:
    diagnosis = diagnose(text)
    top = diagnosis.causes[0]
    return top.id, top.debug, top.fixes, diagnosis.warnings


def test_client_trust_failure_is_fixed_on_the_client() -> None:
    cause, debug, fixes, _ = _diagnose_top(
        "curl: (60) SSL certificate problem: unable to get local issuer certificate")
    assert cause == "gateway.origin_tls_error"
    assert "-showcerts" in debug[0]
    assert any("trust store" in fix for fix in fixes[:3])


def test_expired_certificate_steps_read_the_dates_and_the_clock() -> None:
    cause, debug, fixes, _ = _diagnose_top(
        "Unable to connect to the server: x509: certificate has expired or is not yet valid")
    assert cause == "gateway.origin_tls_error"
    assert "-dates" in debug[0]
    assert any("clock" in line for line in debug)
    assert fixes[0].startswith("Renew the certificate")


def test_mixed_content_is_a_browser_block_with_its_own_fix() -> None:
    cause, _, fixes, _ = _diagnose_top(
        "Mixed Content: The page at 'https://app.acme.io/' was loaded over HTTPS, but requested an "
        "insecure resource 'http://api.acme.io/v1/me'. This request has been blocked")
    assert cause == "authz.cors_blocked"
    assert "https://" in fixes[0]
    assert "Access-Control" not in fixes[0]


def test_wording_alone_is_said_to_be_wording_alone() -> None:
    *_, warnings = _diagnose_top("curl: (60) SSL certificate problem: unable to get local issuer certificate")
    assert any("went by its wording" in warning for warning in warnings)
    *_, warnings = _diagnose_top("hello there")
    assert any("could not find a status code" in warning for warning in warnings)


def test_pattern_steps_are_validated_like_every_knowledge_line() -> None:
    base = {"cause": "auth.token_expired", "phrases": ["x"], "confidence": 0.5}
    parsed = parse_messages({"pattern": [{**base, "debug": ["Look at {message}."], "fixes": ["Renew."]}]}, "t")
    assert parsed[0].debug == ("Look at {message}.",) and parsed[0].fixes == ("Renew.",)
    with pytest.raises(KnowledgeError):
        parse_messages({"pattern": [{**base, "fixes": ["Use {nonsense}."]}]}, "t")
    with pytest.raises(KnowledgeError):
        parse_messages({"pattern": [{**base, "fixes": [""]}]}, "t")


def test_shipped_patterns_with_steps_exist_and_load() -> None:
    assert sum(1 for pattern in load().messages if pattern.fixes) >= 4
