"""Secrets: find credentials once, mask them everywhere.

`find_secrets(text)` scans a paste for credentials in three layers, strongest first:

1. vendor shapes (Stripe, GitHub, Slack, AWS, JWT, PEM private keys, ...) as public secret
   scanners (gitleaks, trufflehog, GitHub secret scanning) define them;
2. structure: the Authorization header (Bearer, Basic, bare tokens), cookies, curl `-u`,
   passwords in URLs;
3. names: `name: value` / `name=value` pairs whose name says credential (headers, query
   strings, form and JSON bodies, env files), and keywords followed by a high-entropy value.

No regex scans the whole paste (that costs ~20 ns a character; `bytes.find` ~1 ns): vendor
shapes are tried only where a run of 15+ token characters starts with a known prefix, and the
other detectors `find` their keyword in a lower-cased ASCII copy, then match in place. Every
regex is anchored and bounded, character classes never overlap inside a repetition, and loops
are capped, so hostile pastes stay linear. `Masker` replaces each found value and its derived forms (URL-encoded,
JSON-escaped, base64 `user:password`, ...) in every string the engine outputs, then runs the vendor
shapes again as a safety net. Placeholders (`$TOKEN`, `<your-key>`, `sk_test_xxx`) and ids (UUIDs,
request ids, publishable keys) are not secrets.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote, quote_plus, unquote, unquote_plus

__all__ = ["Masker", "Secret", "find_secrets", "warnings_for"]

# Pastes longer than this are scanned up to here only (the engine caps pastes well below).
MAX_SCAN_CHARS = 4_000_000
# Bounds on work per paste: matches examined per detector and secrets kept.
MAX_MATCHES_PER_DETECTOR = 100_000
MAX_SECRETS = 500
# Forms shorter than this are never masked: replacing "ab" everywhere would wreck the output.
MIN_FORM_LEN = 4
# Forms shorter than this are only masked as whole words ("hunter2" but not inside "latest").
BOUNDED_FORM_LEN = 10

MASK = "***"


@dataclass(frozen=True)
class Secret:
    """One credential found in a paste.

    `kind` is a stable snake_case id (`stripe_secret_key`, `jwt`, `password`, ...), `label` is for
    humans, `value` the exact text in the paste, `masked` what to show instead (a recognisable
    non-secret prefix then `***`). `live` is False for test-mode keys. `forms` are extra exact
    strings that reveal the secret too (base64 of `user:password`, lines of a PEM block).
    The value is kept out of `repr` so that logging a Secret does not leak it.
    """

    kind: str
    label: str
    value: str = field(repr=False)
    masked: str
    live: bool = True
    forms: tuple[str, ...] = field(default=(), repr=False, compare=False)


@dataclass
class _Hit:
    """A candidate secret with where it was found and how much to trust the detector."""

    secret: Secret
    start: int
    end: int
    priority: int  # 3 vendor shape, 2 structure, 1 named field, 0 keyword + entropy


PRIORITY_SHAPE = 3
PRIORITY_STRUCTURE = 2
PRIORITY_NAMED = 1
PRIORITY_GENERIC = 0


# --------------------------------------------------------------------------------------------
# Value tests: placeholders, ids, entropy
# --------------------------------------------------------------------------------------------

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
_UUID_RE = re.compile(
    r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
)
_HEX_RE = re.compile(r"[0-9a-fA-F]{6,128}")
_WORDISH_RE = re.compile(r"[a-z]{1,40}(?:[_\- .][a-z]{1,40}){0,12}")
# Public identifiers that sit next to credentials but are not secrets.
_PUBLIC_PREFIXES = ("pk_live_", "pk_test_", "req_", "request_")


def _repeated(value: str) -> bool:
    """`aaaa`, `0000`, `abab`: too few distinct characters to be random."""
    distinct = len(set(value))
    return distinct <= 2 or (len(value) >= 8 and distinct <= 3)


def _x_filled(low: str) -> bool:
    """`sk_live_51Hxxxxxxxxxxxxxxxx`: mostly x's. A random key may hold `XXXX` by chance, so a
    run of x's counts only when x's are a third of the value."""
    return "xxxx" in low and low.count("x") * 3 >= len(low)


def _is_placeholder(value: str) -> bool:
    """A stand-in for a secret: a variable, template, redaction or example word."""
    if not value:
        return True
    low = value.lower()
    if low.startswith(_PLACEHOLDER_STARTS) or low in _PLACEHOLDER_WORDS:
        return True
    if value.endswith((">", "}", "]")):
        return True
    if _x_filled(low) or any(fragment in low for fragment in _PLACEHOLDER_FRAGMENTS):
        return True
    # YOUR_API_KEY, API_KEY, TOKEN: an environment variable's name, not its value.
    if _ENV_NAME_RE.fullmatch(value):
        return True
    return _repeated(value)


def _is_shape_placeholder(body: str) -> bool:
    """A vendor prefix followed by a stand-in body: `sk_test_xxxxxxxx`, `ghp_EXAMPLE...`."""
    low = body.lower()
    return (
        _repeated(body)
        or _x_filled(low)
        or any(fragment in low for fragment in _SHAPE_PLACEHOLDER_FRAGMENTS)
    )


def _entropy(value: str) -> float:
    """Shannon entropy in bits per character (how scanners tell random from words)."""
    if not value:
        return 0.0
    counts: dict[str, int] = {}
    for char in value:
        counts[char] = counts.get(char, 0) + 1
    size = len(value)
    return -sum(n / size * math.log2(n / size) for n in counts.values())


def _classes(value: str) -> int:
    """How many of lower, upper, digit, other a value mixes."""
    lower = upper = digit = other = 0
    for char in value:
        if "a" <= char <= "z":
            lower = 1
        elif "A" <= char <= "Z":
            upper = 1
        elif "0" <= char <= "9":
            digit = 1
        else:
            other = 1
    return lower + upper + digit + other


def _mixed_classes(value: str) -> int:
    """How many of lower, upper, digit a value mixes (generated tokens mix at least two)."""
    return (
        any("a" <= c <= "z" for c in value)
        + any("A" <= c <= "Z" for c in value)
        + any("0" <= c <= "9" for c in value)
    )


def _credential_like(value: str) -> bool:
    """Not a word or phrase: mixes character kinds the way generated credentials do."""
    if _WORDISH_RE.fullmatch(value):
        return False
    if value.isdigit() and len(value) < 16:
        return False
    return _classes(value) >= 2 or (len(value) >= 24 and len(set(value)) >= 10)


def _is_id(value: str) -> bool:
    """Identifiers that look random but are not credentials (for weak contexts only)."""
    if _UUID_RE.fullmatch(value) or value.lower().startswith(_PUBLIC_PREFIXES):
        return True
    # git commit hashes (short and full) and content hashes
    return bool(_HEX_RE.fullmatch(value)) and len(value) in (7, 8, 10, 12, 40)


def _looks_random(value: str, min_len: int, min_entropy: float) -> bool:
    """A high-entropy value as generic scanners accept after a keyword."""
    return (
        len(value) >= min_len
        and not _is_placeholder(value)
        and not _is_id(value)
        and _credential_like(value)
        and any(c.isdigit() for c in value)
        and any(c.isalpha() for c in value)
        and _entropy(value) >= min_entropy
    )


# --------------------------------------------------------------------------------------------
# Cheap views of the text: every detector starts from `bytes.find` on these, never from a
# regex scanning the whole paste (a regex costs ~20 ns a character, `find` ~1 ns).
# --------------------------------------------------------------------------------------------

_TOKEN_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_NAME_CHARS = _TOKEN_CHARS + b"."
# Maps token characters to "a" and everything else to " ", so runs are found with `find`.
_RUN_TABLE = bytes(ord("a") if c in _TOKEN_CHARS else ord(" ") for c in range(256))
_NAME_TABLE = bytes(ord("a") if c in _NAME_CHARS else ord(" ") for c in range(256))

# Every vendor shape overlaps a run of at least this many token characters.
_RUN_MIN = 15
_RUN_NEEDLE = b"a" * _RUN_MIN


@dataclass
class _View:
    """The paste and its same-length ASCII views (non-ASCII characters become `?`)."""

    text: str
    raw: bytes  # ASCII, same length as text
    low: bytes  # lower-cased ASCII
    runs: bytes  # _RUN_TABLE skeleton

    @classmethod
    def of(cls, text: str) -> _View:
        raw = text.encode("ascii", "replace")
        return cls(text, raw, raw.lower(), raw.translate(_RUN_TABLE))

    _runs_cache: list[tuple[int, int]] | None = None

    def names(self) -> bytes:
        return self.raw.translate(_NAME_TABLE)

    def token_runs(self) -> list[tuple[int, int]]:
        """(start, end) of each run of at least _RUN_MIN token characters, computed once."""
        if self._runs_cache is None:
            self._runs_cache = list(_token_runs(self))
        return self._runs_cache


def _occurrences(hay: bytes, needle: bytes) -> Iterator[int]:
    """Start of every occurrence of `needle`, at most MAX_MATCHES_PER_DETECTOR of them."""
    index = hay.find(needle)
    count = 0
    while index >= 0 and count < MAX_MATCHES_PER_DETECTOR:
        yield index
        count += 1
        index = hay.find(needle, index + 1)


def _token_runs(view: _View) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of at least _RUN_MIN token characters."""
    skeleton = view.runs
    size = len(skeleton)
    pos = 0
    for _ in range(MAX_MATCHES_PER_DETECTOR):
        start = skeleton.find(_RUN_NEEDLE, pos)
        if start < 0:
            return
        end = skeleton.find(b" ", start + _RUN_MIN)
        end = size if end < 0 else end
        yield start, end
        pos = end


