"""Cohorts: one run of a program, with its lifecycle status."""

from __future__ import annotations

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from mentoring_shared.db.records import page_query, row_by_key
from profiles.domain.cohorts import Cohort
from profiles.orm import cohorts
from profiles.repositories.dataclass_rows import fields_of


class CohortsRepository:
    """A tenant's cohorts."""

    def __init__(self, session: Session):
        self._session = session

    def add(self, cohort: Cohort) -> None:
        self._session.execute(insert(cohorts).values(**fields_of(cohort)))

    def save(self, cohort: Cohort) -> None:
        self._session.execute(update(cohorts).where(cohorts.c.tenant_id == cohort.tenant_id,
                                                    cohorts.c.id == cohort.id).values(**fields_of(cohort)))

    def get(self, tenant_id: str, cohort_id: str, for_update: bool = False) -> Cohort | None:
        row = row_by_key(self._session, cohorts, for_update, tenant_id=tenant_id, id=cohort_id)
        return Cohort(**row) if row else None

    def list(self, tenant_id: str, limit: int, after_id: str | None, program_id: str | None = None,
             status: str | None = None) -> list[Cohort]:
        query = page_query(cohorts, "id", tenant_id, limit=limit, after=after_id, program_id=program_id, status=status)
        return [Cohort(**row) for row in self._session.execute(query).mappings()]
