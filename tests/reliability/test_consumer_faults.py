"""What a consumer does with failures that are not the handler's bad luck with one event:
- a payload whose loading raises an unexpected exception type (a custom field's TypeError) is
  dead-lettered, and the events behind it on the partition are applied; the consumer does not loop;
- a deadlock or serialization failure reported by PostgreSQL holds the partition and is retried
  with backoff, however many times, never counted towards the bounded tries nor dead-lettered, and
  the event is then applied exactly once."""

import marshmallow as ma
from prometheus_client import REGISTRY
from sqlalchemy import text

from mentoring_shared.config import load_service_settings
from mentoring_shared.contracts.profiles import PERSON_UPSERTED_V1, PersonSnapshotV1
from mentoring_shared.contracts.registry import EventContract, EventRegistry
from mentoring_shared.contracts.topics import PROFILES_PEOPLE
from mentoring_shared.messaging import dead_letters, kafka
from mentoring_shared.messaging.consumer import ConsumerRunner
from mentoring_shared.runtime import ServiceRuntime
from mentoring_testing.polling import eventually
from tests.reliability.counting import counting_handler, create_counter_table, times_applied
from tests.reliability.test_dead_letters import person_event, read_dead_letters, run_consumer


class FragileName(ma.fields.String):
    """A custom field with a bug: it raises a TypeError, not a ValidationError, on some input."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value == "fragile":
            raise TypeError("FragileName cannot read 'fragile'")
        return super()._deserialize(value, attr, data, **kwargs)


class FragilePersonSnapshot(PersonSnapshotV1):
    name = FragileName(required=True)


def matching_runtime(env):
    from matching import orm

    runtime = ServiceRuntime.build(load_service_settings("matching", env), orm.metadata)
    create_counter_table(runtime.engine)
    return runtime


def publish(settings, key: str, events) -> None:
    producer = kafka.make_producer(settings.kafka, client_id="test-publisher")
    for event in events:
        producer.send(PROFILES_PEOPLE, key=key.encode(), value=event.to_json().encode())
    producer.flush(30)
    producer.close()


def dead_letters_of(settings, group: str, key: str) -> list:
    """This group's dead letters of this test's key: the topic also holds other tests' poison."""
    return [letter for letter in read_dead_letters(settings, group) if letter.key == key.encode()]


def retries(reason: str) -> float:
    return REGISTRY.get_sample_value("consumer_retries_total", {"service": "reliability", "reason": reason}) or 0.0


def test_an_unexpected_exception_loading_a_payload_dead_letters_it_and_the_partition_keeps_flowing(
        isolated_env, tenant, consumer_group):
    matching = matching_runtime(isolated_env)
    key = f"{tenant}-same-key"  # one key: one partition, the fragile event between good ones
    good = [person_event(tenant, key, f"good{n}") for n in range(3)]
    fragile = person_event(tenant, key, "fragile")
    publish(matching.settings, key, [good[0], fragile, good[1], good[2]])

    events = EventRegistry([EventContract(PERSON_UPSERTED_V1, PROFILES_PEOPLE, FragilePersonSnapshot)])
    runner = ConsumerRunner("reliability", consumer_group, counting_handler(tenant), events,
                            matching.unit_of_work, matching.inbox, matching.settings.kafka,
                            max_attempts=3, retry_backoff_s=0.05)
    run_consumer(runner, lambda: len(times_applied(matching.engine, tenant)) == 3)

    assert times_applied(matching.engine, tenant) == {event.id: 1 for event in good}
    letters = eventually(lambda: dead_letters_of(matching.settings, consumer_group, key))
    assert [letter.value for letter in letters] == [fragile.to_json().encode()]
    assert b"TypeError: FragileName cannot read 'fragile'" in dict(letters[0].headers)[dead_letters.ERROR]


def fail_in_the_database(sqlstate: str):
    """Make PostgreSQL itself report `sqlstate`, so the error travels through psycopg and SQLAlchemy
    exactly as a real deadlock or serialization failure does."""
    return text(f"DO $$ BEGIN RAISE EXCEPTION 'simulated {sqlstate}' USING ERRCODE = '{sqlstate}'; END $$")


def test_a_deadlock_or_serialization_failure_is_retried_until_applied_once_never_dead_lettered(
        isolated_env, tenant, consumer_group):
    matching = matching_runtime(isolated_env)
    key = f"{tenant}-same-key"
    good = [person_event(tenant, key, f"good{n}") for n in range(3)]
    contended = person_event(tenant, key, "contended")
    publish(matching.settings, key, [good[0], contended, good[1], good[2]])

    # More database refusals than the bounded tries allow: they must not count as tries.
    refusals = ["40P01", "40001", "40P01"]
    tries = []
    count_application = counting_handler(tenant)[PERSON_UPSERTED_V1]

    def contended_handler(event, uow):
        if event.tenant_id == tenant and event.data["name"] == "contended":
            tries.append(event.id)
            if len(tries) <= len(refusals):
                uow.session.execute(fail_in_the_database(refusals[len(tries) - 1]))
        count_application(event, uow)

    transient_before = retries("database_transient")
    runner = ConsumerRunner("reliability", consumer_group, {PERSON_UPSERTED_V1: contended_handler},
                            matching.events, matching.unit_of_work, matching.inbox, matching.settings.kafka,
                            max_attempts=2, retry_backoff_s=0.05)
    run_consumer(runner, lambda: len(times_applied(matching.engine, tenant)) == 4)

    # Every event applied once: the good ones rolled back with each refused batch, and re-applied once.
    assert times_applied(matching.engine, tenant) == {event.id: 1 for event in [*good, contended]}
    assert len(tries) == len(refusals) + 1
    assert retries("database_transient") - transient_before == len(refusals)
    assert dead_letters_of(matching.settings, consumer_group, key) == []
