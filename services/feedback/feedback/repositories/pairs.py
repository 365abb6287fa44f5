"""Feedback's copy of the pairs, with their health, and the programs' own health thresholds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from mentoring_shared.db.dialects import dialect_insert

from feedback import orm
from feedback.domain.goals import Pair

_PAIR_FIELDS = ("match_id", "tenant_id", "cohort_id", "program_id", "mentee_id", "mentor_id", "status")


class Pairs:
    def __init__(self, db: DbSession):
        self._db = db

    def pair(self, tenant_id: str, match_id: str) -> Pair | None:
        table = orm.pairs
        row = self._db.execute(select(*(table.c[name] for name in _PAIR_FIELDS)).where(
            table.c.tenant_id == tenant_id, table.c.match_id == match_id)).mappings().first()
        return None if row is None else Pair(**row)

    def pair_with_health(self, tenant_id: str, match_id: str) -> dict[str, Any] | None:
        table = orm.pairs
        row = self._db.execute(select(table).where(table.c.tenant_id == tenant_id, table.c.match_id == match_id)
                               ).mappings().first()
        return None if row is None else dict(row)

    def program_known(self, tenant_id: str, program_id: str) -> bool:
        table = orm.programs
        return self._db.execute(select(table.c.program_id).where(
            table.c.tenant_id == tenant_id, table.c.program_id == program_id)).first() is not None

    def pairs_of_cohort(self, tenant_id: str, cohort_id: str, *, limit: int, after: str | None,
                        health: str | None, status: str | None) -> list[dict[str, Any]]:
        """Each pair with its latest health verdict and the reasons, in match id order."""
        table = orm.pairs
        query = select(table).where(table.c.tenant_id == tenant_id, table.c.cohort_id == cohort_id)
        if health:
            query = query.where(table.c.health == health)
        if status:
            query = query.where(table.c.status == status)
        if after:
            query = query.where(table.c.match_id > after)
        return [dict(row) for row in self._db.execute(query.order_by(table.c.match_id).limit(limit)).mappings()]

    # --- a program's health thresholds ---
    def health_overrides(self, tenant_id: str, program_id: str) -> dict[str, Any]:
        table = orm.health_rules
        overrides = self._db.execute(select(table.c.overrides).where(
            table.c.tenant_id == tenant_id, table.c.program_id == program_id)).scalar()
        return overrides or {}

    def all_health_overrides(self) -> dict[tuple[str, str], dict[str, Any]]:
        table = orm.health_rules
        return {(tenant_id, program_id): overrides for tenant_id, program_id, overrides in self._db.execute(
            select(table.c.tenant_id, table.c.program_id, table.c.overrides))}

    def set_health_overrides(self, tenant_id: str, program_id: str, overrides: dict[str, Any], now: datetime,
                             by: str) -> None:
        table = orm.health_rules
        if not overrides:  # back to the defaults
            self._db.execute(delete(table).where(table.c.tenant_id == tenant_id, table.c.program_id == program_id))
            return
        values = {"tenant_id": tenant_id, "program_id": program_id, "overrides": overrides, "updated_at": now,
                  "updated_by": by}
        self._db.execute(dialect_insert(self._db, table).values(**values).on_conflict_do_update(
            index_elements=["tenant_id", "program_id"], set_={key: values[key] for key in
                                                              ("overrides", "updated_at", "updated_by")}))
