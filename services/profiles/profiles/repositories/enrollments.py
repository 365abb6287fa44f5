"""Enrollments: a person in a cohort with a role, goals and preferences."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from mentoring_shared.db.records import page_query
from profiles.domain.enrollments import Enrollment, Preferences
from profiles.orm import enrollments
from profiles.repositories.dataclass_rows import fields_of


class EnrollmentsRepository:
    """A tenant's enrollments."""

    def __init__(self, session: Session):
        self._session = session

    def add(self, enrollment: Enrollment) -> None:
        self._session.execute(insert(enrollments).values(**_enrollment_row(enrollment)))

    def save(self, enrollment: Enrollment) -> None:
        self._session.execute(update(enrollments).where(enrollments.c.tenant_id == enrollment.tenant_id,
                                                        enrollments.c.id == enrollment.id)
                              .values(**_enrollment_row(enrollment)))

    def get(self, tenant_id: str, enrollment_id: str) -> Enrollment | None:
        row = self._session.execute(select(enrollments).where(enrollments.c.tenant_id == tenant_id,
                                                              enrollments.c.id == enrollment_id)).mappings().first()
        return _enrollment(row) if row else None

    def of_person(self, tenant_id: str, person_id: str) -> list[Enrollment]:
        rows = self._session.execute(select(enrollments).where(enrollments.c.tenant_id == tenant_id,
                                                               enrollments.c.person_id == person_id)
                                     .order_by(enrollments.c.id)).mappings()
        return [_enrollment(row) for row in rows]

    def is_enrolled(self, tenant_id: str, cohort_id: str, person_id: str, role: str) -> bool:
        return self._session.execute(select(enrollments.c.id).where(
            enrollments.c.tenant_id == tenant_id, enrollments.c.cohort_id == cohort_id,
            enrollments.c.person_id == person_id, enrollments.c.role == role,
            enrollments.c.status == "enrolled")).first() is not None

    def list_in_cohort(self, tenant_id: str, cohort_id: str, limit: int, after_id: str | None,
                       role: str | None = None, status: str | None = None) -> list[Enrollment]:
        query = page_query(enrollments, "id", tenant_id, limit=limit, after=after_id, cohort_id=cohort_id, role=role,
                           status=status)
        rows = self._session.execute(query).mappings()
        return [_enrollment(row) for row in rows]


def _enrollment_row(enrollment: Enrollment) -> dict:
    row = fields_of(enrollment)
    row["goals"] = list(enrollment.goals)
    row["preferences"] = enrollment.preferences.as_dict()
    return row


def _enrollment(row) -> Enrollment:
    values = dict(row)
    preferences = values.pop("preferences")
    return Enrollment(**{**values, "goals": tuple(values["goals"]),
                         "preferences": Preferences(**{k: tuple(v) for k, v in preferences.items()})})
