"""deploy/asyncapi/asyncapi.yaml describes every topic and event type as the code has them: it is what
the generator makes from the contracts now, valid AsyncAPI 3.0 by the official schema, its payload
schemas accept the golden events and refuse broken ones, and its consumers are the services' own
subscriptions."""

import copy
import difflib
import json
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest
import referencing
import yaml
from referencing.jsonschema import DRAFT7

from mentoring_shared.contracts import topics
from mentoring_shared.contracts.catalog import platform_events
from mentoring_shared.messaging.envelope import Envelope
from mentoring_tools import asyncapi

DOCUMENT = Path(__file__).parents[2] / "deploy" / "asyncapi" / "asyncapi.yaml"
GOLDEN = Path(__file__).parent / "golden"
OFFICIAL_SCHEMA = Path(__file__).parent / "asyncapi-schema" / "asyncapi-3.0.0.json"
REGENERATE = f"regenerate it from the repository root with `.venv/bin/{asyncapi.REGENERATE}`"
REGISTRY = platform_events()
DOCUMENT_URI = "urn:mentoring:asyncapi"

# jsonschema checks date-time only with an optional package; this check is RFC 3339's: a date, a
# time and an offset (a naive time is what AwareDateTime refuses, so the document must too).
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _is_rfc3339_date_time(value) -> bool:
    return not isinstance(value, str) or ("T" in value.upper() and datetime.fromisoformat(value).tzinfo is not None)


@pytest.fixture(scope="module")
def document() -> dict:
    return yaml.safe_load(DOCUMENT.read_text())


@pytest.fixture(scope="module")
def payload_validator(document):
    # The document is the only resource: a $ref outside it fails instead of being fetched.
    registry = referencing.Registry().with_resource(DOCUMENT_URI, DRAFT7.create_resource(document))

    def validator(event_type: str) -> jsonschema.Draft7Validator:
        return jsonschema.Draft7Validator({"$ref": f"{DOCUMENT_URI}#/components/messages/{event_type}/payload"},
                                          registry=registry, format_checker=FORMATS)
    return validator


def golden(event_type: str) -> dict:
    return json.loads((GOLDEN / f"{event_type}.json").read_text())


def data_schema(document: dict, event_type: str) -> dict:
    return document["components"]["schemas"][event_type]


def event_channels(document: dict) -> dict:
    return {name: channel for name, channel in document["channels"].items()
            if not name.endswith(topics.DEAD_LETTER_SUFFIX)}


def last_segment(ref: dict) -> str:
    return ref["$ref"].rsplit("/", 1)[1]


def test_committed_document_is_what_the_generator_makes_now():
    committed, generated = DOCUMENT.read_text(), asyncapi.generate(GOLDEN)
    if committed != generated:
        diff = difflib.unified_diff(committed.splitlines(), generated.splitlines(), "committed", "generated",
                                    lineterm="", n=1)
        pytest.fail(f"{DOCUMENT} is out of date: {REGENERATE}\n" + "\n".join(list(diff)[:60]))


def test_document_is_valid_asyncapi_by_the_official_schema(document):
    official = json.loads(OFFICIAL_SCHEMA.read_text())
    # An empty registry: the vendored file bundles all its definitions, and nothing is downloaded.
    validator = jsonschema.Draft7Validator(official, registry=referencing.Registry())
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    assert error is None, f"not valid AsyncAPI {document.get('asyncapi')}: {error}"

    broken = copy.deepcopy(document)
    next(iter(broken["operations"].values()))["action"] = "publish"  # AsyncAPI 2's verb
    assert not validator.is_valid(broken), "the official schema must refuse a broken document"


def test_every_event_type_is_one_message_on_its_topic_sent_by_its_producer(document):
    found = [(name, topic) for topic, channel in event_channels(document).items() for name in channel["messages"]]
    assert sorted(name for name, _ in found) == REGISTRY.types()
    sent = {(operation["channel"]["$ref"], last_segment(ref), operation["tags"][0]["name"])
            for operation in document["operations"].values() if operation["action"] == "send"
            for ref in operation["messages"]}
    for event_type, topic in found:
        message = document["components"]["messages"][event_type]
        producer = asyncapi.producer_of(event_type)
        assert topic == REGISTRY.contract(event_type).topic
        assert message["name"] == event_type and message["x-producer"] == producer
        assert (f"#/channels/{topic}", event_type, producer) in sent, f"no send operation of {producer} for {event_type}"


def test_every_topic_has_a_channel_and_a_dead_letter_channel(document):
    declared = {value for name, value in vars(topics).items()
                if name.isupper() and isinstance(value, str) and name != "DEAD_LETTER_SUFFIX"}
    assert set(document["channels"]) == declared | {topics.dead_letter_topic(topic) for topic in declared}, \
        "a topic in topics.py without a channel has no event type registered on it"
    assert all(channel["address"] == name for name, channel in document["channels"].items())


def test_receive_operations_are_the_services_own_subscriptions(document):
    documented: dict[str, set[str]] = {}
    for operation in document["operations"].values():
        if operation["action"] == "receive":
            service = operation["bindings"]["kafka"]["groupId"]["const"]
            assert operation["tags"] == [{"name": service}]
            documented.setdefault(service, set()).update(last_segment(ref) for ref in operation["messages"])
    subscribed = {service: set(types) for service in asyncapi.SERVICES if (types := asyncapi.consumed_types(service))}
    assert documented == subscribed, f"consumers changed: {REGENERATE}"
    for event_type in {t for types in subscribed.values() for t in types}:
        REGISTRY.contract(event_type)  # a subscription to an unregistered type fails here
    for event_type in REGISTRY.types():
        expected = sorted(service for service, types in subscribed.items() if event_type in types)
        assert document["components"]["messages"][event_type]["x-consumers"] == expected


