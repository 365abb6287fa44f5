import json

import pytest

from mentoring_shared.messaging.envelope import Envelope, MalformedEnvelope


def make_envelope(**overrides):
    fields = dict(type="profiles.person.upserted.v1", source="/profiles", subject="p-1",
                  tenant_id="acme", data={"a": 1}, correlation_id="corr-1", causation_id="cause-1")
    fields.update(overrides)
    return Envelope.new(**fields)


def test_envelope_is_cloudevents_shaped_json():
    document = json.loads(make_envelope().to_json())
    assert document["specversion"] == "1.0"
    assert document["datacontenttype"] == "application/json"
    for attribute in ("id", "type", "source", "subject", "time", "tenantid", "correlationid", "causationid", "data"):
        assert attribute in document


def test_envelope_round_trips():
    envelope = make_envelope()
    assert Envelope.from_json(envelope.to_json()) == envelope


def test_with_data_is_the_same_event_carrying_other_data():
    envelope = make_envelope()
    assert envelope.with_data({"b": 2}) == envelope._replace(data={"b": 2})


def test_first_event_of_a_chain_correlates_to_itself():
    envelope = make_envelope(correlation_id=None, causation_id=None)
    assert envelope.correlation_id == envelope.id
    assert "causationid" not in envelope.to_dict()


# Named ids: an event's id is new at each collection, and parallel workers must collect alike.
@pytest.mark.parametrize("raw", [
    pytest.param(None, id="tombstone"),
    pytest.param(b"not json", id="not-json"),
    pytest.param(b"[1,2]", id="array"),
    pytest.param(b"\xff\xfe", id="not-utf8"),
    pytest.param(b'{"specversion":"1.0"}', id="attributes-missing"),
    pytest.param(make_envelope().to_json().replace('"type":"profiles', '"type":["profiles')
                 .replace('.v1"', '.v1"]', 1).encode(), id="type-a-list"),
    pytest.param(make_envelope().to_json().replace('"correlationid":"corr-1"', '"correlationid":7').encode(),
                 id="correlationid-a-number"),
    pytest.param(make_envelope().to_json().replace('"causationid":"cause-1"', '"causationid":false').encode(),
                 id="causationid-a-boolean"),
    pytest.param(b'{"specversion":"0.3","id":"1","type":"t","source":"s","subject":"x",'
                 b'"time":"t","tenantid":"a","data":{}}', id="specversion-0.3"),
])
def test_unreadable_bytes_are_malformed(raw):
    with pytest.raises(MalformedEnvelope):
        Envelope.from_json(raw)
