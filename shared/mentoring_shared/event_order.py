"""Events older than what a consumer already holds.

After a broker loses its log, each producer republishes its outbox's retention window: consumers
see events again, and an event the inbox no longer remembers may arrive after a newer one of the
same aggregate. Order-sensitive events carry their aggregate's version; a handler compares it with
the version kept beside its copy and ignores the older event."""

from __future__ import annotations

from sqlalchemy import Table, select
from sqlalchemy.orm import Session


def is_stale(event_version: int | None, held_version: int | None) -> bool:
    """True if the copy held is newer than the event. Equal is not stale: a producer may send a
    snapshot and a change event at one version. Without a version (an event from before its
    producer sent one) or without a copy, the event applies as it always did."""
    return event_version is not None and held_version is not None and event_version < held_version


def held_version(session: Session, table: Table, **key: str) -> int | None:
    """The version kept beside a consumer's copy of an aggregate (`table.version`), or None."""
    query = select(table.c.version)
    for column, value in key.items():
        query = query.where(table.c[column] == value)
    return session.execute(query).scalar_one_or_none()