_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_HEXDIGITS = frozenset("0123456789abcdefABCDEF")
_HEX_PAIRS = frozenset(a + b for a in _HEXDIGITS for b in _HEXDIGITS)
_BOUNDARIES: dict[str, frozenset[str]] = {
    "alnum": _WORD,
    "word": _WORD | {"_"},
    "token": _WORD | {"_", "-"},
}


def _left_ok(text: str, start: int, forbidden: frozenset[str]) -> bool:
    """No word character glued before `start`; a `%22`-style escape right before is fine."""
    if start == 0 or text[start - 1] not in forbidden:
        return True
    return start >= 3 and text[start - 3] == "%" and text[start - 2] in _HEXDIGITS and text[start - 1] in _HEXDIGITS


# --------------------------------------------------------------------------------------------
# Layer 1: vendor shapes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shape:
    """A vendor credential format. The regex's `v` group is the secret, `keep` its public prefix.

    The regex is only tried where it can start: at a token run (or after a `-`/`_`/`%XX` inside
    one) beginning with one of `starts`, or, for `lead` shapes whose prefix ends before the run
    (`ya29.`, `SG.`, webhook URLs), where `lead` occurs just before a run.
    `labels` maps a `keep` prefix to a label when one format has several token types.
    `random_body` also requires two of lower, upper and digits after the prefix (prefixes like
    `sk-` occur in ordinary hyphenated words).
    """

    kind: str
    label: str
    starts: tuple[str, ...]
    pattern: re.Pattern[str]
    left: str = "word"
    lead: str = ""
    live: bool = True
    labels: dict[str, str] = field(default_factory=dict)
    random_body: bool = False
    keep_prefix: bool = True


def _shape(kind: str, label: str, starts: Iterable[str], pattern: str, **options: Any) -> _Shape:
    return _Shape(kind, label, tuple(starts), re.compile(pattern), **options)


_GITLAB_PREFIXES = (
    "glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "glimt-", "gloas-", "glsoat-", "glffct-",
    "glagent-", "glft-", "glwt-", "GR1348941",
)
# `xoxe.xoxp-...` rotating tokens: the `.` ends a token run, so they start at `xoxp-`.
_SLACK_PREFIXES = tuple(f"xox{c}-" for c in "abposre")
_B64URL = r"[A-Za-z0-9_\-]"

