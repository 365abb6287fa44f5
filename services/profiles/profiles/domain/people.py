"""People: who they are at work (from the HR system) and what they bring to or want from mentoring."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

import mentoring_shared.contracts.profiles as contracts
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.errors import Conflict, InvalidField
from mentoring_shared.time_zones import is_iana_time_zone
from profiles.domain.tags import normalized_tags

STATUSES = ("active", "on_leave", "terminated")
ERASED = "erased"  # internal: outside profiles an erased person is simply terminated
SKILL_LEVELS = ("beginner", "intermediate", "advanced", "expert")
MENTORING_ROLES = ("mentor", "mentee", "peer")
WEEKDAYS = (1, 2, 3, 4, 5, 6, 7)  # ISO: Monday is 1


@dataclass(frozen=True)
class WorkingHours:
    """When a person can meet, in their own time zone."""

    start: str = "09:00"
    end: str = "17:00"
    days: tuple[int, ...] = (1, 2, 3, 4, 5)

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "days": list(self.days)}


@dataclass(frozen=True)
class Person:
    id: str
    tenant_id: str
    employee_id: str | None  # None for people outside the HR sync (e.g. provisioned by SCIM without one), or erased
    name: str
    email: str
    time_zone: str
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
    title: str | None = None
    department: str | None = None
    manager_employee_id: str | None = None
    location: str | None = None
    languages: tuple[str, ...] = ()
    seniority_band: int | None = None
    skills: tuple[tuple[str, str], ...] = ()      # (name, level)
    interests: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    goals_text: str | None = None
    roles_offered: tuple[str, ...] = ()
    roles_wanted: tuple[str, ...] = ()
    working_hours: WorkingHours = field(default_factory=WorkingHours)
    mentor_capacity: int = 0

    @property
    def erased(self) -> bool:
        return self.status == ERASED

    def snapshot(self) -> dict[str, Any]:
        """Everything consumers need about the person, so they never call profiles back."""
        return {
            "person_id": self.id, "version": self.version, "employee_id": self.employee_id,
            "name": self.name, "email": self.email, "time_zone": self.time_zone,
            "status": "terminated" if self.erased else self.status,
            "title": self.title, "department": self.department, "manager_employee_id": self.manager_employee_id,
            "location": self.location, "languages": list(self.languages), "seniority_band": self.seniority_band,
            "skills": [{"name": name, "level": level} for name, level in self.skills],
            "interests": list(self.interests), "goals": list(self.goals), "goals_text": self.goals_text,
            "roles_offered": list(self.roles_offered), "roles_wanted": list(self.roles_wanted),
            "working_hours": self.working_hours.as_dict(), "mentor_capacity": self.mentor_capacity,
        }

    def upserted_event(self) -> DomainEvent:
        return DomainEvent(contracts.PERSON_UPSERTED_V1, self.tenant_id, self.id, self.snapshot())


# Fields a caller may set; everything else is the platform's (id, tenant, version, timestamps).
EDITABLE = ("employee_id", "name", "email", "time_zone", "status", "title", "department", "manager_employee_id",
            "location", "languages", "seniority_band", "skills", "interests", "goals", "goals_text",
            "roles_offered", "roles_wanted", "working_hours", "mentor_capacity")


def register_person(*, person_id: str, tenant_id: str, now: datetime,
                    **attributes: Any) -> tuple[Person, list[DomainEvent]]:
    unknown = set(attributes) - set(EDITABLE)
    if unknown:
        raise InvalidField(sorted(unknown)[0], "is not a person attribute")
    values = _normalized({"status": "active", **attributes})
    person = Person(id=person_id, tenant_id=tenant_id, version=1, created_at=now, updated_at=now, **values)
    return person, [person.upserted_event()]


def change_person(person: Person, changes: dict[str, Any], now: datetime) -> tuple[Person, list[DomainEvent]]:
    """Apply changes. Emits the new snapshot, and a person-moved event if the department or manager
    changed, and a person-deactivated event if the person became terminated."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidField(sorted(unknown)[0], "is not a person attribute")
    if person.erased:
        raise Conflict("this person was erased; their record can no longer change")
    values = _normalized(changes)
    manager_employee_id = values.get("manager_employee_id")
    if manager_employee_id and manager_employee_id == values.get("employee_id", person.employee_id):
        raise InvalidField("manager_employee_id", "a person cannot be their own manager")
    changed = {name: value for name, value in values.items() if getattr(person, name) != value}
    if not changed:
        return person, []
    updated = replace(person, **changed, version=person.version + 1, updated_at=now)
    events = [updated.upserted_event()]
    if "department" in changed or "manager_employee_id" in changed:
        events.append(DomainEvent(contracts.PERSON_MOVED_V1, person.tenant_id, person.id, {
            "person_id": person.id, "version": updated.version,
            "from_department": person.department, "to_department": updated.department,
            "from_manager_employee_id": person.manager_employee_id,
            "to_manager_employee_id": updated.manager_employee_id}))
    if changed.get("status") == "terminated":
        events.append(DomainEvent(contracts.PERSON_DEACTIVATED_V1, person.tenant_id, person.id, {
            "person_id": person.id, "version": updated.version, "employee_id": updated.employee_id,
            "reason": "terminated"}))
    return updated, events


