"""Matching's copy of programs (`uow.programs`), kept from profiles' events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching import orm
from mentoring_shared.db.replica import NewerSnapshotUpsert


@dataclass(frozen=True)
class ProgramView:
    program_id: str
    name: str
    type: str
    matching_weights: dict[str, float]
    meeting_minutes: int
    version: int


_UPSERT = NewerSnapshotUpsert(orm.programs, ["tenant_id", "program_id"])


class ProgramsRepository:
    def __init__(self, session: Session):
        self._session = session

    def get(self, tenant_id: str, program_id: str) -> ProgramView | None:
        row = self._session.execute(select(orm.programs).where(
            orm.programs.c.tenant_id == tenant_id, orm.programs.c.program_id == program_id)).mappings().first()
        return None if row is None else ProgramView(row["program_id"], row["name"], row["type"],
                                                    dict(row["matching_weights"]), row["meeting_minutes"],
                                                    row["version"])

    def store(self, row: dict[str, Any]) -> bool:
        """Keep a program snapshot unless a newer one is held. True if applied."""
        return _UPSERT.apply(self._session, row)
