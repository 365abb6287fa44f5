"""The event envelope, in the shape of CloudEvents 1.0 (JSON format).

Extension attributes (lowercase, as CloudEvents requires): `tenantid`, `correlationid`,
`causationid`. The envelope travels as the Kafka value; the key is the subject (aggregate id)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from mentoring_shared.ids import new_id

STRING_ATTRIBUTES = ("specversion", "id", "type", "source", "subject", "time", "tenantid")


class MalformedEnvelope(ValueError):
    """The bytes are not an event this platform can read: never retried, sent to dead letters."""


@dataclass(frozen=True)
class Envelope:
    id: str
    type: str
    source: str
    subject: str
    time: str
    tenant_id: str
    data: dict[str, Any]
    correlation_id: str | None = None
    causation_id: str | None = None

    @classmethod
    def new(cls, *, type: str, source: str, subject: str, tenant_id: str, data: dict[str, Any],
            correlation_id: str | None = None, causation_id: str | None = None) -> "Envelope":
        event_id = new_id()
        return cls(id=event_id, type=type, source=source, subject=subject,
                   time=datetime.now(UTC).isoformat(timespec="microseconds"),
                   tenant_id=tenant_id, data=data,
                   # The first event of a chain starts its own correlation.
                   correlation_id=correlation_id or event_id, causation_id=causation_id)

    def with_data(self, data: dict[str, Any]) -> "Envelope":
        """The same event carrying `data` (its payload as loaded). Built directly: a consumer does
        this for every event, and dataclasses.replace costs twice as much."""
        return Envelope(self.id, self.type, self.source, self.subject, self.time, self.tenant_id, data,
                        self.correlation_id, self.causation_id)

    def to_dict(self) -> dict[str, Any]:
        document = {
            "specversion": "1.0", "id": self.id, "type": self.type, "source": self.source,
            "subject": self.subject, "time": self.time, "datacontenttype": "application/json",
            "tenantid": self.tenant_id, "correlationid": self.correlation_id, "data": self.data,
        }
        if self.causation_id:
            document["causationid"] = self.causation_id
        return document

    def to_json(self) -> str:
        return orjson.dumps(self.to_dict(), option=orjson.OPT_SORT_KEYS).decode()

    @classmethod
    def from_json(cls, raw: bytes | str | None) -> "Envelope":
        if raw is None:
            raise MalformedEnvelope("no value (a tombstone)")
        try:
            document = orjson.loads(raw)
        except (ValueError, TypeError) as error:  # orjson.JSONDecodeError is a ValueError
            raise MalformedEnvelope(f"not JSON: {error}") from None
        if not isinstance(document, dict):
            raise MalformedEnvelope("not a JSON object")
        missing = [k for k in STRING_ATTRIBUTES if not isinstance(document.get(k), str) or not document[k]]
        if missing:
            raise MalformedEnvelope(f"missing or non-string attributes: {', '.join(missing)}")
        optional = [k for k in ("correlationid", "causationid") if not isinstance(document.get(k) or "", str)]
        if optional:
            raise MalformedEnvelope(f"non-string attributes: {', '.join(optional)}")
        if document["specversion"] != "1.0" or not isinstance(document.get("data"), dict):
            raise MalformedEnvelope("specversion must be 1.0 and data an object")
        return cls(id=document["id"], type=document["type"], source=document["source"],
                   subject=document["subject"], time=document["time"], tenant_id=document["tenantid"],
                   data=document["data"], correlation_id=document.get("correlationid"),
                   causation_id=document.get("causationid"))
