"""Mentorships: a confirmed pair's meeting plan (cadence, length, term), which can pause for a
break and resume, and ends with its match. `version` is the mentorship's own (its paused and
resumed events carry it, returned by `pause` and `resume`); `match_version` is the version of the
match it copies, so that an event about the match older than the one applied is ignored."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date

import mentoring_shared.contracts.scheduling as contracts
from mentoring_shared.domain_events import DomainEvent
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
    match_version: int = 1


def plan(*, mentorship_id: str, tenant_id: str, cohort_id: str, program_id: str, mentee_id: str, mentor_id: str,
         cadence: str, meeting_minutes: int, term_months: int, starts_on: date, match_version: int = 1) -> Mentorship:
    return Mentorship(id=mentorship_id, tenant_id=tenant_id, cohort_id=cohort_id, program_id=program_id,
                      mentee_id=mentee_id, mentor_id=mentor_id, status=ACTIVE, cadence=cadence,
                      meeting_minutes=meeting_minutes, starts_on=starts_on,
                      ends_on=add_months(starts_on, term_months), version=1, match_version=match_version)


def ended_unplanned(*, mentorship_id: str, tenant_id: str, cohort_id: str, program_id: str, mentee_id: str,
                    mentor_id: str, cadence: str, meeting_minutes: int, ended_on: date, end_reason: str,
                    match_version: int) -> Mentorship:
    """A match whose end arrived before its confirmation (a republish after a broker lost its log):
    kept as ended, with the end's match version, so the late confirmation is ignored instead of
    starting a plan for a pair that no longer exists. It never ran: it starts and ends on the day
    the match ended."""
    return Mentorship(id=mentorship_id, tenant_id=tenant_id, cohort_id=cohort_id, program_id=program_id,
                      mentee_id=mentee_id, mentor_id=mentor_id, status=ENDED, cadence=cadence,
                      meeting_minutes=meeting_minutes, starts_on=ended_on, ends_on=ended_on, version=1,
                      end_reason=end_reason, match_version=match_version)


def is_newer_match_event(mentorship: Mentorship, match_version: int) -> bool:
    """Whether an event about the match is newer than the match this mentorship copies."""
    return match_version > mentorship.match_version


def pause(mentorship: Mentorship, note: str | None, resume_on: date | None,
          by: str | None) -> tuple[Mentorship, list[DomainEvent]]:
    """A break, asked for by one of the pair (`by`) or an organizer (None)."""
    if mentorship.status != ACTIVE:
        raise Conflict(f"the mentorship is {mentorship.status}; only an active one can pause",
                       current_status=mentorship.status)
    paused = replace(mentorship, status=PAUSED, pause_note=note, resume_on=resume_on, version=mentorship.version + 1)
    return paused, [_event(contracts.MENTORSHIP_PAUSED_V1, paused, paused_by=by, note=note,
                           resume_on=resume_on.isoformat() if resume_on else None)]


def resume(mentorship: Mentorship, by: str | None) -> tuple[Mentorship, list[DomainEvent]]:
    if mentorship.status != PAUSED:
        raise Conflict(f"the mentorship is {mentorship.status}; only a paused one can resume",
                       current_status=mentorship.status)
    resumed = replace(mentorship, status=ACTIVE, pause_note=None, resume_on=None, version=mentorship.version + 1)
    return resumed, [_event(contracts.MENTORSHIP_RESUMED_V1, resumed, resumed_by=by)]


def end(mentorship: Mentorship, reason: str, match_version: int) -> Mentorship:
    """The match ended (at `match_version`): so does its plan."""
    return replace(mentorship, status=ENDED, end_reason=reason, version=mentorship.version + 1,
                   match_version=match_version)


def require_active(mentorship: Mentorship) -> None:
    if mentorship.status != ACTIVE:
        raise Conflict(f"the mentorship is {mentorship.status}: no sessions can be booked",
                       current_status=mentorship.status)


def _event(event_type: str, mentorship: Mentorship, **extra) -> DomainEvent:
    return DomainEvent(event_type, mentorship.tenant_id, mentorship.id, {
        "mentorship_id": mentorship.id, "version": mentorship.version, "cohort_id": mentorship.cohort_id,
        "program_id": mentorship.program_id, "mentee_id": mentorship.mentee_id, "mentor_id": mentorship.mentor_id,
        **extra})


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
