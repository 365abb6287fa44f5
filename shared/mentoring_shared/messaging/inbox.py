"""Recording that a consumer group applied an event, so a redelivery is a no-op."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Table, delete, select, tuple_
from sqlalchemy.orm import Session

from mentoring_shared.db.bulk import insert_many
from mentoring_shared.db.dialects import among
from mentoring_shared.db.engine import for_writing, rows_affected
from mentoring_shared.messaging.envelope import Envelope


def applied_among(session: Session, inbox: Table, group: str, event_ids: list[str]) -> set[str]:
    """Which of `event_ids` the group has already applied (one query for a whole batch)."""
    rows = session.execute(select(inbox.c.event_id).where(
        inbox.c.consumer_group == group, among(session, inbox.c.event_id, event_ids))).scalars()
    return set(rows)


def record_applied(session: Session, inbox: Table, group: str, envelopes: list[Envelope]) -> None:
    """Insert the inbox rows of a batch at once (COPY for a large batch on PostgreSQL); a concurrent
    duplicate fails the transaction on the primary key."""
    now = datetime.now(UTC)
    insert_many(session, inbox, [
        {"consumer_group": group, "event_id": envelope.id, "event_type": envelope.type,
         "tenant_id": envelope.tenant_id, "processed_at": now} for envelope in envelopes])


def prune_inbox(session: Session, inbox: Table, older_than: datetime, batch: int = 5000) -> int:
    """Delete the rows of events applied before `older_than`, oldest first, committing every `batch`
    rows so no transaction grows with the backlog. Returns how many were deleted. Rows another
    pruner holds are skipped (PostgreSQL), so replicas pruning at once neither wait nor deadlock."""
    deleted = 0
    while True:
        oldest = (select(inbox.c.consumer_group, inbox.c.event_id)
                  .where(inbox.c.processed_at < older_than)
                  .order_by(inbox.c.processed_at)
                  .limit(batch)
                  .with_for_update(skip_locked=True))
        count = rows_affected(for_writing(session).execute(
            delete(inbox).where(tuple_(inbox.c.consumer_group, inbox.c.event_id).in_(oldest))))
        session.commit()
        deleted += count
        if count < batch:
            return deleted
