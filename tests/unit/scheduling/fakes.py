"""In-memory stand-ins for scheduling's repositories, with the same public methods as the real ones
(scheduling.repositories.*), for handler unit tests with no database. `fake_unit_of_work()` gives a
FakeUnitOfWork holding one of each, under the names SchedulingUnitOfWork gives the real ones."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime, timedelta

import numpy as np

from mentoring_shared.contracts.profiles import ERASED_PERSON_NAME
from mentoring_shared.event_order import is_stale
from mentoring_shared.people_replica import ERASED_STATUS, erased_email
from mentoring_testing.fake_unit_of_work import FakeUnitOfWork
from scheduling.availability import WorkingHours, intervals
from scheduling.calendars.entries import Participant
from scheduling.domain.mentorships import Mentorship
from scheduling.domain.sessions import SCHEDULED, Invitees, Session
from scheduling.repositories.calendars import CalendarSource
from scheduling.repositories.feeds import token_hash
from scheduling.repositories.sessions import FEED_STATUSES, MAX_FEED_SESSIONS
from scheduling.unit_of_work import REPOSITORIES


def _pages(items: list, key, limit: int, after: str | None) -> list:
    return [item for item in sorted(items, key=key) if not after or key(item) > after][:limit]


def _of(session_or_mentorship, person_id: str | None) -> bool:
    return person_id is None or person_id in (session_or_mentorship.mentee_id, session_or_mentorship.mentor_id)


class FakeMentorships:
    def __init__(self, *mentorships: Mentorship):
        self.rows: dict[tuple[str, str], Mentorship] = {(m.tenant_id, m.id): m for m in mentorships}

    def add(self, mentorship: Mentorship) -> bool:
        if (mentorship.tenant_id, mentorship.id) in self.rows:
            return False
        self.rows[(mentorship.tenant_id, mentorship.id)] = mentorship
        return True

    def save(self, mentorship: Mentorship) -> None:
        self.rows[(mentorship.tenant_id, mentorship.id)] = mentorship

    def get(self, tenant_id: str, mentorship_id: str, for_update: bool = False) -> Mentorship | None:
        return self.rows.get((tenant_id, mentorship_id))

    def page(self, tenant_id: str, *, limit: int, after: str | None = None, cohort_id: str | None = None,
             person_id: str | None = None, status: str | None = None) -> list[Mentorship]:
        found = [m for (tenant, _), m in self.rows.items() if tenant == tenant_id and _of(m, person_id)
                 and (not cohort_id or m.cohort_id == cohort_id) and (not status or m.status == status)]
        return _pages(found, lambda m: m.id, limit, after)

    def of_person(self, tenant_id: str, person_id: str) -> list[Mentorship]:
        return self.page(tenant_id, limit=10_000, person_id=person_id)


class FakeSessions:
    def __init__(self, *sessions: Session):
        self.rows: dict[str, Session] = {session.id: session for session in sessions}

    def add(self, sessions: list[Session]) -> None:
        self.rows.update({session.id: session for session in sessions})

    def save(self, session: Session) -> None:
        self.rows[session.id] = session

    def save_completed(self, session: Session) -> None:
        self.rows[session.id] = session

    def get(self, tenant_id: str, session_id: str, for_update: bool = False) -> Session | None:
        session = self.rows.get(session_id)
        return session if session is not None and session.tenant_id == tenant_id else None

    def _of_tenant(self, tenant_id: str) -> list[Session]:
        return [s for s in self.rows.values() if s.tenant_id == tenant_id]

    def page(self, tenant_id: str, *, limit: int, after: str | None = None, mentorship_id: str | None = None,
             person_id: str | None = None) -> list[Session]:
        found = [s for s in self._of_tenant(tenant_id)
                 if _of(s, person_id) and (not mentorship_id or s.mentorship_id == mentorship_id)]
        return _pages(found, lambda s: s.id, limit, after)

    def of_person(self, tenant_id: str, person_id: str) -> list[Session]:
        return sorted((s for s in self._of_tenant(tenant_id) if _of(s, person_id)), key=lambda s: (s.starts_at, s.id))

    def for_feed(self, tenant_id: str, person_id: str, since: datetime) -> list[Session]:
        return [s for s in self.of_person(tenant_id, person_id)
                if s.status in FEED_STATUSES and s.starts_at >= since][:MAX_FEED_SESSIONS]

    def mentorships_with_kickoff(self, tenant_id: str, cohort_id: str) -> set[str]:
        return {s.mentorship_id for s in self._of_tenant(tenant_id)
                if s.cohort_id == cohort_id and s.kind == "kickoff" and s.status != "cancelled"}

    def booked(self, tenant_id: str, person_ids: Iterable[str], start: datetime, end: datetime) -> list[Session]:
        people = set(person_ids)
        return sorted((s for s in self._of_tenant(tenant_id) if s.status == SCHEDULED and s.starts_at < end
                       and s.ends_at > start and people & set(s.attendees())), key=lambda s: (s.starts_at, s.id))

    def future_of(self, tenant_id: str, *, now: datetime, person_id: str | None = None,
                  mentorship_id: str | None = None) -> list[Session]:
        return sorted((s for s in self._of_tenant(tenant_id) if s.status == SCHEDULED and s.starts_at > now
                       and _of(s, person_id) and (not mentorship_id or s.mentorship_id == mentorship_id)),
                      key=lambda s: s.starts_at)

    def due_for_reminder(self, now: datetime, lead_minutes: int, limit: int) -> list[Session]:
        sent = self.reminders.sent_keys() if hasattr(self, "reminders") else set()
        return sorted((s for s in self.rows.values() if s.status == SCHEDULED
                       and now < s.starts_at <= now + timedelta(minutes=lead_minutes)
                       and (s.id, lead_minutes) not in sent), key=lambda s: s.starts_at)[:limit]

    def ended_by(self, moment: datetime, limit: int) -> list[Session]:
        return sorted((s for s in self.rows.values() if s.status == SCHEDULED and s.ends_at <= moment),
                      key=lambda s: s.ends_at)[:limit]


class FakeReminders:
    def __init__(self):
        self.rows: list[dict] = []

    def record_sent(self, reminders: list[dict]) -> None:
        self.rows += [dict(row) for row in reminders]

    def sent_to(self, tenant_id: str, person_id: str, session_ids: list[str]) -> list[dict]:
        return sorted((row for row in self.rows if row["tenant_id"] == tenant_id and row["person_id"] == person_id
                       and row["session_id"] in session_ids), key=lambda row: row["sent_at"])

    def sent_keys(self) -> set[tuple[str, int]]:
        return {(row["session_id"], row["lead_minutes"]) for row in self.rows}


class FakePeople:
    def __init__(self):
        self.rows: dict[tuple[str, str], dict] = {}
        self.schedules: dict[tuple[str, str], dict] = {}

    def add_person(self, tenant_id: str, person_id: str, *, name: str | None = None, time_zone: str = "UTC",
                   status: str = "active", version: int = 1, working_hours: dict | None = None) -> dict:
        """A person as profiles' events leave them: their copy and their scheduling profile."""
        name = name or person_id.title()
        self.rows[(tenant_id, person_id)] = {
            "tenant_id": tenant_id, "person_id": person_id, "employee_id": None, "name": name,
            "email": f"{person_id}@acme.example", "time_zone": time_zone, "status": status, "version": version}
        self.schedules[(tenant_id, person_id)] = {
            "tenant_id": tenant_id, "person_id": person_id, "version": version, "time_zone": time_zone,
            "working_hours": working_hours, "status": status}
        return self.rows[(tenant_id, person_id)]

    def person(self, tenant_id: str, person_id: str, for_update: bool = False) -> dict | None:
        row = self.rows.get((tenant_id, person_id))
        return None if row is None else dict(row)

    def people(self, tenant_id: str, person_ids: Iterable[str]) -> dict[str, dict]:
        return {p: dict(self.rows[(tenant_id, p)]) for p in set(person_ids) if (tenant_id, p) in self.rows}

    def time_zone_of(self, tenant_id: str, person_id: str) -> str | None:
        schedule = self.schedules.get((tenant_id, person_id))
        if schedule and schedule["time_zone"]:
            return schedule["time_zone"]
        person = self.person(tenant_id, person_id)
        return None if person is None else person["time_zone"]

    def schedule(self, tenant_id: str, person_id: str) -> dict | None:
        row = self.schedules.get((tenant_id, person_id))
        return None if row is None else dict(row)

    def working_hours_of(self, tenant_id: str, person_ids: Iterable[str]) -> dict[str, WorkingHours | None]:
        hours: dict[str, WorkingHours | None] = {}
        for person_id in sorted(set(person_ids)):
            row = self.schedules.get((tenant_id, person_id))
            week = (row or {}).get("working_hours") or {}
            hours[person_id] = None if row is None or row["status"] != "active" else WorkingHours(
                week.get("start", "09:00"), week.get("end", "17:00"), tuple(week.get("days", (1, 2, 3, 4, 5))),
                row["time_zone"])
        return hours

    def participants(self, tenant_id: str, person_ids: Iterable[str]) -> dict[str, Participant]:
        wanted = set(person_ids)
        known = self.people(tenant_id, wanted)
        return {p: Participant(known[p]["name"], known[p]["email"]) if p in known
                else Participant("Participant", f"{p}@unknown.invalid") for p in wanted}

    def invitees(self, pairs: Iterable[Mentorship | Session], organizer: Participant) -> dict[str, Invitees]:
        found = {}
        for pair in pairs:
            names = self.participants(pair.tenant_id, (pair.mentee_id, pair.mentor_id))
            found[pair.id] = Invitees(names[pair.mentee_id], names[pair.mentor_id], organizer)
        return found

    def erase(self, event) -> None:
        key, version = (event.tenant_id, event.data["person_id"]), event.data["version"]
        if key not in self.rows or self.rows[key]["version"] < version:
            self.rows[key] = {**self.rows.get(key, {"tenant_id": key[0], "person_id": key[1]}), "employee_id": None,
                              "name": ERASED_PERSON_NAME, "email": erased_email(key[1]), "time_zone": "UTC",
                              "status": ERASED_STATUS, "version": version}
        if key not in self.schedules or self.schedules[key]["version"] < version:
            self.schedules[key] = {"tenant_id": key[0], "person_id": key[1], "version": version, "time_zone": "UTC",
                                   "working_hours": None, "status": ERASED_STATUS}

    def is_stale_event(self, tenant_id: str, data: dict) -> bool:
        held = self.rows.get((tenant_id, data["person_id"]))
        return is_stale(data.get("version"), None if held is None else held["version"])


