"""Profiles' and matching's events: scheduling's copy of working hours and program cadences, a
plan for every confirmed match, and every session ahead cancelled when a match ends or a person
leaves or is erased."""

from __future__ import annotations

from datetime import date, datetime, timezone

from mentoring_shared.contracts import matching, profiles
from mentoring_shared.db.replica import NewerSnapshotUpsert
from mentoring_shared.db.unit_of_work import UnitOfWork
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.people_replica import (ERASED_STATUS, is_stale_person_event, people_replica_handlers,
                                             person_upserted_handler)

from scheduling import orm
from scheduling.calendars.entries import Participant
from scheduling.domain import mentorships as domain
from scheduling.handlers.calendars import forget_calendars
from scheduling.handlers.feeds import forget_feed_tokens
from scheduling.handlers.sessions import cancel_future_sessions
from scheduling.repositories.plans import Plans

_schedules = NewerSnapshotUpsert(orm.person_schedules, ["tenant_id", "person_id"])
_programs = NewerSnapshotUpsert(orm.programs, ["tenant_id", "program_id"])

# Until its program's settings arrive, a plan uses the platform's defaults.
DEFAULT_CADENCE, DEFAULT_MINUTES, DEFAULT_TERM_MONTHS = "monthly", 45, 6


def _schedule_row(event: Envelope) -> dict:
    snapshot = event.data
    return {"tenant_id": event.tenant_id, "person_id": snapshot["person_id"], "version": snapshot["version"],
            "time_zone": snapshot["time_zone"], "working_hours": snapshot.get("working_hours"),
            "status": snapshot["status"]}


def upstream_event_handlers(organizer: Participant) -> dict:
    people = people_replica_handlers(orm.people)
    person_upserted = person_upserted_handler(orm.people, (_schedules, _schedule_row))

    def person_erased(event: Envelope, uow: UnitOfWork) -> None:
        people[profiles.PERSON_ERASED_V1](event, uow)
        person_id = event.data["person_id"]
        _schedules.apply(uow.session, {"tenant_id": event.tenant_id, "person_id": person_id,
                                       "version": event.data["version"], "time_zone": "UTC", "working_hours": None,
                                       "status": ERASED_STATUS})
        cancel_future_sessions(uow, event.tenant_id, "person_erased", None, organizer, person_id=person_id)
        forget_calendars(uow, event.tenant_id, person_id)  # their busy times and credentials
        forget_feed_tokens(uow, event.tenant_id, person_id)

    def person_deactivated(event: Envelope, uow: UnitOfWork) -> None:
        if is_stale_person_event(uow.session, orm.people, event.tenant_id, event.data):
            return  # they came back since: their sessions booked after that stand
        cancel_future_sessions(uow, event.tenant_id, "person_left", f"a participant left ({event.data['reason']})",
                               organizer, person_id=event.data["person_id"])

    def program_upserted(event: Envelope, uow: UnitOfWork) -> None:
        snapshot = event.data
        _programs.apply(uow.session, {
            "tenant_id": event.tenant_id, "program_id": snapshot["program_id"], "version": snapshot["version"],
            "name": snapshot["name"], "meeting_cadence": snapshot["meeting_cadence"],
            "meeting_minutes": snapshot["meeting_minutes"], "term_months": snapshot["term_months"]})

    def match_confirmed(event: Envelope, uow: UnitOfWork) -> None:
        data = event.data
        cadence, meeting_minutes, term_months = _program_plan(uow, event.tenant_id, data["program_id"])
        # Added only if absent: a mentorship already there holds this version or a newer one (its end).
        Plans(uow.session).add_mentorship(domain.plan(
            mentorship_id=data["match_id"], tenant_id=event.tenant_id, cohort_id=data["cohort_id"],
            program_id=data["program_id"], mentee_id=data["mentee_id"], mentor_id=data["mentor_id"],
            cadence=cadence, meeting_minutes=meeting_minutes, term_months=term_months,
            starts_on=_day_of(data["confirmed_at"]), match_version=data["version"]))

    def match_ended(event: Envelope, uow: UnitOfWork) -> None:
        data = event.data
        plans = Plans(uow.session)
        mentorship = plans.mentorship(event.tenant_id, data["match_id"], for_update=True)
        if mentorship is None:
            plans.add_mentorship(_ended_before_confirmed(uow, event))
            return
        if not domain.is_newer_match_event(mentorship, data["version"]):
            return  # a replay: the mentorship already reflects this end, or a later state of the match
        plans.save_mentorship(domain.end(mentorship, data["reason"], data["version"]))
        cancel_future_sessions(uow, event.tenant_id, "match_ended", f"the match ended ({data['reason']})",
                               organizer, mentorship_id=mentorship.id)

    return {
        profiles.PERSON_UPSERTED_V1: person_upserted, profiles.PERSON_ERASED_V1: person_erased,
        profiles.PERSON_DEACTIVATED_V1: person_deactivated, profiles.PROGRAM_UPSERTED_V1: program_upserted,
        matching.MATCH_CONFIRMED_V1: match_confirmed, matching.MATCH_ENDED_V1: match_ended,
    }


def _program_plan(uow: UnitOfWork, tenant_id: str, program_id: str) -> tuple[str, int, int]:
    """The program's cadence, meeting length and term; the platform's defaults until it is known."""
    program = uow.session.execute(orm.programs.select().where(
        orm.programs.c.tenant_id == tenant_id, orm.programs.c.program_id == program_id)).mappings().first()
    if program is None:
        return DEFAULT_CADENCE, DEFAULT_MINUTES, DEFAULT_TERM_MONTHS
    return program["meeting_cadence"], program["meeting_minutes"], program["term_months"]


def _ended_before_confirmed(uow: UnitOfWork, event: Envelope) -> domain.Mentorship:
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
    return (moment if isinstance(moment, datetime) else datetime.now(timezone.utc)).date()
