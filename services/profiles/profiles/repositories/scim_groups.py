"""SCIM Groups (tables scim_groups, scim_group_members): a display name, an optional externalId, and
members who are the tenant's people."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mentoring_shared.db.records import row_by_key
from mentoring_shared.errors import Conflict
from profiles.orm import people, scim_group_members, scim_groups

IN_LIST = 1000  # bounded IN lists


class ScimGroupsRepository:
    """A tenant's SCIM groups and their members. A group is a row dict (the table's columns)."""

    def __init__(self, session: Session):
        self._session = session

    def get(self, tenant_id: str, group_id: str, for_update: bool = False) -> dict | None:
        row = row_by_key(self._session, scim_groups, for_update, tenant_id=tenant_id, id=group_id)
        return dict(row) if row else None

    def members_of(self, tenant_id: str, group_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
        """group id -> [(person id, name)], for rendering."""
        out: dict[str, list[tuple[str, str]]] = {group_id: [] for group_id in group_ids}
        if not group_ids:
            return out
        rows = self._session.execute(
            select(scim_group_members.c.group_id, people.c.id, people.c.name)
            .join(people, (people.c.tenant_id == scim_group_members.c.tenant_id)
                  & (people.c.id == scim_group_members.c.person_id))
            .where(scim_group_members.c.tenant_id == tenant_id, scim_group_members.c.group_id.in_(group_ids))
            .order_by(scim_group_members.c.group_id, people.c.id))
        for row in rows:
            out[row.group_id].append((row.id, row.name))
        return out

    def name_taken(self, tenant_id: str, name: str, other_than: str | None = None) -> bool:
        query = select(func.count()).select_from(scim_groups).where(
            scim_groups.c.tenant_id == tenant_id, scim_groups.c.display_name == name)
        if other_than:
            query = query.where(scim_groups.c.id != other_than)
        return bool(self._session.execute(query).scalar_one())

    def add(self, tenant_id: str, group_id: str, name: str, external_id: str | None, now: datetime) -> None:
        """Insert a new group at version 1; Conflict if its name was taken meanwhile (the unique index)."""
        try:
            self._session.execute(insert(scim_groups).values(
                tenant_id=tenant_id, id=group_id, display_name=name, external_id=external_id, version=1,
                created_at=now, updated_at=now))
        except IntegrityError:
            raise Conflict(f"a group named {name!r} exists") from None

    def save(self, tenant_id: str, group_id: str, name: str, external_id: str | None, version: int,
             now: datetime) -> None:
        self._session.execute(update(scim_groups).where(
            scim_groups.c.tenant_id == tenant_id, scim_groups.c.id == group_id).values(
            display_name=name, external_id=external_id, version=version, updated_at=now))

    def add_members(self, tenant_id: str, group_id: str, person_ids: set[str]) -> None:
        rows = [{"tenant_id": tenant_id, "group_id": group_id, "person_id": person_id}
                for person_id in sorted(person_ids)]
        if rows:
            self._session.execute(insert(scim_group_members), rows)

    def remove_members(self, tenant_id: str, group_id: str, person_ids: set[str]) -> None:
        gone = sorted(person_ids)
        for chunk in range(0, len(gone), IN_LIST):
            self._session.execute(delete(scim_group_members).where(
                scim_group_members.c.tenant_id == tenant_id, scim_group_members.c.group_id == group_id,
                scim_group_members.c.person_id.in_(gone[chunk:chunk + IN_LIST])))

    def remove(self, tenant_id: str, group_id: str) -> None:
        """Delete the group and its memberships."""
        self._session.execute(delete(scim_group_members).where(
            scim_group_members.c.tenant_id == tenant_id, scim_group_members.c.group_id == group_id))
        self._session.execute(delete(scim_groups).where(
            scim_groups.c.tenant_id == tenant_id, scim_groups.c.id == group_id))

    # The Groups a SCIM search finds: `condition` is a filter compiled by scim.filters.to_sql.
    def count(self, tenant_id: str, condition) -> int:
        return self._session.execute(select(func.count()).select_from(scim_groups).where(
            scim_groups.c.tenant_id == tenant_id, condition)).scalar_one()

    def page(self, tenant_id: str, condition, offset: int, limit: int) -> list[dict]:
        rows = self._session.execute(select(scim_groups).where(scim_groups.c.tenant_id == tenant_id, condition)
                                     .order_by(scim_groups.c.id).offset(offset).limit(limit)).mappings().all()
        return [dict(row) for row in rows]