class FakePrograms:
    def __init__(self):
        self.rows: dict[tuple[str, str], dict] = {}

    def program(self, tenant_id: str, program_id: str) -> dict | None:
        row = self.rows.get((tenant_id, program_id))
        return None if row is None else dict(row)

    def apply_snapshot(self, program: dict) -> bool:
        key = (program["tenant_id"], program["program_id"])
        if key in self.rows and self.rows[key]["version"] >= program["version"]:
            return False
        self.rows[key] = dict(program)
        return True


class FakeCalendars:
    def __init__(self, *sources: CalendarSource):
        self.rows: dict[str, CalendarSource] = {source.id: source for source in sources}

    def add(self, source: CalendarSource) -> None:
        self.rows[source.id] = source

    def save(self, source: CalendarSource) -> None:
        self.rows[source.id] = source

    def record_error(self, tenant_id: str, source_id: str, message: str | None) -> None:
        if source_id in self.rows and self.rows[source_id].tenant_id == tenant_id:
            self.rows[source_id] = dataclasses.replace(self.rows[source_id], last_error=message)

    def write_back_sources(self, tenant_id: str, person_ids: Iterable[str]) -> list[CalendarSource]:
        people = set(person_ids)
        return sorted((s for s in self.rows.values() if s.tenant_id == tenant_id and s.person_id in people
                       and s.kind == "caldav" and s.write_back_path is not None), key=lambda s: s.id)

    def source(self, tenant_id: str, source_id: str, for_update: bool = False) -> CalendarSource | None:
        source = self.rows.get(source_id)
        return source if source is not None and source.tenant_id == tenant_id else None

    def sources_of(self, tenant_id: str, person_id: str, *, limit: int,
                   after: str | None = None) -> list[CalendarSource]:
        found = [s for s in self.rows.values() if s.tenant_id == tenant_id and s.person_id == person_id]
        return _pages(found, lambda s: s.id, limit, after)

    def _drop(self, keep) -> int:
        before = len(self.rows)
        self.rows = {source_id: s for source_id, s in self.rows.items() if keep(s)}
        return before - len(self.rows)

    def remove(self, tenant_id: str, source_id: str) -> bool:
        return self._drop(lambda s: not (s.tenant_id == tenant_id and s.id == source_id)) > 0

    def remove_of_kind(self, tenant_id: str, person_id: str, kind: str) -> int:
        return self._drop(lambda s: not (s.tenant_id == tenant_id and s.person_id == person_id and s.kind == kind))

    def remove_all_of(self, tenant_id: str, person_id: str) -> int:
        return self._drop(lambda s: not (s.tenant_id == tenant_id and s.person_id == person_id))

    def busy_of(self, tenant_id: str, person_ids: Iterable[str], horizon_start_minute: int,
                horizon_end_minute: int) -> dict[str, np.ndarray]:
        found: dict[str, list[np.ndarray]] = {p: [] for p in sorted(set(person_ids))}
        for s in self.rows.values():
            if s.tenant_id == tenant_id and s.person_id in found and s.horizon_end > horizon_start_minute \
                    and s.horizon_start < horizon_end_minute:
                found[s.person_id].append(intervals.from_pairs(s.busy))
        return {p: intervals.clip(intervals.union(*sets), horizon_start_minute, horizon_end_minute)
                for p, sets in found.items()}


