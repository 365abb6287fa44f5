"""Writing events to the outbox, inside the caller's transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Table, delete
from sqlalchemy.orm import Session

from mentoring_shared.db.bulk import insert_many
from mentoring_shared.db.engine import rows_affected
from mentoring_shared.messaging.envelope import Envelope


def add_to_outbox(session: Session, outbox: Table, messages: list[tuple[str, Envelope]]) -> None:
    """Add (topic, envelope) pairs to the outbox in one go, in order."""
    if not messages:
        return
    now = datetime.now(UTC)
    insert_many(session, outbox, [
        {"event_id": envelope.id, "tenant_id": envelope.tenant_id, "topic": topic,
         "message_key": envelope.subject, "event_type": envelope.type, "envelope": envelope.to_json(),
         "created_at": now}
        for topic, envelope in messages])


def forget_subjects(session: Session, outbox: Table, tenant_id: str, subjects: list[str]) -> int:
    """Delete the outbox rows of these aggregates (sent or not): after a person's erasure their old
    events must not be sent again, nor kept. Returns how many rows went."""
    removed = 0
    for start in range(0, len(subjects), 1000):  # bounded IN lists
        removed += rows_affected(session.execute(delete(outbox).where(
            outbox.c.tenant_id == tenant_id, outbox.c.message_key.in_(subjects[start:start + 1000]))))
    return removed
