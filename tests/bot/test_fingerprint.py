"""Path templates and fingerprints: ids become placeholders, routes stay, hostile input is cheap."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.fingerprint import (
    MAX_TEMPLATE_CHARS,
    clean_host,
    clean_method,
    fingerprint,
    path_template,
)


@pytest.mark.parametrize(("path", "template"), [
    ("/v2/orders/123", "/v2/orders/{id}"),
    ("/v2/orders/123/", "/v2/orders/{id}/"),
    ("/v2/orders/123/items/9?expand=true#top", "/v2/orders/{id}/items/{id}"),
    ("https://api.example.com/users/550e8400-E29B-41d4-a716-446655440000", "/users/{uuid}"),
    ("/repos/o/r/commits/0123456789abcdef0123456789abcdef01234567", "/repos/o/r/commits/{hash}"),
    ("/objects/507f1f77bcf86cd799439011", "/objects/{hash}"),
    ("/v1/customers/cus_9s8d7f6g", "/v1/customers/{id}"),
    ("/reports/2024-01-05", "/reports/{date}"),
    ("/users/jane@example.com/keys", "/users/{email}/keys"),
    ("/services/T0AB12CD3/B0XY45ZZ9/aB3dE5fG7hJ9kL1mN3pQ5rS7", "/services/{id}/{id}/{id}"),
    ("/hooks/ABCDEFGHIJKLMNOPQRSTUVWX", "/hooks/{id}"),
    ("/keys/sk_live_***", "/keys/{secret}"),
    # Route words with a digit or two are routes, not ids.
    ("/oauth2/token", "/oauth2/token"),
    ("/v1beta/models", "/v1beta/models"),
    ("/s3/buckets", "/s3/buckets"),
    ("/api/create-payment-intent", "/api/create-payment-intent"),
    ("orders/1", "/orders/{id}"),
    ("/", "/"),
])
def test_path_template_examples(path: str, template: str) -> None:
    assert path_template(path) == template


def test_no_path_is_none() -> None:
    assert path_template(None) is None
    assert path_template("   ") is None


def test_same_endpoint_same_fingerprint_different_record() -> None:
    a = fingerprint("API.example.com", "post", "/v2/orders/123", 503, "server.unavailable")
    b = fingerprint("api.example.com.", "POST", "/v2/orders/98765?x=1", 503, "server.unavailable")
    assert a == b
    assert len(a) == 24


@pytest.mark.parametrize("change", [
    ("other.example.com", "POST", "/v2/orders/1", 503, "server.unavailable"),
    ("api.example.com", "GET", "/v2/orders/1", 503, "server.unavailable"),
    ("api.example.com", "POST", "/v2/items/1", 503, "server.unavailable"),
    ("api.example.com", "POST", "/v2/orders/1", 502, "server.unavailable"),
    ("api.example.com", "POST", "/v2/orders/1", 503, "ratelimit.exceeded"),
    ("api.example.com", "POST", "/v2/orders/1", None, "server.unavailable"),
    ("api.example.com", "POST", "/v2/orders/1", 503, None),
])
def test_each_part_changes_the_fingerprint(change: tuple) -> None:
    base = fingerprint("api.example.com", "POST", "/v2/orders/1", 503, "server.unavailable")
    assert fingerprint(*change) != base


def test_parts_cannot_run_into_each_other() -> None:
    assert fingerprint("ab", "C", None, None, None) != fingerprint("a", "BC", None, None, None)


def test_cleaners() -> None:
    assert clean_host(" Api.Example.COM. ") == "api.example.com"
    assert clean_host("") is None
    assert clean_method(" get ") == "GET"
    assert clean_method("X" * 100) == "X" * 16


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_template_is_bounded_stable_and_printable(path: str) -> None:
    template = path_template(path)
    if template is None:
        return
    assert template.startswith("/")
    assert len(template) <= MAX_TEMPLATE_CHARS
    assert "\x00" not in template and "?" not in template
    # Templating a template changes nothing: stored templates fingerprint the same way.
    assert path_template(template) == template
    assert fingerprint("h", "GET", path, 400, "x.y") == fingerprint("h", "GET", template, 400, "x.y")


@pytest.mark.parametrize("hostile", [
    "/" + "a" * 40_000,
    "/" * 40_000,
    "/1" * 20_000,
    "\x00/\x00" * 10_000,
    "/x\n" * 5_000,
    bytes(range(256)).decode("latin-1") * 4000,  # ~1 MB of every byte
    "/" + "{" * 40_000,
    "https://" + "a" * 40_000,
])
def test_hostile_paths_are_fast_and_bounded(hostile: str) -> None:
    started = time.perf_counter()
    template = path_template(hostile)
    fingerprint(hostile, hostile, hostile, 400, hostile)
    assert time.perf_counter() - started < 0.5
    assert template is None or len(template) <= MAX_TEMPLATE_CHARS
