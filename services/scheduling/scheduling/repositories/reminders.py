"""The reminders sent before sessions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring_shared.db.bulk import insert_many
from scheduling import orm


class RemindersRepository:
    """`reminders_sent`: one row per session, person and lead time, committed with its event, so a
    reminder is emitted once across restarts and replicas."""

    def __init__(self, session: Session):
        self._db = session

    def record_sent(self, reminders: list[dict]) -> None:
        """Rows of session_id, person_id, lead_minutes, tenant_id, sent_at."""
        insert_many(self._db, orm.reminders_sent, reminders)

    def sent_to(self, tenant_id: str, person_id: str, session_ids: list[str]) -> list[dict]:
        """The reminders sent to the person about these sessions, by time sent. By session id
        first: the table's key leads with it."""
        table = orm.reminders_sent
        found: list[dict] = []
        for start in range(0, len(session_ids), 1000):  # bounded IN lists
            rows = self._db.execute(select(table).where(
                table.c.session_id.in_(session_ids[start:start + 1000]), table.c.person_id == person_id,
                table.c.tenant_id == tenant_id).order_by(table.c.sent_at)).mappings()
            found += [dict(row) for row in rows]
        return found