_SHAPES: tuple[_Shape, ...] = (
    _shape("stripe_secret_key", "Stripe live secret key", ["sk_live_"],
           r"(?P<keep>sk_live_)[A-Za-z0-9]{10,247}"),
    _shape("stripe_secret_key", "Stripe test secret key", ["sk_test_"],
           r"(?P<keep>sk_test_)[A-Za-z0-9]{10,247}", live=False),
    _shape("stripe_restricted_key", "Stripe live restricted key", ["rk_live_"],
           r"(?P<keep>rk_live_)[A-Za-z0-9]{10,247}"),
    _shape("stripe_restricted_key", "Stripe test restricted key", ["rk_test_"],
           r"(?P<keep>rk_test_)[A-Za-z0-9]{10,247}", live=False),
    _shape("stripe_webhook_secret", "Stripe webhook signing secret", ["whsec_"],
           r"(?P<keep>whsec_)[A-Za-z0-9]{24,128}"),
    _shape("github_token", "GitHub token", ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
           r"(?P<keep>gh[pousr]_)[A-Za-z0-9]{30,251}",
           labels={"ghp_": "GitHub personal access token", "gho_": "GitHub OAuth access token",
                   "ghu_": "GitHub user-to-server token", "ghs_": "GitHub server-to-server token",
                   "ghr_": "GitHub refresh token"}),
    _shape("github_token", "GitHub fine-grained personal access token", ["github_pat_"],
           r"(?P<keep>github_pat_)[A-Za-z0-9_]{22,255}"),
    _shape("gitlab_token", "GitLab token", _GITLAB_PREFIXES,
           r"(?P<keep>(?:glpat|gldt|glrt|glptt|glcbt|glimt|gloas|glsoat|glffct|glagent|glft|glwt)-"
           r"|GR1348941)[A-Za-z0-9_\-]{20,255}",
           left="token",
           labels={"glpat-": "GitLab personal access token", "gldt-": "GitLab deploy token",
                   "glrt-": "GitLab runner token", "GR1348941": "GitLab runner registration token"}),
    _shape("slack_token", "Slack token", _SLACK_PREFIXES,
           r"(?P<keep>xox[abposre]-)[A-Za-z0-9\-]{10,255}",
           left="token", random_body=True,
           labels={"xoxb-": "Slack bot token", "xoxp-": "Slack user token",
                   "xoxa-": "Slack app token", "xoxr-": "Slack refresh token",
                   "xoxs-": "Slack session token", "xoxe-": "Slack refresh token"}),
    _shape("slack_token", "Slack app-level token", ["xapp-"],
           r"(?P<keep>xapp-)[A-Za-z0-9\-]{10,255}", left="token", random_body=True),
    _shape("slack_webhook", "Slack incoming webhook URL", [],
           r"hooks\.slack\.com(?:\\?/)(?:services|workflows|triggers)(?:\\?/)"
           r"(?P<v>T[A-Z0-9]{4,20}(?:\\?/)[A-Za-z0-9]{4,32}(?:\\?/)[A-Za-z0-9]{16,64})",
           lead="hooks.slack.com", keep_prefix=False),
    _shape("aws_access_key_id", "AWS access key ID", ["AKIA", "ASIA", "ABIA", "ACCA", "A3T"],
           r"(?P<keep>AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])",
           left="alnum", labels={"ASIA": "AWS temporary access key ID"}),
    _shape("aws_session_token", "AWS session token", ["IQoJb3JpZ2luX2Vj"],
           r"IQoJb3JpZ2luX2Vj[A-Za-z0-9/+=]{40,4096}", left="alnum", keep_prefix=False),
    _shape("google_api_key", "Google API key", ["AIza"],
           r"(?P<keep>AIza)[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])", left="token"),
    _shape("google_oauth_token", "Google OAuth access token", [],
           r"(?P<keep>ya29\.)[0-9A-Za-z_\-]{20,2048}", lead="ya29.", left="alnum"),
    _shape("google_refresh_token", "Google OAuth refresh token", [],
           r"(?P<keep>1//0)[0-9A-Za-z_\-]{30,512}", lead="1//", left="alnum", random_body=True),
    _shape("google_client_secret", "Google OAuth client secret", ["GOCSPX-"],
           r"(?P<keep>GOCSPX-)[0-9A-Za-z_\-]{20,64}", left="token"),
    _shape("anthropic_api_key", "Anthropic API key", ["sk-ant-"],
           r"(?P<keep>sk-ant-)[A-Za-z0-9_\-]{20,255}", left="token"),
    _shape("openai_api_key", "OpenAI API key", ["sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-"],
           r"(?P<keep>sk-(?:proj|svcacct|admin|None)-)[A-Za-z0-9_\-]{20,255}", left="token"),
    # Bare `sk-` also starts hyphenated words, so its body must look generated.
    _shape("openai_api_key", "OpenAI-style secret key", ["sk-"],
           r"(?P<keep>sk-)(?!ant-|proj-|svcacct-|admin-|None-)[A-Za-z0-9_\-]{20,255}",
           left="token", random_body=True),
    _shape("twilio_api_key", "Twilio API key SID", ["SK"],
           r"(?P<keep>SK)[0-9a-f]{32}(?![A-Za-z0-9])", left="alnum"),
    _shape("sendgrid_api_key", "SendGrid API key", [],
           r"(?P<keep>SG\.)[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{30,64}", lead="SG.", left="alnum"),
    _shape("npm_token", "npm access token", ["npm_"],
           r"(?P<keep>npm_)[A-Za-z0-9]{36}(?![A-Za-z0-9])"),
    _shape("pypi_token", "PyPI upload token", ["pypi-AgE"],
           r"(?P<keep>pypi-)AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{40,1000}",
           left="token"),
    _shape("huggingface_token", "Hugging Face access token", ["hf_"],
           r"(?P<keep>hf_)[A-Za-z0-9]{30,64}(?![A-Za-z0-9])"),
    _shape("shopify_token", "Shopify access token", ["shpat_", "shpca_", "shppa_", "shpss_"],
           r"(?P<keep>shp(?:at|ca|pa|ss)_)[a-fA-F0-9]{32}",
           labels={"shpca_": "Shopify custom app access token",
                   "shppa_": "Shopify private app access token",
                   "shpss_": "Shopify shared secret"}),
    _shape("discord_webhook", "Discord webhook URL", [],
           r"discord(?:app)?\.com(?:\\?/)api(?:\\?/)(?:v\d{1,2}(?:\\?/))?webhooks(?:\\?/)\d{5,30}"
           r"(?:\\?/)(?P<v>[A-Za-z0-9_\-]{40,100})",
           lead="discord", keep_prefix=False),
    _shape("telegram_bot_token", "Telegram bot token", [],
           r"\d{8,10}:AA[A-Za-z0-9_\-]{33}(?![A-Za-z0-9_\-])", lead=":", left="alnum",
           keep_prefix=False),
    _shape("digitalocean_token", "DigitalOcean token", ["dop_v1_", "doo_v1_", "dor_v1_"],
           r"(?P<keep>do[por]_v1_)[a-f0-9]{64}"),
    _shape("linear_api_key", "Linear API key", ["lin_api_"],
           r"(?P<keep>lin_api_)[A-Za-z0-9]{40}"),
    _shape("notion_token", "Notion integration token", ["ntn_", "secret_"],
           r"(?P<keep>ntn_|secret_)[A-Za-z0-9]{43,46}(?![A-Za-z0-9])", random_body=True),
    _shape("postman_api_key", "Postman API key", ["PMAK-"],
           r"(?P<keep>PMAK-)[a-f0-9]{24}-[a-f0-9]{34}", left="token"),
    _shape("sentry_token", "Sentry auth token", ["sntrys_", "sntryu_"],
           r"(?P<keep>sntry[su]_)[A-Za-z0-9+/=_]{40,300}"),
    _shape("mailgun_api_key", "Mailgun API key", ["key-"],
           r"(?P<keep>key-)[a-f0-9]{32}(?![A-Za-z0-9])", left="token"),
    _shape("databricks_token", "Databricks token", ["dapi"],
           r"(?P<keep>dapi)[a-h0-9]{32}(?![A-Za-z0-9])", left="alnum"),
    _shape("atlassian_api_token", "Atlassian API token", ["ATATT3"],
           r"(?P<keep>ATATT3)[A-Za-z0-9_\-=]{100,300}", left="token"),
    _shape("grafana_token", "Grafana token", ["glsa_", "glc_"],
           r"(?P<keep>glsa_|glc_)[A-Za-z0-9_+/=]{32,400}", random_body=True),
    _shape("jwt", "JSON Web Token", ["eyJ"],
           r"(?P<keep>eyJ)" + _B64URL + r"{12,8192}\." + _B64URL + r"{8,65536}(?:\." + _B64URL
           + r"{0,8192}){1,3}",
           left="token"),
)

# Dispatch: the first two characters of each start literal -> shapes that may start there.
_BY_START: dict[str, list[tuple[str, _Shape]]] = {}
for _s in _SHAPES:
    for _start in _s.starts:
        _BY_START.setdefault(_start[:2], []).append((_start, _s))
_NEAR_LEADS = tuple((s.lead, s) for s in _SHAPES if s.lead in ("ya29.", "SG.", "1//"))
_FAR_LEADS = tuple((s.lead, s) for s in _SHAPES if s.lead in ("hooks.slack.com", "discord"))
_TELEGRAM = next(s for s in _SHAPES if s.kind == "telegram_bot_token")
_LEAD_WINDOW = 128

# AWS session tokens of the older format start with a 12-character prefix that a `/` may
# follow at once, so they are looked for in the whole text.
_AWS_LEGACY_SESSION_RE = re.compile(r"(?:FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=]{40,4096}")
_AWS_LEGACY_PREFIXES = (b"FwoGZXIvYXdz", b"FQoGZXIvYXdz")

_PEM_BEGIN_RE = re.compile(
    r"-----BEGIN (?P<t>[A-Z0-9]{1,20}(?: [A-Z0-9]{1,20}){0,2} )?PRIVATE KEY(?: BLOCK)?-----"
)
_PEM_END_RE = re.compile(r"-----END [A-Z0-9 ]{0,64}PRIVATE KEY(?: BLOCK)?-----")
# Body of a PEM block that lost its END line: base64, whitespace, literal `\n` escapes.
_PEM_BODY_RE = re.compile(r"(?:[A-Za-z0-9+/=:, \t\r\n]|\\[nr]){1,20000}")
_PEM_MAX_BODY = 20_000
_PEM_LINE_SPLIT_RE = re.compile(r"(?:\\[nr]|[\r\n])+")


