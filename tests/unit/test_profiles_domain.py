from datetime import datetime, timezone

import pytest

from mentoring_shared.contracts.profiles import PERSON_UPSERTED_V1
from mentoring_shared.errors import InvalidField
from profiles.domain import register_person

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


def register(**overrides):
    fields = dict(person_id="p-1", tenant_id="acme", employee_id="E-1", name=" Ada Lovelace ",
                  email="Ada@Example.COM", time_zone="Europe/London", now=NOW)
    fields.update(overrides)
    return register_person(**fields)


def test_registering_a_person_emits_a_full_snapshot_at_version_1():
    person, events = register()
    assert person.status == "active" and person.version == 1
    assert person.name == "Ada Lovelace" and person.email == "ada@example.com"
    [event] = events
    assert event.type == PERSON_UPSERTED_V1
    assert event.subject == "p-1" and event.tenant_id == "acme"
    assert event.data == person.snapshot()


def test_an_unknown_time_zone_is_rejected_naming_the_field():
    with pytest.raises(InvalidField) as raised:
        register(time_zone="Mars/Olympus_Mons")
    assert raised.value.field == "time_zone"


def test_a_blank_name_is_rejected():
    with pytest.raises(InvalidField) as raised:
        register(name="   ")
    assert raised.value.field == "name"
