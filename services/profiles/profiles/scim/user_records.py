"""What SCIM keeps about a User beside the person (table scim_users): userName, externalId, the
name parts, displayName and emails as the identity provider sent them, and whether it DELETEd the
user. A person registered elsewhere (the people API, an HR import) has no record until SCIM writes
it; it reads as userName = email."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from mentoring_shared.errors import PreconditionFailed

from profiles.orm import people, scim_users


@dataclass(frozen=True)
class UserRecord:
    user_name: str
    external_id: str | None = None
    # name, displayName, emails as sent; person_name / person_email: the person's values they were
    # sent with (a later change through the people API makes them stale, and the person wins);
    # manager_id: a manager without an employee id, who cannot be in the reporting line yet.
    attributes: dict[str, Any] = field(default_factory=dict)
    deleted: bool = False
    revision: int = 0  # see orm.scim_users.revision

    def same_content(self, other: "UserRecord") -> bool:
        return (self.user_name, self.external_id, self.attributes, self.deleted) == \
            (other.user_name, other.external_id, other.attributes, other.deleted)


def user_version(person_version: int, record: UserRecord | None) -> int:
    """Both counters only grow, and every change grows one: their sum is the User's version."""
    return person_version + (record.revision if record else 0)


def user_name_key(user_name: str) -> str:
    return user_name.strip().lower()  # userName is unique without regard to case (RFC 7643 §4.1.1)


def load(session: Session, tenant_id: str, person_ids: list[str]) -> dict[str, UserRecord]:
    if not person_ids:
        return {}
    rows = session.execute(select(scim_users).where(scim_users.c.tenant_id == tenant_id,
                                                    scim_users.c.person_id.in_(person_ids))).mappings()
    return {row["person_id"]: _record(row) for row in rows}


def _record(row) -> UserRecord:
    return UserRecord(row["user_name"], row["external_id"], dict(row["attributes"] or {}), row["deleted_at"] is not None,
                      row["revision"])


def holder_of_user_name(session: Session, tenant_id: str, user_name: str) -> tuple[str, bool] | None:
    """(person id, deleted) of the User holding this userName, if any: a record's, or the email of
    a person without a record (who reads as userName = email)."""
    key = user_name_key(user_name)
    row = session.execute(select(scim_users.c.person_id, scim_users.c.deleted_at).where(
        scim_users.c.tenant_id == tenant_id, scim_users.c.user_name_key == key)).first()
    if row:
        return row.person_id, row.deleted_at is not None
    without_record = session.execute(
        select(people.c.id).select_from(people.outerjoin(scim_users, (scim_users.c.tenant_id == people.c.tenant_id)
                                                         & (scim_users.c.person_id == people.c.id)))
        .where(people.c.tenant_id == tenant_id, people.c.email == key, scim_users.c.person_id.is_(None))).first()
    return (without_record.id, False) if without_record else None


def save(session: Session, tenant_id: str, person_id: str, record: UserRecord, person_changed: bool,
         expected_revision: int | None = None) -> None:
    """Write the record under a row lock. With `expected_revision`, only if nobody changed it since
    (PreconditionFailed otherwise). The revision grows when the content changed and the person did not."""
    where = (scim_users.c.tenant_id == tenant_id) & (scim_users.c.person_id == person_id)
    row = session.execute(select(scim_users).where(where).with_for_update()).mappings().first()
    current = _record(row) if row else None
    if expected_revision is not None and (current.revision if current else 0) != expected_revision:
        raise PreconditionFailed("the user changed meanwhile")
    revision = current.revision if current else 0
    if not person_changed and (current is None or not current.same_content(record)):
        revision += 1
    values = {"user_name": record.user_name, "user_name_key": user_name_key(record.user_name),
              "external_id": record.external_id, "attributes": record.attributes, "revision": revision,
              "deleted_at": datetime.now(timezone.utc) if record.deleted else None}
    if current is None:
        session.execute(insert(scim_users).values(tenant_id=tenant_id, person_id=person_id, **values))
    elif not current.same_content(record) or revision != current.revision:
        if current.deleted and record.deleted:
            values.pop("deleted_at")  # keeps when it was DELETEd
        session.execute(update(scim_users).where(where).values(**values))


def forget(session: Session, tenant_id: str, person_id: str) -> None:
    session.execute(delete(scim_users).where(scim_users.c.tenant_id == tenant_id, scim_users.c.person_id == person_id))
