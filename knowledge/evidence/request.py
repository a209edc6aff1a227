"""Evidence from the request the paste shows (a curl command, a raw request, `curl -v` lines).

Kinds and their facts:
- `body_json_fault` {fault, kind, line, column, snippet}: the JSON body is not RFC 8259 JSON
- `json_sent_as_form` {content_type, curl}: a JSON body with curl -d's form Content-Type (or none)
- `content_type_mismatch` {content_type, body_kind}: the Content-Type names another format
- `invisible_chars` {where, char, codepoint}: smart quotes, zero-width or odd spaces
- `auth_missing` {}: nothing that authenticates (no Authorization, key header, cookie, -u, key param)
- `auth_bare_token` {header}: `Authorization: <token>` without a scheme
- `auth_malformed` {problem, header}: `Bearer: x`, quotes, a doubled scheme, bad Basic
- `auth_placeholder` {value}: a placeholder or unexpanded variable sent as the credential
- `get_with_body` {method}: GET/HEAD carrying a body
- `method_used` {method, implied}: the method, and whether curl chose it (-d implies POST)
- `plain_http` {url, host}: http:// to a public host
- `no_follow` {}: curl without -L
- `path_suspicious` {problem, path}: `{id}`, `:id`, `undefined`, `null`, `//` left in the path
- `trailing_slash` {path}: the path ends in `/`
- `api_version` {version}: `/v1/`-style version segment
- `url_long` {length}, `headers_large` {size}, `body_large` {size}
- `key_environment` {key_env, host_env, key_label}: test key on a live host or the reverse
- `request_headers` {names}: which notable headers were sent (Origin, If-Match, Idempotency-Key...)
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Iterator

from knowledge.evidence import Context, extractor
from knowledge.evidence.json_syntax import check_json, looks_like_json
from knowledge.model import Evidence, HttpRequest
from knowledge.text import clip

_INVISIBLE = {
    "\u200b": "zero-width space", "\u200c": "zero-width non-joiner", "\u200d": "zero-width joiner",
    "\u2060": "word joiner", "\ufeff": "byte-order mark", "\u00a0": "non-breaking space",
    "\u202f": "narrow non-breaking space", "\u2007": "figure space", "\u2009": "thin space",
    "\u201c": "left smart quote “", "\u201d": "right smart quote ”", "\u2018": "left smart quote ‘",
    "\u2019": "right smart quote ’", "\u2013": "en dash –", "\u2014": "em dash —",
}
_AUTH_HEADERS = (
    "authorization", "x-api-key", "api-key", "apikey", "x-auth-token", "private-token",
    "x-access-token", "x-shopify-access-token", "x-goog-api-key", "ocp-apim-subscription-key",
    "x-apikey", "cookie", "x-csrf-token", "proxy-authorization", "x-amz-security-token",
    "x-api-token", "token", "x-token", "x-key", "x-secret", "x-client-secret", "x-figma-token",
    "notion-version", "x-vault-token", "dd-api-key",
)
# Set forms of the list above, built once: readers test a request's names against them.
_AUTH_HEADER_SET = frozenset(_AUTH_HEADERS)
_AUTH_HEADERS_BUT_AUTHORIZATION = _AUTH_HEADER_SET - {"authorization"}
_SCHEME_NAMES = ("bearer", "token", "basic")  # a scheme written as a header name
_AUTH_PARAMS = re.compile(
    r"[?&](?:api_?key|apikey|key|token|access_token|auth|signature|sig|x-amz-signature|client_secret|"
    r"code|jwt|session|sid)=", re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"^(?:\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\{\{\s*[\w.-]+\s*\}\}|<[^<>]{1,40}>|\[[^\[\]]{1,40}\]|"
    r"(?:your|my)[_-]?[\w-]*|x{3,}|\*{3,}|\.{3}|token|api[_-]?key|secret|access[_-]?token|"
    r"undefined|null|none|nil)$",
    re.IGNORECASE,
)
_PATH_PROBLEMS = (
    (re.compile(r"\{[A-Za-z_][\w-]*\}|%7B[A-Za-z_]\w*%7D", re.IGNORECASE), "a template placeholder"),
    (re.compile(r"/:[A-Za-z_]\w*"), "a route parameter"),
    (re.compile(r"/(?:undefined|null|None|NaN|nil|\[object%20Object\]|\[object Object\])(?:/|$|\?)"),
     "a missing value rendered as text"),
    (re.compile(r"(?<!:)//"), "a doubled slash"),
    (re.compile(r"<[^<>/]{1,40}>|%3C\w+%3E", re.IGNORECASE), "an angle-bracket placeholder"),
)
_VERSION = re.compile(r"/(v\d+(?:\.\d+)?(?:beta\d*|alpha\d*)?|\d{4}-\d{2}-\d{2})(?=/|$)")
_ENV_WORDS = {
    "test": frozenset(("sandbox", "test", "staging", "stage", "dev", "qa", "uat")),
    "live": frozenset(("prod", "production", "live")),
}
_HOST_LABEL_SEP = re.compile(r"[.-]")
_KEY_ENV = (
    (re.compile(r"\b(?:sk|rk|pk)_test_"), "test", "a Stripe test key"),
    (re.compile(r"\b(?:sk|rk|pk)_live_"), "live", "a Stripe live key"),
)

# Sizes past which servers commonly refuse: 8 KB of URL or headers (nginx, Node), 1 MB of body.
_URL_LIMIT = 8000
_HEADER_LIMIT = 8 * 1024
_BODY_LIMIT = 1024 * 1024


def _is_public_host(host: str) -> bool:
    if not host or host == "localhost" or host.endswith((".local", ".internal", ".localhost", ".svc")):
        return False
    if "." not in host:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True
    return address.is_global


def _body_kind(body: str) -> str:
    stripped = body.lstrip()
    if looks_like_json(stripped):
        return "json"
    if stripped.startswith("<"):
        return "xml"
    if "=" in stripped and " " not in stripped.split("&", 1)[0]:
        return "form"
    return "text"


def _body_evidence(request: HttpRequest, sent: dict[str, str]) -> Iterator[Evidence]:
    body = request.body
    if body is None or (request.body_files and body.startswith("@")):
        return
    content_type = (sent.get("content-type") or "").lower()
    if not body.strip():
        # An empty body labelled JSON (`--data-raw ''`, `--json ''`) is not JSON: servers answer 400.
        if "json" in content_type:
            yield Evidence("body_json_fault", "The request body is empty but labelled JSON",
                           {"fault": "the body is empty", "kind": "empty", "line": 1, "column": 1,
                            "snippet": ""})
        return
    kind = _body_kind(body)
    is_json_type = "json" in content_type
    if kind == "json" or is_json_type:
        fault = check_json(body)
        if fault is not None:
            yield Evidence(
                "body_json_fault",
                f"Request body is not valid JSON: {fault.message}",
                {"fault": fault.message, "kind": fault.kind, "line": fault.line,
                 "column": fault.column, "snippet": fault.snippet},
            )
    if kind == "json" and not is_json_type:
        shown = content_type or "no Content-Type"
        via = " (curl -d sends form encoding)" if request.source == "curl" and "form" in content_type else ""
        yield Evidence(
            "json_sent_as_form",
            f"JSON body sent with {shown}{via}",
            {"content_type": content_type or None, "curl": "add -H 'Content-Type: application/json' or use --json"},
        )
    elif is_json_type and kind in ("form", "xml"):
        yield Evidence(
            "content_type_mismatch",
            f"Content-Type is `{content_type}` but the body looks like {kind}",
            {"content_type": content_type, "body_kind": kind},
        )
    elif kind == "json" and content_type and "json" not in content_type and "form" not in content_type:
        yield Evidence(
            "content_type_mismatch",
            f"Content-Type is `{content_type}` but the body is JSON",
            {"content_type": content_type, "body_kind": kind},
        )
    if len(body) > _BODY_LIMIT:
        yield Evidence("body_large", f"Request body is {len(body) // 1024} KB", {"size": len(body)})


def _invisible_evidence(request: HttpRequest) -> Iterator[Evidence]:
    # Every character listed is non-ASCII, and isascii is one C pass: only places that fail
    # it are listed (and only their header lines are formatted).
    places = [] if request.url.isascii() else [("URL", request.url)]
    places += [(f"header {name}", f"{name}: {value}") for name, value in request.headers
               if not (name.isascii() and value.isascii())]
    if request.body:
        body = request.body[:20000]
        if not body.isascii():
            places.append(("body", body))
    for where, text in places:
        for char, name in _INVISIBLE.items():
            index = text.find(char)
            if index < 0:
                continue
            # Quotes and dashes inside body values are data; as JSON syntax the JSON check names them.
            if where == "body" and char in "\u201c\u201d\u2018\u2019\u2013\u2014":
                continue
            context = clip(text[max(0, index - 20) : index + 20], 60)
            yield Evidence(
                "invisible_chars",
                f"{name} (U+{ord(char):04X}) in the {where}: `{context}`",
                {"where": where, "char": name, "codepoint": f"U+{ord(char):04X}"},
            )
            break


_SHELL_VARIABLE = re.compile(r"^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$")


def _quote_around(text: str, index: int) -> str | None:
    """The quote character open at `index` on its line (`'`, `"`), or None: how a shell reads it."""
    line_start = text.rfind("\n", 0, index) + 1
    open_quote: str | None = None
    escaped = False
    for char in text[line_start:index]:
        if escaped:
            escaped = False
        elif char == "\\" and open_quote != "'":
            escaped = True
        elif open_quote is None and char in "'\"":
            open_quote = char
        elif char == open_quote:
            open_quote = None
    return open_quote


_REDACTED = re.compile(r"redact|removed|hidden|^[<\[(]?(?:\*{3,}|x{3,}|\.{3}|…)[>\])]?$", re.IGNORECASE)


def _placeholder_evidence(header: str, token: str, value: str, text: str) -> Iterator[Evidence]:
    """A credential that is not one: `<your-token>`, `{{token}}`, `YOUR_API_KEY`, or a shell
    variable the shell never expanded because single quotes kept it literal.

    `"Bearer $TOKEN"` in double quotes (or unquoted) is expanded by the shell: the value was
    sent and is simply not in the paste, so it is no evidence of anything."""
    if not _PLACEHOLDER.match(token) or _REDACTED.search(token):
        return  # "<redacted>", "[REDACTED]", "***": the user hid the value for the paste
    if _SHELL_VARIABLE.match(token):
        at = text.find(token)
        if at < 0 or _quote_around(text, at) != "'":
            return
        yield Evidence(
            "auth_placeholder",
            f"`{token}` sits inside single quotes, so the shell sends that placeholder text itself as "
            f"the {header} credential, not the variable's value",
            {"value": value, "header": header},
        )
        return
    yield Evidence("auth_placeholder",
                   f"{header} sends the placeholder `{clip(value, 40)}`, not a real credential",
                   {"value": value, "header": header})


def _auth_evidence(request: HttpRequest, text: str, sent: dict[str, str]) -> Iterator[Evidence]:
    names = sent.keys()
    authorization = sent.get("authorization")
    if authorization is not None:
        value = authorization.strip()
        scheme, _, rest = value.partition(" ")
        rest = rest.strip()
        lowered = scheme.lower()
        if value[:1] in "\"'" or value[-1:] in "\"'":
            yield Evidence("auth_malformed", "Authorization value is wrapped in quotes: the quotes are sent too",
                           {"problem": "quotes", "header": "Authorization"})
        elif lowered.endswith(":") and lowered[:-1] in ("bearer", "basic", "token"):
            yield Evidence("auth_malformed", f"Authorization scheme written as `{scheme}`: the colon is not part of it",
                           {"problem": "colon", "header": "Authorization"})
        elif lowered in ("bearer", "basic", "token") and rest.lower().startswith(lowered):
            yield Evidence("auth_malformed", f"Authorization repeats the scheme: `{scheme} {rest.split()[0]} …`",
                           {"problem": "doubled scheme", "header": "Authorization"})
        elif not rest and lowered not in ("bearer", "basic"):
            yield Evidence("auth_bare_token", "Authorization carries a bare token with no `Bearer ` scheme",
                           {"header": "Authorization"})
        elif not rest:
            yield Evidence("auth_malformed", f"Authorization says `{scheme}` with no credential after it",
                           {"problem": "empty", "header": "Authorization"})
        elif lowered == "basic":
            problem = _basic_problem(rest)
            if problem:
                yield Evidence("auth_malformed", f"Basic credentials {problem}",
                               {"problem": problem, "header": "Authorization"})
        if rest:
            yield from _placeholder_evidence("Authorization", rest.split()[-1], rest, text)
    # A header literally named like a scheme: -H "Bearer: abc". Each loop below runs only when
    # a name it looks for was sent (most requests send neither kind).
    if not names.isdisjoint(_SCHEME_NAMES):
        for name, _value in request.headers:
            if name.lower() in _SCHEME_NAMES:
                yield Evidence("auth_malformed",
                               f"Header named `{name}:`: the credential must go in `Authorization: {name.title()} …`",
                               {"problem": "scheme as header name", "header": name})
    if not names.isdisjoint(_AUTH_HEADERS_BUT_AUTHORIZATION):
        for name, value in request.headers:
            if name.lower() in _AUTH_HEADERS_BUT_AUTHORIZATION:
                yield from _placeholder_evidence(name, value.strip(), value, text)
    has_auth = (
        not names.isdisjoint(_AUTH_HEADER_SET)
        or request.user is not None
        or bool(_AUTH_PARAMS.search(request.url))
        or any(name.startswith(("x-", "api")) and ("key" in name or "token" in name) for name in names)
        or "aws-sigv4" in request.options
        or any(opt in request.options for opt in ("cookie", "oauth2-bearer", "negotiate", "ntlm", "digest", "cert", "key"))
    )
    # A devtools summary that shows no request headers at all says nothing about them.
    shown = bool(request.headers) or request.source != "devtools"
    if not has_auth and shown:
        yield Evidence("auth_missing", "The request sends no Authorization header, API key, cookie or -u credentials", {})


def _basic_problem(credential: str) -> str | None:
    try:
        decoded = base64.b64decode(credential, validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        if ":" in credential:
            return "are not base64-encoded (`user:password` sent as is)"
        return "are not valid base64"
    if ":" not in decoded:
        return "decode to a value without the `user:password` colon"
    return None


def _method_evidence(request: HttpRequest) -> Iterator[Evidence]:
    implied = not request.explicit_method
    yield Evidence(
        "method_used",
        f"{request.method} {clip(request.url, 80)}" + (" (curl chose the method)" if implied and request.source == "curl" else ""),
        {"method": request.method, "implied": implied},
    )
    if request.method in ("GET", "HEAD") and request.body and not request.options.get("get"):
        yield Evidence("get_with_body", f"{request.method} request carries a body: many servers and proxies drop or refuse it",
                       {"method": request.method})


def _url_evidence(request: HttpRequest, host: str) -> Iterator[Evidence]:
    path = request.path
    if request.scheme == "http" and _is_public_host(host):
        yield Evidence("plain_http", f"The URL uses plain http:// ({host})", {"url": request.url, "host": host})
    if request.source == "curl" and not request.follow_redirects:
        yield Evidence("no_follow", "curl runs without -L, so it does not follow redirects", {})
    for pattern, problem in _PATH_PROBLEMS:
        match = pattern.search(path)
        if match:
            yield Evidence("path_suspicious", f"The path `{clip(path, 80)}` contains {problem}: `{match.group(0)}`",
                           {"problem": problem, "path": path, "part": match.group(0)})
            break
    if len(path) > 1 and path.endswith("/"):
        yield Evidence("trailing_slash", f"The path ends with a slash: `{clip(path, 80)}`", {"path": path})
    version = _VERSION.search(path)
    if version:
        yield Evidence("api_version", f"API version `{version.group(1)}` in the path", {"version": version.group(1)})
    if len(request.url) > _URL_LIMIT:
        yield Evidence("url_long", f"The URL is {len(request.url)} characters long", {"length": len(request.url)})
    header_size = sum(len(n) + len(v) + 4 for n, v in request.headers)
    if header_size > _HEADER_LIMIT:
        yield Evidence("headers_large", f"The request headers total {header_size // 1024} KB", {"size": header_size})


def _environment_evidence(request: HttpRequest, host: str) -> Iterator[Evidence]:
    host_env = None
    labels = set(_HOST_LABEL_SEP.split(host))
    for env, words in _ENV_WORDS.items():
        if not labels.isdisjoint(words):
            host_env = env
    if host_env is None:
        return  # only a key sent to a host of the other environment is evidence
    credentials = " ".join(value for _, value in request.headers) + " " + (request.user or "")
    for pattern, key_env, label in _KEY_ENV:
        if host_env != key_env and pattern.search(credentials):
            yield Evidence("key_environment", f"{label} is sent to {host}, a {host_env} host",
                           {"key_env": key_env, "host_env": host_env, "key_label": label})


# Headers worth naming when sent, as (shown name, lower-case name): lowered once, not per paste.
_NOTABLE = tuple((name, name.lower()) for name in (
    "Origin", "If-Match", "If-None-Match", "If-Unmodified-Since", "Idempotency-Key", "Accept",
    "X-CSRF-Token", "X-XSRF-TOKEN", "Content-Type", "Range", "Expect"))


def _header_presence(sent: dict[str, str]) -> Iterator[Evidence]:
    present = {name: sent[lowered] for name, lowered in _NOTABLE if lowered in sent}
    if present:
        yield Evidence("request_headers", "Request sends " + ", ".join(present), {"names": present})


@extractor
def request_evidence(ctx: Context) -> Iterator[Evidence]:
    request = ctx.paste.request
    if request is None:
        return
    # Sent headers by lower-case name (the last value wins, as `request.header` gives it) and
    # the host: several readers need them, so they are worked out once here.
    sent = {name.lower(): value for name, value in request.headers}
    host = request.host
    yield from _method_evidence(request)
    yield from _body_evidence(request, sent)
    yield from _invisible_evidence(request)
    yield from _auth_evidence(request, ctx.paste.text, sent)
    yield from _url_evidence(request, host)
    yield from _environment_evidence(request, host)
    yield from _header_presence(sent)
