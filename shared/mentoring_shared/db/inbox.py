"""Recording that a consumer group applied an event, so a redelivery is a no-op."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from mentoring_shared.messaging.envelope import Envelope


def applied_among(session: Session, inbox: Table, group: str, event_ids: list[str]) -> set[str]:
    """Which of `event_ids` the group has already applied (one query for a whole batch)."""
    rows = session.execute(select(inbox.c.event_id).where(
        inbox.c.consumer_group == group, inbox.c.event_id.in_(event_ids))).scalars()
    return set(rows)


def record_applied(session: Session, inbox: Table, group: str, envelopes: list[Envelope]) -> None:
    """Insert the inbox rows of a batch in one statement; a concurrent duplicate fails the
    transaction on the primary key."""
    now = datetime.now(timezone.utc)
    session.execute(insert(inbox), [
        {"consumer_group": group, "event_id": envelope.id, "event_type": envelope.type,
         "tenant_id": envelope.tenant_id, "processed_at": now} for envelope in envelopes])
