"""People's availability as the engine needs it, assembled from scheduling's repositories: working
hours from profiles' snapshots, busy time from their calendars and from sessions already booked
(which is how nobody is ever double-booked)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from scheduling.availability import PersonAvailability, cohort_availability, intervals
from scheduling.availability.epoch_minutes import minutes_ceil, minutes_floor
from scheduling.repositories.calendars import CalendarsRepository
from scheduling.repositories.people import PeopleRepository
from scheduling.repositories.sessions import SessionsRepository


class AvailabilitySources(Protocol):
    """What availability is read from: a unit of work, or the repositories of a read."""
    people: PeopleRepository
    calendars: CalendarsRepository
    sessions: SessionsRepository


def people_availability(sources: AvailabilitySources, tenant_id: str, person_ids: Iterable[str], start: datetime,
                        end: datetime, *, excluding_session: str | None = None) -> dict[str, PersonAvailability]:
    people = sorted(set(person_ids))
    hours = sources.people.working_hours_of(tenant_id, people)
    calendars = sources.calendars.busy_of(tenant_id, people, minutes_floor(start), minutes_ceil(end))
    booked: dict[str, list[tuple[int, int]]] = {person: [] for person in people}
    for session in sources.sessions.booked(tenant_id, people, start, end):
        if session.id == excluding_session:
            continue
        for person in session.attendees():
            if person in booked:
                booked[person].append((minutes_floor(session.starts_at), minutes_ceil(session.ends_at)))
    busy = {person: intervals.union(calendars.get(person, intervals.empty()), intervals.from_pairs(booked[person]))
            for person in people}
    return cohort_availability(hours, busy, start, end)
