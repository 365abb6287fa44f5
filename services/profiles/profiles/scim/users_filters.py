"""What a Users filter may name, and where it is in SQL. userName and externalId come from the SCIM
record when SCIM wrote one, else from the person (email, employee id); the emails sub-attributes
are the person's one email, which is the work and primary one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, false, true

from profiles.orm import people, scim_users
from profiles.scim.errors import ScimError
from profiles.scim.filters import Attribute, boolean_attribute

_without_record = scim_users.c.person_id.is_(None)


def _email_type(op: str, value: Any):
    if op == "pr":
        return true()
    if op not in ("eq", "ne") or not isinstance(value, str):
        raise ScimError(400, "emails.type takes eq or ne with a string", "invalidFilter")
    return true() if (value.lower() == "work") == (op == "eq") else false()


FILTERS = {
    "id": Attribute(people.c.id),
    "username": Attribute(case((_without_record, people.c.email), else_=scim_users.c.user_name)),
    "emails": Attribute(people.c.email),
    "emails.value": Attribute(people.c.email),
    "emails.type": Attribute(kind="custom", build=_email_type),
    "emails.primary": boolean_attribute(true(), false()),
    "externalid": Attribute(case((_without_record, people.c.employee_id), else_=scim_users.c.external_id)),
    "enterprise:employeenumber": Attribute(people.c.employee_id),
    "name.formatted": Attribute(people.c.name),
    "displayname": Attribute(people.c.name),
    "title": Attribute(people.c.title),
    "enterprise:department": Attribute(people.c.department),
    "active": boolean_attribute(people.c.status != "terminated", people.c.status == "terminated"),
    "meta.created": Attribute(people.c.created_at, "datetime"),
    "meta.lastmodified": Attribute(people.c.updated_at, "datetime"),
}
