"""What happens to sessions with the passing of time: reminders fall due at each lead time before
a session, and a session that ended without being cancelled counts as held. A worker chore; a
reminder is emitted exactly once, across restarts and replicas, because its row in
`reminders_sent` (keyed by session, person and lead time) commits with its event."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select

from mentoring_shared.contracts import scheduling as contracts
from mentoring_shared.db.bulk import insert_many
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.ids import new_id
from mentoring_shared.runtime import ServiceRuntime

from scheduling import orm
from scheduling.calendars.entries import Participant
from scheduling.domain import sessions as domain
from scheduling.repositories.plans import SESSIONS
from scheduling.session_events import SessionEvents

log = logging.getLogger(__name__)
BATCH = 500


class SessionClock:
    def __init__(self, runtime: ServiceRuntime, lead_minutes: tuple[int, ...], organizer: Participant,
                 completion_grace: timedelta = timedelta(minutes=30)):
        self._runtime = runtime
        self._organizer = organizer
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
                reminders, events = [], []
                for row in rows:
                    for person_id in (row["mentee_id"], row["mentor_id"]):
                        reminders.append({"session_id": row["session_id"], "person_id": person_id,
                                          "lead_minutes": lead, "tenant_id": row["tenant_id"], "sent_at": now})
                        events.append(DomainEvent(contracts.REMINDER_DUE_V1, row["tenant_id"], row["session_id"], {
                            "reminder_id": new_id(), "session_id": row["session_id"],
                            "mentorship_id": row["mentorship_id"], "person_id": person_id,
                            "starts_at": row["starts_at"].isoformat(), "ends_at": row["ends_at"].isoformat(),
                            "lead_minutes": lead}))
                insert_many(uow.session, sent, reminders)
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
            completed = [domain.complete_automatically(SESSIONS.record(row), now) for row in rows]
            events, builders = [], {}
            for session in completed:
                uow.session.execute(sessions.update().where(sessions.c.session_id == session.id).values(
                    status=session.status, completion=session.completion, completed_at=session.completed_at,
                    version=session.version, updated_at=now))
                if session.tenant_id not in builders:
                    builders[session.tenant_id] = SessionEvents(uow.session, session.tenant_id, self._organizer)
                events.append(builders[session.tenant_id].completed(session))
            uow.publish(events)
            uow.commit()
            return len(completed)
