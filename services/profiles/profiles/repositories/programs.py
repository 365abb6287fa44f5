"""Programs: a type, matching weights, a meeting cadence, a term, surveys and privacy settings."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from mentoring_shared.db.records import page_query
from profiles.domain.programs import Program
from profiles.orm import programs
from profiles.repositories.dataclass_rows import fields_of


class ProgramsRepository:
    """A tenant's programs."""

    def __init__(self, session: Session):
        self._session = session

    def add(self, program: Program) -> None:
        self._session.execute(insert(programs).values(**_program_row(program)))

    def save(self, program: Program) -> None:
        self._session.execute(update(programs).where(programs.c.tenant_id == program.tenant_id,
                                                     programs.c.id == program.id).values(**_program_row(program)))

    def get(self, tenant_id: str, program_id: str) -> Program | None:
        row = self._session.execute(select(programs).where(programs.c.tenant_id == tenant_id,
                                                           programs.c.id == program_id)).mappings().first()
        return Program(**row) if row else None

    def list(self, tenant_id: str, limit: int, after_id: str | None) -> list[Program]:
        query = page_query(programs, "id", tenant_id, limit=limit, after=after_id)
        return [Program(**row) for row in self._session.execute(query).mappings()]


def _program_row(program: Program) -> dict:
    row = fields_of(program)
    row["matching_weights"] = dict(program.matching_weights)
    return row
