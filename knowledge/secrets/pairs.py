"""Credentials without a prefix that count only beside their public half, as scanners pair them:
AWS secret access keys near an access key id, Twilio auth tokens near an account SID.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.secrets.entropy import char_classes, shannon_entropy
from knowledge.secrets.model import MASK, PRIORITY_SHAPE, Hit, Secret
from knowledge.secrets.placeholders import HEX_RE, is_shape_placeholder, repeated
from knowledge.secrets.view import View

_AWS_SECRET_RE = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
TWILIO_SID_RE = re.compile(r"AC[0-9a-f]{32}")
_HEX32_RE = re.compile(r"(?<![A-Za-z0-9])[0-9a-f]{32}(?![A-Za-z0-9])")
_PAIR_WINDOW = 400


def twilio_sid_hit(sid: str, start: int) -> Hit:
    return Hit(
        Secret("twilio_account_sid", "Twilio account SID", sid, "AC" + MASK),
        start,
        start + len(sid),
        PRIORITY_SHAPE,
    )


def scan_pairs(view: View, shape_hits: list[Hit]) -> Iterator[Hit]:
    """AWS secret keys near an access key id; Twilio auth tokens near an account SID."""
    text = view.text
    for hit in shape_hits:
        if hit.secret.kind != "aws_access_key_id":
            continue
        lo, hi = max(0, hit.start - _PAIR_WINDOW), min(len(text), hit.end + _PAIR_WINDOW)
        for match in _AWS_SECRET_RE.finditer(text, lo, hi):
            candidate = match.group(0)
            if (
                char_classes(candidate) >= 2
                and not HEX_RE.fullmatch(candidate)
                and shannon_entropy(candidate) >= 4.0
                and not is_shape_placeholder(candidate)
            ):
                yield Hit(
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
        if not TWILIO_SID_RE.fullmatch(sid):
            continue
        lo, hi = max(0, index - _PAIR_WINDOW), min(len(text), index + 34 + _PAIR_WINDOW)
        tokens = [
            m for m in _HEX32_RE.finditer(text, lo, hi)
            if not (index <= m.start() < index + 34) and not repeated(m.group(0))
        ]
        if tokens:
            yield twilio_sid_hit(sid, index)
            for token in tokens[:4]:
                yield Hit(
                    Secret("twilio_auth_token", "Twilio auth token", token.group(0), MASK),
                    token.start(),
                    token.end(),
                    PRIORITY_SHAPE,
                )
