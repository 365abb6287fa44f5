"""A person's rights over their data: export what profiles holds, and erasure."""

from __future__ import annotations

from datetime import UTC, datetime

from mentoring_shared.errors import NotFound
from profiles.domain import enrollments as enrollment_rules
from profiles.domain import people as domain
from profiles.unit_of_work import ProfilesUnitOfWork


def export_person(tenant_id: str, person_id: str, uow: ProfilesUnitOfWork) -> dict:
    """Everything profiles holds about the person: their record and their enrollments (the other
    services export what they hold at the same path). Reads only: nothing is committed."""
    with uow:
        person = uow.people.get(tenant_id, person_id)
        if person is None:
            raise NotFound(f"no person {person_id} in this tenant")
        return {"person": person, "enrollments": uow.enrollments.of_person(tenant_id, person_id)}


def erase_person(tenant_id: str, person_id: str, uow: ProfilesUnitOfWork) -> domain.Person:
    """Anonymize the person, scrub and end their enrollments, drop their past events from the
    outbox and what SCIM kept about them, and publish person-erased for every other service: one
    transaction."""
    now = datetime.now(UTC)
    with uow:
        person = uow.people.get(tenant_id, person_id, for_update=True)
        if person is None:
            raise NotFound(f"no person {person_id} in this tenant")
        erased, events = domain.erase_person(person, now)
        if not events:
            return person  # erased already: erasing again changes nothing
        enrollments = uow.enrollments.of_person(tenant_id, person_id)
        uow.forget(tenant_id, [person_id] + [enrollment.id for enrollment in enrollments])
        for enrollment in enrollments:
            scrubbed, enrollment_events = enrollment_rules.scrub(enrollment, now)
            uow.enrollments.save(scrubbed)
            events += enrollment_events
        uow.people.save(erased)
        uow.scim_users.forget(tenant_id, person_id)  # userName, emails, names as sent
        uow.publish(events)
        uow.commit()
    return erased
