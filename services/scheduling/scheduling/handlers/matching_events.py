"""Matching's events: a plan for every confirmed match, on its program's cadence; when a match ends,
so does its plan, and every session ahead is cancelled. An event about a match older than the one
the mentorship copies (by version) changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

from mentoring_shared.contracts import matching
from mentoring_shared.messaging.envelope import Envelope
from scheduling.calendars.entries import Participant
from scheduling.domain import mentorships as domain
from scheduling.handlers.sessions import cancel_future_sessions
from scheduling.unit_of_work import SchedulingUnitOfWork

# Until its program's settings arrive, a plan uses the platform's defaults.
DEFAULT_CADENCE, DEFAULT_MINUTES, DEFAULT_TERM_MONTHS = "monthly", 45, 6


def matching_event_handlers(organizer: Participant) -> dict:
    def match_confirmed(event: Envelope, uow: SchedulingUnitOfWork) -> None:
        data = event.data
        cadence, meeting_minutes, term_months = _program_plan(uow, event.tenant_id, data["program_id"])
        # Added only if absent: a mentorship already there holds this version or a newer one (its end).
        uow.mentorships.add(domain.plan(
            mentorship_id=data["match_id"], tenant_id=event.tenant_id, cohort_id=data["cohort_id"],
            program_id=data["program_id"], mentee_id=data["mentee_id"], mentor_id=data["mentor_id"],
            cadence=cadence, meeting_minutes=meeting_minutes, term_months=term_months,
            starts_on=_day_of(data["confirmed_at"]), match_version=data["version"]))

    def match_ended(event: Envelope, uow: SchedulingUnitOfWork) -> None:
        data = event.data
        mentorship = uow.mentorships.get(event.tenant_id, data["match_id"], for_update=True)
        if mentorship is None:
            uow.mentorships.add(_ended_before_confirmed(uow, event))
            return
        if not domain.is_newer_match_event(mentorship, data["version"]):
            return  # a replay: the mentorship already reflects this end, or a later state of the match
        uow.mentorships.save(domain.end(mentorship, data["reason"], data["version"]))
        cancel_future_sessions(uow, event.tenant_id, "match_ended", f"the match ended ({data['reason']})",
                               organizer, mentorship_id=mentorship.id)

    return {matching.MATCH_CONFIRMED_V1: match_confirmed, matching.MATCH_ENDED_V1: match_ended}


def _program_plan(uow: SchedulingUnitOfWork, tenant_id: str, program_id: str) -> tuple[str, int, int]:
    """The program's cadence, meeting length and term; the platform's defaults until it is known."""
    program = uow.programs.program(tenant_id, program_id)
    if program is None:
        return DEFAULT_CADENCE, DEFAULT_MINUTES, DEFAULT_TERM_MONTHS
    return program["meeting_cadence"], program["meeting_minutes"], program["term_months"]


def _ended_before_confirmed(uow: SchedulingUnitOfWork, event: Envelope) -> domain.Mentorship:
    """The end of a match not known yet, recorded so that its late confirmation is ignored (no
    sessions were booked for it: nothing to cancel)."""
    data = event.data
    cadence, meeting_minutes, _ = _program_plan(uow, event.tenant_id, data["program_id"])
    return domain.ended_unplanned(
        mentorship_id=data["match_id"], tenant_id=event.tenant_id, cohort_id=data["cohort_id"],
        program_id=data["program_id"], mentee_id=data["mentee_id"], mentor_id=data["mentor_id"], cadence=cadence,
        meeting_minutes=meeting_minutes, ended_on=_day_of(data["ended_at"]), end_reason=data["reason"],
        match_version=data["version"])


def _day_of(moment) -> date:
    """The day of an event's timestamp (loaded as a datetime; today if it is not one)."""
    return (moment if isinstance(moment, datetime) else datetime.now(UTC)).date()
