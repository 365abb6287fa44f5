"""Reading scheduling's copy of the people (from profiles' events): who a token names, and the
name, email and time zone calendars need."""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling import orm
from scheduling.calendars.entries import Participant
from scheduling.domain.mentorships import Mentorship
from scheduling.domain.sessions import Invitees, Session


class People:
    def __init__(self, session: Session):
        self._session = session

    def person(self, tenant_id: str, person_id: str, for_update: bool = False) -> dict | None:
        query = select(orm.people).where(orm.people.c.tenant_id == tenant_id, orm.people.c.person_id == person_id)
        row = self._session.execute(query.with_for_update() if for_update else query).mappings().first()
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
        """The zone their calendars are read in: their scheduling profile's, else the directory's."""
        table = orm.person_schedules
        zone = self._session.execute(select(table.c.time_zone).where(
            table.c.tenant_id == tenant_id, table.c.person_id == person_id)).scalar_one_or_none()
        if zone:
            return zone
        person = self.person(tenant_id, person_id)
        return None if person is None else person["time_zone"]

    def participants(self, tenant_id: str, person_ids: Iterable[str]) -> dict[str, Participant]:
        """Each person's name and email as calendars show them; a stand-in for someone not (or no
        longer) known, so a session's calendar messages never fail for want of a name."""
        wanted = set(person_ids)
        known = self.people(tenant_id, wanted)
        return {person_id: Participant(known[person_id]["name"], known[person_id]["email"]) if person_id in known
                else Participant("Participant", f"{person_id}@unknown.invalid") for person_id in wanted}

    def invitees(self, pairs: Iterable[Mentorship | Session], organizer: Participant) -> dict[str, Invitees]:
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
