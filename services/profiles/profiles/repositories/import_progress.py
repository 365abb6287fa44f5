"""How far an HR import has come. Written each time in its own short transaction, beside the
import's (which commits all of it or nothing), so the client that sent the file can read it while
the import runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, select

from mentoring_shared.db.dialects import dialect_insert
from mentoring_shared.db.row_dicts import first_row_dict
from profiles.orm import hr_import_progress as progress_table

KEPT_FOR = timedelta(days=1)  # a client reads its import's progress while it runs, not later


class ImportProgressRepository:
    def __init__(self, engine: Engine):
        self._engine = engine

    @property
    def visible_during_import(self) -> bool:
        """Whether a report can be written while the import's transaction is open: not on SQLite,
        whose one writer is the import itself (a report would wait for it to commit)."""
        return self._engine.dialect.name == "postgresql"

    def report(self, tenant_id: str, progress_id: str, phase: str, done: int = 0, total: int = 0) -> None:
        row = {"tenant_id": tenant_id, "progress_id": progress_id, "phase": phase, "done": done, "total": total,
               "updated_at": datetime.now(UTC)}
        insert = dialect_insert(self._engine, progress_table)
        with self._engine.begin() as connection:
            connection.execute(insert.values(**row).on_conflict_do_update(
                index_elements=["tenant_id", "progress_id"],
                set_={name: row[name] for name in ("phase", "done", "total", "updated_at")}))

    def forget_old(self, tenant_id: str) -> None:
        cutoff = datetime.now(UTC) - KEPT_FOR
        with self._engine.begin() as connection:
            connection.execute(delete(progress_table).where(progress_table.c.tenant_id == tenant_id,
                                                            progress_table.c.updated_at < cutoff))

    def get(self, tenant_id: str, progress_id: str) -> dict[str, Any] | None:
        with self._engine.connect() as connection:
            return first_row_dict(connection.execute(select(progress_table).where(
                progress_table.c.tenant_id == tenant_id, progress_table.c.progress_id == progress_id)))