class FakeFeedTokens:
    def __init__(self):
        self.rows: dict[str, dict] = {}  # by token id

    def add(self, token: str, token_id: str, tenant_id: str, person_id: str, created_at: datetime) -> dict:
        row = {"token_hash": token_hash(token), "token_id": token_id, "tenant_id": tenant_id,
               "person_id": person_id, "created_at": created_at, "revoked_at": None}
        self.rows[token_id] = row
        return dict(row)

    def live(self, token: str) -> dict | None:
        return next((dict(row) for row in self.rows.values()
                     if row["token_hash"] == token_hash(token) and row["revoked_at"] is None), None)

    def token(self, tenant_id: str, token_id: str) -> dict | None:
        row = self.rows.get(token_id)
        return dict(row) if row is not None and row["tenant_id"] == tenant_id else None

    def tokens_of(self, tenant_id: str, person_id: str, *, limit: int, after: str | None = None) -> list[dict]:
        found = [dict(r) for r in self.rows.values() if r["tenant_id"] == tenant_id and r["person_id"] == person_id]
        return _pages(found, lambda r: r["token_id"], limit, after)

    def revoke(self, tenant_id: str, token_id: str, at: datetime) -> None:
        row = self.rows.get(token_id)
        if row is not None and row["tenant_id"] == tenant_id and row["revoked_at"] is None:
            row["revoked_at"] = at

    def remove_all_of(self, tenant_id: str, person_id: str) -> int:
        gone = [k for k, r in self.rows.items() if r["tenant_id"] == tenant_id and r["person_id"] == person_id]
        for key in gone:
            del self.rows[key]
        return len(gone)


FAKES = {"mentorships": FakeMentorships, "sessions": FakeSessions, "reminders": FakeReminders,
         "people": FakePeople, "programs": FakePrograms, "calendars": FakeCalendars, "feed_tokens": FakeFeedTokens}
assert FAKES.keys() == REPOSITORIES.keys(), "a fake for each of SchedulingUnitOfWork's repositories"


def fake_unit_of_work(**given) -> FakeUnitOfWork:
    """A FakeUnitOfWork with every scheduling repository (the given ones, else empty fakes)."""
    repositories = {name: given.get(name) or fake() for name, fake in FAKES.items()}
    repositories["sessions"].reminders = repositories["reminders"]  # what "not reminded yet" reads
    return FakeUnitOfWork(source="/scheduling", **repositories)
