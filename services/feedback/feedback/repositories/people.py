"""Feedback's copy of the people (from profiles' events): who they are, and who has left."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from feedback import orm
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.people_replica import GONE_STATUSES, ReplicaErasure, is_stale_person_event

_ERASURE = ReplicaErasure(orm.people)


class PeopleRepository:
    def __init__(self, db: DbSession):
        self._session = db

    def person(self, tenant_id: str, person_id: str) -> dict[str, Any] | None:
        table = orm.people
        row = self._session.execute(select(table).where(table.c.tenant_id == tenant_id,
                                                       table.c.person_id == person_id)).mappings().first()
        return None if row is None else dict(row)

    def record_erasure(self, event: Envelope) -> None:
        """The person keeps a row with nothing personal left (the shared replica's erasure)."""
        _ERASURE.apply(self._session, event)

    def is_stale_event(self, tenant_id: str, data: dict[str, Any]) -> bool:
        """An event about a person older than the snapshot held of them."""
        return is_stale_person_event(self._session, orm.people, tenant_id, data)

    def gone_among(self, tenant_id: str, person_ids: Iterable[str]) -> set[str]:
        """Those of these people who have left (terminated) or were erased."""
        people, person_ids = orm.people, set(person_ids)
        if not person_ids:
            return set()
        return set(self._session.execute(select(people.c.person_id).where(
            people.c.tenant_id == tenant_id, people.c.person_id.in_(person_ids),
            people.c.status.in_(GONE_STATUSES))).scalars())
