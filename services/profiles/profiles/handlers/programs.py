"""Programs, cohorts and enrollments."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from mentoring_shared.errors import InvalidField, NotFound
from mentoring_shared.ids import new_id
from profiles.domain import cohorts, enrollments, programs
from profiles.unit_of_work import ProfilesUnitOfWork


def _now() -> datetime:
    return datetime.now(UTC)


def _program(uow: ProfilesUnitOfWork, tenant_id: str, program_id: str, field: str | None = None):
    program = uow.programs.get(tenant_id, program_id)
    if program is None:
        if field:  # named in the body: the body is wrong
            raise InvalidField(field, f"no program {program_id} in this tenant")
        raise NotFound(f"no program {program_id} in this tenant")
    return program


def _cohort(uow: ProfilesUnitOfWork, tenant_id: str, cohort_id: str, for_update: bool = False):
    cohort = uow.cohorts.get(tenant_id, cohort_id, for_update=for_update)
    if cohort is None:
        raise NotFound(f"no cohort {cohort_id} in this tenant")
    return cohort


def create_program(tenant_id: str, settings: dict[str, Any], uow: ProfilesUnitOfWork) -> programs.Program:
    program, events = programs.create_program(program_id=new_id(), tenant_id=tenant_id, now=_now(), **settings)
    with uow:
        uow.programs.add(program)
        uow.publish(events)
        uow.commit()
    return program


def change_program(tenant_id: str, program_id: str, changes: dict[str, Any],
                   uow: ProfilesUnitOfWork) -> programs.Program:
    with uow:
        program, events = programs.change_program(_program(uow, tenant_id, program_id), changes, _now())
        if events:
            uow.programs.save(program)
            uow.publish(events)
            uow.commit()
    return program


def duplicate_program(tenant_id: str, program_id: str, name: str, uow: ProfilesUnitOfWork) -> programs.Program:
    with uow:
        copy, events = programs.duplicate_program(_program(uow, tenant_id, program_id), program_id=new_id(),
                                                  name=name, now=_now())
        uow.programs.add(copy)
        uow.publish(events)
        uow.commit()
    return copy


def create_cohort(tenant_id: str, program_id: str, name: str, starts_on: date | None, ends_on: date | None,
                  uow: ProfilesUnitOfWork) -> cohorts.Cohort:
    with uow:
        _program(uow, tenant_id, program_id, field="program_id")
        cohort, events = cohorts.create_cohort(cohort_id=new_id(), tenant_id=tenant_id, program_id=program_id,
                                               name=name, now=_now(), starts_on=starts_on, ends_on=ends_on)
        uow.cohorts.add(cohort)
        uow.publish(events)
        uow.commit()
    return cohort


def change_cohort(tenant_id: str, cohort_id: str, changes: dict[str, Any], uow: ProfilesUnitOfWork) -> cohorts.Cohort:
    with uow:
        cohort, events = cohorts.change_cohort(_cohort(uow, tenant_id, cohort_id, for_update=True),
                                               changes, _now())
        if events:
            uow.cohorts.save(cohort)
            uow.publish(events)
            uow.commit()
    return cohort


def transition_cohort(tenant_id: str, cohort_id: str, status: str, uow: ProfilesUnitOfWork) -> cohorts.Cohort:
    with uow:
        cohort, events = cohorts.transition(_cohort(uow, tenant_id, cohort_id, for_update=True), status, _now())
        uow.cohorts.save(cohort)
        uow.publish(events)
        uow.commit()
    return cohort


def duplicate_cohort(tenant_id: str, cohort_id: str, name: str, starts_on: date | None, ends_on: date | None,
                     uow: ProfilesUnitOfWork) -> cohorts.Cohort:
    with uow:
        copy, events = cohorts.duplicate_cohort(_cohort(uow, tenant_id, cohort_id), cohort_id=new_id(),
                                                name=name, now=_now(), starts_on=starts_on, ends_on=ends_on)
        uow.cohorts.add(copy)
        uow.publish(events)
        uow.commit()
    return copy


def enroll(tenant_id: str, cohort_id: str, person_id: str, role: str, details: dict[str, Any],
           uow: ProfilesUnitOfWork) -> enrollments.Enrollment:
    with uow:
        # Locking the cohort orders enrollments against a concurrent status change.
        cohort = _cohort(uow, tenant_id, cohort_id, for_update=True)
        person = uow.people.get(tenant_id, person_id)
        if person is None:
            raise InvalidField("person_id", f"no person {person_id} in this tenant")
        enrollment, events = enrollments.enroll(
            enrollment_id=new_id(), person=person, cohort=cohort,
            program=_program(uow, tenant_id, cohort.program_id), role=role, now=_now(),
            already_enrolled=uow.enrollments.is_enrolled(tenant_id, cohort_id, person_id, role), **details)
        uow.enrollments.add(enrollment)
        uow.publish(events)
        uow.commit()
    return enrollment


def withdraw(tenant_id: str, enrollment_id: str, reason: str | None, uow: ProfilesUnitOfWork) -> enrollments.Enrollment:
    with uow:
        enrollment = uow.enrollments.get(tenant_id, enrollment_id)
        if enrollment is None:
            raise NotFound(f"no enrollment {enrollment_id} in this tenant")
        withdrawn, events = enrollments.withdraw(enrollment, _cohort(uow, tenant_id, enrollment.cohort_id),
                                                 reason, _now())
        uow.enrollments.save(withdrawn)
        uow.publish(events)
        uow.commit()
    return withdrawn
