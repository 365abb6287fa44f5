"""Mentorships: a confirmed pair's meeting plan (cadence, length, term), which can pause for a
break and resume, and ends with its match."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date

from mentoring_shared.errors import Conflict

ACTIVE, PAUSED, ENDED = "active", "paused", "ended"


@dataclass(frozen=True)
class Mentorship:
    id: str
    tenant_id: str
    cohort_id: str
    program_id: str
    mentee_id: str
    mentor_id: str
    status: str
    cadence: str
    meeting_minutes: int
    starts_on: date
    ends_on: date
    version: int
    pause_note: str | None = None
    resume_on: date | None = None
    end_reason: str | None = None

    def involves(self, person_id: str) -> bool:
        return person_id in (self.mentee_id, self.mentor_id)


def plan(*, mentorship_id: str, tenant_id: str, cohort_id: str, program_id: str, mentee_id: str, mentor_id: str,
         cadence: str, meeting_minutes: int, term_months: int, starts_on: date) -> Mentorship:
    return Mentorship(id=mentorship_id, tenant_id=tenant_id, cohort_id=cohort_id, program_id=program_id,
                      mentee_id=mentee_id, mentor_id=mentor_id, status=ACTIVE, cadence=cadence,
                      meeting_minutes=meeting_minutes, starts_on=starts_on,
                      ends_on=add_months(starts_on, term_months), version=1)


def pause(mentorship: Mentorship, note: str | None, resume_on: date | None) -> Mentorship:
    if mentorship.status != ACTIVE:
        raise Conflict(f"the mentorship is {mentorship.status}; only an active one can pause",
                       current_status=mentorship.status)
    return replace(mentorship, status=PAUSED, pause_note=note, resume_on=resume_on, version=mentorship.version + 1)


def resume(mentorship: Mentorship) -> Mentorship:
    if mentorship.status != PAUSED:
        raise Conflict(f"the mentorship is {mentorship.status}; only a paused one can resume",
                       current_status=mentorship.status)
    return replace(mentorship, status=ACTIVE, pause_note=None, resume_on=None, version=mentorship.version + 1)


def end(mentorship: Mentorship, reason: str) -> Mentorship:
    return replace(mentorship, status=ENDED, end_reason=reason, version=mentorship.version + 1)


def require_active(mentorship: Mentorship) -> None:
    if mentorship.status != ACTIVE:
        raise Conflict(f"the mentorship is {mentorship.status}: no sessions can be booked",
                       current_status=mentorship.status)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
