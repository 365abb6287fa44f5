"""People's availability as the engine needs it, assembled from scheduling's database: working
hours from profiles' snapshots, busy time from their calendars and from sessions already booked
(which is how nobody is ever double-booked)."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from scheduling import orm
from scheduling.availability import PersonAvailability, WorkingHours, cohort_availability, intervals
from scheduling.availability.epoch_minutes import minutes_ceil, minutes_floor
from scheduling.repositories.calendars import busy_of
from scheduling.repositories.plans import Plans


def working_hours_of(db: DbSession, tenant_id: str, person_ids: Iterable[str]) -> dict[str, WorkingHours | None]:
    """Active people's working hours in their zone; anyone else (left, erased, unknown) has none."""
    wanted = sorted(set(person_ids))
    table = orm.person_schedules
    hours: dict[str, WorkingHours | None] = {person_id: None for person_id in wanted}
    for first in range(0, len(wanted), 1000):
        rows = db.execute(select(table).where(table.c.tenant_id == tenant_id,
                                              table.c.person_id.in_(wanted[first:first + 1000]))).mappings()
        for row in rows:
            if row["status"] == "active":
                week = row["working_hours"] or {}
                hours[row["person_id"]] = WorkingHours(week.get("start", "09:00"), week.get("end", "17:00"),
                                                       tuple(week.get("days", (1, 2, 3, 4, 5))), row["time_zone"])
    return hours


def people_availability(db: DbSession, tenant_id: str, person_ids: Iterable[str], start: datetime, end: datetime,
                        *, excluding_session: str | None = None) -> dict[str, PersonAvailability]:
    people = sorted(set(person_ids))
    hours = working_hours_of(db, tenant_id, people)
    calendars = busy_of(db, tenant_id, people, minutes_floor(start), minutes_ceil(end))
    booked: dict[str, list[tuple[int, int]]] = {person: [] for person in people}
    for session in Plans(db).booked(tenant_id, people, start, end):
        if session.id == excluding_session:
            continue
        for person in session.attendees():
            if person in booked:
                booked[person].append((minutes_floor(session.starts_at), minutes_ceil(session.ends_at)))
    busy = {person: intervals.union(calendars.get(person, intervals.empty()), intervals.from_pairs(booked[person]))
            for person in people}
    return cohort_availability(hours, busy, start, end)
