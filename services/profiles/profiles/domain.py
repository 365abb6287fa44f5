"""People: rules and state changes, in plain Python. Returns the events that describe each change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mentoring_shared.contracts.profiles import PERSON_UPSERTED_V1
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.errors import InvalidField
from mentoring_shared.time_zones import is_iana_time_zone


class InvalidPerson(InvalidField):
    pass


@dataclass(frozen=True)
class Person:
    id: str
    tenant_id: str
    employee_id: str | None
    name: str
    email: str
    time_zone: str
    status: str
    version: int
    created_at: datetime
    updated_at: datetime

    def snapshot(self) -> dict:
        return {"person_id": self.id, "version": self.version, "employee_id": self.employee_id,
                "name": self.name, "email": self.email, "time_zone": self.time_zone, "status": self.status}

    def upserted_event(self) -> DomainEvent:
        return DomainEvent(PERSON_UPSERTED_V1, self.tenant_id, self.id, self.snapshot())


def validate_time_zone(name: str) -> str:
    """An IANA time zone name, as people's calendars and working hours are kept in it."""
    if not is_iana_time_zone(name):
        raise InvalidPerson("time_zone", f"unknown IANA time zone {name!r}")
    return name


def register_person(*, person_id: str, tenant_id: str, employee_id: str | None, name: str, email: str,
                    time_zone: str, now: datetime) -> tuple[Person, list[DomainEvent]]:
    if not name.strip():
        raise InvalidPerson("name", "must not be blank")
    person = Person(id=person_id, tenant_id=tenant_id, employee_id=employee_id, name=name.strip(),
                    email=email.strip().lower(), time_zone=validate_time_zone(time_zone), status="active",
                    version=1, created_at=now, updated_at=now)
    return person, [person.upserted_event()]

