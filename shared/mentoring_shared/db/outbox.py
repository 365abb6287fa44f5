"""Writing events to the outbox, inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from mentoring_shared.messaging.envelope import Envelope


def add_to_outbox(session: Session, outbox: Table, topic: str, envelope: Envelope) -> None:
    session.execute(insert(outbox).values(
        event_id=envelope.id,
        tenant_id=envelope.tenant_id,
        topic=topic,
        message_key=envelope.subject,
        event_type=envelope.type,
        envelope=envelope.to_json(),
        created_at=datetime.now(timezone.utc),
    ))
