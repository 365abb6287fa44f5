"""Local copies of another service's aggregates, built from snapshot events.

Snapshots carry the aggregate's version. Applying only a newer version makes the copy correct
whatever order or number of times the snapshots arrive (a relay retry can reorder them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, and_, insert, select, update
from sqlalchemy.orm import Session


def upsert_if_newer(session: Session, table: Table, key: dict[str, Any], version: int, values: dict[str, Any]) -> bool:
    """Insert the row, or update it if `version` is newer than the stored one. True if applied."""
    match = and_(*(table.c[name] == value for name, value in key.items()))
    stored = session.execute(select(table.c.version).where(match)).scalar_one_or_none()
    if stored is None:
        session.execute(insert(table).values(**key, **values, version=version))
        return True
    if version <= stored:
        return False
    session.execute(update(table).where(match).values(**values, version=version))
    return True
