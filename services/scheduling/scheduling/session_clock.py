"""What happens to sessions with the passing of time: reminders fall due at each lead time before
a session, and a session that ended without being cancelled counts as held. A worker chore; a
reminder is emitted exactly once, across restarts and replicas, because its row in
`reminders_sent` (keyed by session, person and lead time) commits with its event."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from mentoring_shared.ids import new_ids
from mentoring_shared.runtime import ServiceRuntime
from scheduling.domain import sessions as domain
from scheduling.unit_of_work import SchedulingUnitOfWork

log = logging.getLogger(__name__)
BATCH = 500


class SessionClock:
    def __init__(self, runtime: ServiceRuntime[SchedulingUnitOfWork] | Callable[[], SchedulingUnitOfWork],
                 lead_minutes: tuple[int, ...],
                 completion_grace: timedelta = timedelta(minutes=30)):
        """`runtime`: the service's runtime, or any factory of its units of work (a test's fake)."""
        self._unit_of_work = runtime.unit_of_work if isinstance(runtime, ServiceRuntime) else runtime
        self._leads = lead_minutes
        self._grace = completion_grace

    def tick(self, now: datetime) -> tuple[int, int]:
        """Emit the reminders now due and complete the sessions now over; (reminders, completions)."""
        return self._remind(now), self._complete(now)

    def _remind(self, now: datetime) -> int:
        emitted = 0
        for lead in self._leads:
            with self._unit_of_work() as uow:
                due = uow.sessions.due_for_reminder(now, lead, BATCH)
                if not due:
                    continue
                reminder_ids = new_ids()
                events = [event for session in due for event in domain.reminders(session, lead, reminder_ids)]
                uow.reminders.record_sent([
                    {"session_id": event.subject, "person_id": event.data["person_id"], "lead_minutes": lead,
                     "tenant_id": event.tenant_id, "sent_at": now} for event in events])
                uow.publish(events)
                uow.commit()
                emitted += len(events)
        return emitted

    def _complete(self, now: datetime) -> int:
        with self._unit_of_work() as uow:
            over = uow.sessions.ended_by(now - self._grace, BATCH)
            if not over:
                return 0
            events = []
            for session in over:
                completed, held = domain.complete_automatically(session, now)
                uow.sessions.save_completed(completed)
                events += held
            uow.publish(events)
            uow.commit()
            return len(over)