def test_envelope_schema_describes_every_attribute_the_envelope_writes(document, payload_validator):
    schema = document["components"]["schemas"][asyncapi.ENVELOPE]
    written = Envelope.new(type="profiles.person.erased.v1", source="/profiles", subject="p-1", tenant_id="acme",
                           data={}, causation_id="c-1").to_dict()
    assert set(schema["properties"]) == set(written)
    assert set(schema["required"]) == set(written) - {"causationid"}
    fresh = Envelope.new(type="profiles.person.erased.v1", source="/profiles", subject="p-1", tenant_id="acme",
                         data=golden("profiles.person.erased.v1")["data"]).to_dict()
    assert payload_validator("profiles.person.erased.v1").is_valid(fresh)


@pytest.mark.parametrize("event_type", REGISTRY.types())
def test_golden_event_is_valid_against_its_message_payload(event_type, payload_validator):
    error = jsonschema.exceptions.best_match(payload_validator(event_type).iter_errors(golden(event_type)))
    assert error is None, str(error)


@pytest.mark.parametrize("event_type", REGISTRY.types())
def test_payload_allows_fields_a_later_additive_revision_brings(event_type, payload_validator):
    event = golden(event_type)
    event["data"]["field_added_later"] = {"any": "shape"}
    event["attribute_added_later"] = "x"
    assert payload_validator(event_type).is_valid(event)


@pytest.mark.parametrize("event_type", REGISTRY.types())
def test_payload_refuses_an_event_without_a_required_field(event_type, document, payload_validator):
    validator = payload_validator(event_type)
    envelope_required = document["components"]["schemas"][asyncapi.ENVELOPE]["required"]
    for field in data_schema(document, event_type)["required"]:
        event = golden(event_type)
        del event["data"][field]
        assert not validator.is_valid(event), f"data.{field} is required"
    for attribute in envelope_required:
        event = golden(event_type)
        del event[attribute]
        assert not validator.is_valid(event), f"{attribute} is required"


@pytest.mark.parametrize("event_type", REGISTRY.types())
def test_payload_refuses_a_value_of_the_wrong_type_in_any_field(event_type, document, payload_validator):
    validator = payload_validator(event_type)
    for field, schema in data_schema(document, event_type)["properties"].items():
        allowed = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        event = golden(event_type)
        event["data"][field] = True if "string" in allowed else "text"
        assert not validator.is_valid(event), f"data.{field} accepts a value of the wrong type"


@pytest.mark.parametrize("event_type", REGISTRY.types())
def test_key_is_the_documented_payload_field_and_the_subject(event_type, document):
    field = asyncapi.key_field(event_type)
    schema = data_schema(document, event_type)
    assert field in schema["required"] and schema["properties"][field]["type"] == "string"
    assert f"`data.{field}`" in document["components"]["messages"][event_type]["bindings"]["kafka"]["key"]["description"]
    event = golden(event_type)
    assert event["subject"] == event["data"][field], f"the golden event's subject is not its data.{field}"


DELETE = object()
BROKEN = [
    ("matching.match.confirmed.v1", ("time",), "yesterday"),
    ("matching.match.confirmed.v1", ("id",), "not-a-uuid"),
    ("matching.match.confirmed.v1", ("type",), "matching.match.ended.v1"),
    ("matching.match.confirmed.v1", ("source",), "/profiles"),
    ("matching.match.confirmed.v1", ("data", "confirmed_at"), "2026-11-22T09:00:00"),
    ("matching.match.confirmed.v1", ("data", "origin"), "telepathy"),
    ("matching.match.confirmed.v1", ("data", "version"), 0),
    ("matching.match.confirmed.v1", ("data", "top_factors", 0, "weight"), DELETE),
    ("matching.run.completed.v1", ("data", "distribution", "histogram", 0), 1.5),
    ("profiles.person.upserted.v1", ("data", "email"), "not an email"),
    ("profiles.person.upserted.v1", ("data", "working_hours", "days", 0), 8),
    ("profiles.cohort.upserted.v1", ("data", "starts_on"), "2027-02-30"),
    ("profiles.program.upserted.v1", ("data", "matching_weights", "seniority"), "high"),
]


@pytest.mark.parametrize(("event_type", "path", "value"), BROKEN,
                         ids=[f"{event_type}:{'.'.join(map(str, path))}" for event_type, path, _ in BROKEN])
def test_payload_refuses_a_bad_format_enum_range_or_nested_value(event_type, path, value, payload_validator):
    event = golden(event_type)
    *parents, last = path
    target = event
    for step in parents:
        target = target[step]
    assert last in target or isinstance(target, list), f"the golden event has no {path}: pick another field"
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    assert not payload_validator(event_type).is_valid(event)


def test_payload_accepts_null_where_the_contract_does(payload_validator):
    event = golden("matching.match.confirmed.v1")
    event["data"]["run_id"] = None
    assert payload_validator("matching.match.confirmed.v1").is_valid(event)
    event["data"]["cohort_id"] = None
    assert not payload_validator("matching.match.confirmed.v1").is_valid(event)
