"""Scheduling's domain returns the events its state changes publish, with no database or broker: a
booking and a move carry the iTIP REQUEST, a cancellation or no-show the CANCEL (its SEQUENCE above
the last REQUEST's), a held session its completion, a break its pause and resume. Each payload is
what its contract accepts."""

from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest

from mentoring_shared.contracts import scheduling as contracts
from mentoring_shared.contracts.catalog import platform_events
from mentoring_shared.errors import Conflict
from scheduling.calendars.entries import Participant
from scheduling.domain import mentorships, sessions

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
STARTS = NOW + timedelta(days=7)
INVITEES = sessions.Invitees(Participant("Ada", "ada@acme.example"), Participant("Linus", "linus@acme.example"),
                             Participant("Mentoring Platform", "sessions@mentoring.example"))
REGISTRY = platform_events()


def plan() -> mentorships.Mentorship:
    return mentorships.plan(mentorship_id="m-1", tenant_id="acme", cohort_id="c-1", program_id="p-1",
                            mentee_id="ada", mentor_id="linus", cadence="monthly", meeting_minutes=45,
                            term_months=6, starts_on=date(2027, 3, 1))


def booked() -> sessions.Session:
    session, _ = sessions.book(plan(), session_id="s-1", kind="kickoff", series_id=None, starts_at=STARTS, now=NOW,
                               invitees=INVITEES)
    return session


def only(events, event_type: str) -> dict:
    """The one event's payload, checked against its contract as the outbox checks it."""
    [event] = events
    assert event.type == event_type and event.tenant_id == "acme"
    REGISTRY.contract(event_type).dump_payload(event.data)
    return event.data


def test_a_booking_returns_the_scheduled_event_with_an_invitation_to_both():
    session, events = sessions.book(plan(), session_id="s-1", kind="kickoff", series_id=None, starts_at=STARTS,
                                    now=NOW, invitees=INVITEES)
    data = only(events, contracts.SESSION_SCHEDULED_V1)
    assert events[0].subject == session.id == data["session_id"]
    assert session.ends_at - session.starts_at == timedelta(minutes=45)
    assert "METHOD:REQUEST" in data["invitation"] and "ada@acme.example" in data["invitation"] \
        and "linus@acme.example" in data["invitation"]


def test_a_move_returns_the_rescheduled_event_with_the_previous_time():
    moved, events = sessions.reschedule(booked(), STARTS + timedelta(days=1), NOW, INVITEES)
    data = only(events, contracts.SESSION_RESCHEDULED_V1)
    assert data["previous_starts_at"] == STARTS.isoformat() and data["starts_at"] == moved.starts_at.isoformat()
    assert "SEQUENCE:1" in data["invitation"].replace("\r\n ", "")


def test_a_cancellation_and_a_no_show_return_the_cancelled_event_with_a_cancel():
    cancelled, events = sessions.cancel(booked(), "asked", "ill", "ada", NOW, INVITEES)
    data = only(events, contracts.SESSION_CANCELLED_V1)
    assert (data["reason"], data["cancelled_by"], cancelled.status) == ("asked", "ada", sessions.CANCELLED)
    assert "METHOD:CANCEL" in data["cancellation"]

    missed, events = sessions.no_show(booked(), "ada", None, STARTS + timedelta(minutes=10), INVITEES)
    assert only(events, contracts.SESSION_CANCELLED_V1)["reason"] == "no_show" and missed.status == sessions.NO_SHOW


def test_a_session_is_completed_once_both_confirm_and_only_then_says_so():
    after = STARTS + timedelta(hours=1)
    once, events = sessions.confirm_held(booked(), "ada", after)
    assert events == [] and once.status == sessions.SCHEDULED
    held, events = sessions.confirm_held(once, "linus", after)
    assert only(events, contracts.SESSION_COMPLETED_V1)["completion"] == "confirmed"

    automatic, events = sessions.complete_automatically(booked(), after)
    assert only(events, contracts.SESSION_COMPLETED_V1)["minutes"] == 45 and automatic.completion == "automatic"


def test_reminders_go_to_each_of_the_pair():
    ids = (f"r-{n}" for n in count())
    events = sessions.reminders(booked(), 60, ids)
    assert [event.data["person_id"] for event in events] == ["ada", "linus"]
    assert {event.data["reminder_id"] for event in events} == {"r-0", "r-1"}
    for event in events:
        REGISTRY.contract(contracts.REMINDER_DUE_V1).dump_payload(event.data)


def test_a_break_returns_its_paused_and_resumed_events_with_who_asked():
    paused, events = mentorships.pause(plan(), "busy month", date(2027, 4, 1), by="ada")
    data = only(events, contracts.MENTORSHIP_PAUSED_V1)
    assert (data["paused_by"], data["resume_on"], data["version"]) == ("ada", "2027-04-01", paused.version)
    resumed, events = mentorships.resume(paused, by=None)
    assert only(events, contracts.MENTORSHIP_RESUMED_V1)["resumed_by"] is None and resumed.status == "active"


def test_a_refused_change_returns_no_events_because_it_raises():
    cancelled, _ = sessions.cancel(booked(), "asked", None, None, NOW, INVITEES)
    with pytest.raises(Conflict):
        sessions.reschedule(cancelled, STARTS + timedelta(days=1), NOW, INVITEES)
