"""What is not a secret: placeholders, redactions, example words, variable names and public ids.

Detectors call these after finding a candidate value, so `$TOKEN`, `<your-key>`, `sk_test_xxx` and
`[REDACTED]` are not reported, nor are UUIDs, request ids and commit hashes where only the
context (a weak name, a keyword) hints at a credential.
"""

from __future__ import annotations

import re

# Whole values (lower-cased) that are words people write instead of a secret.
_PLACEHOLDER_WORDS = frozenset(
    ["token", "secret", "password", "passwd", "pass", "pwd", "apikey", "api_key", "api-key", "key", "your_key", "yourkey", "null", "none", "nil", "undefined", "true", "false", "yes", "no", "string", "str", "value", "empty", "redacted", "hidden", "masked", "removed", "omitted", "filtered", "secret_key", "access_token", "bearer", "basic", "test", "testing", "test123", "test1234", "password1", "password123", "pass123", "pass1234", "changeme", "changeit", "example", "sample", "dummy", "placeholder", "foo", "bar", "foobar", "baz", "qux", "abc", "abc123", "123456", "1234567", "12345678", "123456789", "1234567890", "admin", "root", "user", "username", "guest", "required", "invalid", "missing", "expired", "incorrect", "wrong", "blank", "default", "letmein", "qwerty", "secret123", "mysecret", "mypassword", "mytoken", "myapikey", "deleted", "tbd", "todo", "fixme", "n/a", "na", "unset", "notset", "not_set", "unknown", "anonymous", "hunter2", "sensitive", "confidential", "private"]
)

# Fragments (lower-cased) that mark a value as a stand-in wherever they occur.
_PLACEHOLDER_FRAGMENTS = (
    "***",
    "...",
    "…",
    "•",
    "redacted",
    "your_",
    "your-",
    "yourapi",
    "yourtoken",
    "yoursecret",
    "yourkey",
    "yourpass",
    "changeme",
    "example",
    "placeholder",
    "dummy",
    "replace_me",
    "replace-me",
    "replaceme",
    "insert_",
    "insert-",
    "_here",
    "-here",
    "process.env",
    "os.environ",
    "getenv",
    "%s",
    "%(",
    "{{",
    "}}",
    "123456789",
    "abcdefghij",
)

# A stand-in starts with one of these: $TOKEN, ${KEY}, <token>, {token}, [REDACTED], %s.
_PLACEHOLDER_STARTS = ("$", "<", "{", "[", "%", "&lt;")

# Vendor key bodies are random, so only unmistakable stand-ins count there.
_SHAPE_PLACEHOLDER_FRAGMENTS = (
    "redacted",
    "example",
    "placeholder",
    "dummy",
    "yourkey",
    "your_",
    "your-",
)

_ENV_NAME_RE = re.compile(r"[A-Z][A-Z_]{1,63}")
# `localStorage.getItem`, `config.apiKey`, `settings.SECRET_KEY`: code that holds the value.
_CODE_REF_RE = re.compile(r"[A-Za-z_$][A-Za-z_$]{0,63}(?:\.[A-Za-z_$][A-Za-z_$]{0,63}){1,8}")
# `getToken()`, `localStorage.getItem('token')`, `os.getenv("API_KEY")`: a call that returns it.
# (Unclosed too: a header value read up to a quote stops at `getItem(`, and trailing `)` is
# stripped from tokens.)
_CODE_CALL_RE = re.compile(r"[A-Za-z_$][\w$]{0,63}(?:\.[A-Za-z_$][\w$]{0,63}){0,8}\([^()]{0,80}\)?")

