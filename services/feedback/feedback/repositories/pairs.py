"""Feedback's copy of the pairs, with their health, and the programs' own health thresholds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
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

    def pairs_of_person(self, tenant_id: str, person_id: str) -> list[dict[str, Any]]:
        """The pairs the person is mentor or mentee in, with their health."""
        table = orm.pairs
        rows = self._db.execute(select(table).where(
            table.c.tenant_id == tenant_id, (table.c.mentee_id == person_id) | (table.c.mentor_id == person_id))
            .order_by(table.c.confirmed_at, table.c.match_id)).mappings()
        return [dict(row) for row in rows]

    # --- from matching's events: each write holds the match's version, so an older event is ignored ---
    def add_confirmed(self, tenant_id: str, match: dict[str, Any]) -> bool:
        """A confirmed match becomes an active pair, unless the pair is known already (this
        confirmation again, or its end, which arrived first). True if added."""
        return self._add_if_absent({
            **self._pair_of(tenant_id, match), "status": "active", "confirmed_at": match["confirmed_at"],
            "match_version": match["version"]})

    def record_end(self, tenant_id: str, match: dict[str, Any]) -> bool:
        """The match ended: so does the pair, unless it already holds this end (or a later state of
        the match). A pair not known yet is kept as ended, so that its late confirmation is ignored:
        known only from its end, it was confirmed and ended at once. True if the end is news."""
        table = orm.pairs
        ended = {"status": "ended", "ended_at": match["ended_at"], "end_reason": match["reason"],
                 "match_version": match["version"]}
        updated = self._db.execute(update(table).where(
            table.c.tenant_id == tenant_id, table.c.match_id == match["match_id"],
            table.c.match_version < match["version"]).values(**ended).returning(table.c.match_id))
        if updated.first() is not None:
            return True
        return self._add_if_absent({**self._pair_of(tenant_id, match), "confirmed_at": match["ended_at"], **ended})

    def _add_if_absent(self, row: dict[str, Any]) -> bool:
        added = self._db.execute(dialect_insert(self._db, orm.pairs).values(
            health="on_track", health_reasons=[], **row).on_conflict_do_nothing(index_elements=["match_id"])
            .returning(orm.pairs.c.match_id))
        return added.first() is not None

    @staticmethod
    def _pair_of(tenant_id: str, match: dict[str, Any]) -> dict[str, Any]:
        return {"match_id": match["match_id"], "tenant_id": tenant_id, "cohort_id": match["cohort_id"],
                "program_id": match["program_id"], "mentee_id": match["mentee_id"], "mentor_id": match["mentor_id"]}

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
