"""Feedback's copy of the mentoring sessions (from scheduling's events): what pair health and the
reports count."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session as DbSession

from feedback import orm
from mentoring_shared.db.replica import NewerSnapshotUpsert

_SNAPSHOTS = NewerSnapshotUpsert(orm.sessions, ["session_id"])


class MentoringSessionsRepository:
    def __init__(self, db: DbSession):
        self._db = db

    def apply_snapshot(self, session: dict[str, Any]) -> bool:
        """Keep this snapshot of a session unless a newer one is held. True if kept."""
        return _SNAPSHOTS.apply(self._db, session)
