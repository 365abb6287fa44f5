"""What a domain state change returns: the facts to publish. Plain data, no Kafka."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DomainEvent:
    type: str          # a contract's versioned type, e.g. profiles.person.upserted.v1
    tenant_id: str
    subject: str       # the aggregate's id: the message key, so one aggregate's events stay in order
    data: dict[str, Any]
