"""The events a session's changes publish, each carrying the iTIP object (RFC 5546) a notifier
sends to both people as it is: a REQUEST when booked or moved, a CANCEL when called off."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from mentoring_shared.contracts import scheduling as contracts
from mentoring_shared.domain_events import DomainEvent

from scheduling import orm
from scheduling.calendar_entries import entry_for_session
from scheduling.calendars import itip
from scheduling.calendars.entries import Participant
from scheduling.domain.sessions import Session
from scheduling.repositories.plans import SESSIONS


def _payload(session: Session) -> dict:
    return {"session_id": session.id, "version": session.version, "mentorship_id": session.mentorship_id,
            "cohort_id": session.cohort_id, "program_id": session.program_id, "mentee_id": session.mentee_id,
            "mentor_id": session.mentor_id, "starts_at": session.starts_at.isoformat(),
            "ends_at": session.ends_at.isoformat(), "kind": session.kind}


class SessionEvents:
    """Builds session events for one unit of work (it looks up the two people's names once)."""

    def __init__(self, db: DbSession, tenant_id: str, organizer: Participant):
        self._db = db
        self._tenant_id = tenant_id
        self._organizer = organizer  # the platform's mailbox: ORGANIZER of every invitation
        self._people: dict[str, dict] = {}

    def _entry(self, session: Session, cancelled: bool = False):
        return entry_for_session(SESSIONS.row(session), self._person(session.mentee_id),
                                 self._person(session.mentor_id), cancelled=cancelled, organizer=self._organizer)

    def _person(self, person_id: str) -> dict:
        if person_id not in self._people:
            row = self._db.execute(select(orm.people).where(orm.people.c.tenant_id == self._tenant_id,
                                                            orm.people.c.person_id == person_id)).mappings().first()
            self._people[person_id] = dict(row) if row else {"person_id": person_id, "name": "Participant",
                                                             "email": f"{person_id}@unknown.invalid"}
        return self._people[person_id]

    def scheduled(self, session: Session) -> DomainEvent:
        return DomainEvent(contracts.SESSION_SCHEDULED_V1, self._tenant_id, session.id, {
            **_payload(session), "invitation": itip.invitation(self._entry(session)).decode()})

    def rescheduled(self, session: Session, previous_starts_at: datetime, previous_ends_at: datetime) -> DomainEvent:
        return DomainEvent(contracts.SESSION_RESCHEDULED_V1, self._tenant_id, session.id, {
            **_payload(session), "previous_starts_at": previous_starts_at.isoformat(),
            "previous_ends_at": previous_ends_at.isoformat(),
            "invitation": itip.invitation(self._entry(session)).decode()})

    def cancelled(self, session: Session) -> DomainEvent:
        return DomainEvent(contracts.SESSION_CANCELLED_V1, self._tenant_id, session.id, {
            **_payload(session), "reason": session.cancel_reason, "note": session.cancel_note,
            "cancelled_by": session.cancelled_by,
            "cancellation": itip.cancellation(self._entry(session, cancelled=True)).decode()})

    def completed(self, session: Session) -> DomainEvent:
        return DomainEvent(contracts.SESSION_COMPLETED_V1, self._tenant_id, session.id, {
            **_payload(session), "minutes": session.minutes, "completion": session.completion,
            "completed_at": session.completed_at.isoformat()})
