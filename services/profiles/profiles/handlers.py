"""Use cases: a command and a unit of work in; state and outbox events out, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from mentoring_shared.db.unit_of_work import UnitOfWork
from mentoring_shared.ids import new_id
from mentoring_shared.errors import Conflict

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
    with uow:
        repository = PeopleRepository(uow.session)
        taken = repository.conflicting(command.tenant_id, command.employee_id, command.email.strip().lower())
        if taken:
            raise Conflict(f"another person in this tenant already has this {' and '.join(taken)}", fields=taken)
        person, events = domain.register_person(
            person_id=new_id(), tenant_id=command.tenant_id, employee_id=command.employee_id,
            name=command.name, email=command.email, time_zone=command.time_zone,
            now=datetime.now(timezone.utc))
        repository.add(person)
        uow.publish(events)
        uow.commit()
    return person
