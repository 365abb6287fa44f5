"""Personal feed tokens: only each token's SHA-256 is stored."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from mentoring_shared.db.engine import rows_affected
from mentoring_shared.db.records import page_query
from scheduling import orm


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class FeedTokensRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, token: str, token_id: str, tenant_id: str, person_id: str, created_at: datetime) -> dict:
        row = {"token_hash": token_hash(token), "token_id": token_id, "tenant_id": tenant_id,
               "person_id": person_id, "created_at": created_at, "revoked_at": None}
        self._session.execute(insert(orm.feed_tokens).values(**row))
        return row

    def live(self, token: str) -> dict | None:
        """The token's row if it is known and not revoked. The lookup is by hash, so comparing
        secrets never takes a time that depends on how much of one matched."""
        table = orm.feed_tokens
        row = self._session.execute(select(table).where(table.c.token_hash == token_hash(token),
                                                        table.c.revoked_at.is_(None))).mappings().first()
        return None if row is None else dict(row)

    def token(self, tenant_id: str, token_id: str) -> dict | None:
        table = orm.feed_tokens
        row = self._session.execute(select(table).where(table.c.tenant_id == tenant_id,
                                                        table.c.token_id == token_id)).mappings().first()
        return None if row is None else dict(row)

    def tokens_of(self, tenant_id: str, person_id: str, *, limit: int, after: str | None = None) -> list[dict]:
        query = page_query(orm.feed_tokens, "token_id", tenant_id, limit=limit, after=after, person_id=person_id)
        return [dict(row) for row in self._session.execute(query).mappings()]

    def revoke(self, tenant_id: str, token_id: str, at: datetime) -> None:
        table = orm.feed_tokens
        self._session.execute(update(table).where(table.c.tenant_id == tenant_id, table.c.token_id == token_id,
                                                  table.c.revoked_at.is_(None)).values(revoked_at=at))

    def remove_all_of(self, tenant_id: str, person_id: str) -> int:
        table = orm.feed_tokens
        return rows_affected(self._session.execute(delete(table).where(table.c.tenant_id == tenant_id,
                                                                       table.c.person_id == person_id)))
