"""Local copies of another service's aggregates, built from snapshot events.

Snapshots carry the aggregate's version. Applying only a newer version makes the copy correct
whatever order or number of times the snapshots arrive (a relay retry can reorder them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from mentoring_shared.db.dialects import dialect_insert


class NewerSnapshotUpsert:
    """One statement, `INSERT … ON CONFLICT (key) DO UPDATE … WHERE stored.version < new.version`,
    built once per table and dialect and reused for every snapshot (no read before the write)."""

    def __init__(self, table: Table, key_columns: list[str]):
        self._table = table
        self._key_columns = key_columns
        self._statements: dict[str, Any] = {}

    def apply(self, session: Session, row: dict[str, Any]) -> bool:
        """Store `row` (key columns, `version` and values) unless a newer version is stored. True if applied."""
        # RETURNING, not rowcount: psycopg reports -1 for an INSERT … ON CONFLICT through SQLAlchemy.
        return session.execute(self._statement(session), row).first() is not None

    def _statement(self, session: Session):
        dialect = session.get_bind().dialect.name
        statement = self._statements.get(dialect)
        if statement is None:
            insert = dialect_insert(session, self._table)
            updates = {column.name: insert.excluded[column.name] for column in self._table.columns
                       if column.name not in self._key_columns}
            statement = insert.on_conflict_do_update(
                index_elements=self._key_columns, set_=updates,
                where=self._table.c.version < insert.excluded.version,
            ).returning(self._table.c.version)
            self._statements[dialect] = statement
        return statement
