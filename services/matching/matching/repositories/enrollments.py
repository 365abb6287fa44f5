"""Matching's copy of enrollments (`uow.enrollments`), kept from profiles' events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from matching import orm
from mentoring_shared.db.dialects import dialect_insert
from mentoring_shared.db.replica import NewerSnapshotUpsert

# A withdrawn or erased participant's goals and preferences are no longer needed: keep none of them.
NOTHING_PERSONAL: dict[str, Any] = {"goals": [], "goals_text": None,
                    "preferences": {"skills": [], "languages": [], "departments": [], "avoid_person_ids": []}}


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


_UPSERT = NewerSnapshotUpsert(orm.enrollments, ["tenant_id", "enrollment_id"])


class EnrollmentsRepository:
    def __init__(self, session: Session):
        self._session = session

    def of_cohort(self, tenant_id: str, cohort_id: str) -> list[EnrollmentView]:
        rows = self._session.execute(select(orm.enrollments).where(
            orm.enrollments.c.tenant_id == tenant_id, orm.enrollments.c.cohort_id == cohort_id)
            .order_by(orm.enrollments.c.enrollment_id)).mappings()
        return [_enrollment(row) for row in rows]

    def of_person(self, tenant_id: str, person_id: str) -> list[EnrollmentView]:
        rows = self._session.execute(select(orm.enrollments).where(
            orm.enrollments.c.tenant_id == tenant_id, orm.enrollments.c.person_id == person_id)).mappings()
        return [_enrollment(row) for row in rows]

    def store(self, row: dict[str, Any]) -> bool:
        """Keep an enrollment snapshot unless a newer one is held. True if applied."""
        return _UPSERT.apply(self._session, row)

    def forget_personal_details_of(self, tenant_id: str, person_id: str) -> None:
        """An erased person's enrollments keep no goals or preferences."""
        table = orm.enrollments
        self._session.execute(update(table).where(table.c.tenant_id == tenant_id, table.c.person_id == person_id)
                              .values(**NOTHING_PERSONAL))

    def record_withdrawal(self, tenant_id: str, enrollment_id: str, cohort_id: str, person_id: str, role: str,
                          version: int) -> bool:
        """The enrollment is withdrawn, unless the copy holds this version already. One not known yet is
        recorded as withdrawn, so that its creation, arriving late, is ignored. True if applied."""
        table = orm.enrollments
        withdrawn = {"status": "withdrawn", "version": version, **NOTHING_PERSONAL}
        updated = self._session.execute(update(table).where(
            table.c.tenant_id == tenant_id, table.c.enrollment_id == enrollment_id,
            table.c.version < version).values(**withdrawn).returning(table.c.enrollment_id))
        if updated.first() is not None:
            return True
        added = self._session.execute(dialect_insert(self._session, table).values(
            tenant_id=tenant_id, enrollment_id=enrollment_id, cohort_id=cohort_id,
            person_id=person_id, role=role, mentors_wanted=1, **withdrawn)
            .on_conflict_do_nothing(index_elements=["tenant_id", "enrollment_id"]).returning(table.c.enrollment_id))
        return added.first() is not None


def _enrollment(row) -> EnrollmentView:
    return EnrollmentView(row["enrollment_id"], row["cohort_id"], row["person_id"], row["role"], row["status"],
                          row["version"], tuple(row["goals"]), row["goals_text"], dict(row["preferences"]),
                          row["mentors_wanted"])
