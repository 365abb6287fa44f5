"""Matching's copy of cohorts (`uow.cohorts`), kept from profiles' events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from matching import orm
from mentoring_shared.db.replica import NewerSnapshotUpsert
from mentoring_shared.event_order import held_version, is_stale


@dataclass(frozen=True)
class CohortView:
    cohort_id: str
    program_id: str
    name: str
    status: str
    version: int
    starts_on: date | None


_UPSERT = NewerSnapshotUpsert(orm.cohorts, ["tenant_id", "cohort_id"])


class CohortsRepository:
    def __init__(self, session: Session):
        self._session = session

    def get(self, tenant_id: str, cohort_id: str) -> CohortView | None:
        row = self._session.execute(select(orm.cohorts).where(
            orm.cohorts.c.tenant_id == tenant_id, orm.cohorts.c.cohort_id == cohort_id)).mappings().first()
        return None if row is None else CohortView(row["cohort_id"], row["program_id"], row["name"], row["status"],
                                                   row["version"], row["starts_on"])

    def store(self, row: dict[str, Any]) -> bool:
        """Keep a cohort snapshot unless a newer one is held. True if applied."""
        return _UPSERT.apply(self._session, row)

    def holds_newer_than(self, tenant_id: str, cohort_id: str, version: int) -> bool:
        """The copy is newer than `version`: a change at that version is stale (equal is not)."""
        return is_stale(version, held_version(self._session, orm.cohorts, tenant_id=tenant_id, cohort_id=cohort_id))

    def change_status(self, tenant_id: str, cohort_id: str, status: str, version: int) -> None:
        """The cohort's new status at `version`, if the copy is older (no row if unknown)."""
        table = orm.cohorts
        self._session.execute(update(table).where(
            table.c.tenant_id == tenant_id, table.c.cohort_id == cohort_id,
            table.c.version < version).values(status=status, version=version))
