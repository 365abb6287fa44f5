"""The event envelope, in the shape of CloudEvents 1.0 (JSON format).

Extension attributes (lowercase, as CloudEvents requires): `tenantid`, `correlationid`,
`causationid`. The envelope travels as the Kafka value; the key is the subject (aggregate id)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

import orjson

from mentoring_shared.ids import new_id

STRING_ATTRIBUTES = ("specversion", "id", "type", "source", "subject", "time", "tenantid")
OPTIONAL_STRING_ATTRIBUTES = ("correlationid", "causationid")


class MalformedEnvelope(ValueError):
    """The bytes are not an event this platform can read: never retried, sent to dead letters."""


def _is_text(value: object) -> bool:
    """A non-empty string (orjson gives exact types, so `type() is` suffices and is faster)."""
    return type(value) is str and value != ""


class Envelope(NamedTuple):
    """One event. A named tuple, not a frozen dataclass: every consumer builds two per event (read,
    then with its payload loaded), and a tuple is built in a third of a frozen dataclass's time."""

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
            correlation_id: str | None = None, causation_id: str | None = None,
            time: str | None = None) -> "Envelope":
        """A new event, at `time` (see `now`) or now."""
        event_id = new_id()
        return cls(id=event_id, type=type, source=source, subject=subject, time=time or cls.now(),
                   tenant_id=tenant_id, data=data,
                   # The first event of a chain starts its own correlation.
                   correlation_id=correlation_id or event_id, causation_id=causation_id)

    @staticmethod
    def now() -> str:
        """The current instant as an envelope's `time` (ISO 8601, microseconds, UTC). A transaction
        that publishes many events (an HR import: thousands) takes it once for all of them: it
        costs about as much as the event's id."""
        return datetime.now(UTC).isoformat(timespec="microseconds")

    def with_data(self, data: dict[str, Any]) -> "Envelope":
        """The same event carrying `data` (its payload as loaded). Built directly: _replace costs
        1.7 times as much, and a consumer does this for every event."""
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
        # Keys in the order they were built (sorting them cost 1.5 µs an event, for no reader).
        return orjson.dumps(self.to_dict()).decode()

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
        for name in STRING_ATTRIBUTES:  # a loop, not a comprehension: this runs for every event read
            if not _is_text(document.get(name)):
                missing = [k for k in STRING_ATTRIBUTES if not _is_text(document.get(k))]
                raise MalformedEnvelope(f"missing or non-string attributes: {', '.join(missing)}")
        for name in OPTIONAL_STRING_ATTRIBUTES:
            if document.get(name) is not None and type(document[name]) is not str:
                raise MalformedEnvelope(f"non-string attribute: {name}")
        if document["specversion"] != "1.0" or type(document.get("data")) is not dict:
            raise MalformedEnvelope("specversion must be 1.0 and data an object")
        return cls(document["id"], document["type"], document["source"], document["subject"], document["time"],
                   document["tenantid"], document["data"], document.get("correlationid"),
                   document.get("causationid"))
