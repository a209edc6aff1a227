"""`user:password` pairs: from curl `-u`, from a URL (`https://user:pw@host`), and decoded Basic.

The password is the secret; base64 of `user:password` (what curl sends as Basic) is one of its
forms, so the Masker hides the header value too.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator

from knowledge.secrets.entropy import looks_random
from knowledge.secrets.model import (
    MASK,
    MIN_FORM_LEN,
    PRIORITY_SHAPE,
    PRIORITY_STRUCTURE,
    Hit,
    Secret,
)
from knowledge.secrets.pairs import TWILIO_SID_RE, twilio_sid_hit
from knowledge.secrets.placeholders import is_placeholder
from knowledge.secrets.shapes import scan_shapes
from knowledge.secrets.view import View, occurrences

_URL_CRED_AFTER_RE = re.compile(
    r"(?P<user>[^\s/?#@:'\"<>|\\]{0,256}):(?P<pw>[^\s/?#@'\"<>|\\]{1,256})@"
)


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
