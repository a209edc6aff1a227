"""Values of fields whose name says credential: `name: value` / `name=value` in headers, query
strings, form and JSON bodies, YAML, env files and code, plus Postman/HAR `{"key": ..., "value": ...}`.

`name_class` decides how strongly a name says credential (`x-api-key`, `clientSecret`,
`DB_PASSWORD` yes; `next_page_token`, `max_tokens` no).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from knowledge.secrets.authorization import scan_authorization
from knowledge.secrets.entropy import credential_like, looks_random
from knowledge.secrets.model import MASK, MIN_FORM_LEN, PRIORITY_NAMED, Hit, Secret
from knowledge.secrets.placeholders import is_placeholder
from knowledge.secrets.view import View, occurrences

# After a name (optionally quoted, JSON-escaped quotes too): `:`, `=`, `:=` or `=>`, a value.
# The quoted alternatives use disjoint classes, so no input makes this backtrack. Unquoted values
# stop at `=` and `:` (padding `=` at the end allowed), so `a=b=c...` cannot make values overlap.
_KV_AFTER_RE = re.compile(
    r"""(?:
        \\?["']\]?[ \t]{0,8}(?P<sep>,|:=|=>|==|[:=\uff1a])   # "name": / "name", (code) / ["name"] =
      | [ \t\u00a0]{0,8}(?::=|=>|==|[:=\uff1a])     # name: / name= / name==value (HTTPie) / name：
    )
    [ \t\u00a0]{0,8}
    (?:
        \\"(?P<v1>[^"\\\r\n]{1,4096})\\"
      | "(?P<v2>(?:[^"\\\r\n]|\\.){1,4096})"
      | '(?P<v3>[^'\r\n]{1,4096})'
      | `(?P<v5>[^`$\r\n]{1,4096})`                  # a JavaScript template literal without ${}
      | (?P<v4>[^\s"'`<>|,;&\\()\[\]{}=:\uff1a]{1,4096}={0,3})
    )""",
    re.X,
)
# `<password>value</password>`, `<ApiKey>value</ApiKey>` (XML config, SOAP).
_XML_ELEMENT_RE = re.compile(r">[ \t]{0,8}(?P<v>[^<>\s]{1,4096})[ \t]{0,8}</")


def _starts_line(text: str, start: int) -> bool:
    """Whether only indentation, a list dash or `export` precede `start` on its line."""
    line_start = text.rfind("\n", max(0, start - 80), start) + 1
    if line_start == 0 and start > 80:
        return False
    before = text[line_start:start].strip(" \t->")  # indentation, a list dash, a `> ` quote
    return before in ("", "export", "set")


KV_KEYWORDS = (
    "pass", "pwd", "secret", "token", "key", "sig", "auth", "sess", "sid", "cred",
)
_NAME_MAX = 64
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_STRONG_SUFFIXES = (
    "password", "passwd", "passphrase", "passcode", "secret", "token", "apikey", "accesskey",
    "secretkey", "privatekey", "signature", "authkey", "subscriptionkey", "functionskey",
    "masterkey", "signingkey", "encryptionkey", "licensekey", "appkey", "applicationkey",
    "clientkey", "adminkey", "servicekey", "webhookkey", "passwordconfirmation",
    "accountkey",  # Azure storage connection strings: `AccountKey=...`
)
# Qualifiers that make a "...token" or "...secret" name something else (pagination, CSRF, counts).
_NOT_SECRET_PARTS = frozenset(
    {"next", "page", "pagination", "continuation", "sync", "cancellation", "csrf", "xsrf",
     "idempotency", "max", "min", "num", "count", "total", "prompt", "completion", "input",
     "output", "cache", "public", "publishable", "type", "name", "url", "uri", "length",
     "expires", "expiry", "hint", "policy", "format", "header", "field", "file", "path",
     "websocket", "has", "is", "show", "use", "requires", "required"}
)
_WEAK_NAMES = frozenset({"key", "auth", "session", "sessionid", "sid", "creds", "credential",
                         "credentials", "phpsessid", "jsessionid", "xkey"})
_STRUCTURAL_NAMES = frozenset({"authorization", "proxyauthorization", "cookie", "setcookie",
                               "bearer", "basic"})


@lru_cache(maxsize=4096)
def name_class(name: str) -> tuple[int, str, str]:
    """How strongly a field/header/param name says "credential": (strength, kind, label).

    strength 2: the value is a credential unless it is a placeholder; 1: only when the value
    also looks random; 0: not a credential name.
    """
    flat = _CAMEL_RE.sub("_", name).lower().replace("-", "_").replace(".", "_")
    parts = [p for p in flat.split("_") if p]
    if not parts:
        return 0, "", ""
    joined = "".join(parts)
    if joined in _STRUCTURAL_NAMES:
        return 0, "", ""
    last = parts[-1]
    password = last in ("pass", "pwd", "sshpass", "storepass", "keypass", "dbpass") or joined.endswith(
        ("password", "passwd", "passphrase", "passcode", "passwordconfirmation")
    )
    strong = password or last == "sig" or joined.endswith(_STRONG_SUFFIXES)
    if strong and _NOT_SECRET_PARTS.intersection(parts[:-1]):
        return 0, "", ""
    if password:
        return 2, "password", f"Password in {name}"
    if strong:
        aws = "aws" in parts or "amz" in parts
        if joined.endswith("secretaccesskey") or (aws and "secret" in parts):
            return 2, "aws_secret_access_key", "AWS secret access key"
        if aws and ("session" in parts or "security" in parts):
            return 2, "aws_session_token", "AWS session token"
        if joined.endswith("privatekey"):
            return 2, "private_key", "Private key"
        if joined.endswith("clientsecret"):
            return 2, "client_secret", f"Client secret in {name}"
        if joined.endswith("secret"):
            return 2, "generic_secret", f"Secret in {name}"
        return 2, "generic_api_key", f"API key or token in {name}"
    if joined in _WEAK_NAMES:
        return 1, "generic_api_key", f"API key or token in {name}"
    return 0, "", ""


# Words of the messages a form answers with (`"password": "must be at least 8 characters"`):
# a value holding one is not a passphrase.
_MESSAGE_WORDS = frozenset(
    {"is", "be", "must", "required", "invalid", "too", "short", "long", "blank", "empty", "characters",
     "match", "least", "should", "cannot", "can't", "not", "missing", "incorrect", "wrong", "field",
     "password", "please", "enter", "contain", "contains", "expired", "was", "are", "has", "have"}
)


def _passphrase(value: str) -> bool:
    """`correct horse battery staple`: a few words, no sentence punctuation, no message words."""
    words = value.split(" ")
    return (
        2 <= len(words) <= 8
        and all(words)
        and not value.endswith((".", "!", "?"))
        and _MESSAGE_WORDS.isdisjoint(word.lower() for word in words)
        and not is_placeholder(value)
    )


def _accept_named(value: str, strength: int, kind: str, quoted: bool = False) -> bool:
    if is_placeholder(value):
        return False
    if any(c.isspace() for c in value):
        return quoted and kind == "password" and _passphrase(value)
    if value.lower().startswith(("pk_live_", "pk_test_")):
        return False
    if kind == "password":
        return len(value) >= MIN_FORM_LEN
    if strength == 2:
        return len(value) >= 8 and credential_like(value)
    return looks_random(value, 16, 3.0)


def scan_named(view: View) -> Iterator[Hit]:
    """`name: value` pairs whose name says credential: headers, query, form, JSON, YAML, env."""
    text = view.text
    low = view.low
    names = view.names()
    done: set[int] = set()
    for keyword in KV_KEYWORDS:
        if keyword not in low:
            continue  # most keywords are absent: an `in` test is cheaper than a call
        for index in occurrences(low, keyword):
            # The whole name around the keyword (`x-api-key`, `client_secret`), bounded.
            start = names.rfind(b" ", max(0, index - _NAME_MAX), index) + 1
            if start == 0 and index > _NAME_MAX:
                continue  # longer than any name we classify
            end = names.find(b" ", index, index + _NAME_MAX)
            end = len(names) if end < 0 and len(names) - index <= _NAME_MAX else end
            if end < 0 or start in done:
                continue
            done.add(start)
            name = text[start:end].lstrip("-.0123456789")
            strength, kind, label = name_class(name) if name else (0, "", "")
            if not strength:
                continue
            if text.startswith(">", end) and start > 0 and text[start - 1] == "<":
                element = _XML_ELEMENT_RE.match(text, end)
                value = element.group("v") if element else None
                if value is not None and _accept_named(value, strength, kind):
                    yield Hit(Secret(kind, label, value, MASK), element.start("v"), element.end("v"),
                              PRIORITY_NAMED)
                continue
            match = _KV_AFTER_RE.match(text, end)
            if match is None:
                continue
            for group in ("v1", "v2", "v3", "v5", "v4"):
                value = match.group(group)
                if value is not None:
                    break
            # `"name", value` is a call such as setHeader("X-Api-Key", "..."): its value is a
            # quoted literal. Unquoted, it is the next item of a list (`error="invalid_token",
            # error_description=...`), not a value.
            # A quoted value must look generated: `{"field": "password", "message": "..."}` names a
            # field and gives no value.
            if match.group("sep") == "," and (group == "v4" or not credential_like(value or "")):
                continue
            value_start = match.start(group) if value is not None else -1
            if group == "v4" and kind == "password" and _starts_line(text, start):
                # YAML, env and properties files: an unquoted value runs to the end of the line.
                line_end = text.find("\n", value_start, value_start + 512)
                rest = text[value_start : line_end if line_end >= 0 else value_start + 512].strip()
                if rest != value and _passphrase(rest):
                    value = rest
            if value is not None and _accept_named(value, strength, kind, group != "v4" or " " in value):
                yield Hit(Secret(kind, label, value, MASK), value_start, value_start + len(value),
                           PRIORITY_NAMED)


# Postman collections and HAR files keep headers as {"key"/"name": "X-Api-Key", "value": "..."}.
_NAMED_VALUE_RE = re.compile(
    r"\"(?:key|name)\"[ \t]{0,8}:[ \t]{0,8}\"(?P<name>[A-Za-z0-9_.\-]{1,64})\"[ \t]{0,8},[ \t\r\n]{0,40}"
    r"\"value\"[ \t]{0,8}:[ \t]{0,8}\"(?P<v>(?:[^\"\\\r\n]|\\.){1,4096})\""
)


# .NET appSettings and other XML: <add key="ApiKey" value="..." />.
_XML_PAIR_RE = re.compile(
    r"(?:key|name)=\"(?P<name>[A-Za-z0-9_.:\-]{1,64})\"[ \t]{1,8}value=\"(?P<v>[^\"\r\n]{1,4096})\""
)


def scan_name_value_pairs(view: View) -> Iterator[Hit]:
    """`{"key": "X-Api-Key", "value": "..."}` (Postman), `{"name": ..., "value": ...}` (HAR) and
    `<add key="ApiKey" value="..." />` (XML)."""
    text = view.text
    for index in occurrences(view.low, 'value="'):
        back = max(0, index - 100)
        opener = max(view.low.rfind('key="', back, index), view.low.rfind('name="', back, index))
        match = _XML_PAIR_RE.match(text, opener) if opener >= 0 else None
        if match is None:
            continue
        strength, kind, label = name_class(match.group("name"))
        if strength and _accept_named(match.group("v"), strength, kind):
            yield Hit(Secret(kind, label, match.group("v"), MASK), match.start("v"), match.end("v"), PRIORITY_NAMED)
    for index in occurrences(view.low, '"value"'):
        back = max(0, index - 200)
        opener = max(text.rfind('"key"', back, index), text.rfind('"name"', back, index))
        match = _NAMED_VALUE_RE.match(text, opener) if opener >= 0 else None
        if match is None:
            continue
        strength, kind, label = name_class(match.group("name"))
        if match.group("name").lower() == "authorization":
            yield from scan_authorization(View.of(f"Authorization: {match.group('v')}"), match.start("v") - 15)
            continue
        value = match.group("v")
        if strength and _accept_named(value, strength, kind):
            yield Hit(Secret(kind, label, value, MASK), match.start("v"), match.end("v"), PRIORITY_NAMED)
