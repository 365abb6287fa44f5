"""Use cases: a command and a unit of work in; state and outbox events out, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from mentoring_shared.db.unit_of_work import UnitOfWork
from mentoring_shared.ids import new_id

from profiles import domain
from profiles.repository import PeopleRepository


@dataclass(frozen=True)
class RegisterPerson:
    tenant_id: str
    name: str
    email: str
    time_zone: str
    employee_id: str | None = None


def register_person(command: RegisterPerson, uow: UnitOfWork) -> domain.Person:
    person, events = domain.register_person(
        person_id=new_id(), tenant_id=command.tenant_id, employee_id=command.employee_id,
        name=command.name, email=command.email, time_zone=command.time_zone, now=datetime.now(timezone.utc))
    with uow:
        PeopleRepository(uow.session).add(person)
        uow.publish(events)
        uow.commit()
    return person
