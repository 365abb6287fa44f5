"""Feedback's copy of the programs (from profiles' events: name, privacy threshold, pulse schedule)
and each program's own pair-health thresholds, which its organizers set here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from feedback import orm
from mentoring_shared.db.dialects import dialect_insert
from mentoring_shared.db.replica import NewerSnapshotUpsert

_SNAPSHOTS = NewerSnapshotUpsert(orm.programs, ["tenant_id", "program_id"])


class ProgramsRepository:
    def __init__(self, db: DbSession):
        self._db = db

    def apply_snapshot(self, program: dict[str, Any]) -> bool:
        """Keep this snapshot of a program unless a newer one is held. True if kept."""
        return _SNAPSHOTS.apply(self._db, program)

    def known(self, tenant_id: str, program_id: str) -> bool:
        table = orm.programs
        return self._db.execute(select(table.c.program_id).where(
            table.c.tenant_id == tenant_id, table.c.program_id == program_id)).first() is not None

    # --- a program's health thresholds ---
    def health_overrides(self, tenant_id: str, program_id: str) -> dict[str, Any]:
        table = orm.health_rules
        overrides = self._db.execute(select(table.c.overrides).where(
            table.c.tenant_id == tenant_id, table.c.program_id == program_id)).scalar()
        return overrides or {}

    def all_health_overrides(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Every program's overrides, by (tenant id, program id); programs on the defaults are absent."""
        table = orm.health_rules
        return {(tenant_id, program_id): overrides for tenant_id, program_id, overrides in self._db.execute(
            select(table.c.tenant_id, table.c.program_id, table.c.overrides))}

    def set_health_overrides(self, tenant_id: str, program_id: str, overrides: dict[str, Any], now: datetime,
                             by: str) -> None:
        """Set the program's overrides; none at all puts it back on the defaults."""
        table = orm.health_rules
        if not overrides:  # back to the defaults
            self._db.execute(delete(table).where(table.c.tenant_id == tenant_id, table.c.program_id == program_id))
            return
        values = {"tenant_id": tenant_id, "program_id": program_id, "overrides": overrides, "updated_at": now,
                  "updated_by": by}
        self._db.execute(dialect_insert(self._db, table).values(**values).on_conflict_do_update(
            index_elements=["tenant_id", "program_id"], set_={key: values[key] for key in
                                                              ("overrides", "updated_at", "updated_by")}))
