"""SCIM Users are the tenant's people: the mapping both ways, and what a filter may name.

userName and emails[primary].value are the person's email (userName wins when both are given),
externalId the employee id (the enterprise employeeNumber wins), name.formatted (or givenName and
familyName, or displayName) the name, active the status (on_leave reads as active), timezone the
IANA time zone (UTC when a new user has none), and the enterprise department and manager. The
manager is named by its SCIM id (our person id) and stored as its employee id."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validate
from sqlalchemy import select
from sqlalchemy.orm import Session

from profiles.domain.people import Person
from profiles.orm import people
from profiles.scim.errors import ScimError
from profiles.scim.filters import Attribute, boolean_attribute

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

FILTERS = {
    "id": Attribute(people.c.id),
    "username": Attribute(people.c.email),
    "emails": Attribute(people.c.email),
    "emails.value": Attribute(people.c.email),
    "externalid": Attribute(people.c.employee_id),
    "enterprise:employeenumber": Attribute(people.c.employee_id),
    "name.formatted": Attribute(people.c.name),
    "displayname": Attribute(people.c.name),
    "title": Attribute(people.c.title),
    "enterprise:department": Attribute(people.c.department),
    "active": boolean_attribute(people.c.status != "terminated", people.c.status == "terminated"),
    "meta.created": Attribute(people.c.created_at, "datetime"),
    "meta.lastmodified": Attribute(people.c.updated_at, "datetime"),
}


def etag(version: int) -> str:
    return f'W/"{version}"'


def user_document(person: Person, manager_id: str | None, base_url: str) -> dict[str, Any]:
    given, _, family = person.name.partition(" ")
    document: dict[str, Any] = {
        "schemas": [USER, ENTERPRISE],
        "id": person.id,
        "userName": person.email,
        "name": {"formatted": person.name, "givenName": given, "familyName": family},
        "displayName": person.name,
        "emails": [{"value": person.email, "type": "work", "primary": True}],
        "active": person.status != "terminated",
        "timezone": person.time_zone,
        "meta": {"resourceType": "User", "created": person.created_at.isoformat(),
                 "lastModified": person.updated_at.isoformat(), "version": etag(person.version),
                 "location": f"{base_url}/Users/{person.id}"},
    }
    if person.employee_id:
        document["externalId"] = person.employee_id
    if person.title:
        document["title"] = person.title
    enterprise: dict[str, Any] = {}
    if person.employee_id:
        enterprise["employeeNumber"] = person.employee_id
    if person.department:
        enterprise["department"] = person.department
    if manager_id:
        enterprise["manager"] = {"value": manager_id, "$ref": f"{base_url}/Users/{manager_id}"}
    document[ENTERPRISE] = enterprise
    return document


def manager_ids(session: Session, tenant_id: str, employee_ids: set[str]) -> dict[str, str]:
    """employee id -> person id, for rendering managers."""
    if not employee_ids:
        return {}
    rows = session.execute(select(people.c.employee_id, people.c.id).where(
        people.c.tenant_id == tenant_id, people.c.employee_id.in_(sorted(employee_ids))))
    return {row.employee_id: row.id for row in rows}


def person_attributes(document: Any, session: Session, tenant_id: str, current: Person | None) -> dict[str, Any]:
    """The person attributes a (full) SCIM User document sets. A new user without a time zone gets UTC;
    an existing one keeps theirs, and keeps being on leave while active."""
    if not isinstance(document, dict):
        raise ScimError(400, "a User is a JSON object", "invalidSyntax")
    doc = _lowered(document)
    enterprise = _lowered(doc.get(ENTERPRISE.lower()) or {})
    name = _lowered(doc.get("name") or {})

    email = doc.get("username")
    if email in (None, ""):
        email = _primary_email(doc.get("emails"))
    if not isinstance(email, str) or not email.strip():
        raise ScimError(400, "userName is required", "invalidValue")
    try:
        validate.Email()(email.strip())
    except ValidationError:
        raise ScimError(400, f"userName must be an email address, got {email!r}", "invalidValue") from None

    full_name = name.get("formatted") or " ".join(part for part in (name.get("givenname"), name.get("familyname"))
                                                 if isinstance(part, str) and part.strip())
    full_name = full_name or doc.get("displayname") or (current.name if current else email.split("@")[0])
    if not isinstance(full_name, str):
        raise ScimError(400, "name.formatted must be a string", "invalidValue")

    employee_id = enterprise.get("employeenumber") or doc.get("externalid") or None
    if employee_id is not None and (not isinstance(employee_id, str) or len(employee_id) > 64):
        raise ScimError(400, "externalId/employeeNumber must be a string of at most 64 characters", "invalidValue")

    attributes: dict[str, Any] = {
        "email": email.strip(), "name": full_name, "employee_id": employee_id,
        "title": _optional_string(doc.get("title"), "title"),
        "department": _optional_string(enterprise.get("department"), "department"),
        "manager_employee_id": _manager(session, tenant_id, enterprise.get("manager"), current),
    }
    time_zone = doc.get("timezone")
    if time_zone not in (None, ""):
        if not isinstance(time_zone, str):
            raise ScimError(400, "timezone must be a string", "invalidValue")
        attributes["time_zone"] = time_zone
    elif current is None:
        attributes["time_zone"] = "UTC"
    active = _boolean(doc.get("active"), "active")
    if active is False:
        attributes["status"] = "terminated"
    elif active is True and (current is None or current.status == "terminated"):
        attributes["status"] = "active"
    return attributes


def _manager(session: Session, tenant_id: str, manager: Any, current: Person | None) -> str | None:
    if isinstance(manager, dict):
        manager = _lowered(manager).get("value")
    if manager in (None, ""):
        return None
    if not isinstance(manager, str):
        raise ScimError(400, "manager.value must be a User id", "invalidValue")
    row = session.execute(select(people.c.employee_id).where(people.c.tenant_id == tenant_id,
                                                             people.c.id == manager)).first()
    if row is None:
        raise ScimError(400, f"manager {manager!r} is not a User of this tenant", "invalidValue")
    if not row.employee_id:
        raise ScimError(400, f"manager {manager!r} has no employeeNumber, so cannot be a manager", "invalidValue")
    if current is not None and manager == current.id:
        raise ScimError(400, "a user cannot be their own manager", "invalidValue")
    return row.employee_id


def _primary_email(emails: Any) -> str | None:
    if not isinstance(emails, list):
        return None
    items = [_lowered(item) for item in emails if isinstance(item, dict)]
    chosen = next((item for item in items if _boolean(item.get("primary"), "emails.primary")), None)
    chosen = chosen or next((item for item in items if str(item.get("type", "")).lower() == "work"), None)
    chosen = chosen or (items[0] if items else None)
    return chosen.get("value") if chosen else None


def _optional_string(value: Any, field: str) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > 200:
        raise ScimError(400, f"{field} must be a string of at most 200 characters", "invalidValue")
    return value


def _boolean(value: Any, field: str) -> bool | None:
    """Booleans, and Entra's "True"/"False" strings."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ScimError(400, f"{field} must be a boolean, got {value!r}", "invalidValue")


def _lowered(document: Any) -> dict[str, Any]:
    return {key.lower(): value for key, value in document.items()} if isinstance(document, dict) else {}
