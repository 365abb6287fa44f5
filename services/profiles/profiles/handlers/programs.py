"""Programs, cohorts and enrollments."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from mentoring_shared.unit_of_work import UnitOfWork
from mentoring_shared.errors import InvalidField, NotFound
from mentoring_shared.ids import new_id

from profiles.domain import cohorts, enrollments, programs
from profiles.repositories.people import PeopleRepository
from profiles.repositories.programs import ProgramsRepository


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _program(repository: ProgramsRepository, tenant_id: str, program_id: str, field: str | None = None):
    program = repository.program(tenant_id, program_id)
    if program is None:
        if field:  # named in the body: the body is wrong
            raise InvalidField(field, f"no program {program_id} in this tenant")
        raise NotFound(f"no program {program_id} in this tenant")
    return program


def _cohort(repository: ProgramsRepository, tenant_id: str, cohort_id: str, for_update: bool = False):
    cohort = repository.cohort(tenant_id, cohort_id, for_update=for_update)
    if cohort is None:
        raise NotFound(f"no cohort {cohort_id} in this tenant")
    return cohort


def create_program(tenant_id: str, settings: dict[str, Any], uow: UnitOfWork) -> programs.Program:
    program, events = programs.create_program(program_id=new_id(), tenant_id=tenant_id, now=_now(), **settings)
    with uow:
        ProgramsRepository(uow.session).add_program(program)
        uow.publish(events)
        uow.commit()
    return program


def change_program(tenant_id: str, program_id: str, changes: dict[str, Any], uow: UnitOfWork) -> programs.Program:
    with uow:
        repository = ProgramsRepository(uow.session)
        program, events = programs.change_program(_program(repository, tenant_id, program_id), changes, _now())
        if events:
            repository.save_program(program)
            uow.publish(events)
            uow.commit()
    return program


def duplicate_program(tenant_id: str, program_id: str, name: str, uow: UnitOfWork) -> programs.Program:
    with uow:
        repository = ProgramsRepository(uow.session)
        copy, events = programs.duplicate_program(_program(repository, tenant_id, program_id), program_id=new_id(),
                                                  name=name, now=_now())
        repository.add_program(copy)
        uow.publish(events)
        uow.commit()
    return copy


def create_cohort(tenant_id: str, program_id: str, name: str, starts_on: date | None, ends_on: date | None,
                  uow: UnitOfWork) -> cohorts.Cohort:
    with uow:
        repository = ProgramsRepository(uow.session)
        _program(repository, tenant_id, program_id, field="program_id")
        cohort, events = cohorts.create_cohort(cohort_id=new_id(), tenant_id=tenant_id, program_id=program_id,
                                               name=name, now=_now(), starts_on=starts_on, ends_on=ends_on)
        repository.add_cohort(cohort)
        uow.publish(events)
        uow.commit()
    return cohort


def change_cohort(tenant_id: str, cohort_id: str, changes: dict[str, Any], uow: UnitOfWork) -> cohorts.Cohort:
    with uow:
        repository = ProgramsRepository(uow.session)
        cohort, events = cohorts.change_cohort(_cohort(repository, tenant_id, cohort_id, for_update=True),
                                               changes, _now())
        if events:
            repository.save_cohort(cohort)
            uow.publish(events)
            uow.commit()
    return cohort


def transition_cohort(tenant_id: str, cohort_id: str, status: str, uow: UnitOfWork) -> cohorts.Cohort:
    with uow:
        repository = ProgramsRepository(uow.session)
        cohort, events = cohorts.transition(_cohort(repository, tenant_id, cohort_id, for_update=True), status, _now())
        repository.save_cohort(cohort)
        uow.publish(events)
        uow.commit()
    return cohort


def duplicate_cohort(tenant_id: str, cohort_id: str, name: str, starts_on: date | None, ends_on: date | None,
                     uow: UnitOfWork) -> cohorts.Cohort:
    with uow:
        repository = ProgramsRepository(uow.session)
        copy, events = cohorts.duplicate_cohort(_cohort(repository, tenant_id, cohort_id), cohort_id=new_id(),
                                                name=name, now=_now(), starts_on=starts_on, ends_on=ends_on)
        repository.add_cohort(copy)
        uow.publish(events)
        uow.commit()
    return copy


def enroll(tenant_id: str, cohort_id: str, person_id: str, role: str, details: dict[str, Any],
           uow: UnitOfWork) -> enrollments.Enrollment:
    with uow:
        repository = ProgramsRepository(uow.session)
        # Locking the cohort orders enrollments against a concurrent status change.
        cohort = _cohort(repository, tenant_id, cohort_id, for_update=True)
        person = PeopleRepository(uow.session).get(tenant_id, person_id)
        if person is None:
            raise InvalidField("person_id", f"no person {person_id} in this tenant")
        enrollment, events = enrollments.enroll(
            enrollment_id=new_id(), person=person, cohort=cohort,
            program=_program(repository, tenant_id, cohort.program_id), role=role, now=_now(),
            already_enrolled=repository.is_enrolled(tenant_id, cohort_id, person_id, role), **details)
        repository.add_enrollment(enrollment)
        uow.publish(events)
        uow.commit()
    return enrollment


def withdraw(tenant_id: str, enrollment_id: str, reason: str | None, uow: UnitOfWork) -> enrollments.Enrollment:
    with uow:
        repository = ProgramsRepository(uow.session)
        enrollment = repository.enrollment(tenant_id, enrollment_id)
        if enrollment is None:
            raise NotFound(f"no enrollment {enrollment_id} in this tenant")
        withdrawn, events = enrollments.withdraw(enrollment, _cohort(repository, tenant_id, enrollment.cohort_id),
                                                 reason, _now())
        repository.save_enrollment(withdrawn)
        uow.publish(events)
        uow.commit()
    return withdrawn
