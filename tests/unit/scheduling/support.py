"""Helpers for the availability tests (readable times and small calendars) and for the handler
tests (a pair, their plan and sessions, in fake repositories)."""

from __future__ import annotations

import dataclasses
import textwrap
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from mentoring_shared.actors import Actor
from scheduling.availability import intervals
from scheduling.availability.epoch_minutes import minutes_floor, utc_datetime
from scheduling.calendars.entries import Participant
from scheduling.domain import mentorships, sessions
from scheduling.domain.mentorships import Mentorship
from scheduling.domain.sessions import Session
from tests.unit.scheduling.fakes import FakeMentorships, FakeSessions, fake_unit_of_work

UTC = UTC


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(zone: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


def minute(moment: datetime) -> int:
    return minutes_floor(moment)


def span(start: datetime, end: datetime) -> np.ndarray:
    """A one-interval set."""
    return intervals.from_pairs([(minute(start), minute(end))])


def as_utc_pairs(interval_set: np.ndarray) -> list[tuple[datetime, datetime]]:
    return [(utc_datetime(start), utc_datetime(end)) for start, end in interval_set.tolist()]


def as_local_pairs(interval_set: np.ndarray, zone: str) -> list[tuple[str, str]]:
    """Intervals as local "YYYY-MM-DD HH:MM" strings, to read DST behaviour as people see it."""
    tz = ZoneInfo(zone)
    return [(utc_datetime(start).astimezone(tz).strftime("%Y-%m-%d %H:%M"),
             utc_datetime(end).astimezone(tz).strftime("%Y-%m-%d %H:%M")) for start, end in interval_set.tolist()]


def calendar(*events: str, header: str = "") -> bytes:
    """An iCalendar file holding the given VEVENT bodies (property lines, one per line)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//availability//EN"]
    lines += [line.strip() for line in header.splitlines() if line.strip()]
    for body in events:
        lines += ["BEGIN:VEVENT", "DTSTAMP:20260101T000000Z"]
        # dedented rather than stripped: a line that starts with a space continues a folded one
        lines += [line.rstrip() for line in textwrap.dedent(body).splitlines() if line.strip()]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


# --- handler tests: a tenant with a pair, their plan and sessions, in fake repositories -----------

TENANT = "acme"
ORGANIZER = Participant("Mentoring Platform", "sessions@mentoring.example")
AS_ORGANIZER = Actor(None)


def next_weekday(hour: int, days_ahead: int = 7) -> datetime:
    """A Monday to Friday at `hour` UTC, at least `days_ahead` days from now: inside default working hours."""
    day = (datetime.now(UTC) + timedelta(days=days_ahead)).replace(hour=hour, minute=0, second=0, microsecond=0)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def a_plan(mentorship_id: str = "m-1", mentee: str = "ada", mentor: str = "linus", cohort: str = "c-1",
           **changes) -> Mentorship:
    plan = mentorships.plan(mentorship_id=mentorship_id, tenant_id=TENANT, cohort_id=cohort, program_id="p-1",
                            mentee_id=mentee, mentor_id=mentor, cadence="weekly", meeting_minutes=45, term_months=6,
                            starts_on=date.today())
    return dataclasses.replace(plan, **changes) if changes else plan


def a_session(plan: Mentorship, starts_at: datetime, session_id: str = "s-1", kind: str = "regular") -> Session:
    session, _ = sessions.book(plan, session_id=session_id, kind=kind, series_id=None, starts_at=starts_at,
                               now=starts_at - timedelta(days=1),
                               invitees=sessions.Invitees(Participant("A", "a@x"), Participant("B", "b@x"), ORGANIZER))
    return session


def pair_uow(*sessions_held: Session, plan: Mentorship | None = None):
    """A fake unit of work knowing Ada (mentee) and Linus (mentor), their plan and these sessions."""
    uow = fake_unit_of_work(mentorships=FakeMentorships(plan or a_plan()), sessions=FakeSessions(*sessions_held))
    uow.people.add_person(TENANT, "ada")
    uow.people.add_person(TENANT, "linus")
    return uow
