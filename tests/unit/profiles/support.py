"""Ready-made aggregates for profiles' handler unit tests."""

from __future__ import annotations

from datetime import UTC, datetime

from profiles.domain import cohorts, programs
from profiles.domain.people import register_person

TENANT = "acme"
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def person(person_id: str = "p-1", employee_id: str | None = "E-1", **attributes):
    fields = dict(name=f"Person {person_id}", email=f"{person_id}@example.com", time_zone="UTC")
    fields.update(attributes)
    return register_person(person_id=person_id, tenant_id=TENANT, now=NOW, employee_id=employee_id, **fields)[0]


def program(program_id: str = "prog-1", type: str = "classic"):
    return programs.create_program(program_id=program_id, tenant_id=TENANT, now=NOW, name="Leaders", type=type)[0]


def cohort(cohort_id: str = "c-1", program_id: str = "prog-1", status: str = "enrolling"):
    created = cohorts.create_cohort(cohort_id=cohort_id, tenant_id=TENANT, program_id=program_id, name="Spring",
                                    now=NOW, starts_on=None, ends_on=None)[0]
    from dataclasses import replace
    return replace(created, status=status)
