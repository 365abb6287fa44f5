"""The platform's AsyncAPI 3.0 document, built from the event contracts so it cannot drift from them:
each topic is a channel (with its dead-letter channel beside it), each event type a message whose
payload is the CloudEvents envelope with the type's marshmallow schema as `data`, each producer a
send operation and each service's subscriptions a receive operation.

    python -m mentoring_tools.asyncapi > deploy/asyncapi/asyncapi.yaml

Run it from the repository root: examples come from `tests/contract/golden/` and consumers from each
service's `subscriptions` module. It lives in the tools package, not in the shared kit, because it
reads every service's code: the kit never imports a service."""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import sys
from collections.abc import Iterable, Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

import marshmallow as ma
import yaml
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from mentoring_shared.config import DEFAULT_PORTS
from mentoring_shared.contracts import feedback, matching, scheduling
from mentoring_shared.contracts.catalog import platform_events
from mentoring_shared.contracts.registry import EventRegistry
from mentoring_shared.contracts.topics import dead_letter_topic
from mentoring_shared.messaging import dead_letters

ASYNCAPI_VERSION = "3.0.0"
KAFKA_BINDING_VERSION = "0.5.0"
REGENERATE = "python -m mentoring_tools.asyncapi > deploy/asyncapi/asyncapi.yaml"
GOLDEN_DIR = Path("tests/contract/golden")
SERVICES = tuple(DEFAULT_PORTS)
ENVELOPE = "CloudEventsEnvelope"
DEAD_LETTER = "dead-letter"

# An event's key is its aggregate's id, named after the type's second part (`profiles.person.*` ->
# `person_id`). These types are keyed otherwise, so that they share a partition with related events.
KEY_EXCEPTIONS = {
    matching.MATCH_PROPOSED_V1: ("proposal_id", "The proposal's id, which becomes the match id if the mentor "
                                                "accepts: a proposal and its match stay in order."),
    scheduling.REMINDER_DUE_V1: ("session_id", "The session's id: its reminders stay in order with the "
                                               "session's own events."),
    feedback.MILESTONE_REACHED_V1: ("match_id", "The pair's match id: a pair's milestones stay in order."),
    feedback.PAIR_AT_RISK_V1: ("match_id", "The pair's match id: a pair's health changes stay in order."),
    feedback.PAIR_RECOVERED_V1: ("match_id", "The pair's match id: a pair's health changes stay in order."),
}

DESCRIPTION = f"""\
Events of the enterprise mentoring platform. Four services (profiles, matching, scheduling,
feedback) cooperate only through these topics; none calls another to finish a request.

Generated from the event contracts in `shared/mentoring_shared/contracts/`; do not edit by hand:
`{REGENERATE}`.

## Envelope
Every record's value is a CloudEvents 1.0 envelope in structured JSON mode: `id`, `type` (with
the major version, e.g. `matching.match.confirmed.v1`), `source` (`/<service>`), `subject` (the
aggregate's id), `time`, `tenantid`, `correlationid`, `causationid` and the payload as `data`.
Records carry no headers of their own.

## Keys and ordering
The record key is the envelope's `subject`: the id of the aggregate the event is about (each
message says which payload field holds it). One aggregate's events share a partition and arrive
in the order their producer recorded them; there is no order across aggregates or topics. Events
that carry a `version` let a consumer ignore one older than what it already holds.

## Delivery: at least once, applied once
- Producers write events to an outbox in the same database transaction as the state change; a
  relay publishes them (`acks=all`, idempotent producer) and marks them sent once the broker
  acknowledges. A crash in between sends them again: consumers must expect duplicates.
- Consumers are idempotent through an inbox: a consumer group (named after its service) records
  `(group, event id)` in the same transaction as its effects and commits the offset only after
  it; a duplicate is a no-op.
- Transient faults are retried with backoff, a bounded number of times. An event that still fails
  goes to the topic's dead-letter topic (`<topic>.dlq`) with its origin in headers, and the
  partition keeps flowing. Dead letters can be replayed to their topic
  (`mentoring replay-dead-letters TOPIC`); groups that applied the event already skip it.

## Versions
A type's major version is part of its name. Within a major version payloads change only by adding
fields, so consumers must ignore fields they do not know (the payload schemas here allow them). A
breaking change is a new type (`.v2`).
"""


