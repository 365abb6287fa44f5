"""Per-tenant SCIM bearer tokens: a secret shown once, at creation; only its SHA-256 is kept."""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "scim_"


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
