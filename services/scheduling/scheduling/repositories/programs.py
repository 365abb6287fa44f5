"""Scheduling's copy of programs (from profiles' events): the cadence, meeting length and term a
new mentorship's plan takes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from mentoring_shared.db.replica import NewerSnapshotUpsert
from scheduling import orm

_UPSERT = NewerSnapshotUpsert(orm.programs, ["tenant_id", "program_id"])


class ProgramsRepository:
    def __init__(self, session: Session):
        self._session = session

    def program(self, tenant_id: str, program_id: str) -> dict | None:
        table = orm.programs
        row = self._session.execute(table.select().where(
            table.c.tenant_id == tenant_id, table.c.program_id == program_id)).mappings().first()
        return None if row is None else dict(row)

    def apply_snapshot(self, program: dict) -> bool:
        """Store the program's snapshot (tenant_id, program_id, version, name, meeting_cadence,
        meeting_minutes, term_months) unless a newer version is held; True if applied."""
        return _UPSERT.apply(self._session, program)
