"""An event the broker refuses outright (larger than the broker takes) is retried a few times and
then parked; the events behind it keep flowing, and the backlog does not count it."""

import importlib

from mentoring_shared.contracts.profiles import PERSON_UPSERTED_V1
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.messaging.relay import MAX_REJECTIONS, OutboxRelay
from tests.integration.helpers import count_rows


def test_a_refused_event_is_parked_and_the_rest_flow(isolated_env, tenant):
    profiles = importlib.import_module("profiles.app").create_app(isolated_env)
    runtime = profiles.extensions["runtime"]

    def snapshot(person_id: str, name: str) -> dict:
        return {"person_id": person_id, "version": 1, "employee_id": None, "name": name,
                "email": f"{person_id}@example.com", "time_zone": "UTC", "status": "active"}

    with runtime.unit_of_work() as uow:
        uow.publish([DomainEvent(PERSON_UPSERTED_V1, tenant, "too-big", snapshot("too-big", "x" * 2_000_000))])  # > 1 MiB
        for number in range(3):
            uow.publish([DomainEvent(PERSON_UPSERTED_V1, tenant, f"p{number}", snapshot(f"p{number}", f"P {number}"))])
        uow.commit()

    relay = OutboxRelay("profiles", runtime.sessions, runtime.outbox, runtime.settings.kafka)
    try:
        assert relay.relay_once() == 3  # the three small events, despite the big one ahead of them
        for _ in range(MAX_REJECTIONS - 1):
            assert relay.relay_once() == 0
        assert relay.parked() == 1
        assert relay.backlog() == (0, 0.0)
        assert relay.relay_once() == 0  # parked: no longer tried
        assert count_rows(profiles, "outbox", tenant_id=tenant, attempts=MAX_REJECTIONS) == 1
    finally:
        relay.close()


def test_later_events_of_a_refused_aggregate_wait_behind_it(isolated_env, tenant):
    profiles = importlib.import_module("profiles.app").create_app(isolated_env)
    runtime = profiles.extensions["runtime"]

    def snapshot(version: int, name: str) -> dict:
        return {"person_id": "ada", "version": version, "employee_id": None, "name": name,
                "email": "ada@example.com", "time_zone": "UTC", "status": "active"}

    with runtime.unit_of_work() as uow:
        uow.publish([DomainEvent(PERSON_UPSERTED_V1, tenant, "ada", snapshot(1, "x" * 2_000_000))])  # refused: > 1 MiB
        uow.publish([DomainEvent(PERSON_UPSERTED_V1, tenant, "ada", snapshot(2, "Ada"))])             # must not overtake it
        uow.publish([DomainEvent(PERSON_UPSERTED_V1, tenant, "bob", {**snapshot(1, "Bob"), "person_id": "bob"})])
        uow.commit()

    relay = OutboxRelay("profiles", runtime.sessions, runtime.outbox, runtime.settings.kafka)
    try:
        for _ in range(MAX_REJECTIONS + 1):
            relay.relay_once()
        assert relay.parked() == 1
        assert count_rows(profiles, "outbox", tenant_id=tenant, message_key="bob", sent_at=None) == 0
        assert count_rows(profiles, "outbox", tenant_id=tenant, message_key="ada", sent_at=None) == 2, \
            "ada's second version was sent before her first"
        assert relay.backlog()[0] == 1  # the held event is waiting, and the stalled-outbox alert sees it
    finally:
        relay.close()