# Words that, in a value with no digits, name a credential rather than being one.
_CREDENTIAL_WORDS = ("token", "key", "secret", "pass", "pwd", "auth", "credential", "cred")
_CAMEL_RE = re.compile(r"[a-z][A-Z]|[A-Z]{2}[a-z]")  # authToken, APIToken
# `FAKE` marks a made-up value when it stands apart (`FAKE1234`, `sk_test_FAKE_KEY`,
# `A21AAFAKEFAKE`); inside a random key it is chance.
_FAKE_AT_EDGE = ("_fake", "-fake", ".fake", "fake_", "fake-", "fake.", "fakefake")
_UUID_RE = re.compile(
    r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
)
# Hex strings: commit and content hashes here, never AWS secret keys in `pairs.py`.
HEX_RE = re.compile(r"[0-9a-fA-F]{6,128}")
# Public identifiers that sit next to credentials but are not secrets.
_PUBLIC_PREFIXES = ("pk_live_", "pk_test_", "req_", "request_")


def repeated(value: str) -> bool:
    """`aaaa`, `0000`, `abab`: too few distinct characters to be random."""
    distinct = len(set(value))
    return distinct <= 2 or (len(value) >= 8 and distinct <= 3)


def _x_filled(low: str) -> bool:
    """`sk_live_51Hxxxxxxxxxxxxxxxx`: mostly x's. A random key may hold `XXXX` by chance, so a
    run of x's counts only when x's are a third of the value."""
    return "xxxx" in low and low.count("x") * 3 >= len(low)


def _contains_any(low: str, fragments: tuple[str, ...]) -> bool:
    """Whether any fragment occurs in `low` (a plain loop: cheaper than `any()` over a generator,
    and this runs for every candidate value)."""
    for fragment in fragments:  # noqa: SIM110 (any() over a generator is slower here)
        if fragment in low:
            return True
    return False


def _marked_fake(low: str) -> bool:
    return "fake" in low and (low.startswith("fake") or low.endswith("fake") or _contains_any(low, _FAKE_AT_EDGE))


def _credential_name(value: str, low: str) -> bool:
    """`APIToken`, `ACCESS-TOKEN`, `authToken`, `app_password`: the name of a credential written
    where its value goes. Only identifier-style words without digits (an all-lower-case run such
    as `supersecretpassword` may be a real password)."""
    if not value.replace("_", "").replace("-", "").isalpha() or not _contains_any(low, _CREDENTIAL_WORDS):
        return False
    return "_" in value or "-" in value or value.isupper() or _CAMEL_RE.search(value) is not None


def is_placeholder(value: str) -> bool:
    """A stand-in for a secret: a variable, template, redaction or example word."""
    if not value:
        return True
    low = value.lower()
    if low.startswith(_PLACEHOLDER_STARTS) or low in _PLACEHOLDER_WORDS:
        return True
    if value.endswith((">", "}", "]")):
        return True
    if _x_filled(low) or _contains_any(low, _PLACEHOLDER_FRAGMENTS) or _marked_fake(low):
        return True
    # YOUR_API_KEY, API_KEY, TOKEN: an environment variable's name, not its value.
    if _ENV_NAME_RE.fullmatch(value) or _credential_name(value, low):
        return True
    if "." in value and _CODE_REF_RE.fullmatch(value):
        return True
    if "(" in value and _CODE_CALL_RE.fullmatch(value):
        return True
    # `sk_test_xxx`, `ghp_xxx`, `key-xxx`: a prefix, a separator and a few x's.
    if low.endswith("xxx") and low.rstrip("x").endswith(("_", "-", ".")):
        return True
    return repeated(value)


def is_shape_placeholder(body: str) -> bool:
    """A vendor prefix followed by a stand-in body: `sk_test_xxxxxxxx`, `ghp_EXAMPLE...`."""
    low = body.lower()
    return (
        repeated(body)
        or _x_filled(low)
        or _contains_any(low, _SHAPE_PLACEHOLDER_FRAGMENTS)
        or _marked_fake(low)
    )


def is_id(value: str) -> bool:
    """Identifiers that look random but are not credentials (for weak contexts only)."""
    if _UUID_RE.fullmatch(value) or value.lower().startswith(_PUBLIC_PREFIXES):
        return True
    # git commit hashes (short and full) and content hashes
    return bool(HEX_RE.fullmatch(value)) and len(value) in (7, 8, 10, 12, 40)