def _scan_pem(text: str) -> Iterator[_Hit]:
    """Whole PEM private-key blocks, also with JSON `\\n` escapes (service-account files)."""
    ends = list(_PEM_END_RE.finditer(text))  # one pass; each BEGIN then takes the next END
    end_index = 0
    covered = 0
    begin_pos = text.find("-----BEGIN ")
    for _ in range(MAX_MATCHES_PER_DETECTOR):
        if begin_pos < 0:
            return
        begin = _PEM_BEGIN_RE.match(text, begin_pos)
        begin_pos = text.find("-----BEGIN ", begin_pos + 1)
        if begin is None or begin.start() < covered:
            continue
        while end_index < len(ends) and ends[end_index].start() < begin.end():
            end_index += 1
        end = ends[end_index] if end_index < len(ends) else None
        if end is not None and end.start() - begin.end() <= _PEM_MAX_BODY:
            stop = end.end()
            body = text[begin.end() : end.start()]
        else:
            # Truncated paste: take the base64 run after BEGIN.
            run = _PEM_BODY_RE.match(text, begin.end())
            stop = run.end() if run else begin.end()
            body = text[begin.end() : stop]
        covered = stop
        lines = [line.strip() for line in _PEM_LINE_SPLIT_RE.split(body)]
        material = "".join(line for line in lines if ":" not in line)
        if len(material) < 40 or "..." in body or _repeated(material):
            continue
        value = text[begin.start() : stop]
        forms = tuple(line for line in lines if len(line) >= 16)
        kind_label = (begin.group("t") or "").strip()
        label = f"{kind_label} private key".capitalize() if kind_label else "Private key"
        yield _Hit(
            Secret("private_key", label, value, begin.group(0) + MASK, True, forms),
            begin.start(),
            stop,
            PRIORITY_SHAPE,
        )


def _shape_hit(shape: _Shape, match: re.Match[str]) -> _Hit | None:
    groups = match.groupdict()
    value_start = match.start("v") if groups.get("v") is not None else match.start()
    value = groups.get("v") or match.group(0)
    keep = groups.get("keep") or ""
    if shape.kind in ("google_oauth_token", "jwt"):
        value = value.rstrip(".")  # a sentence's full stop is not part of the token
    body = value[len(keep) :]
    if _is_shape_placeholder(body):
        return None
    if shape.random_body and _mixed_classes(body) < 2:
        return None
    label = shape.labels.get(keep, shape.label)
    masked = keep + MASK if shape.keep_prefix and keep else MASK
    return _Hit(
        Secret(shape.kind, label, value, masked, shape.live),
        value_start,
        value_start + len(value),
        PRIORITY_SHAPE,
    )


def _try_shape(shape: _Shape, text: str, pos: int, seen: set[tuple[str, str, int]]) -> _Hit | None:
    key = (shape.kind, shape.label, pos)
    if pos < 0 or key in seen or not _left_ok(text, pos, _BOUNDARIES[shape.left]):
        return None
    seen.add(key)
    match = shape.pattern.match(text, pos)
    return _shape_hit(shape, match) if match else None


def _scan_shapes(view: _View) -> Iterator[_Hit]:
    """Every vendor-shaped credential in the text.

    Shapes are only tried where a token run (or a `-`/`_`/`%XX` inside one) begins with a known
    prefix, so a paste without long tokens costs a few `find` calls.
    """
    text = view.text
    seen: set[tuple[str, str, int]] = set()
    if b"private key" in view.low:
        yield from _scan_pem(text)
    for prefix in _AWS_LEGACY_PREFIXES:
        for index in _occurrences(view.low, prefix.lower()):
            match = _AWS_LEGACY_SESSION_RE.match(text, index)
            if match and _left_ok(text, index, _WORD):
                yield _Hit(Secret("aws_session_token", "AWS session token", match.group(0), MASK),
                           index, match.end(), PRIORITY_SHAPE)
    far = [(lead, shape) for lead, shape in _FAR_LEADS if lead.encode() in view.low]
    covered = 0  # end of the last shape found: runs inside it are parts of it (JWT segments)
    for run_start, run_end in view.token_runs():
        if run_end <= covered:
            continue
        positions = [run_start]
        if run_start and text[run_start - 1] == "%" and text[run_start : run_start + 2] in _HEX_PAIRS:
            positions.append(run_start + 2)  # `%22sk_live_...`: the run starts inside the escape
        for sep in "-_":
            index = text.find(sep, run_start, run_end - 1)
            while index >= 0:
                positions.append(index + 1)
                index = text.find(sep, index + 1, run_end - 1)
        for pos in positions:
            candidates = _BY_START.get(text[pos : pos + 2]) if pos >= covered else None
            for start, shape in candidates or ():
                if text.startswith(start, pos):
                    hit = _try_shape(shape, text, pos, seen)
                    if hit:
                        covered = hit.end
                        yield hit
                        break
        # Prefixes that end just before the run: `ya29.`, `SG.`, `1//`, Telegram's `:`.
        if run_start == 0 or text[run_start - 1] not in ".:/":
            before = ""
        else:
            before = text[max(0, run_start - 5) : run_start]
        for lead, shape in _NEAR_LEADS if before else ():
            if before.endswith(lead):
                hit = _try_shape(shape, text, run_start - len(lead), seen)
                if hit:
                    covered = max(covered, hit.end)
                    yield hit
        if before.endswith(":") and text.startswith("AA", run_start):
            for digits in (10, 9, 8):  # the bot id: 8 to 10 digits before the colon
                hit = _try_shape(_TELEGRAM, text, run_start - 1 - digits, seen)
                if hit:
                    covered = max(covered, hit.end)
                    yield hit
                    break
        # Webhook URLs: the secret is the run, the host a little before it.
        for lead, shape in far:
            lead_at = text.rfind(lead, max(0, run_start - _LEAD_WINDOW), run_start)
            if lead_at >= 0:
                hit = _try_shape(shape, text, lead_at, seen)
                if hit:
                    covered = max(covered, hit.end)
                    yield hit


# AWS secret access keys and Twilio auth tokens have no prefix: they count only next to their
# public half (an access key id, an account SID), as scanners pair them.
_AWS_SECRET_RE = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_TWILIO_SID_RE = re.compile(r"AC[0-9a-f]{32}")
_HEX32_RE = re.compile(r"(?<![A-Za-z0-9])[0-9a-f]{32}(?![A-Za-z0-9])")
_PAIR_WINDOW = 400


def _twilio_sid_hit(sid: str, start: int) -> _Hit:
    return _Hit(
        Secret("twilio_account_sid", "Twilio account SID", sid, "AC" + MASK),
        start,
        start + len(sid),
        PRIORITY_SHAPE,
    )