def generate(golden_dir: Path = GOLDEN_DIR) -> str:
    """The document as committed: YAML, built from the registry, the golden files and the services."""
    registry = platform_events()
    examples = {event_type: json.loads((golden_dir / f"{event_type}.json").read_text())
                for event_type in registry.types()}
    consumers = {service: consumed_types(service) for service in SERVICES}
    return render(build_document(registry, consumers, examples))


def consumed_types(service: str) -> list[str]:
    """The event types a service's worker consumes, read from its own `subscriptions` module. Default
    settings will do: they shape what handlers do, never which types they handle."""
    return sorted(importlib.import_module(f"{service}.subscriptions").event_handlers({}))


def producer_of(event_type: str) -> str:
    """The service that publishes a type (or owns a topic): the name's first part."""
    return event_type.split(".", 1)[0]


def key_field(event_type: str) -> str:
    """The payload field whose value is the record key (the envelope's subject)."""
    return KEY_EXCEPTIONS.get(event_type, (f"{event_type.split('.')[1]}_id",))[0]


def build_document(registry: EventRegistry, consumers: Mapping[str, Iterable[str]],
                   examples: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    consumers_of: dict[str, list[str]] = {event_type: [] for event_type in registry.types()}
    for service, event_types in sorted(consumers.items()):
        for event_type in event_types:
            registry.contract(event_type)  # a subscription to an unregistered type fails here
            consumers_of[event_type].append(service)

    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {DEAD_LETTER: _dead_letter_message()}
    schemas: dict[str, Any] = {ENVELOPE: _envelope_schema()}
    operations: dict[str, Any] = {}
    # Channels in the platform's order (profiles first, as its events feed the others), then by name.
    for topic in sorted(registry.topics(), key=lambda topic: (SERVICES.index(producer_of(topic)), topic)):
        types = [t for t in registry.types() if registry.contract(t).topic == topic]
        channels[topic] = {
            "address": topic,
            "description": f"Events of `{topic}`; dead letters go to `{dead_letter_topic(topic)}`.",
            "messages": {t: {"$ref": f"#/components/messages/{t}"} for t in types},
            "bindings": {"kafka": {"topic": topic, "bindingVersion": KAFKA_BINDING_VERSION}},
        }
        channels[dead_letter_topic(topic)] = {
            "address": dead_letter_topic(topic),
            "description": f"Records of `{topic}` that a consumer group could not apply, kept byte for byte "
                           f"with their origin in headers until they are replayed.",
            "messages": {DEAD_LETTER: {"$ref": f"#/components/messages/{DEAD_LETTER}"}},
            "bindings": {"kafka": {"topic": dead_letter_topic(topic), "bindingVersion": KAFKA_BINDING_VERSION}},
        }
        for event_type in types:
            schemas[event_type] = payload_schema(registry.contract(event_type).schema)
            messages[event_type] = _message(event_type, topic, registry.contract(event_type).schema,
                                            consumers_of[event_type], examples[event_type])
        for service in sorted({producer_of(t) for t in types}):
            operations[f"{service}.sends.{topic}"] = _operation(
                "send", service, topic, [t for t in types if producer_of(t) == service],
                f"{service} publishes these events through its outbox relay.")
        for service in sorted({s for t in types for s in consumers_of[t]}):
            consumed = [t for t in types if service in consumers_of[t]]
            operations[f"{service}.receives.{topic}"] = _operation(
                "receive", service, topic, consumed, f"{service}'s consumer group applies these events once each.",
                group=True)
            operations[f"{service}.dead-letters.{topic}"] = _operation(
                "send", service, dead_letter_topic(topic), [DEAD_LETTER],
                f"{service}'s consumer group sends here what it cannot apply.")

    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "Mentoring platform events",
            "version": version("mentoring-shared"),
            "description": DESCRIPTION,
            "tags": [{"name": service} for service in SERVICES],
        },
        "defaultContentType": "application/json",
        "servers": {
            "production": {"host": "kafka:9092", "protocol": "kafka",
                           "description": "Apache Kafka (KRaft) of the production-shaped stack (docker-compose.yml)."},
            "embedded": {"host": "127.0.0.1:19092", "protocol": "kafka",
                         "description": "The embedded default: the tansu broker, topics in memory "
                                        "(deploy/embedded.env)."},
        },
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": messages},
    }


