"""Booking, moving, calling off and holding sessions. A booking must fit both people's working
hours and calendars and overlap none of their sessions (no double booking)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mentoring_shared.errors import InvalidField, NotFound
from mentoring_shared.ids import new_id
from scheduling.availability import SessionRule, check_session
from scheduling.availability_inputs import people_availability
from scheduling.calendars.entries import Participant
from scheduling.domain import mentorships as plan_rules
from scheduling.domain import sessions as domain
from scheduling.domain.sessions import Session
from scheduling.repositories.mentorships import MentorshipsRepository
from scheduling.repositories.sessions import SessionsRepository
from scheduling.unit_of_work import SchedulingUnitOfWork

MAX_SERIES = 26
EITHER_OF_THE_PAIR = "mentee or the mentor"  # who, besides an organizer, acts on a pair's plan and sessions
RULE_TEXT = {SessionRule.OUTSIDE_WORKING_HOURS: "outside working hours",
             SessionRule.OVERLAPS_BUSY_TIME: "overlaps another session or a busy time in their calendar"}


def _now() -> datetime:
    return datetime.now(UTC)


def visible_mentorship(mentorships: MentorshipsRepository, tenant_id: str, mentorship_id: str, actor,
                       for_update: bool = False):
    mentorship = mentorships.get(tenant_id, mentorship_id, for_update=for_update)
    if mentorship is None or not actor.may_see(mentorship.mentee_id, mentorship.mentor_id):
        raise NotFound(f"no mentorship {mentorship_id} in this tenant")
    return mentorship


def visible_session(sessions: SessionsRepository, tenant_id: str, session_id: str, actor,
                    for_update: bool = False) -> Session:
    session = sessions.get(tenant_id, session_id, for_update=for_update)
    if session is None or not actor.may_see(session.mentee_id, session.mentor_id):
        raise NotFound(f"no session {session_id} in this tenant")
    return session


def check_fits(uow: SchedulingUnitOfWork, session: Session, field: str = "starts_at",
               moving: str | None = None) -> None:
    """Refuse a time outside either person's working hours or overlapping what makes them busy."""
    people = people_availability(uow, session.tenant_id, session.attendees(),
                                 session.starts_at - timedelta(days=1), session.ends_at + timedelta(days=1),
                                 excluding_session=moving)
    violations = check_session(people, session.starts_at, session.ends_at)
    if violations:
        who = {session.mentee_id: "the mentee", session.mentor_id: "the mentor"}
        reasons = "; ".join(f"{who[v.person]}: {RULE_TEXT[v.rule]}" for v in violations)
        raise InvalidField(field, f"the session does not fit: {reasons}")


def book(tenant_id: str, mentorship_id: str, starts_at: list[datetime], kind: str, actor,
         uow: SchedulingUnitOfWork, organizer: Participant) -> list[Session]:
    """Book one session, or a series (one start each), all or nothing."""
    if not 1 <= len(starts_at) <= MAX_SERIES:
        raise InvalidField("starts_at", f"give 1 to {MAX_SERIES} start times")
    now = _now()
    with uow:
        mentorship = visible_mentorship(uow.mentorships, tenant_id, mentorship_id, actor, for_update=True)
        actor.require(EITHER_OF_THE_PAIR, mentorship.mentee_id, mentorship.mentor_id)
        plan_rules.require_active(mentorship)
        series_id = new_id() if len(starts_at) > 1 else None
        invitees = _invitees(uow, mentorship, organizer)
        booked: list[Session] = []
        events = []
        for index, start in enumerate(sorted(starts_at)):
            if start <= now:
                raise InvalidField(f"starts_at[{index}]", "must be in the future")
            session, scheduled = domain.book(mentorship, session_id=new_id(), kind=kind if index == 0 else "regular",
                                             series_id=series_id, starts_at=start, now=now, invitees=invitees)
            check_fits(uow, session, f"starts_at[{index}]" if len(starts_at) > 1 else "starts_at")
            uow.sessions.add([session])  # before the next check: a series never overlaps itself
            booked.append(session)
            events += scheduled
        uow.publish(events)
        uow.commit()
    return booked


def reschedule(tenant_id: str, session_id: str, starts_at: datetime, actor, uow: SchedulingUnitOfWork,
               organizer: Participant) -> Session:
    with uow:
        session = visible_session(uow.sessions, tenant_id, session_id, actor, for_update=True)
        actor.require(EITHER_OF_THE_PAIR, session.mentee_id, session.mentor_id)
        moved, events = domain.reschedule(session, starts_at, _now(), _invitees(uow, session, organizer))
        check_fits(uow, moved, moving=session.id)
        uow.sessions.save(moved)
        uow.publish(events)
        uow.commit()
    return moved


def cancel(tenant_id: str, session_id: str, note: str | None, actor, uow: SchedulingUnitOfWork,
           organizer: Participant) -> Session:
    with uow:
        session = visible_session(uow.sessions, tenant_id, session_id, actor, for_update=True)
        actor.require(EITHER_OF_THE_PAIR, session.mentee_id, session.mentor_id)
        cancelled, events = domain.cancel(session, "asked", note, actor.person_id, _now(),
                                          _invitees(uow, session, organizer))
        uow.sessions.save(cancelled)
        uow.publish(events)
        uow.commit()
    return cancelled


def confirm_held(tenant_id: str, session_id: str, actor, uow: SchedulingUnitOfWork, organizer: Participant) -> Session:
    """Each participant confirms for themselves; an organizer confirms for both."""
    with uow:
        session = visible_session(uow.sessions, tenant_id, session_id, actor, for_update=True)
        actor.require(EITHER_OF_THE_PAIR, session.mentee_id, session.mentor_id)
        now = _now()
        confirmed, events = session, []
        for person_id in ([actor.person_id] if actor.person_id else list(session.attendees())):
            confirmed, held = domain.confirm_held(confirmed, person_id, now)
            events += held
        uow.sessions.save(confirmed)
        uow.publish(events)
        uow.commit()
    return confirmed


def report_no_show(tenant_id: str, session_id: str, note: str | None, actor, uow: SchedulingUnitOfWork,
                   organizer: Participant) -> Session:
    with uow:
        session = visible_session(uow.sessions, tenant_id, session_id, actor, for_update=True)
        actor.require(EITHER_OF_THE_PAIR, session.mentee_id, session.mentor_id)
        missed, events = domain.no_show(session, actor.person_id, note, _now(), _invitees(uow, session, organizer))
        uow.sessions.save(missed)
        uow.publish(events)
        uow.commit()
    return missed


def cancel_future_sessions(uow: SchedulingUnitOfWork, tenant_id: str, reason: str, note: str | None,
                           organizer: Participant, *, person_id: str | None = None,
                           mentorship_id: str | None = None) -> int:
    """Call off every session still ahead (a match ended, a person left, a pause) inside the caller's unit of work."""
    now = _now()
    ahead = uow.sessions.future_of(tenant_id, now=now, person_id=person_id, mentorship_id=mentorship_id)
    invitees = uow.people.invitees(ahead, organizer)
    events = []
    for session in ahead:
        cancelled, called_off = domain.cancel(session, reason, note, None, now, invitees[session.id])
        uow.sessions.save(cancelled)
        events += called_off
    uow.publish(events)
    return len(ahead)


def _invitees(uow: SchedulingUnitOfWork, pair, organizer: Participant) -> domain.Invitees:
    """Who the iTIP messages of a mentorship's or session's sessions name."""
    return uow.people.invitees([pair], organizer)[pair.id]
