"""Recording that a consumer group applied an event, so a redelivery is a no-op."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from mentoring_shared.messaging.envelope import Envelope


def already_applied(session: Session, inbox: Table, group: str, event_id: str) -> bool:
    row = session.execute(select(inbox.c.event_id).where(
        inbox.c.consumer_group == group, inbox.c.event_id == event_id)).first()
    return row is not None


def record_applied(session: Session, inbox: Table, group: str, envelope: Envelope) -> None:
    """Insert the inbox row; a concurrent duplicate fails the transaction on the primary key."""
    session.execute(insert(inbox).values(
        consumer_group=group, event_id=envelope.id, event_type=envelope.type,
        tenant_id=envelope.tenant_id, processed_at=datetime.now(timezone.utc)))