def _scan_pairs(view: _View, shape_hits: list[_Hit]) -> Iterator[_Hit]:
    """AWS secret keys near an access key id; Twilio auth tokens near an account SID."""
    text = view.text
    for hit in shape_hits:
        if hit.secret.kind != "aws_access_key_id":
            continue
        lo, hi = max(0, hit.start - _PAIR_WINDOW), min(len(text), hit.end + _PAIR_WINDOW)
        for match in _AWS_SECRET_RE.finditer(text, lo, hi):
            candidate = match.group(0)
            if (
                _classes(candidate) >= 2
                and not _HEX_RE.fullmatch(candidate)
                and _entropy(candidate) >= 4.0
                and not _is_shape_placeholder(candidate)
            ):
                yield _Hit(
                    Secret("aws_secret_access_key", "AWS secret access key", candidate, MASK),
                    match.start(),
                    match.end(),
                    PRIORITY_SHAPE,
                )
    for index, end in view.token_runs():
        # Twilio SIDs are a run of exactly 34 token characters: AC + 32 lower-case hex digits.
        if end - index != 34 or not text.startswith("AC", index):
            continue
        sid = text[index:end]
        if not _TWILIO_SID_RE.fullmatch(sid):
            continue
        lo, hi = max(0, index - _PAIR_WINDOW), min(len(text), index + 34 + _PAIR_WINDOW)
        tokens = [
            m for m in _HEX32_RE.finditer(text, lo, hi)
            if not (index <= m.start() < index + 34) and not _repeated(m.group(0))
        ]
        if tokens:
            yield _twilio_sid_hit(sid, index)
            for token in tokens[:4]:
                yield _Hit(
                    Secret("twilio_auth_token", "Twilio auth token", token.group(0), MASK),
                    token.start(),
                    token.end(),
                    PRIORITY_SHAPE,
                )


# --------------------------------------------------------------------------------------------
# Layer 2: structure (Authorization, Basic, curl -u, URL userinfo, cookies)
# Each detector finds its keyword with `bytes.find` and matches what follows it in place.
# --------------------------------------------------------------------------------------------

_AUTH_AFTER_RE = re.compile(
    r"(?:\\?[\"'][ \t]{0,8}[:=,]|[ \t]{0,8}[:=])[ \t]{0,8}(?:\\?[\"'])?(?P<v>[^\r\n\"'`\\]{1,4096})"
)
_BEARER_AFTER_RE = re.compile(r":?[ \t]{1,4}(?P<v>[A-Za-z0-9\-._~+/=|:]{8,4096})")
_CURL_ARG_RE = re.compile(
    r"(?:'(?P<a>[^'\r\n]{1,8192})'|\"(?P<b>[^\"\r\n]{1,8192})\"|(?P<c>[^\s'\"]{1,8192}))"
)
_OPTION_GAP_RE = re.compile(r"[ \t]{1,8}|=")
_URL_CRED_AFTER_RE = re.compile(
    r"(?P<user>[^\s/?#@:'\"<>|\\]{0,256}):(?P<pw>[^\s/?#@'\"<>|\\]{1,256})@"
)
_COOKIE_AFTER_RE = re.compile(
    r"(?:\\?[\"'])?[ \t]{0,8}:[ \t]{0,8}(?:\\?[\"'])?(?P<v>[^\r\n\"'`\\]{1,8192})"
)
_AUTH_SKIP_SCHEMES = frozenset({"digest", "negotiate", "ntlm", "hoba", "mutual", "vapid"})
_TOKEN_STRIP = "\"',;)]}>"
_SET_COOKIE_ATTRIBUTES = frozenset(
    {"path", "domain", "expires", "max-age", "samesite", "secure", "httponly", "priority",
     "partitioned", "version", "comment"}
)
_COOKIE_SECRET_NAMES = ("sess", "sid", "token", "auth", "remember", "login", "jwt", "csrf")
_HEADERISH = _WORD | {"_", "-"}


def _keyword_at(view: _View, keyword: bytes) -> Iterator[int]:
    """Occurrences of a lower-case keyword not glued to a preceding token character."""
    text = view.text
    for index in _occurrences(view.low, keyword):
        if index == 0 or text[index - 1] not in _HEADERISH:
            yield index


def _token_hit(token: str, start: int, label: str) -> _Hit | None:
    """A bearer-style credential, or None for placeholders, words and public ids."""
    stripped = token.strip(_TOKEN_STRIP)
    start += token.find(stripped) if stripped else 0
    if (
        len(stripped) < 8
        or _is_placeholder(stripped)
        or not _credential_like(stripped)
        or stripped.lower().startswith(("pk_live_", "pk_test_"))
    ):
        return None
    return _Hit(Secret("bearer_token", label, stripped, MASK), start, start + len(stripped), PRIORITY_STRUCTURE)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8", "surrogatepass")).decode("ascii")


def _userinfo_hits(user: str, password: str, start: int, where: str) -> Iterator[_Hit]:
    """Hits for a `user:password` pair from curl -u, a URL or decoded Basic credentials.

    The password is the secret; base64 of `user:password` (what curl sends as Basic) is a form
    of it. A username that is itself a key (Stripe `-u sk_live_x:`) is found by the shapes, or
    here when it looks random and the password is empty.
    """
    pair_b64 = _b64(f"{user}:{password}")
    if _TWILIO_SID_RE.fullmatch(user) and password and not _is_placeholder(password):
        yield _twilio_sid_hit(user, start)
        token_start = start + len(user) + 1
        yield _Hit(
            Secret("twilio_auth_token", "Twilio auth token", password, MASK, True, (pair_b64,)),
            token_start,
            token_start + len(password),
            PRIORITY_SHAPE,
        )
        return
    if password:
        if len(password) >= MIN_FORM_LEN and not _is_placeholder(password):
            pw_start = start + len(user) + 1
            yield _Hit(
                Secret("password", f"Password in {where}", password, MASK, True, (pair_b64,)),
                pw_start,
                pw_start + len(password),
                PRIORITY_STRUCTURE,
            )
        return
    shaped = list(_scan_shapes(_View.of(user)))
    for hit in shaped:
        secret = hit.secret
        yield _Hit(
            Secret(secret.kind, secret.label, secret.value, secret.masked, secret.live, (pair_b64,)),
            start + hit.start,
            start + hit.end,
            PRIORITY_SHAPE,
        )
    if not shaped and _looks_random(user, 16, 3.0):
        yield _Hit(
            Secret("generic_api_key", f"API key in {where}", user, MASK, True, (pair_b64,)),
            start,
            start + len(user),
            PRIORITY_STRUCTURE,
        )


def _basic_hits(token: str, start: int) -> Iterator[_Hit]:
    """`Authorization: Basic b64`: the base64 itself, and the password it decodes to."""
    token = token.strip(_TOKEN_STRIP)
    if len(token) < 4 or _is_placeholder(token):
        return
    try:
        decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        decoded = ""
    if decoded and decoded.isprintable() and ":" in decoded:
        user, _, password = decoded.partition(":")
        if password and _is_placeholder(password):
            return
        parts = list(_userinfo_hits(user, password, start, "Basic credentials"))
        if not password and not parts:
            return  # `user:` with an ordinary user name: nothing secret in it
        yield _Hit(
            Secret("basic_credentials", "Basic auth credentials", token, MASK),
            start,
            start + len(token),
            PRIORITY_STRUCTURE,
        )
        # Decoded parts are not in the paste, so spans point at the base64 they came from.
        for hit in parts:
            yield _Hit(hit.secret, start, start + len(token), hit.priority)
    elif len(token) >= 8 and _credential_like(token):
        yield _Hit(
            Secret("basic_credentials", "Basic auth credentials", token, MASK),
            start,
            start + len(token),
            PRIORITY_STRUCTURE,
        )


