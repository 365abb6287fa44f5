"""Registering and changing people."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from mentoring_shared.errors import NotFound, PreconditionFailed
from mentoring_shared.ids import new_id
from profiles.domain import people as domain
from profiles.unit_of_work import ProfilesUnitOfWork

# Work another module keeps beside the person (e.g. SCIM's userName), done in the person's own
# transaction so both are written or neither: (unit of work, person as written) -> None.
AlongsideWrite = Callable[[ProfilesUnitOfWork, domain.Person], None]


def register_person(tenant_id: str, attributes: dict[str, Any], uow: ProfilesUnitOfWork,
                    alongside: AlongsideWrite | None = None) -> domain.Person:
    person, events = domain.register_person(person_id=new_id(), tenant_id=tenant_id,
                                            now=datetime.now(UTC), **attributes)
    with uow:
        domain.check_manager_chain(person.employee_id, person.manager_employee_id,
                                   uow.people.manager_chain(tenant_id))
        uow.people.add(person)
        if alongside is not None:
            alongside(uow, person)
        uow.publish(events)
        uow.commit()
    return person


def change_person(tenant_id: str, person_id: str, changes: dict[str, Any], uow: ProfilesUnitOfWork,
                  expected_version: int | None = None, alongside: AlongsideWrite | None = None) -> domain.Person:
    """Apply `changes`. With `expected_version`, only if the person is still at that version (checked
    under the row lock): the caller computed the changes from it."""
    with uow:
        person = uow.people.get(tenant_id, person_id, for_update=True)
        if person is None:
            raise NotFound(f"no person {person_id} in this tenant")
        if expected_version is not None and person.version != expected_version:
            raise PreconditionFailed(f"the person is at version {person.version}, not {expected_version}",
                                     current_version=person.version)
        changed, events = domain.change_person(person, changes, datetime.now(UTC))
        if not events and alongside is None:
            return person
        if changed.manager_employee_id != person.manager_employee_id or changed.employee_id != person.employee_id:
            domain.check_manager_chain(changed.employee_id, changed.manager_employee_id,
                                       uow.people.manager_chain(tenant_id))
        if events:
            uow.people.save(changed)
            uow.publish(events)
        if alongside is not None:
            alongside(uow, changed)
        uow.commit()
    return changed
