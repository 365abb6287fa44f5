"""A consumer killed mid-batch (SIGKILL) and restarted applies every event exactly once."""

import signal

from mentoring_shared.config import load_service_settings
from mentoring_shared.contracts.profiles import PERSON_UPSERTED_V1
from mentoring_shared.contracts.topics import PROFILES_PEOPLE
from mentoring_shared.messaging import kafka
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.runtime import ServiceRuntime
from mentoring_testing.polling import eventually
from tests.reliability.conftest import start_process
from tests.reliability.counting import create_counter_table, times_applied

EVENTS = 300


def publish_people(settings, tenant: str, count: int) -> list[str]:
    producer = kafka.make_producer(settings.kafka, client_id="test-publisher")
    ids = []
    for number in range(count):
        person_id = f"{tenant}-p{number}"
        envelope = Envelope.new(type=PERSON_UPSERTED_V1, source="/tests", subject=person_id, tenant_id=tenant,
                                data={"person_id": person_id, "version": 1, "employee_id": None,
                                      "name": f"P {number}", "email": f"p{number}@example.com",
                                      "time_zone": "UTC", "status": "active"})
        producer.send(PROFILES_PEOPLE, key=person_id.encode(), value=envelope.to_json().encode())
        ids.append(envelope.id)
    producer.flush(30)
    producer.close()
    return ids


def test_consumer_killed_at_any_point_applies_every_event_exactly_once(isolated_env, tenant, consumer_group,
                                                                       tmp_path):
    from matching import orm

    settings = load_service_settings("matching", isolated_env)
    matching = ServiceRuntime.build(settings, orm.metadata)
    create_counter_table(matching.engine)
    event_ids = publish_people(settings, tenant, EVENTS)
    outcomes_file = tmp_path / "outcomes.txt"

    def applied():
        return len(times_applied(matching.engine, tenant))

    def outcomes():
        return outcomes_file.read_text().split() if outcomes_file.exists() else []

    env = {**isolated_env, "TEST_CONSUMER_GROUP": consumer_group, "TEST_TENANT": tenant,
           "TEST_DELAY_S": "0.005", "TEST_OUTCOMES_FILE": str(outcomes_file), "KAFKA_POLL_MAX_RECORDS": "50"}

    # 1. Killed after a batch committed in the database and before its offset reached Kafka.
    first = start_process("count-events", {**env, "TEST_PAUSE_AFTER_BATCH_S": "2"})
    try:
        eventually(lambda: outcomes().count("committed-not-acknowledged") >= 2, timeout_s=60,
                   message="the first consumer committed no batch")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
    assert applied() < EVENTS

    # 2. Killed at whatever point it has reached: most likely inside a batch's transaction.
    second = start_process("count-events", env)
    try:
        before = applied()
        eventually(lambda: applied() >= before + 60, timeout_s=60, message="the second consumer made no progress")
        second.send_signal(signal.SIGKILL)
        second.wait(10)
    finally:
        second.kill()
    assert applied() < EVENTS, "the consumer finished before it could be killed"

    # 3. Runs to the end.
    third = start_process("count-events", env)
    try:
        eventually(lambda: applied() == EVENTS, timeout_s=90, message="the restarted consumer did not apply the rest")
    finally:
        third.send_signal(signal.SIGTERM)
        third.wait(20)

    counts = times_applied(matching.engine, tenant)
    assert set(counts) == set(event_ids)
    assert set(counts.values()) == {1}, "an event was applied more than once"
    assert "duplicate" in outcomes(), "the batch committed before the first kill was not redelivered"
