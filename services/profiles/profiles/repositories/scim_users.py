"""What SCIM keeps about a User beside the person (table scim_users), and the SCIM Users searches."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from mentoring_shared.errors import PreconditionFailed
from profiles.domain.scim_users import UserRecord, user_name_key
from profiles.orm import people, scim_users


class ScimUsersRepository:
    """A tenant's SCIM user records (userName, externalId, what the identity provider sent)."""

    def __init__(self, session: Session):
        self._session = session

    def load(self, tenant_id: str, person_ids: list[str]) -> dict[str, UserRecord]:
        if not person_ids:
            return {}
        rows = self._session.execute(select(scim_users).where(scim_users.c.tenant_id == tenant_id,
                                                              scim_users.c.person_id.in_(person_ids))).mappings()
        return {row["person_id"]: _record(row) for row in rows}

    def holder_of_user_name(self, tenant_id: str, user_name: str) -> tuple[str, bool] | None:
        """(person id, deleted) of the User holding this userName, if any: a record's, or the email of
        a person without a record (who reads as userName = email)."""
        key = user_name_key(user_name)
        row = self._session.execute(select(scim_users.c.person_id, scim_users.c.deleted_at).where(
            scim_users.c.tenant_id == tenant_id, scim_users.c.user_name_key == key)).first()
        if row:
            return row.person_id, row.deleted_at is not None
        without_record = self._session.execute(
            select(people.c.id).select_from(_people_with_records())
            .where(people.c.tenant_id == tenant_id, people.c.email == key, scim_users.c.person_id.is_(None))).first()
        return (without_record.id, False) if without_record else None

    def save(self, tenant_id: str, person_id: str, record: UserRecord, person_changed: bool,
             expected_revision: int | None = None) -> None:
        """Write the record under a row lock. With `expected_revision`, only if nobody changed it since
        (PreconditionFailed otherwise). The revision grows when the content changed and the person did not."""
        where = (scim_users.c.tenant_id == tenant_id) & (scim_users.c.person_id == person_id)
        row = self._session.execute(select(scim_users).where(where).with_for_update()).mappings().first()
        current = _record(row) if row else None
        if expected_revision is not None and (current.revision if current else 0) != expected_revision:
            raise PreconditionFailed("the user changed meanwhile")
        revision = current.revision if current else 0
        if not person_changed and (current is None or not current.same_content(record)):
            revision += 1
        values = {"user_name": record.user_name, "user_name_key": user_name_key(record.user_name),
                  "external_id": record.external_id, "attributes": record.attributes, "revision": revision,
                  "deleted_at": datetime.now(UTC) if record.deleted else None}
        if current is None:
            self._session.execute(insert(scim_users).values(tenant_id=tenant_id, person_id=person_id, **values))
        elif not current.same_content(record) or revision != current.revision:
            if current.deleted and record.deleted:
                values.pop("deleted_at")  # keeps when it was DELETEd
            self._session.execute(update(scim_users).where(where).values(**values))

    def forget(self, tenant_id: str, person_id: str) -> None:
        self._session.execute(delete(scim_users).where(scim_users.c.tenant_id == tenant_id,
                                                       scim_users.c.person_id == person_id))

    # The Users a SCIM search finds: the tenant's people, less the erased and the DELETEd,
    # matching `condition` (a filter compiled by scim.filters.to_sql).
    def count_users(self, tenant_id: str, condition) -> int:
        return self._session.execute(select(func.count()).select_from(
            _user_query(tenant_id, condition).subquery())).scalar_one()

    def user_ids(self, tenant_id: str, condition, offset: int, limit: int) -> list[str]:
        return list(self._session.execute(_user_query(tenant_id, condition).order_by(people.c.id)
                                          .offset(offset).limit(limit)).scalars().all())


def _people_with_records():
    return people.outerjoin(scim_users, (scim_users.c.tenant_id == people.c.tenant_id)
                            & (scim_users.c.person_id == people.c.id))


def _user_query(tenant_id: str, condition):
    return (select(people.c.id).select_from(_people_with_records())
            .where(people.c.tenant_id == tenant_id, people.c.status != "erased", scim_users.c.deleted_at.is_(None),
                   condition))


def _record(row) -> UserRecord:
    return UserRecord(row["user_name"], row["external_id"], dict(row["attributes"] or {}),
                      row["deleted_at"] is not None, row["revision"])
