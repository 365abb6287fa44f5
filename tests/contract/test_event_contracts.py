"""Golden JSON files pin every event type: a producer cannot rename, drop or retype a field without
a test failing, and a consumer reads a later minor revision (extra fields) without failing."""

import json
from pathlib import Path

import pytest

from mentoring_shared.contracts.catalog import platform_events
from mentoring_shared.messaging.envelope import Envelope

GOLDEN = Path(__file__).parent / "golden"
REGISTRY = platform_events()


def golden(event_type: str) -> dict:
    return json.loads((GOLDEN / f"{event_type}.json").read_text())


def test_every_event_type_has_a_golden_file_and_every_golden_file_a_type():
    assert sorted(path.stem for path in GOLDEN.glob("*.json")) == REGISTRY.types()


@pytest.mark.parametrize("event_type", REGISTRY.types())
def test_every_event_travels_on_a_topic_of_its_producer_with_its_major_version(event_type):
    producer, *_, version = event_type.split(".")
    assert REGISTRY.contract(event_type).topic.startswith(f"{producer}.")
    assert version.startswith("v") and version[1:].isdigit()


@pytest.mark.parametrize("event_type", REGISTRY.types())
def test_golden_event_reads_as_an_envelope_of_its_type(event_type):
    document = golden(event_type)
    envelope = Envelope.from_json(json.dumps(document))
    assert envelope.type == event_type
    assert json.loads(envelope.to_json()) == document


@pytest.mark.parametrize("event_type", REGISTRY.types())
def test_producer_renders_the_golden_payload_unchanged(event_type):
    contract = REGISTRY.contract(event_type)
    data = golden(event_type)["data"]
    assert contract.dump_payload(contract.load_payload(data)) == data


@pytest.mark.parametrize("event_type", REGISTRY.types())
def test_consumer_reads_a_later_additive_revision(event_type):
    contract = REGISTRY.contract(event_type)
    data = {**golden(event_type)["data"], "field_added_later": {"any": "shape"}}
    loaded = contract.load_payload(data)
    assert "field_added_later" not in loaded
    assert loaded == contract.load_payload(golden(event_type)["data"])


@pytest.mark.parametrize("event_type", REGISTRY.types())
def test_a_payload_missing_a_required_field_is_refused_by_the_producer(event_type):
    import marshmallow as ma

    contract = REGISTRY.contract(event_type)
    required = [name for name, field in contract.schema().fields.items() if field.required]
    data = dict(golden(event_type)["data"])
    del data[required[0]]
    with pytest.raises(ma.ValidationError):
        contract.dump_payload(data)


@pytest.mark.parametrize("event_type", REGISTRY.types())
def test_the_bulk_shape_check_refuses_a_missing_or_unknown_field(event_type):
    import marshmallow as ma

    contract = REGISTRY.contract(event_type)
    data = golden(event_type)["data"]
    assert contract.check_shape(dict(data)) == data
    required = next(name for name, field in contract.schema().fields.items() if field.required)
    with pytest.raises(ma.ValidationError):
        contract.check_shape({key: value for key, value in data.items() if key != required})
    with pytest.raises(ma.ValidationError):
        contract.check_shape({**data, "surprise": 1})


# Fields added within a major version. Events published before them lack them, and an outbox may
# republish those events (after a broker lost its log): they must still read, and still be producible.
ADDED_WITHIN_MAJOR_VERSION = {
    "feedback.pair.at_risk.v1": ("version",),
    "feedback.pair.recovered.v1": ("version",),
}


@pytest.mark.parametrize("event_type", sorted(ADDED_WITHIN_MAJOR_VERSION))
def test_an_event_from_before_a_field_was_added_still_reads(event_type):
    contract = REGISTRY.contract(event_type)
    added = ADDED_WITHIN_MAJOR_VERSION[event_type]
    current = golden(event_type)["data"]
    assert all(name in current for name in added)  # the golden file shows the current revision
    older = {name: value for name, value in current.items() if name not in added}
    assert contract.load_payload(older) == {name: value for name, value in contract.load_payload(current).items()
                                            if name not in added}
    assert contract.dump_payload(older) == older
