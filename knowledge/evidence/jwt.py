"""Evidence from JWTs: expiry, not-yet-valid, audience, issuer and scopes.

Times are compared with the response's `Date` header when the paste has one (the server's clock
when it refused the token) and with `now` otherwise.

Kinds: `jwt_expired` {exp, expired_ago, against}, `jwt_not_yet_valid` {nbf, ahead, claim},
`jwt_claims` {iss, aud, scope, where, alg}.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from knowledge.evidence import Context, extractor
from knowledge.model import Evidence, Jwt
from knowledge.text import from_epoch, human_duration, iso

# A token this far ahead of the clock is skew, not a rounding difference.
_SKEW_SECONDS = 30


def _server_time(ctx: Context) -> tuple[datetime, str]:
    response = ctx.paste.response
    if response is not None:
        date = response.header("Date")
        if date:
            from email.utils import parsedate_to_datetime

            try:
                parsed = parsedate_to_datetime(date)
            except (TypeError, ValueError, IndexError):
                parsed = None
            if parsed is not None and parsed.tzinfo is not None:
                return parsed, f"the response's Date ({iso(parsed)})"
    return ctx.now, f"now ({iso(ctx.now)})"


def _scopes(claims: dict[str, object]) -> list[str]:
    raw = claims.get("scope", claims.get("scp", claims.get("scopes")))
    if isinstance(raw, str):
        return raw.split()
    if isinstance(raw, list):
        return [str(item) for item in raw][:50]
    return []


def _jwt_evidence(token: Jwt, ctx: Context) -> Iterator[Evidence]:
    claims = token.claims
    reference, against = _server_time(ctx)
    exp = from_epoch(claims.get("exp"))
    if exp is not None and exp <= reference:
        ago = human_duration((reference - exp).total_seconds())
        yield Evidence(
            "jwt_expired",
            f"JWT in the {token.where} has exp {iso(exp)}, {ago} before {against}",
            {"exp": iso(exp), "expired_ago": ago, "against": against, "where": token.where},
        )
    for claim in ("nbf", "iat"):
        moment = from_epoch(claims.get(claim))
        if moment is not None and (moment - reference).total_seconds() > _SKEW_SECONDS:
            ahead = human_duration((moment - reference).total_seconds())
            yield Evidence(
                "jwt_not_yet_valid",
                f"JWT {claim} {iso(moment)} is {ahead} after {against}: the clocks disagree",
                {"nbf": iso(moment), "ahead": ahead, "claim": claim, "where": token.where},
            )
            break
    aud = claims.get("aud")
    parts = []
    if claims.get("iss"):
        parts.append(f"iss {claims['iss']}")
    if aud:
        parts.append(f"aud {aud if isinstance(aud, str) else ', '.join(map(str, aud))}")
    scopes = _scopes(claims)
    if scopes:
        parts.append(f"scopes {' '.join(scopes[:12])}")
    yield Evidence(
        "jwt_claims",
        f"JWT in the {token.where}: " + ("; ".join(parts) if parts else "no iss, aud or scope claims"),
        {
            "iss": claims.get("iss"),
            "aud": aud,
            "scope": scopes,
            "where": token.where,
            "alg": token.header.get("alg"),
            "exp": iso(exp) if exp else None,
        },
    )


@extractor
def jwt_evidence(ctx: Context) -> Iterator[Evidence]:
    for token in ctx.paste.jwts:
        yield from _jwt_evidence(token, ctx)
