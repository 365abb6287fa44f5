"""Per-tenant SCIM bearer tokens (table scim_tokens): only each secret's SHA-256 is stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.orm import Session

from profiles.orm import scim_tokens


class ScimTokensRepository:
    """Tokens are row dicts: tenant_id, id, token_hash, label, created_at, revoked_at."""

    def __init__(self, session: Session | Connection):
        self._session = session

    def add(self, token: dict) -> None:
        self._session.execute(insert(scim_tokens).values(**token))

    def list(self, tenant_id: str) -> list[dict]:
        """The tenant's tokens, oldest first."""
        rows = self._session.execute(select(scim_tokens).where(
            scim_tokens.c.tenant_id == tenant_id).order_by(scim_tokens.c.id)).mappings().all()
        return [dict(row) for row in rows]

    def revoke(self, tenant_id: str, token_id: str, now: datetime) -> dict | None:
        """Revoke the token unless it is already; the token as it is now, or None if there is none."""
        self._session.execute(update(scim_tokens).where(
            scim_tokens.c.tenant_id == tenant_id, scim_tokens.c.id == token_id,
            scim_tokens.c.revoked_at.is_(None)).values(revoked_at=now))
        row = self._session.execute(select(scim_tokens).where(
            scim_tokens.c.tenant_id == tenant_id, scim_tokens.c.id == token_id)).mappings().first()
        return dict(row) if row else None

    def tenant_of_live_token(self, token_hash: str) -> str | None:
        """The tenant of the unrevoked token with this hash, or None."""
        return self._session.execute(select(scim_tokens.c.tenant_id).where(
            scim_tokens.c.token_hash == token_hash, scim_tokens.c.revoked_at.is_(None))).scalar_one_or_none()
