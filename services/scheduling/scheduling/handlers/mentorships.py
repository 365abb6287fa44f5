"""A pair's plan: suggested times on its cadence, kickoffs for a whole cohort at once, and breaks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from mentoring_shared.errors import InvalidField, NotFound
from mentoring_shared.ids import new_id
from scheduling.availability import Cadence, KickoffResult, Pair, kickoff_slots, series
from scheduling.availability_inputs import people_availability
from scheduling.calendars.entries import Participant
from scheduling.domain import mentorships as domain
from scheduling.domain import sessions as session_rules
from scheduling.domain.mentorships import Mentorship
from scheduling.handlers.sessions import EITHER_OF_THE_PAIR, cancel_future_sessions, visible_mentorship
from scheduling.unit_of_work import SchedulingReads, SchedulingUnitOfWork

HORIZON = timedelta(days=56)     # how far ahead times are looked for
CADENCE_SPAN = {"weekly": 7, "biweekly": 14, "monthly": 31}


def _now() -> datetime:
    return datetime.now(UTC)


def suggested_times(tenant_id: str, mentorship_id: str, count: int, not_before: datetime | None, actor,
                    reads: SchedulingReads | SchedulingUnitOfWork) -> tuple[list[datetime], Mentorship]:
    """The next `count` starts on the pair's cadence that fit both people's hours and calendars,
    and the mentorship they are for."""
    mentorship = visible_mentorship(reads.mentorships, tenant_id, mentorship_id, actor)
    domain.require_active(mentorship)
    start = max(not_before or _now(), _now())
    end = start + timedelta(days=CADENCE_SPAN[mentorship.cadence] * count + 7)
    people = people_availability(reads, tenant_id, (mentorship.mentee_id, mentorship.mentor_id), start, end)
    hours = reads.people.working_hours_of(tenant_id, [mentorship.mentee_id])[mentorship.mentee_id]
    starts = series(people[mentorship.mentee_id].free, people[mentorship.mentor_id].free, mentorship.meeting_minutes,
                    Cadence(mentorship.cadence), start, count, time_zone=hours.time_zone if hours else "UTC")
    return starts, mentorship


def book_kickoffs(tenant_id: str, cohort_id: str, not_before: datetime | None, organizer: Participant,
                  uow: SchedulingUnitOfWork) -> list[tuple[Mentorship, KickoffResult]]:
    """A kickoff for every active pair of the cohort without one, nobody double-booked."""
    now = _now()
    start = max(not_before or now, now)
    with uow:
        if not uow.mentorships.page(tenant_id, limit=1, cohort_id=cohort_id):
            raise NotFound(f"no mentorships of cohort {cohort_id} in this tenant")
        kicked_off = uow.sessions.mentorships_with_kickoff(tenant_id, cohort_id)
        active = uow.mentorships.page(tenant_id, limit=1_000_000, cohort_id=cohort_id, status=domain.ACTIVE)
        waiting = [m for m in active if m.id not in kicked_off]
        if not waiting:
            return []
        people = people_availability(uow, tenant_id, {p for m in waiting for p in (m.mentee_id, m.mentor_id)},
                                     start, start + HORIZON)
        results: list[tuple[Mentorship, KickoffResult]] = []
        for minutes in sorted({m.meeting_minutes for m in waiting}):
            same_length = [m for m in waiting if m.meeting_minutes == minutes]
            found = kickoff_slots([Pair(m.id, m.mentee_id, m.mentor_id) for m in same_length], people, minutes,
                                  start, start + HORIZON)
            results.extend(zip(same_length, found))
        kicking_off = [(m, result.start) for m, result in results if result.start is not None]
        invitees = uow.people.invitees([m for m, _ in kicking_off], organizer)
        booked = [session_rules.book(m, session_id=new_id(), kind="kickoff", series_id=None, starts_at=starts_at,
                                     now=now, invitees=invitees[m.id]) for m, starts_at in kicking_off]
        uow.sessions.add([session for session, _ in booked])
        uow.publish([event for _, events in booked for event in events])
        uow.commit()
    return sorted(results, key=lambda item: item[0].id)


def pause(tenant_id: str, mentorship_id: str, note: str | None, resume_on: date | None, actor,
          organizer: Participant, uow: SchedulingUnitOfWork) -> Mentorship:
    """A break: sessions ahead are cancelled and none can be booked until it resumes."""
    if resume_on is not None and resume_on <= _now().date():
        raise InvalidField("resume_on", "must be a future date")
    with uow:
        mentorship = visible_mentorship(uow.mentorships, tenant_id, mentorship_id, actor, for_update=True)
        actor.require(EITHER_OF_THE_PAIR, mentorship.mentee_id, mentorship.mentor_id)
        paused, events = domain.pause(mentorship, note, resume_on, by=actor.person_id)
        uow.mentorships.save(paused)
        cancel_future_sessions(uow, tenant_id, "paused", note, organizer, mentorship_id=mentorship.id)
        uow.publish(events)
        uow.commit()
    return paused


def resume(tenant_id: str, mentorship_id: str, actor, uow: SchedulingUnitOfWork) -> Mentorship:
    with uow:
        mentorship = visible_mentorship(uow.mentorships, tenant_id, mentorship_id, actor, for_update=True)
        actor.require(EITHER_OF_THE_PAIR, mentorship.mentee_id, mentorship.mentor_id)
        resumed, events = domain.resume(mentorship, by=actor.person_id)
        uow.mentorships.save(resumed)
        uow.publish(events)
        uow.commit()
    return resumed
