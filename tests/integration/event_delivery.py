"""Delivering events straight to a service's real handlers, in whatever order a test needs: the
payload is checked as its producer would check it and loaded as the consumer loads it, and the
handler runs in one unit of work, as the consumer runs it (without Kafka or the inbox: each
delivery here is a distinct event, as a republished one is to a pruned inbox)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mentoring_shared.messaging.envelope import Envelope

GOLDEN = Path(__file__).parents[1] / "contract" / "golden"


def payload(event_type: str, *, without: tuple[str, ...] = (), **fields: Any) -> dict[str, Any]:
    """The golden payload of a type with `fields` replaced and the fields named in `without` left out."""
    data = {**json.loads((GOLDEN / f"{event_type}.json").read_text())["data"], **fields}
    return {name: value for name, value in data.items() if name not in without}


def subscribed_handlers(service: str) -> dict:
    """The service's handlers as its worker builds them (default settings)."""
    import importlib

    return importlib.import_module(f"{service}.subscriptions").event_handlers({})


def deliver(app, handlers: dict, event_type: str, tenant_id: str, data: dict[str, Any]) -> None:
    runtime = app.extensions["runtime"]
    contract = runtime.events.contract(event_type)
    envelope = Envelope.new(type=event_type, source=f"/{event_type.split('.')[0]}", subject="test",
                            tenant_id=tenant_id, data=contract.dump_payload(data))
    with runtime.unit_of_work() as uow:
        handlers[event_type](envelope.with_data(contract.load_payload(envelope.data)), uow)
        uow.commit()
