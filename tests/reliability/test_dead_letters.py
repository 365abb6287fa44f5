"""A poison message (unreadable, a tombstone, breaking its contract, or failing its handler) lands in
the dead-letter topic after bounded retries, with its origin in
headers; the good events behind it on the same partition are still processed; a replay after the
fix applies it."""

import threading

from mentoring_shared.config import load_service_settings
from mentoring_shared.contracts.profiles import PERSON_UPSERTED_V1
from mentoring_shared.contracts.topics import PROFILES_PEOPLE, dead_letter_topic
from mentoring_shared.messaging import dead_letters, kafka
from mentoring_shared.messaging.consumer import ConsumerRunner
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.runtime import ServiceRuntime
from mentoring_testing.polling import eventually
from mentoring_testing.topics import read_topic
from tests.reliability.counting import counting_handler, create_counter_table, times_applied


def person_event(tenant: str, key: str, name: str, **data_overrides) -> Envelope:
    data = {"person_id": f"{tenant}-{name}", "version": 1, "employee_id": None, "name": name,
            "email": f"{name}@example.com", "time_zone": "UTC", "status": "active"}
    data.update(data_overrides)
    return Envelope.new(type=PERSON_UPSERTED_V1, source="/tests", subject=key, tenant_id=tenant, data=data)


def read_dead_letters(settings, group: str) -> list:
    """This group's dead letters (other groups reading the same topic dead-letter its poison too)."""
    return [record for record in read_topic(settings.kafka.bootstrap_servers, dead_letter_topic(PROFILES_PEOPLE))
            if dict(record.headers).get(dead_letters.CONSUMER_GROUP) == group.encode()]


def run_consumer(runner: ConsumerRunner, until) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=runner.run, args=(stop,))
    thread.start()
    try:
        eventually(until, timeout_s=60)
    finally:
        stop.set()
        thread.join(30)


def test_poison_messages_go_to_dead_letters_and_the_partition_keeps_flowing(isolated_env, tenant, consumer_group):
    from matching import orm

    settings = load_service_settings("matching", isolated_env)
    matching = ServiceRuntime.build(settings, orm.metadata)
    create_counter_table(matching.engine)

    key = f"{tenant}-same-key".encode()  # one key: one partition, poison in the middle of good events
    good = [person_event(tenant, key.decode(), f"good{n}") for n in range(3)]
    fails_in_handler = person_event(tenant, key.decode(), "explodes")
    breaks_contract = person_event(tenant, key.decode(), "bad-version", version=0)
    producer = kafka.make_producer(settings.kafka, client_id="test-publisher")
    for value in [good[0].to_json().encode(), b"{not json", None, good[1].to_json().encode(),
                  breaks_contract.to_json().encode(), fails_in_handler.to_json().encode(), good[2].to_json().encode()]:
        producer.send(PROFILES_PEOPLE, key=key, value=value)
    producer.flush(30)

    handlers = counting_handler(tenant, fail_names={"explodes"})
    count_application = handlers[PERSON_UPSERTED_V1]
    attempts = []
    handlers[PERSON_UPSERTED_V1] = lambda event, uow: attempts.append(event.id) or count_application(event, uow)
    runner = ConsumerRunner("reliability", consumer_group, handlers, matching.events, matching.unit_of_work,
                            matching.inbox, settings.kafka, max_attempts=3, retry_backoff_s=0.05)
    run_consumer(runner, lambda: len(times_applied(matching.engine, tenant)) == 3)

    assert set(times_applied(matching.engine, tenant)) == {event.id for event in good}
    # Its batch's one try, then at most 3 on its own: bounded.
    assert 3 <= attempts.count(fails_in_handler.id) <= 4, attempts.count(fails_in_handler.id)

    letters = eventually(lambda: len(read_dead_letters(settings, consumer_group)) == 4
                         and read_dead_letters(settings, consumer_group))
    assert {letter.key for letter in letters} == {key}
    headers = [dict(letter.headers) for letter in letters]
    assert {h[dead_letters.ORIGIN_TOPIC] for h in headers} == {PROFILES_PEOPLE.encode()}
    assert all(h[dead_letters.ORIGIN_OFFSET].isdigit() and h[dead_letters.ORIGIN_PARTITION].isdigit() for h in headers)
    assert [letter.value for letter in letters][:2] == [b"{not json", None]  # a tombstone too
    assert b"ValueError: cannot apply explodes" in headers[3][dead_letters.ERROR]

    # After the fix, replaying the group's dead letters applies the event that failed in the handler.
    replayed = dead_letters.replay_dead_letters(settings.kafka, PROFILES_PEOPLE, group=consumer_group,
                                                idle_timeout_s=3)
    assert replayed == 4
    fixed = ConsumerRunner("reliability", consumer_group, counting_handler(tenant), matching.events,
                           matching.unit_of_work, matching.inbox, settings.kafka, max_attempts=3)
    run_consumer(fixed, lambda: len(times_applied(matching.engine, tenant)) == 4)
    counts = times_applied(matching.engine, tenant)
    assert counts[fails_in_handler.id] == 1 and set(counts.values()) == {1}
