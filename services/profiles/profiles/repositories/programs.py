"""Programs, cohorts and enrollments: the structure people take part in."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from profiles.domain.cohorts import Cohort
from profiles.domain.enrollments import Enrollment, Preferences
from profiles.domain.programs import Program
from profiles.orm import cohorts, enrollments, programs


class ProgramsRepository:
    """Programs, their cohorts and the cohorts' enrollments, within one tenant."""

    def __init__(self, session: Session):
        self._session = session

    # programs
    def add_program(self, program: Program) -> None:
        self._session.execute(insert(programs).values(**_program_row(program)))

    def save_program(self, program: Program) -> None:
        self._session.execute(update(programs).where(programs.c.tenant_id == program.tenant_id,
                                                     programs.c.id == program.id).values(**_program_row(program)))

    def program(self, tenant_id: str, program_id: str) -> Program | None:
        row = self._session.execute(select(programs).where(programs.c.tenant_id == tenant_id,
                                                           programs.c.id == program_id)).mappings().first()
        return Program(**row) if row else None

    def list_programs(self, tenant_id: str, limit: int, after_id: str | None) -> list[Program]:
        query = select(programs).where(programs.c.tenant_id == tenant_id)
        if after_id:
            query = query.where(programs.c.id > after_id)
        return [Program(**row) for row in self._session.execute(query.order_by(programs.c.id).limit(limit)).mappings()]

    # cohorts
    def add_cohort(self, cohort: Cohort) -> None:
        self._session.execute(insert(cohorts).values(**_fields(cohort)))

    def save_cohort(self, cohort: Cohort) -> None:
        self._session.execute(update(cohorts).where(cohorts.c.tenant_id == cohort.tenant_id,
                                                    cohorts.c.id == cohort.id).values(**_fields(cohort)))

    def cohort(self, tenant_id: str, cohort_id: str, for_update: bool = False) -> Cohort | None:
        query = select(cohorts).where(cohorts.c.tenant_id == tenant_id, cohorts.c.id == cohort_id)
        row = self._session.execute(query.with_for_update() if for_update else query).mappings().first()
        return Cohort(**row) if row else None

    def list_cohorts(self, tenant_id: str, limit: int, after_id: str | None, program_id: str | None = None,
                     status: str | None = None) -> list[Cohort]:
        query = select(cohorts).where(cohorts.c.tenant_id == tenant_id)
        if program_id:
            query = query.where(cohorts.c.program_id == program_id)
        if status:
            query = query.where(cohorts.c.status == status)
        if after_id:
            query = query.where(cohorts.c.id > after_id)
        return [Cohort(**row) for row in self._session.execute(query.order_by(cohorts.c.id).limit(limit)).mappings()]

    # enrollments
    def add_enrollment(self, enrollment: Enrollment) -> None:
        self._session.execute(insert(enrollments).values(**_enrollment_row(enrollment)))

    def save_enrollment(self, enrollment: Enrollment) -> None:
        self._session.execute(update(enrollments).where(enrollments.c.tenant_id == enrollment.tenant_id,
                                                        enrollments.c.id == enrollment.id)
                              .values(**_enrollment_row(enrollment)))

    def enrollment(self, tenant_id: str, enrollment_id: str) -> Enrollment | None:
        row = self._session.execute(select(enrollments).where(enrollments.c.tenant_id == tenant_id,
                                                              enrollments.c.id == enrollment_id)).mappings().first()
        return _enrollment(row) if row else None

    def enrollments_of(self, tenant_id: str, person_id: str) -> list[Enrollment]:
        rows = self._session.execute(select(enrollments).where(enrollments.c.tenant_id == tenant_id,
                                                               enrollments.c.person_id == person_id)
                                     .order_by(enrollments.c.id)).mappings()
        return [_enrollment(row) for row in rows]

    def is_enrolled(self, tenant_id: str, cohort_id: str, person_id: str, role: str) -> bool:
        return self._session.execute(select(enrollments.c.id).where(
            enrollments.c.tenant_id == tenant_id, enrollments.c.cohort_id == cohort_id,
            enrollments.c.person_id == person_id, enrollments.c.role == role,
            enrollments.c.status == "enrolled")).first() is not None

    def list_enrollments(self, tenant_id: str, cohort_id: str, limit: int, after_id: str | None,
                         role: str | None = None, status: str | None = None) -> list[Enrollment]:
        query = select(enrollments).where(enrollments.c.tenant_id == tenant_id, enrollments.c.cohort_id == cohort_id)
        if role:
            query = query.where(enrollments.c.role == role)
        if status:
            query = query.where(enrollments.c.status == status)
        if after_id:
            query = query.where(enrollments.c.id > after_id)
        rows = self._session.execute(query.order_by(enrollments.c.id).limit(limit)).mappings()
        return [_enrollment(row) for row in rows]


def _fields(item) -> dict:
    return {name: getattr(item, name) for name in item.__dataclass_fields__}


def _program_row(program: Program) -> dict:
    row = _fields(program)
    row["matching_weights"] = dict(program.matching_weights)
    return row


def _enrollment_row(enrollment: Enrollment) -> dict:
    row = _fields(enrollment)
    row["goals"] = list(enrollment.goals)
    row["preferences"] = enrollment.preferences.as_dict()
    return row


def _enrollment(row) -> Enrollment:
    values = dict(row)
    preferences = values.pop("preferences")
    return Enrollment(**{**values, "goals": tuple(values["goals"]),
                         "preferences": Preferences(**{k: tuple(v) for k, v in preferences.items()})})
