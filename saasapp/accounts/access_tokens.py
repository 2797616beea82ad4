"""API access tokens: short-lived JWTs signed with the app secret (HS256 only)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from joserfc.jwt import JWTClaimsRegistry

from saasapp.core.crypto import derive_key
from saasapp.settings import get_settings

ALGORITHM = "HS256"  # the only one accepted: no "none", no switch to RS/ES with our key


class InvalidAccessToken(Exception):
    """The token is malformed, forged, expired or not meant for this API."""


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    issued_at: float
    expires_at: int
    token_id: str


def _key() -> OctKey:
    return OctKey.import_key(derive_key(b"saasapp:jwt"))


def issue(user_id: int, *, now: float | None = None) -> tuple[str, int]:
    """A signed access token for ``user_id`` and its lifetime in seconds."""
    settings = get_settings()
    # Millisecond precision (NumericDate allows fractions): a sign-out-everywhere in the same
    # second as an earlier token still ends that token.
    issued = round(now if now is not None else time.time(), 3)
    lifetime = settings.access_token_minutes * 60
    claims = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": str(user_id),
        "iat": issued,
        "nbf": int(issued),
        "exp": int(issued) + lifetime,
        "jti": uuid.uuid4().hex,
        "typ": "access",
    }
    return jwt.encode({"alg": ALGORITHM, "typ": "JWT"}, claims, _key()), lifetime


def verify(token: str) -> AccessClaims:
    settings = get_settings()
    try:
        decoded = jwt.decode(token, _key(), algorithms=[ALGORITHM])
        if decoded.header.get("alg") != ALGORITHM:
            raise InvalidAccessToken("unexpected algorithm")
        JWTClaimsRegistry(
            leeway=5,
            iss={"essential": True, "value": settings.jwt_issuer},
            aud={"essential": True, "value": settings.jwt_audience},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            typ={"essential": True, "value": "access"},
        ).validate(decoded.claims)
        claims = decoded.claims
        return AccessClaims(
            int(claims["sub"]), float(claims["iat"]), int(claims["exp"]), claims.get("jti", "")
        )
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        raise InvalidAccessToken(str(exc)) from exc
