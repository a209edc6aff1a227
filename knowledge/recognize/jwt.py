"""JSON Web Tokens anywhere in a paste, decoded (never verified) with pyjwt.

pyjwt is imported only when a token is found: it pulls in `cryptography`, which would otherwise
cost every one-shot `apierror diagnose` tens of milliseconds.
"""

from __future__ import annotations

import re
from typing import Any

from knowledge.model import Jwt

# header.payload.signature; both JSON parts start with `{"` = "eyJ" in base64url. Linear: the
# segments cannot overlap because "." is not in the class.
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*")
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
            options={"verify_signature": False, "verify_exp": False, "verify_nbf": False,
                     "verify_iat": False, "verify_aud": False, "verify_iss": False},
            algorithms=None,
        )
    except (jwt.PyJWTError, ValueError, TypeError):
        return None
    if not isinstance(claims, dict) or not isinstance(header, dict):
        return None
    return header, claims


def find_jwts(text: str) -> list[Jwt]:
    """Decoded tokens in order of appearance, each once."""
    found: list[Jwt] = []
    seen: set[str] = set()
    for match in _JWT.finditer(text):
        token = match.group(0)
        if token in seen:
            continue
        seen.add(token)
        decoded = _decode(token)
        if decoded is not None:
            header, claims = decoded
            found.append(Jwt(token=token, header=header, claims=claims, where=_where(text, match.start())))
        if len(found) >= _MAX_TOKENS:
            break
    return found
