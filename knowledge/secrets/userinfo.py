"""`user:password` pairs: from curl `-u`, from a URL (`https://user:pw@host`), decoded Basic, and
code that passes a pair (`auth=('user', 'pw')`, `HTTPBasicAuth("user", "pw")`).

The password is the secret; base64 of `user:password` (what curl sends as Basic) is one of its
forms, so the Masker hides the header value too.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator

from knowledge.secrets.entropy import looks_random, mixed_classes, shannon_entropy
from knowledge.secrets.model import (
    MASK,
    MIN_FORM_LEN,
    PRIORITY_SHAPE,
    PRIORITY_STRUCTURE,
    Hit,
    Secret,
)
from knowledge.secrets.pairs import TWILIO_SID_RE, twilio_sid_hit
from knowledge.secrets.placeholders import HEX_RE, is_placeholder, repeated
from knowledge.secrets.shapes import scan_shapes
from knowledge.secrets.view import View, occurrences

_URL_CRED_AFTER_RE = re.compile(
    r"(?P<user>[^\s/?#@:'\"<>|\\]{0,256}):(?P<pw>[^\s/?#@'\"<>|\\]{1,256})@"
)
# A URL whose user name is itself the key: Sentry DSNs (`https://<key>@o1.ingest.sentry.io/2`),
# `https://<token>@github.com/...`.
_URL_USER_ONLY_RE = re.compile(r"(?P<user>[A-Za-z0-9_\-.~%]{16,256})@[A-Za-z0-9]")
# requests/httpx `auth=("user", "pw")`, `HTTPBasicAuth("user", "pw")`, aiohttp `BasicAuth("u", "p")`,
# Rust reqwest `.basic_auth("user", Some("pw"))`.
_AUTH_TUPLE_AFTER_RE = re.compile(
    r"""[ \t]{0,4}(?:=[ \t]{0,4})?[(\[][ \t]{0,4}(?P<q1>["'])(?P<user>[^"'\r\n]{0,256})(?P=q1)[ \t]{0,4},"""
    r"""[ \t]{0,4}(?:Some\()?(?P<q2>["'])(?P<pw>[^"'\r\n]{1,256})(?P=q2)"""
)


# Fixed words some services want as the password when the user name is the key.
_MARKER_PASSWORDS = frozenset({"x-oauth-basic", "x-oauth-token"})


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8", "surrogatepass")).decode("ascii")


def userinfo_hits(user: str, password: str, start: int, where: str) -> Iterator[Hit]:
    """Hits for a `user:password` pair from curl -u, a URL or decoded Basic credentials.

    The password is the secret; base64 of `user:password` (what curl sends as Basic) is a form
    of it. A username that is itself a key (Stripe `-u sk_live_x:`) is found by the shapes, or
    here when it looks random and the password is empty.
    """
    pair_b64 = _b64(f"{user}:{password}")
    if TWILIO_SID_RE.fullmatch(user) and password and not is_placeholder(password):
        yield twilio_sid_hit(user, start)
        token_start = start + len(user) + 1
        yield Hit(
            Secret("twilio_auth_token", "Twilio auth token", password, MASK, True, (pair_b64,)),
            token_start,
            token_start + len(password),
            PRIORITY_SHAPE,
        )
        return
    if password.lower() in _MARKER_PASSWORDS:
        password = ""  # `https://<token>:x-oauth-basic@github.com`: the key is the user name
    if password:
        if len(password) >= MIN_FORM_LEN and not is_placeholder(password):
            pw_start = start + len(user) + 1
            yield Hit(
                Secret("password", f"Password in {where}", password, MASK, True, (pair_b64,)),
                pw_start,
                pw_start + len(password),
                PRIORITY_STRUCTURE,
            )
        return
    shaped = list(scan_shapes(View.of(user)))
    for hit in shaped:
        secret = hit.secret
        yield Hit(
            Secret(secret.kind, secret.label, secret.value, secret.masked, secret.live, (pair_b64,)),
            start + hit.start,
            start + hit.end,
            PRIORITY_SHAPE,
        )
    if not shaped and looks_random(user, 16, 3.0):
        yield Hit(
            Secret("generic_api_key", f"API key in {where}", user, MASK, True, (pair_b64,)),
            start,
            start + len(user),
            PRIORITY_STRUCTURE,
        )


def scan_url_credentials(view: View) -> Iterator[Hit]:
    for index in occurrences(view.low, "://"):
        match = _URL_CRED_AFTER_RE.match(view.text, index + 3)
        if match:
            yield from userinfo_hits(match.group("user"), match.group("pw"), match.start("user"), "URL")
            continue
        match = _URL_USER_ONLY_RE.match(view.text, index + 3)
        if match:
            yield from _url_user_hits(match.group("user"), match.start("user"))


def _url_user_hits(user: str, start: int) -> Iterator[Hit]:
    """A URL's user name that is a key (no password after it): a vendor shape, or a random value.
    A hex run here is a key, not a commit hash: no id sits before `@` in a URL."""
    shaped = list(scan_shapes(View.of(user)))
    for hit in shaped:
        yield Hit(hit.secret, start + hit.start, start + hit.end, PRIORITY_SHAPE)
    if not shaped and _random_user(user):
        yield Hit(Secret("generic_api_key", "API key in a URL", user, MASK), start, start + len(user),
                  PRIORITY_STRUCTURE)


def _random_user(user: str) -> bool:
    """A key, not a person's or a bot's user name (`my-company-user01@bitbucket.org`): 32 hex
    digits or more (Sentry DSN keys, classic GitHub tokens), or 20 characters mixing cases and
    digits."""
    if is_placeholder(user) or "." in user:  # `first.last@`: an e-mail address
        return False
    if len(user) >= 32 and HEX_RE.fullmatch(user):
        return not repeated(user)
    return len(user) >= 20 and mixed_classes(user) == 3 and shannon_entropy(user) >= 3.5


def scan_auth_tuples(view: View) -> Iterator[Hit]:
    """`auth=("user", "password")` and `...BasicAuth("user", "password")` in code."""
    for index in occurrences(view.low, "auth"):
        match = _AUTH_TUPLE_AFTER_RE.match(view.text, index + 4)
        if match:
            yield from userinfo_hits(match.group("user"), match.group("pw"), match.start("user"), "code")