def _scan_authorization(view: _View, shift: int = 0) -> Iterator[_Hit]:
    """Authorization / Proxy-Authorization values: Bearer, Token, Basic, bare tokens, `Bearer:`.

    `shift` moves reported spans when `view` is a piece cut out of the paste.
    """
    for hit in _authorization_hits(view):
        yield _Hit(hit.secret, hit.start + shift, hit.end + shift, hit.priority) if shift else hit


def _authorization_hits(view: _View) -> Iterator[_Hit]:
    text = view.text
    consumed = 0  # a header value is read once, not again for each keyword inside it
    for index in _occurrences(view.low, b"authorization"):
        left = index - 6 if view.low.startswith(b"proxy-", max(0, index - 6)) else index
        if index < consumed or (left > 0 and text[left - 1] in _HEADERISH):
            continue
        match = _AUTH_AFTER_RE.match(text, index + 13)
        if match is None:
            continue
        consumed = match.end()
        raw = match.group("v")
        stripped = raw.lstrip()
        offset = match.start("v") + (len(raw) - len(stripped))
        words = stripped.split(None, 2)[:2]
        if not words:
            continue
        if len(words) == 1:
            hit = _token_hit(words[0], offset, "Token in Authorization header")
            if hit:
                yield hit
            continue
        scheme, credential = words
        cred_start = stripped.find(credential, len(scheme)) + offset
        name = scheme.rstrip(":").lower()
        if name in _AUTH_SKIP_SCHEMES or name.startswith("aws4-"):
            continue
        if name == "basic":
            yield from _basic_hits(credential, cred_start)
            continue
        # `Token token=abc`, `Bearer access_token="abc"`: the value after `=`.
        key, eq, after = credential.partition("=")
        if eq and key.replace("_", "").isalpha() and after:
            cred_start += len(key) + 1
            credential = after
        hit = _token_hit(credential, cred_start, f"{scheme.rstrip(':')} token in Authorization header")
        if hit:
            yield hit


def _scan_bearer(view: _View) -> Iterator[_Hit]:
    """`Bearer x` outside an Authorization header (prose, Postman, code)."""
    consumed = 0
    for index in _keyword_at(view, b"bearer"):
        match = _BEARER_AFTER_RE.match(view.text, index + 6) if index >= consumed else None
        if match:
            consumed = match.end()
            hit = _token_hit(match.group("v"), match.start("v"), "Bearer token")
            if hit:
                yield hit


def _option_args(view: _View, options: tuple[bytes, ...], attached: bool) -> Iterator[tuple[str, int]]:
    """Arguments of curl options (`-u x`, `--user=x`, `-ux` when `attached`), quotes removed."""
    text = view.text
    for option in options:
        consumed = 0
        for index in _keyword_at(view, option):
            if index < consumed:
                continue
            pos = index + len(option)
            gap = _OPTION_GAP_RE.match(text, pos)
            if gap:
                pos = gap.end()
            elif not (attached and len(option) == 2):
                continue
            match = _CURL_ARG_RE.match(text, pos)
            if match:
                consumed = match.end()
                for group in ("a", "b", "c"):
                    if match.group(group) is not None:
                        yield match.group(group), match.start(group)
                        break


def _scan_curl_user(view: _View) -> Iterator[_Hit]:
    """curl `-u user:password` (and --proxy-user), `--oauth2-bearer`, `--pass` (key passphrase)."""
    for value, start in _option_args(view, (b"-u", b"--user", b"--proxy-user"), True):
        user, colon, password = value.partition(":")
        if colon:
            yield from _userinfo_hits(user, password, start, "curl -u")
    for value, start in _option_args(view, (b"--oauth2-bearer",), False):
        hit = _token_hit(value, start, "Bearer token in curl --oauth2-bearer")
        if hit:
            yield hit
    for value, start in _option_args(view, (b"--pass",), False):
        if len(value) >= MIN_FORM_LEN and not _is_placeholder(value):
            yield _Hit(Secret("password", "Key passphrase in curl --pass", value, MASK),
                       start, start + len(value), PRIORITY_STRUCTURE)


# Postman collections and HAR files keep headers as {"key"/"name": "X-Api-Key", "value": "..."}.
_NAMED_VALUE_RE = re.compile(
    r"\"(?:key|name)\"[ \t]{0,8}:[ \t]{0,8}\"(?P<name>[A-Za-z0-9_.\-]{1,64})\"[ \t]{0,8},[ \t\r\n]{0,40}"
    r"\"value\"[ \t]{0,8}:[ \t]{0,8}\"(?P<v>(?:[^\"\\\r\n]|\\.){1,4096})\""
)


def _scan_name_value_pairs(view: _View) -> Iterator[_Hit]:
    """`{"key": "X-Api-Key", "value": "..."}` (Postman) and `{"name": ..., "value": ...}` (HAR)."""
    text = view.text
    for index in _occurrences(view.low, b'"value"'):
        back = max(0, index - 200)
        opener = max(text.rfind('"key"', back, index), text.rfind('"name"', back, index))
        match = _NAMED_VALUE_RE.match(text, opener) if opener >= 0 else None
        if match is None:
            continue
        strength, kind, label = _name_class(match.group("name"))
        if match.group("name").lower() == "authorization":
            yield from _scan_authorization(_View.of(f"Authorization: {match.group('v')}"), match.start("v") - 15)
            continue
        value = match.group("v")
        if strength and _accept_named(value, strength, kind):
            yield _Hit(Secret(kind, label, value, MASK), match.start("v"), match.end("v"), PRIORITY_NAMED)


def _scan_url_credentials(view: _View) -> Iterator[_Hit]:
    for index in _occurrences(view.low, b"://"):
        match = _URL_CRED_AFTER_RE.match(view.text, index + 3)
        if match:
            yield from _userinfo_hits(match.group("user"), match.group("pw"), match.start("user"), "URL")


def _cookie_hits(pairs: str, start: int, first_only: bool) -> Iterator[_Hit]:
    """Values of `a=b; c=d` (a Cookie header, curl -b) or the first pair of a Set-Cookie."""
    offset = start
    for index, part in enumerate(pairs.split(";")[:200]):
        part_start = offset
        offset += len(part) + 1
        if first_only and index > 0:
            return
        name, eq, value = part.partition("=")
        name = name.strip()
        stripped = value.strip()
        if not eq or not name or not stripped or name.lower() in _SET_COOKIE_ATTRIBUTES:
            continue
        value_start = part_start + len(part) - len(value) + value.find(stripped)
        if stripped.startswith('"') and stripped.endswith('"') and len(stripped) >= 2:
            stripped = stripped[1:-1]
            value_start += 1
        secret_named = any(word in name.lower() for word in _COOKIE_SECRET_NAMES)
        accept = (
            len(stripped) >= MIN_FORM_LEN
            and not _is_placeholder(stripped)
            and (
                len(stripped) >= 12
                or (secret_named and _credential_like(stripped))
                or (len(stripped) >= 6 and any(c.isdigit() for c in stripped)
                    and any(c.isalpha() for c in stripped))
            )
        )
        if accept:
            yield _Hit(
                Secret("cookie", f"Cookie {name}", stripped, MASK),
                value_start,
                value_start + len(stripped),
                PRIORITY_STRUCTURE,
            )


def _scan_cookies(view: _View) -> Iterator[_Hit]:
    text = view.text
    consumed = 0
    for index in _occurrences(view.low, b"cookie"):
        set_cookie = view.low.startswith(b"set-", max(0, index - 4)) and index >= 4
        left = index - 4 if set_cookie else index
        if index < consumed or (left > 0 and text[left - 1] in _HEADERISH):
            continue
        match = _COOKIE_AFTER_RE.match(text, index + 6)
        if match:
            consumed = match.end()
            yield from _cookie_hits(match.group("v"), match.start("v"), set_cookie)
    for value, start in _option_args(view, (b"-b", b"--cookie"), True):
        if "=" in value:
            yield from _cookie_hits(value, start, False)


