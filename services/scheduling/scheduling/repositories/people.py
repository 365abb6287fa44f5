"""Scheduling's copy of the people (from profiles' events) and of when they can meet: who a token
names, the name, email and time zone calendars need, and, in the same row, their working hours.

The replica's snapshot writes are profiles' shared handlers (`mentoring_shared.people_replica`);
`erase` and `is_stale_event` run them on this repository's session."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentoring_shared.db.records import row_by_key
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.people_replica import ReplicaErasure, is_stale_person_event
from scheduling import orm
from scheduling.availability import WorkingHours
from scheduling.calendars.entries import Participant
from scheduling.domain.mentorships import Mentorship
from scheduling.domain.sessions import Invitees
from scheduling.domain.sessions import Session as MeetingSession

_ERASURE = ReplicaErasure(orm.people, {"working_hours": None})
_SCHEDULE = select(*(orm.people.c[name] for name in ("tenant_id", "person_id", "version", "time_zone",
                                                      "working_hours", "status")))


class PeopleRepository:
    def __init__(self, session: Session):
        self._session = session

    def person(self, tenant_id: str, person_id: str, for_update: bool = False) -> dict | None:
        row = row_by_key(self._session, orm.people, for_update, tenant_id=tenant_id, person_id=person_id)
        return None if row is None else dict(row)

    def people(self, tenant_id: str, person_ids: Iterable[str]) -> dict[str, dict]:
        wanted = sorted(set(person_ids))
        found: dict[str, dict] = {}
        for first in range(0, len(wanted), 1000):  # bounded IN lists
            rows = self._session.execute(select(orm.people).where(
                orm.people.c.tenant_id == tenant_id, orm.people.c.person_id.in_(wanted[first:first + 1000])))
            found.update({row["person_id"]: dict(row) for row in rows.mappings()})
        return found

    def time_zone_of(self, tenant_id: str, person_id: str) -> str | None:
        """The zone their calendars are read in."""
        return self._session.execute(select(orm.people.c.time_zone).where(
            orm.people.c.tenant_id == tenant_id, orm.people.c.person_id == person_id)).scalar_one_or_none()

    def schedule(self, tenant_id: str, person_id: str) -> dict | None:
        """Their scheduling profile as stored (time zone, working hours, status, version)."""
        row = self._session.execute(_SCHEDULE.where(
            orm.people.c.tenant_id == tenant_id, orm.people.c.person_id == person_id)).mappings().first()
        return None if row is None else dict(row)

    def working_hours_of(self, tenant_id: str, person_ids: Iterable[str]) -> dict[str, WorkingHours | None]:
        """Active people's working hours in their zone; anyone else (left, erased, unknown) has none."""
        wanted = sorted(set(person_ids))
        hours: dict[str, WorkingHours | None] = {person_id: None for person_id in wanted}
        for first in range(0, len(wanted), 1000):
            rows = self._session.execute(_SCHEDULE.where(
                orm.people.c.tenant_id == tenant_id, orm.people.c.person_id.in_(wanted[first:first + 1000]))).mappings()
            for row in rows:
                if row["status"] == "active":
                    week = row["working_hours"] or {}
                    hours[row["person_id"]] = WorkingHours(week.get("start", "09:00"), week.get("end", "17:00"),
                                                           tuple(week.get("days", (1, 2, 3, 4, 5))), row["time_zone"])
        return hours

    def participants(self, tenant_id: str, person_ids: Iterable[str]) -> dict[str, Participant]:
        """Each person's name and email as calendars show them; a stand-in for someone not (or no
        longer) known, so a session's calendar messages never fail for want of a name."""
        wanted = set(person_ids)
        known = self.people(tenant_id, wanted)
        return {person_id: Participant(known[person_id]["name"], known[person_id]["email"]) if person_id in known
                else Participant("Participant", f"{person_id}@unknown.invalid") for person_id in wanted}

    def invitees(self, pairs: Iterable[Mentorship | MeetingSession], organizer: Participant) -> dict[str, Invitees]:
        """By mentorship or session id: who its iTIP messages name (one read of the people per tenant)."""
        pairs = list(pairs)
        found: dict[str, Invitees] = {}
        for tenant_id in {pair.tenant_id for pair in pairs}:
            of_tenant = [pair for pair in pairs if pair.tenant_id == tenant_id]
            names = self.participants(tenant_id, {person for pair in of_tenant
                                                  for person in (pair.mentee_id, pair.mentor_id)})
            found.update({pair.id: Invitees(names[pair.mentee_id], names[pair.mentor_id], organizer)
                          for pair in of_tenant})
        return found

    # --- the replica's writes, from profiles' events ---
    def erase(self, event: Envelope) -> None:
        """A person erased (profiles.person.erased.v1): their copy keeps nothing personal, working
        hours included, at the erasure's version."""
        _ERASURE.apply(self._session, event)

    def is_stale_event(self, tenant_id: str, data: dict) -> bool:
        """A person event older than the copy held (e.g. a deactivation of someone since back)."""
        return is_stale_person_event(self._session, orm.people, tenant_id, data)
