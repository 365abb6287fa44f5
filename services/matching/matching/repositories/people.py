"""Matching's copy of people (`uow.people`): the shared people replica (`people`, names and status)
and beside it each person's mentoring profile (`person_profiles`), both kept from profiles' events."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching import orm
from mentoring_shared.db.replica import NewerSnapshotUpsert
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.people_replica import ERASED_STATUS, ReplicaErasure, is_stale_person_event


@dataclass(frozen=True)
class ProfileView:
    person_id: str
    version: int
    employee_id: str | None
    manager_employee_id: str | None
    department: str | None
    status: str
    profile: dict[str, Any]


# Built once: it caches its statement per dialect.
PROFILE_UPSERT = NewerSnapshotUpsert(orm.person_profiles, ["tenant_id", "person_id"])
_ERASURE = ReplicaErasure(orm.people)


class PeopleRepository:
    def __init__(self, session: Session):
        self._session = session

    def is_stale_event(self, tenant_id: str, data: dict) -> bool:
        """A person event older than the snapshot held (e.g. a republished deactivation of someone
        who has since come back)."""
        return is_stale_person_event(self._session, orm.people, tenant_id, data)

    def erase(self, event: Envelope) -> None:
        """A profiles.person.erased.v1: the replica's row and the profile keep nothing personal, at the
        erasure's version (so replayed older snapshots are ignored). The replica by the shared rule."""
        _ERASURE.apply(self._session, event)
        PROFILE_UPSERT.apply(self._session, {
            "tenant_id": event.tenant_id, "person_id": event.data["person_id"], "version": event.data["version"],
            "employee_id": None, "manager_employee_id": None, "department": None, "status": ERASED_STATUS,
            "profile": {}})

    def profiles(self, tenant_id: str, person_ids: Iterable[str]) -> dict[str, ProfileView]:
        wanted = sorted(set(person_ids))
        found: dict[str, ProfileView] = {}
        for start in range(0, len(wanted), 1000):  # bounded IN lists
            rows = self._session.execute(select(orm.person_profiles).where(
                orm.person_profiles.c.tenant_id == tenant_id,
                orm.person_profiles.c.person_id.in_(wanted[start:start + 1000]))).mappings()
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
        table = orm.person_profiles
        rows = self._session.execute(select(table.c.employee_id, table.c.manager_employee_id).where(
            table.c.tenant_id == tenant_id, table.c.employee_id.is_not(None)))
        return {employee_id: manager for employee_id, manager in rows}

    def person_row(self, tenant_id: str, person_id: str) -> dict | None:
        """The replica's row as stored (for the person's export)."""
        return _row(self._session, orm.people, tenant_id, person_id)

    def profile_row(self, tenant_id: str, person_id: str) -> dict | None:
        """The profile's row as stored (for the person's export)."""
        return _row(self._session, orm.person_profiles, tenant_id, person_id)


def _row(session: Session, table, tenant_id: str, person_id: str) -> dict | None:
    row = session.execute(select(table).where(table.c.tenant_id == tenant_id,
                                              table.c.person_id == person_id)).mappings().first()
    return None if row is None else dict(row)
