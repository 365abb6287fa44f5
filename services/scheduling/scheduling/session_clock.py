"""What happens to sessions with the passing of time: reminders fall due at each lead time before
a session, and a session that ended without being cancelled counts as held. A worker chore; a
reminder is emitted exactly once, across restarts and replicas, because its row in
`reminders_sent` (keyed by session, person and lead time) commits with its event."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select

from mentoring_shared.db.bulk import insert_many
from mentoring_shared.ids import new_ids
from mentoring_shared.runtime import ServiceRuntime

from scheduling import orm
from scheduling.domain import sessions as domain
from scheduling.repositories.plans import SESSIONS

log = logging.getLogger(__name__)
BATCH = 500


class SessionClock:
    def __init__(self, runtime: ServiceRuntime, lead_minutes: tuple[int, ...],
                 completion_grace: timedelta = timedelta(minutes=30)):
        self._runtime = runtime
        self._leads = lead_minutes
        self._grace = completion_grace

    def tick(self, now: datetime) -> tuple[int, int]:
        """Emit the reminders now due and complete the sessions now over; (reminders, completions)."""
        return self._remind(now), self._complete(now)

    def _remind(self, now: datetime) -> int:
        sessions, sent = orm.sessions, orm.reminders_sent
        emitted = 0
        for lead in self._leads:
            with self._runtime.unit_of_work() as uow:
                not_yet = ~exists().where(and_(sent.c.session_id == sessions.c.session_id, sent.c.lead_minutes == lead))
                rows = uow.session.execute(select(sessions).where(
                    sessions.c.status == domain.SCHEDULED, sessions.c.starts_at > now,
                    sessions.c.starts_at <= now + timedelta(minutes=lead), not_yet)
                    .order_by(sessions.c.starts_at).limit(BATCH).with_for_update(skip_locked=True)).mappings().all()
                if not rows:
                    continue
                reminder_ids = new_ids()
                events = [event for row in rows
                          for event in domain.reminders(SESSIONS.record(row), lead, reminder_ids)]
                insert_many(uow.session, sent, [
                    {"session_id": event.subject, "person_id": event.data["person_id"], "lead_minutes": lead,
                     "tenant_id": event.tenant_id, "sent_at": now} for event in events])
                uow.publish(events)
                uow.commit()
                emitted += len(events)
        return emitted

    def _complete(self, now: datetime) -> int:
        sessions = orm.sessions
        with self._runtime.unit_of_work() as uow:
            rows = uow.session.execute(select(sessions).where(
                sessions.c.status == domain.SCHEDULED, sessions.c.ends_at <= now - self._grace)
                .order_by(sessions.c.ends_at).limit(BATCH).with_for_update(skip_locked=True)).mappings().all()
            if not rows:
                return 0
            events = []
            for row in rows:
                session, held = domain.complete_automatically(SESSIONS.record(row), now)
                uow.session.execute(sessions.update().where(sessions.c.session_id == session.id).values(
                    status=session.status, completion=session.completion, completed_at=session.completed_at,
                    version=session.version, updated_at=now))
                events += held
            uow.publish(events)
            uow.commit()
            return len(rows)
