"""Mentorships: a confirmed match's meeting plan (cadence, meeting length, term) and its state."""

from __future__ import annotations

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from mentoring_shared.db.records import RecordMapping, page_query, row_by_key
from scheduling import orm
from scheduling.domain.mentorships import Mentorship

MENTORSHIPS = RecordMapping(Mentorship, "mentorship_id")


class MentorshipsRepository:
    def __init__(self, session: Session):
        self._db = session

    def add(self, mentorship: Mentorship) -> bool:
        """False if it is already there (a redelivered match-confirmed)."""
        if self.get(mentorship.tenant_id, mentorship.id) is not None:
            return False
        self._db.execute(insert(orm.mentorships), [MENTORSHIPS.row(mentorship)])
        return True

    def save(self, mentorship: Mentorship) -> None:
        self._db.execute(update(orm.mentorships).where(orm.mentorships.c.mentorship_id == mentorship.id)
                         .values(**MENTORSHIPS.row(mentorship)))

    def get(self, tenant_id: str, mentorship_id: str, for_update: bool = False) -> Mentorship | None:
        row = row_by_key(self._db, orm.mentorships, for_update, tenant_id=tenant_id, mentorship_id=mentorship_id)
        return None if row is None else MENTORSHIPS.record(row)

    def page(self, tenant_id: str, *, limit: int, after: str | None = None, cohort_id: str | None = None,
             person_id: str | None = None, status: str | None = None) -> list[Mentorship]:
        """By id, after `after`: of a cohort, a person (as mentee or mentor), a status."""
        query = page_query(orm.mentorships, "mentorship_id", tenant_id, limit=limit, after=after,
                           involving=person_id, cohort_id=cohort_id, status=status)
        return [MENTORSHIPS.record(row) for row in self._db.execute(query).mappings()]

    def of_person(self, tenant_id: str, person_id: str) -> list[Mentorship]:
        return self.page(tenant_id, limit=10_000, person_id=person_id)
