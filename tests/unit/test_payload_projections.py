"""A consumer loads only the payload fields its handler reads (`reads`): the same values as the
whole payload's load for those fields, nothing else, and a fault in a field it never reads does not
stop it. The people replicas' handlers name their fields, and the rows they write are the rows the
whole snapshot gives."""

import json
from pathlib import Path

import marshmallow as ma
import pytest

from feedback.handlers.profiles_events import profiles_event_handlers as feedback_profiles_handlers
from mentoring_shared.contracts.catalog import platform_events
from mentoring_shared.contracts.profiles import PERSON_UPSERTED_V1
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.people_replica import PERSON_ROW_FIELDS
from scheduling.handlers.profiles_events import profiles_event_handlers as scheduling_profiles_handlers
from scheduling.settings import load_scheduling_settings

GOLDEN = Path(__file__).parents[1] / "contract" / "golden" / f"{PERSON_UPSERTED_V1}.json"
CONTRACT = platform_events().contract(PERSON_UPSERTED_V1)


def golden_snapshot() -> dict:
    return json.loads(GOLDEN.read_text())["data"]


def test_a_projection_loads_the_named_fields_as_the_whole_load_does_and_nothing_else():
    snapshot = golden_snapshot()
    whole = CONTRACT.load_payload(snapshot)
    projected = CONTRACT.load_payload(snapshot, PERSON_ROW_FIELDS | {"working_hours"})
    assert projected == {name: whole[name] for name in PERSON_ROW_FIELDS | {"working_hours"} if name in whole}


def test_a_fault_in_a_field_not_read_does_not_fail_the_projection_and_one_in_a_field_read_does():
    snapshot = {**golden_snapshot(), "skills": "not a list"}
    with pytest.raises(ma.ValidationError, match="skills"):
        CONTRACT.load_payload(snapshot)
    assert CONTRACT.load_payload(snapshot, PERSON_ROW_FIELDS)["name"] == snapshot["name"]
    with pytest.raises(ma.ValidationError, match="email"):
        CONTRACT.load_payload({**snapshot, "email": "nobody"}, PERSON_ROW_FIELDS)


def test_a_projection_naming_a_field_the_contract_lacks_is_refused():
    with pytest.raises(ValueError, match="no_such_field"):
        CONTRACT.load_payload(golden_snapshot(), frozenset({"person_id", "no_such_field"}))


@pytest.mark.parametrize("handlers", [
    pytest.param(lambda: feedback_profiles_handlers(), id="feedback"),
    pytest.param(lambda: scheduling_profiles_handlers(load_scheduling_settings({}).organizer), id="scheduling"),
])
def test_a_replica_row_from_the_fields_its_handler_reads_is_the_row_of_the_whole_snapshot(handlers):
    handler = handlers()[PERSON_UPSERTED_V1]
    assert handler.reads is not None  # matching reads the whole snapshot; these two only their rows' fields
    snapshot = golden_snapshot()
    event = Envelope.new(type=PERSON_UPSERTED_V1, source="/profiles", subject=snapshot["person_id"],
                         tenant_id="acme", data=snapshot)
    rows = []
    for fields in (None, handler.reads):
        loaded = event.with_data(CONTRACT.load_payload(snapshot, fields))
        rows.append([{name: value for name, value in row_of(loaded).items() if name != "updated_at"}
                     for _, row_of in handler._writes])
    assert rows[0] == rows[1]
