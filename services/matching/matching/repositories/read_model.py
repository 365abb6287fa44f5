"""Reading matching's copy of profiles: cohorts, programs, enrollments and people's profiles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching import orm


@dataclass(frozen=True)
class CohortView:
    cohort_id: str
    program_id: str
    name: str
    status: str
    version: int
    starts_on: date | None


@dataclass(frozen=True)
class ProgramView:
    program_id: str
    name: str
    type: str
    matching_weights: dict[str, float]
    meeting_minutes: int
    version: int


@dataclass(frozen=True)
class EnrollmentView:
    enrollment_id: str
    cohort_id: str
    person_id: str
    role: str
    status: str
    version: int
    goals: tuple[str, ...]
    goals_text: str | None
    preferences: dict[str, Any]
    mentors_wanted: int


@dataclass(frozen=True)
class ProfileView:
    person_id: str
    version: int
    employee_id: str | None
    manager_employee_id: str | None
    department: str | None
    status: str
    profile: dict[str, Any]


class ReadModel:
    def __init__(self, session: Session):
        self._session = session

    def cohort(self, tenant_id: str, cohort_id: str) -> CohortView | None:
        row = self._session.execute(select(orm.cohorts).where(
            orm.cohorts.c.tenant_id == tenant_id, orm.cohorts.c.cohort_id == cohort_id)).mappings().first()
        return None if row is None else CohortView(row["cohort_id"], row["program_id"], row["name"], row["status"],
                                                   row["version"], row["starts_on"])

    def program(self, tenant_id: str, program_id: str) -> ProgramView | None:
        row = self._session.execute(select(orm.programs).where(
            orm.programs.c.tenant_id == tenant_id, orm.programs.c.program_id == program_id)).mappings().first()
        return None if row is None else ProgramView(row["program_id"], row["name"], row["type"],
                                                    dict(row["matching_weights"]), row["meeting_minutes"],
                                                    row["version"])

    def enrollments(self, tenant_id: str, cohort_id: str) -> list[EnrollmentView]:
        rows = self._session.execute(select(orm.enrollments).where(
            orm.enrollments.c.tenant_id == tenant_id, orm.enrollments.c.cohort_id == cohort_id)
            .order_by(orm.enrollments.c.enrollment_id)).mappings()
        return [_enrollment(row) for row in rows]

    def enrollments_of(self, tenant_id: str, person_id: str) -> list[EnrollmentView]:
        rows = self._session.execute(select(orm.enrollments).where(
            orm.enrollments.c.tenant_id == tenant_id, orm.enrollments.c.person_id == person_id)).mappings()
        return [_enrollment(row) for row in rows]

    def profiles(self, tenant_id: str, person_ids: Iterable[str]) -> dict[str, ProfileView]:
        wanted = sorted(set(person_ids))
        found: dict[str, ProfileView] = {}
        for start in range(0, len(wanted), 1000):  # bounded IN lists
            rows = self._session.execute(select(orm.person_profiles).where(
                orm.person_profiles.c.tenant_id == tenant_id,
                orm.person_profiles.c.person_id.in_(wanted[start:start + 1000]))).mappings()
            for row in rows:
                found[row["person_id"]] = ProfileView(row["person_id"], row["version"], row["employee_id"],
                                                      row["manager_employee_id"], row["department"], row["status"],
                                                      row["profile"])
        return found

    def profile(self, tenant_id: str, person_id: str) -> ProfileView | None:
        return self.profiles(tenant_id, [person_id]).get(person_id)

    def reporting_lines(self, tenant_id: str) -> dict[str, str | None]:
        """Every employee id in the tenant and their manager's: chains pass through people who are
        not enrolled."""
        table = orm.person_profiles
        rows = self._session.execute(select(table.c.employee_id, table.c.manager_employee_id).where(
            table.c.tenant_id == tenant_id, table.c.employee_id.is_not(None)))
        return {employee_id: manager for employee_id, manager in rows}


def _enrollment(row) -> EnrollmentView:
    return EnrollmentView(row["enrollment_id"], row["cohort_id"], row["person_id"], row["role"], row["status"],
                          row["version"], tuple(row["goals"]), row["goals_text"], dict(row["preferences"]),
                          row["mentors_wanted"])
