"""Sessions: one meeting of a pair, from booking to held, cancelled or missed. Every change a
calendar must notice raises `sequence` (iCalendar SEQUENCE). Each change returns the events that
describe it; a booking, a move and a cancellation carry the iTIP message (RFC 5546) a notifier
sends to both people as it is: a REQUEST when booked or moved, a CANCEL when called off."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import mentoring_shared.contracts.scheduling as contracts
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.errors import Conflict, InvalidField
from scheduling.calendar_entries import entry_for_session
from scheduling.calendars import itip
from scheduling.calendars.entries import CalendarEntry, Participant
from scheduling.domain.mentorships import Mentorship

SCHEDULED, COMPLETED, CANCELLED, NO_SHOW = "scheduled", "completed", "cancelled", "no_show"


@dataclass(frozen=True)
class Session:
    id: str
    tenant_id: str
    mentorship_id: str
    cohort_id: str
    program_id: str
    mentee_id: str
    mentor_id: str
    kind: str                      # kickoff | regular
    series_id: str | None
    starts_at: datetime
    ends_at: datetime
    status: str
    version: int
    sequence: int
    confirmations: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    completion: str | None = None  # confirmed | automatic
    completed_at: datetime | None = None
    cancel_reason: str | None = None
    cancel_note: str | None = None
    cancelled_by: str | None = None

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def attendees(self) -> tuple[str, str]:
        return (self.mentee_id, self.mentor_id)


@dataclass(frozen=True)
class Invitees:
    """Who a session's iTIP messages name: the pair as attendees (as scheduling's copy of the people
    knows them) and the platform's mailbox as ORGANIZER."""

    mentee: Participant
    mentor: Participant
    organizer: Participant

    def entry(self, session: Session, cancelled: bool = False) -> CalendarEntry:
        return entry_for_session({**vars(session), "session_id": session.id}, self.mentee._asdict(),
                                 self.mentor._asdict(), cancelled=cancelled, organizer=self.organizer)


def _require_scheduled(session: Session, action: str) -> None:
    if session.status != SCHEDULED:
        raise Conflict(f"the session is {session.status}; only a scheduled session can be {action}",
                       current_status=session.status)


def book(mentorship: Mentorship, *, session_id: str, kind: str, series_id: str | None, starts_at: datetime,
         now: datetime, invitees: Invitees) -> tuple[Session, list[DomainEvent]]:
    """A new session of the pair, as long as its plan's meetings, and the invitation to it."""
    session = Session(
        id=session_id, tenant_id=mentorship.tenant_id, mentorship_id=mentorship.id, cohort_id=mentorship.cohort_id,
        program_id=mentorship.program_id, mentee_id=mentorship.mentee_id, mentor_id=mentorship.mentor_id,
        kind=kind, series_id=series_id, starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=mentorship.meeting_minutes), status=SCHEDULED, version=1, sequence=0,
        confirmations=(), created_at=now, updated_at=now)
    return session, [_event(contracts.SESSION_SCHEDULED_V1, session, {
        "invitation": itip.invitation(invitees.entry(session)).decode()})]


def reschedule(session: Session, starts_at: datetime, now: datetime,
               invitees: Invitees) -> tuple[Session, list[DomainEvent]]:
    _require_scheduled(session, "rescheduled")
    if starts_at <= now:
        raise InvalidField("starts_at", "must be in the future")
    length = session.ends_at - session.starts_at
    moved = replace(session, starts_at=starts_at, ends_at=starts_at + length, version=session.version + 1,
                    sequence=session.sequence + 1, updated_at=now)
    return moved, [_event(contracts.SESSION_RESCHEDULED_V1, moved, {
        "previous_starts_at": session.starts_at.isoformat(), "previous_ends_at": session.ends_at.isoformat(),
        "invitation": itip.invitation(invitees.entry(moved)).decode()})]


def cancel(session: Session, reason: str, note: str | None, by: str | None, now: datetime,
           invitees: Invitees) -> tuple[Session, list[DomainEvent]]:
    _require_scheduled(session, "cancelled")
    cancelled = replace(session, status=CANCELLED, cancel_reason=reason, cancel_note=note, cancelled_by=by,
                        version=session.version + 1, sequence=session.sequence + 1, updated_at=now)
    return cancelled, [_cancelled(cancelled, invitees)]


def confirm_held(session: Session, person_id: str, now: datetime) -> tuple[Session, list[DomainEvent]]:
    """One participant says it took place; with both, it is completed."""
    _require_scheduled(session, "confirmed")
    if now < session.starts_at:
        raise Conflict("a session can be confirmed only once it has started")
    confirmations = tuple(sorted(set(session.confirmations) | {person_id}))
    held = set(confirmations) >= set(session.attendees())
    confirmed = replace(session, confirmations=confirmations, version=session.version + 1, updated_at=now)
    if held:
        confirmed = replace(confirmed, status=COMPLETED, completion="confirmed", completed_at=now)
    return confirmed, [_completed(confirmed)] if held else []


def complete_automatically(session: Session, now: datetime) -> tuple[Session, list[DomainEvent]]:
    """Over and not cancelled: it took place."""
    _require_scheduled(session, "completed")
    completed = replace(session, status=COMPLETED, completion="automatic", completed_at=now,
                        version=session.version + 1, updated_at=now)
    return completed, [_completed(completed)]


def no_show(session: Session, reported_by: str | None, note: str | None, now: datetime,
            invitees: Invitees) -> tuple[Session, list[DomainEvent]]:
    _require_scheduled(session, "marked as a no-show")
    if now < session.starts_at:
        raise Conflict("a no-show can be reported only once the session has started")
    missed = replace(session, status=NO_SHOW, cancel_reason="no_show", cancel_note=note, cancelled_by=reported_by,
                     version=session.version + 1, updated_at=now)
    return missed, [_cancelled(missed, invitees)]


def reminders(session: Session, lead_minutes: int, reminder_ids: Iterator[str]) -> list[DomainEvent]:
    """A reminder to each of the pair, `lead_minutes` before the session starts."""
    return [DomainEvent(contracts.REMINDER_DUE_V1, session.tenant_id, session.id, {
        "reminder_id": next(reminder_ids), "session_id": session.id, "mentorship_id": session.mentorship_id,
        "person_id": person_id, "starts_at": session.starts_at.isoformat(), "ends_at": session.ends_at.isoformat(),
        "lead_minutes": lead_minutes}) for person_id in session.attendees()]


def _event(event_type: str, session: Session, extra: dict) -> DomainEvent:
    return DomainEvent(event_type, session.tenant_id, session.id, {
        "session_id": session.id, "version": session.version, "mentorship_id": session.mentorship_id,
        "cohort_id": session.cohort_id, "program_id": session.program_id, "mentee_id": session.mentee_id,
        "mentor_id": session.mentor_id, "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(), "kind": session.kind, **extra})


def _cancelled(session: Session, invitees: Invitees) -> DomainEvent:
    """Called off, or missed (reason no_show): the CANCEL withdraws it from both people's calendars."""
    return _event(contracts.SESSION_CANCELLED_V1, session, {
        "reason": session.cancel_reason, "note": session.cancel_note, "cancelled_by": session.cancelled_by,
        "cancellation": itip.cancellation(invitees.entry(session, cancelled=True)).decode()})


def _completed(session: Session) -> DomainEvent:
    assert session.completed_at is not None, "a completed session records when it was completed"
    return _event(contracts.SESSION_COMPLETED_V1, session, {
        "minutes": session.minutes, "completion": session.completion, "completed_at": session.completed_at.isoformat()})
