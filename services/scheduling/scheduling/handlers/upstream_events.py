"""Profiles' and matching's events: scheduling's copy of working hours and program cadences, a
plan for every confirmed match, and every session ahead cancelled when a match ends or a person
leaves or is erased."""

from __future__ import annotations

from datetime import datetime, timezone

from mentoring_shared.contracts import matching, profiles
from mentoring_shared.db.replica import NewerSnapshotUpsert
from mentoring_shared.db.unit_of_work import UnitOfWork
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.people_replica import people_replica_handlers

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


def upstream_event_handlers(organizer: Participant) -> dict:
    people = people_replica_handlers(orm.people)

    def person_upserted(event: Envelope, uow: UnitOfWork) -> None:
        people[profiles.PERSON_UPSERTED_V1](event, uow)
        snapshot = event.data
        _schedules.apply(uow.session, {
            "tenant_id": event.tenant_id, "person_id": snapshot["person_id"], "version": snapshot["version"],
            "time_zone": snapshot["time_zone"], "working_hours": snapshot.get("working_hours"),
            "status": snapshot["status"]})

    def person_erased(event: Envelope, uow: UnitOfWork) -> None:
        people[profiles.PERSON_ERASED_V1](event, uow)
        person_id = event.data["person_id"]
        _schedules.apply(uow.session, {"tenant_id": event.tenant_id, "person_id": person_id,
                                       "version": event.data["version"], "time_zone": "UTC", "working_hours": None,
                                       "status": "terminated"})
        cancel_future_sessions(uow, event.tenant_id, "person_erased", None, organizer, person_id=person_id)
        forget_calendars(uow, event.tenant_id, person_id)  # their busy times and credentials
        forget_feed_tokens(uow, event.tenant_id, person_id)

    def person_deactivated(event: Envelope, uow: UnitOfWork) -> None:
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
        program = uow.session.execute(orm.programs.select().where(
            orm.programs.c.tenant_id == event.tenant_id,
            orm.programs.c.program_id == data["program_id"])).mappings().first()
        confirmed = data["confirmed_at"]
        starts_on = (confirmed if isinstance(confirmed, datetime) else datetime.now(timezone.utc)).date()
        Plans(uow.session).add_mentorship(domain.plan(
            mentorship_id=data["match_id"], tenant_id=event.tenant_id, cohort_id=data["cohort_id"],
            program_id=data["program_id"], mentee_id=data["mentee_id"], mentor_id=data["mentor_id"],
            cadence=program["meeting_cadence"] if program else DEFAULT_CADENCE,
            meeting_minutes=program["meeting_minutes"] if program else DEFAULT_MINUTES,
            term_months=program["term_months"] if program else DEFAULT_TERM_MONTHS, starts_on=starts_on))

    def match_ended(event: Envelope, uow: UnitOfWork) -> None:
        data = event.data
        plans = Plans(uow.session)
        mentorship = plans.mentorship(event.tenant_id, data["match_id"], for_update=True)
        if mentorship is None or mentorship.status == domain.ENDED:
            return
        plans.save_mentorship(domain.end(mentorship, data["reason"]))
        cancel_future_sessions(uow, event.tenant_id, "match_ended", f"the match ended ({data['reason']})",
                               organizer, mentorship_id=mentorship.id)

    return {
        profiles.PERSON_UPSERTED_V1: person_upserted, profiles.PERSON_ERASED_V1: person_erased,
        profiles.PERSON_DEACTIVATED_V1: person_deactivated, profiles.PROGRAM_UPSERTED_V1: program_upserted,
        matching.MATCH_CONFIRMED_V1: match_confirmed, matching.MATCH_ENDED_V1: match_ended,
    }