# --------------------------------------------------------------------------------------------
# Layer 3: named values and keywords + entropy
# --------------------------------------------------------------------------------------------

# After a name (optionally quoted, JSON-escaped quotes too): `:`, `=`, `:=` or `=>`, a value.
# The quoted alternatives use disjoint classes, so no input makes this backtrack. Unquoted values
# stop at `=` and `:` (padding `=` at the end allowed), so `a=b=c...` cannot make values overlap.
_KV_AFTER_RE = re.compile(
    r"""(?:
        \\?["']\]?[ \t]{0,8}(?:,|:=|=>|==|[:=])   # "name": / "name", (code) / ["name"] =
      | [ \t]{0,8}(?::=|=>|==|[:=])              # name: / name= / name==value (HTTPie)
    )
    [ \t]{0,8}
    (?:
        \\"(?P<v1>[^"\\\r\n]{1,4096})\\"
      | "(?P<v2>(?:[^"\\\r\n]|\\.){1,4096})"
      | '(?P<v3>[^'\r\n]{1,4096})'
      | (?P<v4>[^\s"'`<>|,;&\\()\[\]{}=:]{1,4096}={0,3})
    )""",
    re.X,
)
_KV_KEYWORDS = (
    b"pass", b"pwd", b"secret", b"token", b"key", b"sig", b"auth", b"sess", b"sid", b"cred",
)
_NAME_MAX = 64
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_STRONG_SUFFIXES = (
    "password", "passwd", "passphrase", "passcode", "secret", "token", "apikey", "accesskey",
    "secretkey", "privatekey", "signature", "authkey", "subscriptionkey", "functionskey",
    "masterkey", "signingkey", "encryptionkey", "licensekey", "appkey", "applicationkey",
    "clientkey", "adminkey", "servicekey", "webhookkey", "passwordconfirmation",
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
def _name_class(name: str) -> tuple[int, str, str]:
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
    password = last in ("pass", "pwd") or joined.endswith(
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


def _accept_named(value: str, strength: int, kind: str) -> bool:
    if _is_placeholder(value) or any(c.isspace() for c in value):
        return False
    if value.lower().startswith(("pk_live_", "pk_test_")):
        return False
    if kind == "password":
        return len(value) >= MIN_FORM_LEN
    if strength == 2:
        return len(value) >= 8 and _credential_like(value)
    return _looks_random(value, 16, 3.0)


def _scan_named(view: _View) -> Iterator[_Hit]:
    """`name: value` pairs whose name says credential: headers, query, form, JSON, YAML, env."""
    text = view.text
    names = view.names()
    done: set[int] = set()
    for keyword in _KV_KEYWORDS:
        for index in _occurrences(view.low, keyword):
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
            strength, kind, label = _name_class(name) if name else (0, "", "")
            if not strength:
                continue
            match = _KV_AFTER_RE.match(text, end)
            if match is None:
                continue
            for group in ("v1", "v2", "v3", "v4"):
                value = match.group(group)
                if value is not None:
                    break
            if value is not None and _accept_named(value, strength, kind):
                value_start = match.start(group)
                yield _Hit(Secret(kind, label, value, MASK), value_start, value_start + len(value),
                           PRIORITY_NAMED)


# After a keyword: an optional suffix (`_key`, `-token`), whitespace and optional `is`/`:`,
# then a value (gitleaks-style generic rule, for prose and code without a `name=value` shape).
_PROSE_AFTER_RE = re.compile(
    r"[A-Za-z_\-]{0,12}[ \t]{1,3}(?:(?i:is|was|of|=|:)[ \t]{1,3})?[\"'`]?"
    r"(?P<v>[A-Za-z0-9_\-+/=.~]{16,512})"
)
_PROSE_KEYWORDS = (b"secret", b"token", b"key", b"password", b"passwd", b"pwd", b"auth")


def _scan_prose(view: _View) -> Iterator[_Hit]:
    """Keyword then a high-entropy value, in prose or code."""
    text = view.text
    for keyword in _PROSE_KEYWORDS:
        for index in _occurrences(view.low, keyword):
            if index > 0 and text[index - 1] in _WORD:
                continue
            match = _PROSE_AFTER_RE.match(text, index + len(keyword))
            if match is None:
                continue
            value = match.group("v").rstrip(".")
            if "//" in value or value.startswith("/"):
                continue
            if _looks_random(value, 16, 3.5):
                start = match.start("v")
                yield _Hit(
                    Secret("generic_api_key", "High-entropy value after a credential keyword", value, MASK),
                    start,
                    start + len(value),
                    PRIORITY_GENERIC,
                )


# --------------------------------------------------------------------------------------------
# Putting the layers together
# --------------------------------------------------------------------------------------------


def _all_hits(view: _View) -> Iterator[_Hit]:
    low = view.low
    shape_hits = list(_scan_shapes(view))
    yield from shape_hits
    yield from _scan_pairs(view, shape_hits)
    if b"authorization" in low:
        yield from _scan_authorization(view)
    if b"bearer" in low:
        yield from _scan_bearer(view)
    if b"-u" in low or b"--oauth2-bearer" in low or b"--pass" in low:  # -u finds --user too
        yield from _scan_curl_user(view)
    if b"@" in low and b"://" in low:
        yield from _scan_url_credentials(view)
    if b"cookie" in low or b"-b" in low:
        yield from _scan_cookies(view)
    if any(keyword in low for keyword in _KV_KEYWORDS):
        yield from _scan_named(view)
        yield from _scan_prose(view)
    if b'"value"' in low:
        yield from _scan_name_value_pairs(view)


_FILLER_RE = re.compile(r"(?:\\[nrt\"]|[\s\"'=:,;])+")


def _resolve(hits: Iterable[_Hit]) -> list[Secret]:
    """One Secret per value, the strongest detector winning; weaker wrappers of a stronger value
    (a named field whose value is a PEM block plus a newline) are dropped."""
    best: dict[str, _Hit] = {}
    for hit in hits:
        value = hit.secret.value
        known = best.get(value)
        if known is None:
            if len(best) >= MAX_SECRETS:
                break
            best[value] = hit
            continue
        forms = tuple(dict.fromkeys(known.secret.forms + hit.secret.forms))
        winner = hit if hit.priority > known.priority else known
        if forms != winner.secret.forms:
            s = winner.secret
            winner = _Hit(Secret(s.kind, s.label, s.value, s.masked, s.live, forms),
                          winner.start, winner.end, winner.priority)
        best[value] = winner
    ranked = sorted(best.values(), key=lambda h: -h.priority)
    kept: list[_Hit] = []
    for hit in ranked:
        wrapper = False
        for stronger in kept:
            if stronger.priority <= hit.priority or stronger.secret.value not in hit.secret.value:
                continue
            rest = hit.secret.value.replace(stronger.secret.value, "")
            if len(_FILLER_RE.sub("", rest)) < 8:
                wrapper = True
                break
        if not wrapper:
            kept.append(hit)
    kept.sort(key=lambda h: (h.start, -h.priority))
    return [hit.secret for hit in kept]


def find_secrets(text: str) -> list[Secret]:
    """Every live-looking credential in `text`, in order of appearance; never raises.

    Placeholders (`$TOKEN`, `<your-key>`, `sk_test_xxx`), ids (UUIDs, request ids, commit
    hashes) and publishable keys are not secrets. Test-mode keys are, with `live=False`.
    """
    if not text or not isinstance(text, str):
        return []
    return _resolve(_all_hits(_View.of(text[:MAX_SCAN_CHARS])))


# --------------------------------------------------------------------------------------------
# Masking
# --------------------------------------------------------------------------------------------


def _derived_forms(value: str) -> set[str]:
    """The ways a value shows up again after the engine or a transport re-encoded it."""
    forms = {value}
    escaped = json.dumps(value, ensure_ascii=False)[1:-1]
    forms.add(escaped)
    forms.add(escaped.replace("/", "\\/"))
    forms.add(json.dumps(value)[1:-1])
    forms.add(html.escape(value, quote=False))
    try:
        # Encoders differ in which of `/=:` they leave alone.
        for safe in ("", "/", "=", "/=:"):
            forms.add(quote(value, safe=safe))
            forms.add(quote_plus(value, safe=safe))
    except UnicodeError:  # lone surrogates cannot be percent-encoded; nothing to add
        pass
    if "\\" in value:
        try:
            forms.add(json.loads(f'"{value}"'))
        except ValueError:
            forms.add(value.replace("\\/", "/").replace("\\n", "\n"))
    if "%" in value or "+" in value:
        forms.add(unquote(value))
        forms.add(unquote_plus(value))
    return forms


class Masker:
    """Replaces every known secret (and its derived forms) in strings and nested objects.

    Occurrences of all forms are found first and merged, so overlapping secrets never leave a
    piece of either behind. Then the vendor shapes run again on the result as a safety net.
    With no secrets, `mask` returns its input unchanged at once.
    """

    def __init__(self, secrets: list[Secret]) -> None:
        self.secrets = list(secrets)
        table: dict[str, str] = {}
        for secret in sorted(self.secrets, key=lambda s: -len(s.value)):
            # Extra forms (a base64 pair, one PEM line) do not start with the public prefix.
            extra = {form: MASK for form in secret.forms}
            for form, masked in {**extra, **dict.fromkeys(_derived_forms(secret.value), secret.masked)}.items():
                if len(form) >= MIN_FORM_LEN and form not in table:
                    table[form] = masked
        # Longest first, so a secret inside another is replaced as part of the longer one.
        self._forms: list[tuple[str, str, bool]] = [
            (form, masked, len(form) < BOUNDED_FORM_LEN)
            for form, masked in sorted(table.items(), key=lambda item: -len(item[0]))
        ]

    def mask(self, text: str) -> str:
        """`text` with every secret form replaced by its masked form, then the safety net."""
        if not self._forms or not text or not isinstance(text, str):
            return text
        masked = _replace_spans(text, self._spans(text))
        return _mask_shapes(masked)

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        spans: list[tuple[int, int, str]] = []
        size = len(text)
        for form, masked, bounded in self._forms:
            start = text.find(form)
            while start >= 0:
                end = start + len(form)
                if bounded and (
                    (start > 0 and text[start - 1].isalnum()) or (end < size and text[end].isalnum())
                ):
                    start = text.find(form, start + 1)
                    continue
                spans.append((start, end, masked))
                start = text.find(form, end)
        return spans

    def mask_obj(self, obj: Any) -> Any:
        """`mask` applied to every string in nested lists, tuples and dicts (keys too)."""
        if isinstance(obj, str):
            return self.mask(obj)
        if isinstance(obj, list):
            return [self.mask_obj(item) for item in obj]
        if isinstance(obj, tuple):
            return tuple(self.mask_obj(item) for item in obj)
        if isinstance(obj, dict):
            return {self.mask(k) if isinstance(k, str) else k: self.mask_obj(v) for k, v in obj.items()}
        return obj


def _replace_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Replace spans, merging overlaps; a merged run shows the mask of its earliest, longest span."""
    if not spans:
        return text
    spans.sort(key=lambda span: (span[0], -(span[1] - span[0])))
    out: list[str] = []
    cursor = 0
    run_start, run_end, run_mask = spans[0]
    for start, end, masked in spans[1:]:
        if start < run_end:
            run_end = max(run_end, end)
            continue
        out.append(text[cursor:run_start])
        out.append(run_mask)
        cursor = run_end
        run_start, run_end, run_mask = start, end, masked
    out.append(text[cursor:run_start])
    out.append(run_mask)
    out.append(text[run_end:])
    return "".join(out)


def _mask_shapes(text: str) -> str:
    """Safety net: mask anything vendor-shaped still present in an output string."""
    hits = list(_scan_shapes(_View.of(text)))
    if not hits:
        return text
    return _replace_spans(text, [(h.start, h.end, h.secret.masked) for h in hits])


# --------------------------------------------------------------------------------------------
# Warnings
# --------------------------------------------------------------------------------------------

# What to call each kind in a warning (with its article); kinds not listed use their label.
_NOUNS: dict[str, str] = {
    "stripe_secret_key": "Stripe secret key",
    "stripe_restricted_key": "Stripe restricted key",
    "bearer_token": "bearer token",
    "basic_credentials": "Basic auth credential",
    "generic_api_key": "API key or token",
    "generic_secret": "secret",
    "client_secret": "OAuth client secret",
    "private_key": "private key",
}

_ADVICE: dict[str, str] = {
    "password": "change it now and delete the message.",
    "cookie": "sign out to end that session and delete the message.",
    "jwt": "anyone can use it until it expires; revoke the session if you can and delete the message.",
    "twilio_account_sid": "rotate the auth token that goes with it and delete the message.",
    "aws_access_key_id": "deactivate the key in IAM now and delete the message.",
    "private_key": "replace the key pair now and delete the message.",
    "slack_webhook": "regenerate the webhook URL now and delete the message.",
    "discord_webhook": "delete or regenerate the webhook now and delete the message.",
}


def _article(noun: str) -> str:
    vowel_sound = noun[:1] in "aeiouAEIOU" or noun.startswith(("npm", "RSA", "SSH", "HMAC"))
    return "an" if vowel_sound else "a"


def warnings_for(secrets: list[Secret]) -> list[str]:
    """One warning per kind of secret, naming it by its masked form; never the secret itself."""
    groups: dict[str, list[Secret]] = {}
    for secret in secrets:
        groups.setdefault(secret.kind, []).append(secret)
    warnings: list[str] = []
    for kind, group in groups.items():
        live = [s for s in group if s.live]
        sample = (live or group)[0]
        noun = _NOUNS.get(kind, sample.label if len(group) == 1 else _label_base(group))
        if kind in ("password", "cookie"):
            noun = "a password" if kind == "password" else "session cookies"
            phrase = noun
        elif live and kind in ("stripe_secret_key", "stripe_restricted_key"):
            phrase = f"a live {noun}"
        elif not live:
            phrase = f"{_article(noun)} {noun} in test mode"
        else:
            phrase = f"{_article(noun)} {noun}"
        if not live:
            advice = "it is a test key, but still rotate it if the paste was shared, and delete the message."
        else:
            advice = _ADVICE.get(kind, "rotate it now and delete the message.")
        warnings.append(f"This paste contains {phrase} ({sample.masked}): {advice}")
    return warnings


def _label_base(group: list[Secret]) -> str:
    """A label common to several secrets of one kind: the shortest one."""
    return min((s.label for s in group), key=len)

