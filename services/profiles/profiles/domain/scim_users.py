"""What SCIM keeps about a User beside the person (table scim_users): userName, externalId, the
name parts, displayName and emails as the identity provider sent them, and whether it DELETEd the
user. A person registered elsewhere (the people API, an HR import) has no record until SCIM writes
it; it reads as userName = email. Stored by repositories/scim_users.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