def erase_person(person: Person, now: datetime) -> tuple[Person, list[DomainEvent]]:
    """Forget the person: keep only the id (so history elsewhere still adds up) and anonymize the
    rest. Emits person-erased, which every service honours."""
    if person.erased:
        return person, []
    erased = Person(id=person.id, tenant_id=person.tenant_id, employee_id=None, name=contracts.ERASED_PERSON_NAME,
                    email=contracts.erased_email(person.id), time_zone="UTC", status=ERASED, version=person.version + 1,
                    created_at=person.created_at, updated_at=now)
    return erased, [DomainEvent(contracts.PERSON_ERASED_V1, person.tenant_id, person.id,
                                {"person_id": person.id, "version": erased.version})]


class ManagerOf(Protocol):
    """employee id -> manager's employee id (None at the top of a chain): a dict, or a lookup that
    reads one link at a time."""

    def __contains__(self, employee_id: str, /) -> bool: ...

    def get(self, employee_id: str, /) -> str | None: ...


def check_manager_chain(employee_id: str | None, manager_employee_id: str | None, manager_of: ManagerOf) -> None:
    """Refuse a manager who does not exist or who reports, directly or not, to this person.
    `manager_of` maps employee ids known in the tenant to their managers' employee ids."""
    if manager_employee_id is None:
        return
    if manager_employee_id == employee_id:
        raise InvalidField("manager_employee_id", "a person cannot be their own manager")
    if manager_employee_id not in manager_of:
        raise InvalidField("manager_employee_id", f"no person with employee id {manager_employee_id} in this tenant")
    seen = {employee_id}
    current: str | None = manager_employee_id
    while current is not None:
        if current in seen:
            raise Conflict(f"{manager_employee_id} reports to {employee_id}, directly or not: that would make a "
                           f"loop in the manager chain", fields=["manager_employee_id"])
        seen.add(current)
        current = manager_of.get(current)


def _normalized(values: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalize the given attributes (only those given)."""
    out = dict(values)
    if "name" in out:
        out["name"] = (out["name"] or "").strip()
        if not out["name"]:
            raise InvalidField("name", "must not be blank")
    if "email" in out:
        out["email"] = out["email"].strip().lower()
    if "time_zone" in out and not is_iana_time_zone(out["time_zone"]):
        raise InvalidField("time_zone", f"unknown IANA time zone {out['time_zone']!r}")
    if "status" in out and out["status"] not in STATUSES:
        raise InvalidField("status", f"must be one of {', '.join(STATUSES)}")
    for name in ("languages", "interests", "goals"):
        if name in out:
            out[name] = normalized_tags(out[name] or ())
    if "skills" in out:
        skills: dict[str, tuple[str, str]] = {}
        for skill in out["skills"] or ():
            skill_name, level = (skill["name"], skill["level"]) if isinstance(skill, dict) else skill
            if level not in SKILL_LEVELS:
                raise InvalidField("skills", f"unknown skill level {level!r} for {skill_name}; levels are "
                                             f"{', '.join(SKILL_LEVELS)}")
            skills[skill_name.strip().lower()] = (skill_name.strip(), level)  # one level per skill
        out["skills"] = tuple(skills.values())
    for name in ("roles_offered", "roles_wanted"):
        if name in out:
            roles = normalized_tags(out[name] or ())
            wrong = [role for role in roles if role not in MENTORING_ROLES]
            if wrong:
                raise InvalidField(name, f"unknown role {wrong[0]!r}; roles are {', '.join(MENTORING_ROLES)}")
            out[name] = roles
    if "working_hours" in out:
        out["working_hours"] = _working_hours(out["working_hours"])
    if "mentor_capacity" in out and out["mentor_capacity"] is None:
        out["mentor_capacity"] = 0
    return out


def _working_hours(value) -> WorkingHours:
    if value is None:
        return WorkingHours()
    if isinstance(value, WorkingHours):
        return value
    hours = WorkingHours(start=value.get("start", "09:00"), end=value.get("end", "17:00"),
                         days=tuple(sorted(set(value.get("days", (1, 2, 3, 4, 5))))))
    if not (_minutes(hours.start) < _minutes(hours.end)):
        raise InvalidField("working_hours", "start must be before end (in the person's own time zone)")
    if not hours.days or any(day not in WEEKDAYS for day in hours.days):
        raise InvalidField("working_hours.days", "must list ISO weekdays, 1 (Monday) to 7 (Sunday)")
    return hours


def _minutes(clock: str) -> int:
    try:
        hours, minutes = clock.split(":")
        value = int(hours) * 60 + int(minutes)
    except (ValueError, AttributeError):
        raise InvalidField("working_hours", f"times are HH:MM, got {clock!r}") from None
    if not 0 <= value <= 24 * 60:
        raise InvalidField("working_hours", f"times are HH:MM, got {clock!r}")
    return value
