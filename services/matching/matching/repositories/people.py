"""Matching's copy of people (`uow.people`): the shared people replica (`people`, names and status)
with, in the same row, each person's mentoring profile, kept from profiles' events."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching import orm
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.people_replica import ReplicaErasure, is_stale_person_event


@dataclass(frozen=True)
class ProfileView:
    person_id: str
    version: int
    employee_id: str | None
    manager_employee_id: str | None
    department: str | None
    status: str
    profile: dict[str, Any]


_ERASURE = ReplicaErasure(orm.people, {"manager_employee_id": None, "department": None, "profile": {}})
_PROFILE = select(*(orm.people.c[name] for name in ("person_id", "version", "employee_id", "manager_employee_id",
                                                     "department", "status", "profile")))
# The shared replica's columns: a person's export shows their profile on its own.
_REPLICA = select(*(column for column in orm.people.c if column.name not in orm.PROFILE_COLUMNS))


class PeopleRepository:
    def __init__(self, session: Session):
        self._session = session

    def is_stale_event(self, tenant_id: str, data: dict) -> bool:
        """A person event older than the snapshot held (e.g. a republished deactivation of someone
        who has since come back)."""
        return is_stale_person_event(self._session, orm.people, tenant_id, data)

    def erase(self, event: Envelope) -> None:
        """A profiles.person.erased.v1: the replica's row, profile included, keeps nothing personal, at
        the erasure's version (so replayed older snapshots are ignored)."""
        _ERASURE.apply(self._session, event)

    def profiles(self, tenant_id: str, person_ids: Iterable[str]) -> dict[str, ProfileView]:
        wanted = sorted(set(person_ids))
        found: dict[str, ProfileView] = {}
        for start in range(0, len(wanted), 1000):  # bounded IN lists
            rows = self._session.execute(_PROFILE.where(
                orm.people.c.tenant_id == tenant_id, orm.people.c.person_id.in_(wanted[start:start + 1000]))).mappings()
            for row in rows:
                found[row["person_id"]] = ProfileView(row["person_id"], row["version"], row["employee_id"],
                                                      row["manager_employee_id"], row["department"], row["status"],
                                                      row["profile"])
        return found

    def profile(self, tenant_id: str, person_id: str) -> ProfileView | None:
        return self.profiles(tenant_id, [person_id]).get(person_id)

    def reporting_lines(self, tenant_id: str) -> dict[str, str | None]:
        """Every employee id in the tenant and their manager's: chains pass through people who are
        not enrolled."""
        table = orm.people
        rows = self._session.execute(select(table.c.employee_id, table.c.manager_employee_id).where(
            table.c.tenant_id == tenant_id, table.c.employee_id.is_not(None)))
        return {employee_id: manager for employee_id, manager in rows}

    def person_row(self, tenant_id: str, person_id: str) -> dict | None:
        """The replica's shared columns as stored (for the person's export)."""
        return self._first(_REPLICA, tenant_id, person_id)

    def profile_row(self, tenant_id: str, person_id: str) -> dict | None:
        """The profile as stored (for the person's export)."""
        return self._first(_PROFILE, tenant_id, person_id)

    def _first(self, query, tenant_id: str, person_id: str) -> dict | None:
        row = self._session.execute(query.where(orm.people.c.tenant_id == tenant_id,
                                                orm.people.c.person_id == person_id)).mappings().first()
        return None if row is None else dict(row)
