"""Sessions: one meeting of a pair, from booking to held, cancelled or missed. Every change a
calendar must notice raises `sequence` (iCalendar SEQUENCE)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from mentoring_shared.errors import Conflict, InvalidField

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


def _require_scheduled(session: Session, action: str) -> None:
    if session.status != SCHEDULED:
        raise Conflict(f"the session is {session.status}; only a scheduled session can be {action}",
                       current_status=session.status)


def reschedule(session: Session, starts_at: datetime, now: datetime) -> Session:
    _require_scheduled(session, "rescheduled")
    if starts_at <= now:
        raise InvalidField("starts_at", "must be in the future")
    length = session.ends_at - session.starts_at
    return replace(session, starts_at=starts_at, ends_at=starts_at + length, version=session.version + 1,
                   sequence=session.sequence + 1, updated_at=now)


def cancel(session: Session, reason: str, note: str | None, by: str | None, now: datetime) -> Session:
    _require_scheduled(session, "cancelled")
    return replace(session, status=CANCELLED, cancel_reason=reason, cancel_note=note, cancelled_by=by,
                   version=session.version + 1, sequence=session.sequence + 1, updated_at=now)


def confirm_held(session: Session, person_id: str, now: datetime) -> Session:
    """One participant says it took place; with both, it is completed."""
    _require_scheduled(session, "confirmed")
    if now < session.starts_at:
        raise Conflict("a session can be confirmed only once it has started")
    confirmations = tuple(sorted(set(session.confirmations) | {person_id}))
    held = set(confirmations) >= set(session.attendees())
    return replace(session, confirmations=confirmations, version=session.version + 1, updated_at=now,
                   **({"status": COMPLETED, "completion": "confirmed", "completed_at": now} if held else {}))


def complete_automatically(session: Session, now: datetime) -> Session:
    """Over and not cancelled: it took place."""
    _require_scheduled(session, "completed")
    return replace(session, status=COMPLETED, completion="automatic", completed_at=now,
                   version=session.version + 1, updated_at=now)


def no_show(session: Session, reported_by: str | None, note: str | None, now: datetime) -> Session:
    _require_scheduled(session, "marked as a no-show")
    if now < session.starts_at:
        raise Conflict("a no-show can be reported only once the session has started")
    return replace(session, status=NO_SHOW, cancel_reason="no_show", cancel_note=note, cancelled_by=reported_by,
                   version=session.version + 1, updated_at=now)
