"""JSON Web Tokens anywhere in a paste, decoded (never verified) with pyjwt.

pyjwt is imported only when a token is found: it pulls in `cryptography`, which would otherwise
cost every one-shot `apierror diagnose` tens of milliseconds.
"""

from __future__ import annotations

import re
from typing import Any

from knowledge.model import Jwt

# Maximal runs of base64url characters and dots; each run is then checked for the JWT shape
# header.payload.signature, both JSON parts starting with `{"` = "eyJ". A pattern spelling out
# the three segments would rescan the rest of the text from every "eyJ" (quadratic on
# "eyJeyJeyJ..."); maximal runs never overlap, so this stays linear.
_RUN = re.compile(r"[A-Za-z0-9_.-]{20,}")
_MAX_TOKENS = 10


def _where(text: str, start: int) -> str:
    before = text[max(0, start - 60) : start].lower()
    if "authorization" in before or "bearer" in before:
        return "Authorization header"
    if "cookie" in before or " -b " in before:
        return "cookie"
    if '"' in before[-3:] and ":" in before[-6:]:
        return "body"
    return "text"


def _decode(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    import jwt

    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(
            token,
            options={
                "verify_signature": False,
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
                "verify_aud": False,
                "verify_iss": False,
            },
            algorithms=None,
        )
    except (jwt.PyJWTError, ValueError, TypeError):
        # pyjwt decodes the signature segment even when not verifying it, so a token pasted with
        # a truncated or made-up signature fails there; its header and claims still say a lot.
        decoded = _decode_parts(token)
        if decoded is None:
            return None
        header, claims = decoded
    if not isinstance(claims, dict) or not isinstance(header, dict):
        return None
    return header, claims


def _decode_parts(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Header and claims read with pyjwt's base64url decoder, the signature left alone."""
    import json

    from jwt.utils import base64url_decode

    try:
        head, body = token.split(".")[:2]
        header = json.loads(base64url_decode(head))
        claims = json.loads(base64url_decode(body))
    except (ValueError, TypeError, RecursionError):
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    return header, claims


def _token_in(run: str) -> str | None:
    """The JWT a run of token characters holds, if it is shaped like one."""
    start = run.find("eyJ")
    if start < 0:
        return None
    parts = run[start:].split(".")
    if len(parts) < 3 or not parts[1].startswith("eyJ") or len(parts[0]) < 9 or len(parts[1]) < 9:
        return None
    return ".".join(parts[:3])


def find_jwts(text: str) -> list[Jwt]:
    """Decoded tokens in order of appearance, each once."""
    found: list[Jwt] = []
    if "eyJ" not in text:
        return found  # every token holds "eyJ": one C-level search spares the run scan
    seen: set[str] = set()
    for match in _RUN.finditer(text):
        token = _token_in(match.group(0))
        if token is None or token in seen:
            continue
        seen.add(token)
        decoded = _decode(token)
        if decoded is not None:
            header, claims = decoded
            start = match.start() + match.group(0).find(token)
            found.append(Jwt(token=token, header=header, claims=claims, where=_where(text, start)))
        if len(found) >= _MAX_TOKENS:
            break
    return found