def payload_schema(schema: type[ma.Schema]) -> dict[str, Any]:
    """JSON Schema of a payload, by apispec (OpenAPI 3.1 mode: a nullable field is a type list, as in
    draft-07), with nested schemas inline and unknown fields allowed: consumers must tolerate the
    fields a later minor revision adds, though producers never send them today."""
    plugin = MarshmallowPlugin(schema_name_resolver=lambda _: None)  # type: ignore[arg-type,return-value]  # None: inline
    APISpec("events", "1", "3.1.0", plugins=[plugin])  # the plugin's converter is set up by its spec
    assert plugin.converter is not None
    return {"title": schema.__name__, **_allow_unknown_fields(plugin.converter.schema2jsonschema(schema))}


def _allow_unknown_fields(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _allow_unknown_fields(value) for key, value in node.items()
                if not (key == "additionalProperties" and value is False)}
    if isinstance(node, list):
        return [_allow_unknown_fields(value) for value in node]
    return node


def _envelope_schema() -> dict[str, Any]:
    string = {"type": "string"}
    return {
        "title": "CloudEvents 1.0 envelope",
        "description": "The record's value (CloudEvents structured JSON mode). Every message narrows `type`, "
                       "`source` and `data`.",
        "type": "object",
        "required": ["specversion", "id", "type", "source", "subject", "time", "datacontenttype", "tenantid",
                     "correlationid", "data"],
        "properties": {
            "specversion": {"type": "string", "const": "1.0"},
            "id": {**string, "format": "uuid", "description": "Unique per event (a UUIDv7): with the consumer "
                                                              "group, the inbox's deduplication key."},
            "type": {**string, "description": "The event type, with its major version."},
            "source": {**string, "description": "`/<service>`: the producer."},
            "subject": {**string, "description": "The aggregate's id, and the record's key."},
            "time": {**string, "format": "date-time", "description": "When the producer recorded the event."},
            "datacontenttype": {"type": "string", "const": "application/json"},
            "tenantid": {**string, "description": "The tenant (organization) the event belongs to."},
            "correlationid": {**string, "description": "Shared by every event of one chain: the request's "
                                                       "X-Correlation-ID, or the first event's id."},
            "causationid": {**string, "description": "The id of the event whose handling produced this one; "
                                                     "absent when a request did."},
            "data": {"type": "object", "description": "The payload: its schema is the event type's."},
        },
    }


