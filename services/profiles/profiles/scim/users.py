"""SCIM Users are the tenant's people: the mapping both ways, on scim2-models' User with the
enterprise extension.

The person holds what the platform uses: the email (the primary email, else the work one, else the
first, else a userName that is an email), the name (name.formatted, else givenName familyName, else
displayName), the employee id (employeeNumber, else externalId, else kept), title, IANA time zone
(UTC when a new user has none), status (active=false is terminated; on leave reads as active),
department and manager (named by SCIM id, stored as the manager's employee id). What only SCIM
means (userName, externalId, the name parts, displayName, every email) is kept beside the person
(domain.scim_users.UserRecord), so a User reads back as it was written."""

from __future__ import annotations

from typing import Any, TypeVar

from scim2_models import Email, Manager, Meta, Name, Reference, User

from profiles.domain.people import Person
from profiles.domain.scim_users import UserRecord, user_version
from profiles.repositories.people import PeopleRepository
from profiles.scim.errors import ScimError
from profiles.scim.etags import etag
from profiles.scim.models import Context, EnterpriseUser, UserResource

_Text = TypeVar("_Text", bound=str | None)

MAX_STRING = 200


def to_user(person: Person, record: UserRecord | None, manager_id: str | None, base_url: str) -> UserResource:
    given, _, family = person.name.partition(" ")
    as_sent = _AsSent(record, person)
    manager_id = manager_id or as_sent.kept.get("manager_id")
    user = UserResource(
        id=person.id,
        external_id=record.external_id if record else person.employee_id,
        user_name=record.user_name if record else person.email,
        name=as_sent("name", "name", lambda: Name(formatted=person.name, given_name=given, family_name=family or None),
                     Name.model_validate),
        display_name=as_sent("displayName", "name", lambda: person.name),
        title=person.title,
        timezone=as_sent("timezone", "time_zone", lambda: person.time_zone),
        active=as_sent("active", "status", lambda: person.status != "terminated"),
        emails=as_sent("emails", "email", lambda: [Email(value=person.email, type=Email.Type.work, primary=True)],
                       lambda emails: [Email.model_validate(email) for email in emails] or None),
        meta=Meta(resource_type="User", created=person.created_at, last_modified=person.updated_at,
                  version=etag(user_version(person.version, record)), location=f"{base_url}/Users/{person.id}"),
    )
    enterprise = EnterpriseUser(employee_number=as_sent("employeeNumber", "employee_id", lambda: person.employee_id),
                                department=person.department,
                                manager=Manager(value=manager_id, ref=Reference[User](f"{base_url}/Users/{manager_id}"))
                                if manager_id else None)
    if enterprise.employee_number or enterprise.department or enterprise.manager:
        user[EnterpriseUser] = enterprise
    return user


class _AsSent:
    """A SCIM attribute reads as the identity provider last sent it (even absent) while the person
    attribute it was mapped to still has the value it had then; once the person changed another
    way (the people API, an HR import), it reads from the person."""

    def __init__(self, record: UserRecord | None, person: Person):
        self.kept = record.attributes if record else {}
        self.person = person

    def __call__(self, attribute: str, person_attribute: str, from_person, load=lambda value: value):
        sent, mapped = self.kept.get("sent", {}), self.kept.get("person", {})
        if attribute in sent and mapped.get(person_attribute) == getattr(self.person, person_attribute):
            return None if sent[attribute] is None else load(sent[attribute])
        return from_person()


def person_attributes(user: UserResource, people: PeopleRepository, tenant_id: str,
                      current: Person | None) -> tuple[dict[str, Any], UserRecord]:
    """The person attributes a full User sets, and the record kept beside the person."""
    if not user.user_name or not user.user_name.strip():
        raise ScimError(400, "userName is required", "invalidValue")
    _bounded(user.user_name, "userName", 320)
    email = _email_of(user)
    name = (user.name.formatted if user.name else None) or _joined(user.name) or user.display_name \
        or (current.name if current else user.user_name)
    enterprise = user[EnterpriseUser] or EnterpriseUser()
    employee_id = enterprise.employee_number or user.external_id or (current.employee_id if current else None)
    _bounded(employee_id, "employeeNumber (or externalId)", 64)
    _bounded(user.external_id, "externalId", MAX_STRING)
    manager_employee_id, manager_without_employee_id = _manager(people, tenant_id, enterprise.manager, current)
    attributes: dict[str, Any] = {
        "email": email, "name": _bounded(name, "name", MAX_STRING), "employee_id": employee_id,
        "title": _bounded(user.title, "title", MAX_STRING) or None,
        "department": _bounded(enterprise.department, "department", MAX_STRING) or None,
        "manager_employee_id": manager_employee_id,
    }
    if user.timezone:
        attributes["time_zone"] = user.timezone
    elif current is None:
        attributes["time_zone"] = "UTC"
    if user.active is False:
        attributes["status"] = "terminated"
    elif user.active is True and (current is None or current.status == "terminated"):
        attributes["status"] = "active"
    elif current is None:
        attributes["status"] = "active"
    sent = {"name": user.name.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE) if user.name else None,
            "displayName": user.display_name, "timezone": user.timezone, "active": user.active,
            "emails": [item.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE) for item in user.emails or []],
            "employeeNumber": enterprise.employee_number}
    if current is None:  # what a new user was not given reads as the person's default (UTC, active)
        sent = {name: value for name, value in sent.items() if value not in (None, [])}
    kept: dict[str, Any] = {"sent": sent, "person": _person_values(attributes, current)}
    if manager_without_employee_id:
        kept["manager_id"] = manager_without_employee_id
    return attributes, UserRecord(user.user_name.strip(), user.external_id, kept)


def _person_values(attributes: dict[str, Any], current: Person | None) -> dict[str, Any]:
    """The person's values the sent ones map to, as the domain will store them."""
    def value(name: str, default=None):
        return attributes[name] if name in attributes else getattr(current, name, default)
    return {"name": (value("name") or "").strip(), "email": (value("email") or "").strip().lower(),
            "time_zone": value("time_zone"), "status": value("status"), "employee_id": value("employee_id")}


def _email_of(user: UserResource) -> str:
    emails = [item for item in user.emails or [] if item.value]
    chosen = next((item for item in emails if item.primary), None) \
        or next((item for item in emails if str(item.type or "").lower() == "work"), None) \
        or (emails[0] if emails else None)
    email = chosen.value if chosen else (user.user_name if user.user_name and "@" in user.user_name else None)
    if not email:
        raise ScimError(400, "a User needs an email address: in emails, or as its userName", "invalidValue")
    return _bounded(email.strip(), "emails.value", 320)


def _joined(name: Name | None) -> str | None:
    if name is None:
        return None
    return " ".join(part.strip() for part in (name.given_name, name.family_name) if part and part.strip()) or None


def _manager(people: PeopleRepository, tenant_id: str, manager: Manager | None,
             current: Person | None) -> tuple[str | None, str | None]:
    """(the manager's employee id, or the manager's person id when they have no employee id yet)."""
    manager_id = manager.value if manager else None
    if not manager_id:
        return None, None
    if current is not None and manager_id == current.id:
        raise ScimError(400, "a user cannot be their own manager", "invalidValue")
    named = people.get(tenant_id, manager_id)
    if named is None:
        raise ScimError(400, f"manager {manager_id!r} is not a User of this tenant", "invalidValue")
    return (named.employee_id, None) if named.employee_id else (None, manager_id)


def _bounded(value: _Text, field: str, limit: int) -> _Text:
    if value is not None and len(value) > limit:
        raise ScimError(400, f"{field} is longer than {limit} characters", "invalidValue")
    return value
