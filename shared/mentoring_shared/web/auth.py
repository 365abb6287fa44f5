"""Bearer JWT authentication. HS256 with a local secret in the embedded default; RS256 with keys
from a JWKS URL in production. Claims carry `sub`, `tenant_id` and `roles`."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import jwt
from flask import g, request

from mentoring_shared.config import AuthSettings
from mentoring_shared.web.problems import Problem
from mentoring_shared.web.verified_tokens import VerifiedTokens

log = logging.getLogger(__name__)

ROLES = ("org_admin", "program_manager", "mentor", "mentee", "service")


@dataclass(frozen=True)
class Principal:
    subject: str
    tenant_id: str
    roles: frozenset[str]

    def has_any(self, roles: Iterable[str]) -> bool:
        return bool(self.roles & set(roles))


class TokenVerifier:
    def __init__(self, settings: AuthSettings):
        self._settings = settings
        self._jwks = jwt.PyJWKClient(settings.jwks_url, cache_keys=True, lifespan=300) if settings.jwks_url else None
        self._verified: VerifiedTokens[Principal] = VerifiedTokens()

    def verify(self, token: str) -> Principal:
        principal = self._verified.get(token)
        if principal is None:
            principal, expires_at = self._verify_signature_and_claims(token)
            self._verified.keep(token, principal, expires_at)
        return principal

    def _verify_signature_and_claims(self, token: str) -> tuple[Principal, float]:
        try:
            key = self._jwks.get_signing_key_from_jwt(token).key if self._jwks else self._settings.jwt_secret
            assert key is not None, "settings carry a JWKS URL or a secret"
            claims = jwt.decode(
                token, key, algorithms=[self._settings.algorithm],
                audience=self._settings.audience, issuer=self._settings.issuer,
                options={"require": ["exp", "sub", "tenant_id"], "verify_aud": bool(self._settings.audience)},
            )
        except jwt.PyJWKClientError as error:
            log.warning("signing key not available: %s", error)
            raise unauthorized("the token's signing key is not available") from None
        except jwt.InvalidTokenError as error:
            raise unauthorized(_token_problem(error)) from None
        roles = claims.get("roles") or []
        if not isinstance(roles, list) or not all(role in ROLES for role in roles):
            raise unauthorized(f"roles must be a list of {', '.join(ROLES)}")
        tenant_id = claims["tenant_id"]
        if not isinstance(tenant_id, str) or not tenant_id or len(tenant_id) > 64:
            raise unauthorized("tenant_id must be a non-empty string")
        return Principal(subject=str(claims["sub"]), tenant_id=tenant_id, roles=frozenset(roles)), claims["exp"]


def _token_problem(error: jwt.InvalidTokenError) -> str:
    """What is wrong with a token, in words that reveal nothing of the decoder."""
    if isinstance(error, jwt.ExpiredSignatureError):
        return "the token has expired"
    if isinstance(error, jwt.ImmatureSignatureError):
        return "the token is not valid yet"
    if isinstance(error, jwt.InvalidSignatureError):
        return "the token's signature does not verify"
    if isinstance(error, jwt.InvalidAudienceError):
        return "the token is meant for another audience"
    if isinstance(error, jwt.InvalidIssuerError):
        return "the token comes from another issuer"
    if isinstance(error, jwt.MissingRequiredClaimError):
        return f"the token lacks the {error.claim} claim"
    if isinstance(error, jwt.InvalidAlgorithmError):
        return "the token is signed with an algorithm this service does not accept"
    return "the token is not a well-formed JWT"


def unauthorized(problem: str | None = None) -> Problem:
    """A 401 with the RFC 6750 challenge: without `problem` a token is missing, with it the token
    was refused (`error="invalid_token"`)."""
    challenge = 'Bearer realm="mentoring"'
    if problem:
        challenge += f', error="invalid_token", error_description="{problem}"'
    return Problem(401, "Unauthorized", f"invalid token: {problem}" if problem else "a bearer token is required",
                   headers={"WWW-Authenticate": challenge})


def issue_dev_token(secret: str, tenant_id: str, roles: list[str], subject: str, ttl_s: int = 12 * 3600,
                    issuer: str | None = None, audience: str | None = None) -> str:
    """An HS256 token for the embedded default (`make token`) and for tests."""
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        raise ValueError(f"unknown role(s) {unknown}; roles are {', '.join(ROLES)}")
    now = int(time.time())
    claims = {"sub": subject, "tenant_id": tenant_id, "roles": roles, "iat": now, "exp": now + ttl_s}
    if issuer:
        claims["iss"] = issuer
    if audience:
        claims["aud"] = audience
    return jwt.encode(claims, secret, algorithm="HS256")


def authenticate(verifier: TokenVerifier) -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise unauthorized()
    return verifier.verify(token.strip())


def current_principal() -> Principal:
    return g.principal


def requires_role(*roles: str) -> Callable:
    """Allow a route to principals holding any of `roles` (authentication itself is app-wide)."""
    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not current_principal().has_any(roles):
                raise Problem(403, "Forbidden", f"requires one of the roles: {', '.join(roles)}")
            return view(*args, **kwargs)
        return wrapper
    return decorator