def _message(event_type: str, topic: str, schema: type[ma.Schema], consumers: list[str],
             example: dict[str, Any]) -> dict[str, Any]:
    producer = producer_of(event_type)
    field = key_field(event_type)
    aggregate = event_type.split(".")[1].replace("_", " ")
    key_reason = KEY_EXCEPTIONS.get(event_type, (field, f"The {aggregate}'s id: one {aggregate}'s events "
                                                        f"stay in order."))[1]
    consumed_by = ", ".join(consumers) if consumers else "no service yet"
    doc = schema.__dict__.get("__doc__")  # the schema's own docstring, never one inherited from ma.Schema
    return {
        "name": event_type,
        "title": " ".join(event_type.split(".")[1:-1]).replace("_", " ").capitalize(),
        "summary": f"Published by {producer} on {topic}; consumed by {consumed_by}.",
        **({"description": inspect.cleandoc(doc)} if doc else {}),
        "contentType": "application/json",
        "correlationId": {"location": "$message.payload#/correlationid"},
        "tags": [{"name": producer}],
        "payload": {"allOf": [
            {"$ref": f"#/components/schemas/{ENVELOPE}"},
            {"type": "object", "properties": {
                "type": {"type": "string", "const": event_type},
                "source": {"type": "string", "const": f"/{producer}"},
                "data": {"$ref": f"#/components/schemas/{event_type}"},
            }},
        ]},
        "bindings": {"kafka": {
            "key": {"type": "string", "description": f"`data.{field}`, also the envelope's `subject`. {key_reason}"},
            "bindingVersion": KAFKA_BINDING_VERSION,
        }},
        "examples": [{"name": "golden", "summary": f"tests/contract/golden/{event_type}.json (key: "
                                                   f"{example['subject']})", "payload": example}],
        "x-producer": producer,
        "x-consumers": consumers,
    }


def _dead_letter_message() -> dict[str, Any]:
    def header(description: str) -> dict[str, Any]:
        return {"type": "string", "description": description}

    return {
        "name": DEAD_LETTER,
        "title": "Dead letter",
        "summary": "A record a consumer group could not apply, with its origin.",
        "description": "Key and value are the original record's, unchanged (the value may not even be JSON: "
                       "a poison message); the original headers are kept and these added.",
        "headers": {
            "type": "object",
            "required": [dead_letters.ORIGIN_TOPIC, dead_letters.ORIGIN_PARTITION, dead_letters.ORIGIN_OFFSET,
                         dead_letters.CONSUMER_GROUP, dead_letters.ERROR, dead_letters.FAILED_AT],
            "properties": {
                dead_letters.ORIGIN_TOPIC: header("The topic the record came from."),
                dead_letters.ORIGIN_PARTITION: header("Its partition there."),
                dead_letters.ORIGIN_OFFSET: header("Its offset there."),
                dead_letters.CONSUMER_GROUP: header("The consumer group that could not apply it (a replay may "
                                                   "be limited to this group)."),
                dead_letters.ERROR: header("The error's type and message, at most 2,000 characters."),
                dead_letters.FAILED_AT: header("When it was dead-lettered (ISO 8601, UTC)."),
            },
        },
        "payload": {"description": "The original record's value, byte for byte."},
    }


def _operation(action: str, service: str, channel: str, message_names: list[str], summary: str,
               group: bool = False) -> dict[str, Any]:
    operation = {
        "action": action,
        "channel": {"$ref": f"#/channels/{channel}"},
        "summary": summary,
        "tags": [{"name": service}],
        "messages": [{"$ref": f"#/channels/{channel}/messages/{name}"} for name in message_names],
    }
    if group:
        operation["bindings"] = {"kafka": {"groupId": {"type": "string", "const": service},
                                           "bindingVersion": KAFKA_BINDING_VERSION}}
    return operation


class _Dumper(yaml.SafeDumper):
    """Plain YAML: no anchors or aliases where a value repeats, long text as block scalars."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text and "\r" not in text and not text.endswith((" ", "\n\n")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def render(document: dict[str, Any]) -> str:
    header = f"# Generated from the event contracts: do not edit. Regenerate with\n#   {REGENERATE}\n"
    return header + yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m mentoring_tools.asyncapi",
        description="Print the platform's AsyncAPI document (run from the repository root).")
    parser.add_argument("--golden", type=Path, default=GOLDEN_DIR, help="the golden event files (examples)")
    args = parser.parse_args(argv)
    if not args.golden.is_dir():
        parser.error(f"no golden event files at {args.golden}: run from the repository root or pass --golden")
    sys.stdout.write(generate(args.golden))
    return 0


if __name__ == "__main__":
    sys.exit(main())
